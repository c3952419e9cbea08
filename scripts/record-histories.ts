import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';
import { freePort } from '../devstack/ports.ts';
import { startTemporalDevServer } from '../devstack/temporal.ts';
import { TEST_PROFILE, testCalendar } from '../test/support/annual-plan.ts';
import { annualPlanRecordings } from '../test/support/annual-plan-recordings.ts';
import { deadlineMoveRecordings } from '../test/support/deadline-move-recordings.ts';
import { quarterPlanRecordings } from '../test/support/quarter-plan-recordings.ts';
import { unitReportRecordings } from '../test/support/unit-report-recordings.ts';
import { yearEndRecordings } from '../test/support/year-end-recordings.ts';
import { workflowsPath } from '../worker/run.ts';
import { decideAppeal as appealDecide } from '../workflows/appeal.messages.ts';
import { moveCheckInDeadlines, submitCheckIn, verifyCheckIn } from '../workflows/check-in.messages.ts';
import { decideDelegation } from '../workflows/delegation.messages.ts';
import {
  getGiaoBanState,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
  reportGiaoBanDirection,
} from '../workflows/giao-ban.messages.ts';
import { confirmAssessment, getAssessmentState } from '../workflows/period-assessment.messages.ts';
import {
  decideProvinceRanking as provinceDecide,
  approveProvinceException as provinceException,
  publishProvinceRanking as provincePublish,
} from '../workflows/province-ranking.messages.ts';
import {
  decideQuotaException,
  decideRanking,
  publishRanking as rankingPublish,
  requestQuotaException,
} from '../workflows/unit-ranking.messages.ts';

