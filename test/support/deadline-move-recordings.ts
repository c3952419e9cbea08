// The scenarios scripts/record-histories.ts drives to record deadline moves reaching running unit reports and period
// assessments (issue 6; patches 'unit-report-move-deadlines', 'period-assessment-move-deadlines' and
// 'calendar-change-reports'). Not part of the bundle.
//
// - monthlyUnitReport-moved-v3: the report of 2027-05 started on 7/6/2027 while it waits for its window
//   (verify.2027-05 on 10/6); an administrator moves verify.2027-05 to 9/6 (the run opens at the end of 9/6), then,
//   once the task is open, to 8/6 (the task is re-dated earlier); the unit head sends.
// - periodAssessment-moved-v3 (v2 before the step-effects batch): the assessment of 2027-03 started on 6/4/2027 while it waits (verify.2027-03 on 8/4);
//   verify.2027-03 moves to 12/4 (the task opens on 13/4), then, once open, to 13/4 (re-dated); the manager confirms.
// - calendarChange-reports-v3: a change of one year: its plans, its check-ins, then its unit reports and assessments
//   (two pages).
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  getMonthlyReportState,
  type MonthlyUnitReportInput,
  moveReportDeadlines,
  sendMonthlyReport,
} from '../../workflows/monthly-unit-report.messages.ts';
import {
  confirmAssessment,
  getAssessmentState,
  moveAssessmentDeadlines,
  type PeriodAssessmentInput,
} from '../../workflows/period-assessment.messages.ts';
import { TEST_PROFILE, testCalendar, warpFrom } from './annual-plan.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const by = 'admin-1';
const reason = 'Theo chỉ đạo của UBND tỉnh';

export function deadlineMoveRecordings() {
  const id = (k: number) => `00000000-0000-4000-8000-${String(940 + k).padStart(12, '0')}`;
  const [provinceId, unitId, head, person, supervisor, assessmentId] = [
    id(0),
    id(1),
    id(2),
    id(3),
    id(4),
    id(5),
  ];
  return [
    {
      file: 'monthlyUnitReport-moved-v3.json',
      workflowType: 'monthlyUnitReportWorkflow',
      args: (): MonthlyUnitReportInput[] => [
        {
          unitId,
          provinceId,
          period: '2027-05',
          unitName: 'Sở Nội vụ',
          calendar: testCalendar(),
          profile: TEST_PROFILE,
          parties: {
            unitHead: { personId: head },
            secretariat: { role: 'secretariat', unitId: provinceId },
          },
          dueWorkingDays: 2,
          timeWarp: warpFrom('2027-06-07', 600),
        },
      ],
      drive: async (_client: Client, handle: WorkflowHandle) => {
        await handle.executeUpdate(moveReportDeadlines, {
          args: [{ calendar: testCalendar({ 'verify.2027-05': '2027-06-09' }), by, reason }],
          updateId: 'move-1',
        });
        for (let i = 0; i < 600; i++) {
          if ((await handle.query(getMonthlyReportState)).phase === 'OPEN') break;
          await sleep(50);
        }
        await handle.executeUpdate(moveReportDeadlines, {
          args: [{ calendar: testCalendar({ 'verify.2027-05': '2027-06-08' }), by, reason }],
          updateId: 'move-2',
        });
        await handle.executeUpdate(sendMonthlyReport, { args: [{ by: head, number: '7' }] });
        await handle.result();
        return [(await handle.describe()).runId];
      },
    },
    {
      file: 'periodAssessment-moved-v5.json',
      workflowType: 'periodAssessmentWorkflow',
      args: (): PeriodAssessmentInput[] => [
        {
          assessmentId,
          personId: person,
          unitId,
          period: '2027-03',
          personName: 'Nguyễn Văn A',
          calendar: testCalendar(),
          profile: TEST_PROFILE,
          parties: {
            person: { personId: person },
            supervisor: { personId: supervisor },
            unitHead: { personId: head },
          },
          timeWarp: warpFrom('2027-04-06', 600),
        },
      ],
      drive: async (_client: Client, handle: WorkflowHandle) => {
        await handle.executeUpdate(moveAssessmentDeadlines, {
          args: [{ calendar: testCalendar({ 'verify.2027-03': '2027-04-12' }), by, reason }],
          updateId: 'move-1',
        });
        for (let i = 0; i < 600; i++) {
          if ((await handle.query(getAssessmentState)).phase === 'OPEN') break;
          await sleep(50);
        }
        await handle.executeUpdate(moveAssessmentDeadlines, {
          args: [{ calendar: testCalendar({ 'verify.2027-03': '2027-04-13' }), by, reason }],
          updateId: 'move-2',
        });
        await handle.executeUpdate(confirmAssessment, { args: [{ by: supervisor, revision: 1 }] });
        await handle.result();
        return [(await handle.describe()).runId];
      },
    },
    {
      file: 'calendarChange-reports-v3.json',
      workflowType: 'calendarChangeWorkflow',
      args: [
        {
          changeId: id(6),
          provinceId,
          years: [2027],
          by,
          reason,
          before: { profile: TEST_PROFILE, movesByYear: { '2027': {} } },
        },
      ],
    },
  ];
}
