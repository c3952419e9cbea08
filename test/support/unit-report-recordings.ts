// The scenario scripts/record-histories.ts drives to record the unit report's period lock and reopen branch (patch
// 'unit-report-period-lock'): the monthly report of 2027-05 started on 21/6/2027 (D+5 of its due date 14/6), the
// secretariat's escalation on 22/6, the lock at the end of 23/6; the unit head asks to reopen, the secretariat
// refuses with a reason, the head asks again, the secretariat approves, the head sends. Not part of the bundle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  decideReportReopen,
  getMonthlyReportState,
  type MonthlyUnitReportInput,
  requestReportReopen,
  sendMonthlyReport,
} from '../../workflows/monthly-unit-report.messages.ts';
import { TEST_PROFILE, testCalendar, warpFrom } from './annual-plan.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function unitReportRecordings() {
  const id = (k: number) => `00000000-0000-4000-8000-${String(990 + k).padStart(12, '0')}`;
  const [provinceId, unitId, head, secretary] = [id(0), id(1), id(2), id(3)];
  return [
    {
      file: 'monthlyUnitReport-locked-reopened-v2.json',
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
          timeWarp: warpFrom('2027-06-21', 400),
        },
      ],
      drive: async (_client: Client, handle: WorkflowHandle) => {
        for (let i = 0; i < 600; i++) {
          if ((await handle.query(getMonthlyReportState)).phase === 'LOCKED') break;
          await sleep(50);
        }
        await handle.executeUpdate(requestReportReopen, {
          args: [{ by: head, reason: 'Thủ trưởng đi công tác' }],
        });
        await handle.executeUpdate(decideReportReopen, {
          args: [{ by: secretary, approve: false, comment: 'Lý do chưa thỏa đáng' }],
        });
        await handle.executeUpdate(requestReportReopen, {
          args: [{ by: head, reason: 'Đã bổ sung số liệu' }],
        });
        await handle.executeUpdate(decideReportReopen, { args: [{ by: secretary, approve: true }] });
        await handle.executeUpdate(sendMonthlyReport, { args: [{ by: head, number: '12' }] });
        await handle.result();
        return [(await handle.describe()).runId];
      },
    },
  ];
}