// Records the histories that workflows/replay.test.ts replays: run this when a workflow changes shape,
// commit the new files, and keep the old ones (they are what open runs replay). Activities are stubs:
// replay never re-executes them, only the commands the workflow issued are compared.
const root = join(import.meta.dirname, '..');
const out = join(root, 'workflows', '__fixtures__', 'histories');
const ok = async () => ({ created: true, changed: true, closed: true, applied: true });
let exportPasses = 0;
const yearEndStub = (status: 'self-open' | 'self-submitted' | 'supervisor-done' | 'appraised' | 'ready') => ({
  status,
  revision: 1,
  selfScore: '80.5',
  supervisorScore: status === 'self-open' || status === 'self-submitted' ? null : '82',
  proposedLevel: status === 'self-open' || status === 'self-submitted' ? null : 'good',
  taskYear: '58',
});
const stubs: Activities = {
  writeAuditAnchor: async ({ at }) => ({
    day: new Date(at + 7 * 3600_000).toISOString().slice(0, 10),
    heads: 3,
  }),
  openTask: ok,
  closeTask: ok,
  recordTaskEvent: ok,
  fireRung: ok,
  applyStepEffects: async (effects) => ({ applied: effects.length }),
  projectPlanStatus: ok,
  projectDelegation: ok,
  notify: async () => ({ created: 1 }),
  freezeMonthlyUnitReport: async ({ date }) => ({
    created: true,
    date,
    pdfSha256: '0'.repeat(64),
    xlsxSha256: '1'.repeat(64),
  }),
  freezeQuarterlyUnitReport: async ({ date }) => ({
    created: true,
    date,
    pdfSha256: '0'.repeat(64),
    xlsxSha256: '1'.repeat(64),
  }),
  markUnitReportLocked: ok,
  decideNextQuarterPlan: async ({ decision }) => ({ outcome: 'decided', decision }),
  recordUnitReportReopenRequest: ok,
  decideUnitReportReopen: ok,
  // giao ban (workflows/giao-ban.ts): one unit on the agenda, one direction when published
  projectGiaoBanSession: async () => ({ changed: true }),
  freezeGiaoBanDossiers: async () => ({
    units: [
      {
        unitId: '00000000-0000-4000-8000-000000000981',
        unitName: 'Sở Nội vụ',
        head: { personId: '00000000-0000-4000-8000-000000000982' },
      },
    ],
  }),
  recordGiaoBanConclusion: async () => ({ revision: 1, changed: true }),
  publishGiaoBanConclusions: async ({ at, workflowId }) => ({
    publishedAt: new Date(at).toISOString(),
    directions: [
      {
        id: '00000000-0000-4000-8000-000000000983',
        unitId: '00000000-0000-4000-8000-000000000981',
        ordinal: 1,
        text: 'Đẩy nhanh số hóa hồ sơ',
        dueDate: null,
        taskId: `${workflowId}:direction:00000000-0000-4000-8000-000000000983`,
      },
    ],
  }),
  reportGiaoBanDirection: async () => ({ changed: true }),
  purgeEndedAuthRows: async () => ({ sessions: 0, throttles: 0 }),
  propagateCalendarChange: async () => ({ sent: 0, unchanged: 0, skipped: [], next: null }),
  startPendingCalendarChanges: async () => ({ started: 0 }),
  recordEffectFailure: async () => ({ recorded: true }),
  markCheckInSubmitted: async () => ({ keys: [], applied: true }),
  recordCheckInVerification: async () => ({ applied: true, status: 'VERIFIED' }),
  computePeriodAssessment: async () => ({
    status: 'draft',
    revision: 1,
    ok: true,
    taskPoints: '61.25',
    generalPoints: '0',
    total: '61.25',
  }),
  confirmPeriodAssessment: async ({ revision }) => ({
    status: 'confirmed',
    revision,
    ok: true,
    taskPoints: '61.25',
    generalPoints: '25',
    total: '86.25',
    applied: true,
  }),
  openYearEndAssessment: async () => yearEndStub('self-open'),
  submitYearEndSelf: async () => ({ ...yearEndStub('self-submitted'), applied: true }),
  submitYearEndSupervisor: async () => ({ ...yearEndStub('supervisor-done'), applied: true }),
  submitYearEndAppraisal: async () => ({ ...yearEndStub('appraised'), applied: true }),
  markYearEndReady: async () => yearEndStub('ready'),
  // unit ranking (workflows/unit-ranking.ts): over by 1 when decided, unblocked by the approved exception
  decideUnitRanking: async () => ({ publicationBlocked: true, over: 1, applied: true }),
  requestRankingException: async ({ exceptionId }) => ({ exceptionId }),
  decideRankingException: async ({ approve }) => ({
    publicationBlocked: !approve,
    over: approve ? 0 : 1,
    status: approve ? 'approved' : 'rejected',
  }),
  publishUnitRanking: async () => ({ applied: true }),
  // province ranking (workflows/province-ranking.ts): decided with an approved exception, then published
  decideProvinceRankingActivity: async ({ exception }) => ({
    publicationBlocked: exception === null,
    over: exception === null ? 1 : 0,
    applied: true,
  }),
  recordProvinceExceptionActivity: async () => ({ publicationBlocked: false, over: 0, applied: true }),
  publishProvinceRankingActivity: async () => ({ applied: true }),
  // ranking appeal (workflows/appeal.ts)
  decideRankingAppeal: async ({ outcome, newLevel }) => ({
    outcome,
    newLevel: newLevel ?? null,
    applied: true,
  }),
  markCheckInLocked: ok,
  recordCheckInDeadlineMove: ok,
  propagateCalendarChangeToCheckIns: async () => ({ sent: 0, unchanged: 0, skipped: [], next: null }),
  recordDeadlineMove: ok,
  // two pages: the unit reports, then the assessments
  propagateCalendarChangeToReports: async ({ after }) => ({
    sent: after ? 0 : 1,
    unchanged: 0,
    skipped: [],
    next: after ? null : 'a:',
  }),
  recordReopenRequest: ok,
  decideReopenRequest: ok,
  // two pages: the first has a next cursor, the second ends the opening
  startGiaoBanSessions: async ({ month }) => ({
    session: month.endsWith('-03') ? `${month.slice(0, 4)}-Q1` : null,
    started: month.endsWith('-03') ? 1 : 0,
    skipped: [],
  }),
  openCheckInPage: async ({ after }) => ({
    opened: after ? 1 : 2,
    nothingDue: 1,
    skipped: [],
    next: after ? null : '00000000-0000-4000-8000-000000000950',
  }),
  // two passes: the first reaches its limit, the second finds nothing more
  exportClosedHistories: async () => {
    exportPasses++;
    return {
      exported: exportPasses === 1 ? 2 : 0,
      alreadyStored: 0,
      more: exportPasses === 1,
      watermark: '2026-11-20T03:00:00.000Z',
    };
  },
};

/** A recording either runs the workflow to completion, or is driven (Updates, waits) and names the run ids to keep. */
export interface Recording {
  file: string;
  workflowType: string;
  /** A function when the arguments depend on the start time (a time warp). */
  args: unknown[] | (() => unknown[]);
  /** Drives the workflow; returns run ids to record in order (one file each: file with -{i} before .json when several). */
  drive?: (client: Client, handle: WorkflowHandleWithFirstExecutionRunId) => Promise<string[]>;
}
const recordings: Recording[] = [
  { file: 'auditAnchorWorkflow-v1.json', workflowType: 'auditAnchorWorkflow', args: [] },
  { file: 'historyExportWorkflow-v1.json', workflowType: 'historyExportWorkflow', args: [{ maxRuns: 2 }] },
  { file: 'checkInOpening-v1.json', workflowType: 'checkInOpeningWorkflow', args: [{ period: '2026-03' }] },
  ...annualPlanRecordings(),
  ...quarterPlanRecordings(),
  ...unitReportRecordings(),
  ...deadlineMoveRecordings(),
  ...yearEndRecordings(),
  // a delegation approved by its approver, in force for one virtual day, then ended (200 ms per virtual day)
  {
    file: 'delegation-approved-v1.json',
    workflowType: 'delegationWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(900 + k).padStart(12, '0')}`;
      return [
        {
          delegationId: `delegation:${p(1)}:2031-03-11`,
          principalId: p(1),
          delegateId: p(2),
          approverId: p(3),
          unitId: p(4),
          from: '2031-03-11',
          to: '2031-03-11',
          reason: 'Nghỉ phép',
          principalName: 'Nguyễn Văn A',
          delegateName: 'Trần Thị B',
          warp: { realEpoch: Date.now(), virtualEpoch: Date.UTC(2031, 2, 10, 2), speed: 86_400_000 / 200 },
        },
      ];
    },
    drive: async (_client, handle) => {
      await handle.executeUpdate(decideDelegation, {
        args: [{ decision: 'approve', by: '00000000-0000-4000-8000-000000000903' }],
      });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
  // a calendar change for one year: its plans, then (patch 'calendar-change-check-ins') its running check-ins
  {
    file: 'calendarChange-check-ins-v2.json',
    workflowType: 'calendarChangeWorkflow',
    args: [
      {
        changeId: '00000000-0000-4000-8000-000000000990',
        provinceId: '00000000-0000-4000-8000-000000000991',
        years: [2027],
        by: 'admin-1',
        reason: 'Theo chỉ đạo của UBND tỉnh',
        before: { profile: TEST_PROFILE, movesByYear: { '2027': {} } },
      },
    ],
  },
  // a check-in whose deadline an administrator moves (check-in.2027-03 from 5/4 to 12/4, patch
  // 'check-in-move-deadlines') while it is open, then submitted and verified (2 s per virtual day from 1/4);
  // v4: the submission's effects as one activity (patch 'step-effects-batch'), v3 before it; v5: the machinery's
  // effects local (patch 'step-effects-local'); v6: the Updates' own writes local too (patch
  // 'check-in-update-writes-local'); v7: the machinery's stable clock (patch 'human-steps-stable-clock')
  {
    file: 'checkIn-moved-v7.json',
    workflowType: 'checkInWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(980 + k).padStart(12, '0')}`;
      return [
        {
          checkInId: p(0),
          personId: p(1),
          unitId: p(2),
          period: '2027-03',
          personName: 'Nguyễn Văn A',
          calendar: testCalendar(),
          profile: TEST_PROFILE,
          parties: {
            person: { personId: p(1) },
            supervisor: { personId: p(3) },
            unitHead: { personId: p(4) },
          },
          verifyWorkingDays: 3,
          timeWarp: {
            realEpoch: Date.now(),
            virtualEpoch: Date.UTC(2027, 3, 1, 2),
            speed: 86_400_000 / 2000,
          },
        },
      ];
    },
    drive: async (_client, handle) => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(980 + k).padStart(12, '0')}`;
      await handle.executeUpdate(moveCheckInDeadlines, {
        args: [
          {
            calendar: testCalendar({ 'check-in.2027-03': '2027-04-12' }),
            by: 'admin-1',
            reason: 'Theo chỉ đạo của UBND tỉnh',
          },
        ],
        updateId: 'move-1',
      });
      await handle.executeUpdate(submitCheckIn, {
        args: [{ by: p(1), versionId: p(5), hash: 'a'.repeat(64) }],
      });
      await handle.executeUpdate(verifyCheckIn, { args: [{ by: p(3), values: [] }] });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
  // a giao ban (workflows/giao-ban.ts) with a short calendar: dossiers on 3/3/2031, in session on 4/3, one unit's
  // conclusion with a direction, published, the direction reported done, closed on 12/3 (200 ms per virtual day).
  // v2 (patch 'giao-ban-continue-as-new'): the run that publishes continues as new, the next one follows up and
  // closes (-1, -2); v1 before it, one run
  {
    file: 'giaoBan-v2.json',
    workflowType: 'giaoBanWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(980 + k).padStart(12, '0')}`;
      return [
        {
          provinceId: p(0),
          provinceName: 'Tỉnh Thử',
          session: '2031-Q1',
          dates: {
            opensOn: '2031-03-01',
            dossierDate: '2031-03-03',
            sessionDate: '2031-03-04',
            conclusionsDue: '2031-03-06',
            followUpUntil: '2031-03-12',
          },
          profile: TEST_PROFILE,
          parties: {
            secretariat: { role: 'secretariat', unitId: p(0) },
            standingCommittee: { role: 'standing_committee', unitId: p(0) },
          },
          planDecisions: true,
          timeWarp: { realEpoch: Date.now(), virtualEpoch: Date.UTC(2031, 2, 1, 2), speed: 86_400_000 / 200 },
        },
      ];
    },
    drive: async (_client, handle) => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(980 + k).padStart(12, '0')}`;
      for (;;) {
        if ((await handle.query(getGiaoBanState)).phase === 'IN_SESSION') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await handle.executeUpdate(recordGiaoBanConclusion, {
        args: [
          {
            unitId: p(1),
            completionLevel: 'good',
            summary: 'Hoàn thành tốt',
            directions: [{ text: 'Đẩy nhanh số hóa hồ sơ', dueDate: null }],
            planDecision: 'approved',
            planNote: null,
            by: p(4),
          },
        ],
      });
      await handle.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p(4) }] });
      await handle.executeUpdate(reportGiaoBanDirection, {
        args: [{ directionId: p(3), status: 'done', note: 'Đã xong', by: p(2) }],
      });
      await handle.result();
      const last = (await handle.describe()).runId;
      if (last === handle.firstExecutionRunId) throw new Error('the giao ban did not continue as new');
      return [handle.firstExecutionRunId, last];
    },
  },
  // a period assessment: waits past verify.2027-03 (8/4), opens the manager's task on 9/4, the manager misses
  // it (due 16/4) and it is forwarded to the unit head on 19/4, who confirms (200 ms per virtual day); v2: the
  // forward's effects as one activity (patch 'step-effects-batch'), v1 before it; v3: local (patch
  // 'step-effects-local'); v4: the machinery's stable clock (patch 'human-steps-stable-clock')
  {
    file: 'periodAssessment-forwarded-v4.json',
    workflowType: 'periodAssessmentWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(960 + k).padStart(12, '0')}`;
      return [
        {
          assessmentId: p(0),
          personId: p(1),
          unitId: p(2),
          period: '2027-03',
          personName: 'Nguyễn Văn A',
          calendar: testCalendar(),
          profile: TEST_PROFILE,
          parties: {
            person: { personId: p(1) },
            supervisor: { personId: p(3) },
            unitHead: { personId: p(4) },
          },
          timeWarp: { realEpoch: Date.now(), virtualEpoch: Date.UTC(2027, 3, 8, 2), speed: 86_400_000 / 200 },
        },
      ];
    },
    drive: async (_client, handle) => {
      for (;;) {
        const s = await handle.query(getAssessmentState);
        if (s.items.some((i) => i.forwarded)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await handle.executeUpdate(confirmAssessment, {
        args: [{ by: '00000000-0000-4000-8000-000000000964', revision: 1 }],
      });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
  // the province ranking of units and their heads: the standing committee's task opens, the committee decides
  // (over the heads' quota by 1), records an approved exception, then publishes (200 ms per virtual day, from 1/12)
  {
    file: 'provinceRanking-exception-v1.json',
    workflowType: 'provinceRankingWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(1100 + k).padStart(12, '0')}`;
      return [
        {
          rankingId: p(0),
          provinceId: p(1),
          year: 2027,
          provinceName: 'Tỉnh Thử nghiệm',
          deadline: '2027-12-14',
          profile: TEST_PROFILE,
          parties: {
            committee: { role: 'standing_committee', unitId: p(1) },
            secretariat: { role: 'secretariat', unitId: p(1) },
          },
          timeWarp: {
            realEpoch: Date.now(),
            virtualEpoch: Date.UTC(2027, 11, 1, 2),
            speed: 86_400_000 / 200,
          },
        },
      ];
    },
    drive: async (_client, handle) => {
      const by = '00000000-0000-4000-8000-000000001102';
      await handle.executeUpdate(provinceDecide, { args: [{ by, revision: 1 }] });
      await handle.executeUpdate(provinceException, {
        args: [
          { by, exception: { places: 1, decisionNumber: '15-QĐ/TU', justification: 'Thành tích đột xuất' } },
        ],
      });
      await handle.executeUpdate(provincePublish, { args: [{ by }] });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
  // a unit ranking: the head's task opens, the head decides (over the quota by 1), requests an exception, the
  // standing committee approves it, the head publishes (200 ms per virtual day, from 1/12)
  {
    file: 'unitRanking-exception-v1.json',
    workflowType: 'unitRankingWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(990 + k).padStart(12, '0')}`;
      return [
        {
          rankingId: p(0),
          unitId: p(1),
          year: 2027,
          unitName: 'Sở Nội vụ',
          deadline: '2027-12-14',
          profile: TEST_PROFILE,
          parties: {
            head: { personId: p(2) },
            secretariat: { role: 'secretariat', unitId: p(3) },
            committee: { role: 'standing_committee', unitId: p(3) },
          },
          timeWarp: {
            realEpoch: Date.now(),
            virtualEpoch: Date.UTC(2027, 11, 1, 2),
            speed: 86_400_000 / 200,
          },
        },
      ];
    },
    drive: async (_client, handle) => {
      const head = '00000000-0000-4000-8000-000000000992';
      const x = '00000000-0000-4000-8000-000000000995';
      await handle.executeUpdate(decideRanking, { args: [{ by: head, revision: 1 }] });
      await handle.executeUpdate(requestQuotaException, {
        args: [
          {
            by: head,
            exceptionId: x,
            agencyId: '00000000-0000-4000-8000-000000000991',
            dutyGroup: 'default',
            extraPlaces: 1,
            justification: 'Thành tích đột xuất',
          },
        ],
      });
      await handle.executeUpdate(decideQuotaException, {
        args: [
          {
            by: '00000000-0000-4000-8000-000000000996',
            exceptionId: x,
            approve: true,
            decisionNumber: '12-QĐ/TU',
          },
        ],
      });
      await handle.executeUpdate(rankingPublish, { args: [{ by: head }] });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
  // a unit ranking with a Party track (helper P): the head decides, requests an exception of the Party quota
  // (track 'party'), the standing committee rejects it, then approves a second one; the head publishes
  {
    file: 'unitRanking-party-exception-v1.json',
    workflowType: 'unitRankingWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(1090 + k).padStart(12, '0')}`;
      return [
        {
          rankingId: p(0),
          unitId: p(1),
          year: 2027,
          unitName: 'Ban Tổ chức Tỉnh ủy',
          deadline: '2027-12-14',
          profile: TEST_PROFILE,
          parties: {
            head: { personId: p(2) },
            secretariat: { role: 'secretariat', unitId: p(3) },
            committee: { role: 'standing_committee', unitId: p(3) },
          },
          timeWarp: {
            realEpoch: Date.now(),
            virtualEpoch: Date.UTC(2027, 11, 1, 2),
            speed: 86_400_000 / 200,
          },
        },
      ];
    },
    drive: async (_client, handle) => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(1090 + k).padStart(12, '0')}`;
      const head = p(2);
      const committee = p(6);
      await handle.executeUpdate(decideRanking, { args: [{ by: head, revision: 1 }] });
      for (const [x, approve] of [
        [p(4), false],
        [p(5), true],
      ] as const) {
        await handle.executeUpdate(requestQuotaException, {
          args: [
            {
              by: head,
              exceptionId: x,
              agencyId: p(1),
              dutyGroup: 'party',
              extraPlaces: 1,
              justification: 'Đảng viên có thành tích đột xuất',
              track: 'party',
            },
          ],
        });
        await handle.executeUpdate(decideQuotaException, {
          args: [
            {
              by: committee,
              exceptionId: x,
              approve,
              ...(approve ? { decisionNumber: '14-QĐ/TU' } : {}),
            },
          ],
        });
      }
      await handle.executeUpdate(rankingPublish, { args: [{ by: head }] });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
  // an appeal against a ranking notice: the organisation department's task opens, one reminder fires, the
  // appeal is decided 'changed' (200 ms per virtual day, from the filing day 2027-12-20)
  {
    file: 'appeal-changed-v1.json',
    workflowType: 'appealWorkflow',
    args: () => {
      const p = (k: number) => `00000000-0000-4000-8000-${String(1010 + k).padStart(12, '0')}`;
      return [
        {
          appealId: p(0),
          noticeId: p(1),
          subjectId: p(2),
          subjectName: 'Nguyễn Văn Kiến',
          year: 2027,
          level: 'completed',
          filedOn: '2027-12-20',
          decisionWorkingDays: 2,
          profile: TEST_PROFILE,
          parties: {
            decider: { role: 'organisation_department', unitId: p(3) },
            escalation: { role: 'standing_committee', unitId: p(3) },
          },
          timeWarp: {
            realEpoch: Date.now(),
            virtualEpoch: Date.UTC(2027, 11, 20, 2),
            speed: 86_400_000 / 200,
          },
        },
      ];
    },
    drive: async (_client, handle) => {
      await new Promise((r) => setTimeout(r, 500));
      await handle.executeUpdate(appealDecide, {
        args: [
          {
            by: '00000000-0000-4000-8000-000000001014',
            outcome: 'changed',
            newLevel: 'good',
            decisionNumber: '88-QĐ/BTC',
          },
        ],
      });
      await handle.result();
      return [(await handle.describe()).runId];
    },
  },
];
// RECORD_ONLY=<substring> records only the matching files (keep the old ones: open runs replay them).
const only = process.env.RECORD_ONLY;

const tmp = await mkdtemp(join(root, '.tools', 'tmp', 'rec-'));
const server = await startTemporalDevServer({
  cli: process.env.TEMPORAL_CLI ?? join(root, '.tools', 'bin', 'temporal'),
  port: await freePort(),
});
try {
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `record-${randomUUID()}`;
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath }),
    activities: stubs,
  });
  await worker.runUntil(async () => {
    for (const r of recordings.filter((x) => !only || x.file.includes(only))) {
      const handle = await client.workflow.start(r.workflowType, {
        taskQueue,
        workflowId: r.drive ? `record-${r.file}-${randomUUID().slice(0, 8)}` : `record-${r.workflowType}`,
        args: typeof r.args === 'function' ? r.args() : r.args,
      });
      if (!r.drive) {
        await handle.result();
        const history = await handle.fetchHistory();
        await writeFile(join(out, r.file), historyToJSON(history));
        console.log(`recorded ${r.file} (${history.events?.length} events)`);
        continue;
      }
      const runIds = await r.drive(client, handle);
      for (const [i, runId] of runIds.entries()) {
        const history = await client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
        const file = runIds.length === 1 ? r.file : r.file.replace(/\.json$/, `-${i + 1}.json`);
        await writeFile(join(out, file), historyToJSON(history));
        console.log(`recorded ${file} (${history.events?.length} events)`);
      }
      await handle.terminate('recorded').catch(() => {});
    }
  });
  await connection.close();
  await native.close();
} finally {
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
}
