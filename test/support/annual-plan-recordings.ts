// Scenarios that scripts/record-histories.ts drives to record annual-plan histories at each phase (one
// file per run: a run ends at each phase boundary with continue-as-new). Not part of the workflow bundle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  appraisePlan,
  completeDecomposition,
  decidePeriodPlan,
  decidePlan,
  proposeAmendment,
  reviewAmendment,
  submitPeriodPlan,
  submitPlan,
} from '../../workflows/annual-plan.messages.ts';
import { type PlanPeople, planInput, testCalendar, warpFrom } from './annual-plan.ts';

const HASH = 'a'.repeat(64);
const people = (n: number): PlanPeople => {
  const id = (k: number) => `00000000-0000-4000-8000-${String(n * 10 + k).padStart(12, '0')}`;
  return {
    provinceId: id(0),
    unitId: id(1),
    drafter: id(2),
    supervisor: id(3),
    head: id(4),
    secretary: id(5),
    committee: id(6),
    email: { drafter: 'd@x', supervisor: 's@x', head: 'h@x', secretary: 'sec@x', committee: 'c@x' },
  };
};
const MS_PER_DAY = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function nextRun(handle: WorkflowHandle, prev: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const d = await handle.describe();
    if (d.runId !== prev) return d.runId;
    await sleep(50);
  }
  throw new Error('no continue-as-new');
}

export function annualPlanRecordings() {
  const p1 = people(1);
  const p2 = people(2);
  const p3 = people(3);
  const p4 = people(4);
  const p5 = people(5);
  const p6 = people(6);
  const p7 = people(7);
  return [
    {
      // drafting with reminders and the late ladder → submit; submitted → appraise; appraised → return;
      // drafting again → resubmit.
      file: 'annualPlan-phases-v1.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [planInput(p1, testCalendar(), warpFrom('2026-11-24', MS_PER_DAY))],
      drive: async (_c: Client, handle: WorkflowHandle) => {
        const runs: string[] = [(await handle.describe()).runId];
        await sleep(16 * MS_PER_DAY); // past the D+6 escalation (8/12)
        const h = () => _c.workflow.getHandle(handle.workflowId);
        await h().executeUpdate(submitPlan, { args: [{ versionId: 'v1', hash: HASH, by: p1.drafter }] });
        runs.push(await nextRun(handle, runs.at(-1)!));
        await h().executeUpdate(appraisePlan, { args: [{ by: p1.secretary, opinion: 'concerns' }] });
        runs.push(await nextRun(handle, runs.at(-1)!));
        await h().executeUpdate(decidePlan, {
          args: [
            { by: p1.committee, decision: 'return', comments: [{ itemId: 'T1', text: 'Bổ sung chỉ tiêu' }] },
          ],
        });
        runs.push(await nextRun(handle, runs.at(-1)!));
        await h().executeUpdate(submitPlan, { args: [{ versionId: 'v2', hash: HASH, by: p1.drafter }] });
        await nextRun(handle, runs.at(-1)!);
        return runs;
      },
    },
    {
      // submitted and appraised, no decision by 25/12 → filed; the committee's reminders repeat; approve.
      // annualPlan-filed-v1-*.json were recorded from the code before PATCH_FILING_NOTIFIES_HEAD (no
      // marker) and are kept as they are; this one is recorded with the patch.
      file: 'annualPlan-filed-v2.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [planInput(p2, testCalendar(), warpFrom('2026-12-14', MS_PER_DAY))],
      drive: async (c: Client, handle: WorkflowHandle) => {
        const h = () => c.workflow.getHandle(handle.workflowId);
        let run = (await handle.describe()).runId;
        await h().executeUpdate(submitPlan, { args: [{ versionId: 'v1', hash: HASH, by: p2.drafter }] });
        run = await nextRun(handle, run);
        await h().executeUpdate(appraisePlan, { args: [{ by: p2.secretary, opinion: 'endorse' }] });
        const filing = await nextRun(handle, run); // this run files the plan at 25/12
        const after = await nextRun(handle, filing);
        await sleep(4 * MS_PER_DAY);
        await h().executeUpdate(decidePlan, { args: [{ by: p2.committee, decision: 'approve' }] });
        await h().result();
        return [filing, after];
      },
    },
    {
      // nothing submitted: the ladder, then the standing-committee escalations after 25/12; the appraisal
      // forward is covered by the integration tests.
      file: 'annualPlan-nothing-submitted-v1.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [planInput(p3, testCalendar(), warpFrom('2026-12-21', MS_PER_DAY))],
      drive: async (_c: Client, handle: WorkflowHandle) => {
        const run = (await handle.describe()).runId;
        await sleep(10 * MS_PER_DAY);
        return [run];
      },
    },
    {
      // v3 (PATCH_IN_FORCE_PHASE, PATCH_LATE_START): approved → in force with decomposition and period
      // plans; decomposition done; the Q1 plan returned, resubmitted and approved (sent to the province); an
      // amendment endorsed and approved; then the run crosses the month boundary (1/01/2027) and continues
      // as new. Recorded runs: the approval, the Q1 return, the amendment's approval, and the run that
      // crosses 1/01.
      file: 'annualPlan-in-force-v3.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [
        {
          ...planInput(p4, testCalendar(), warpFrom('2026-12-14', MS_PER_DAY)),
          decompose: true,
          periodPlans: true,
        },
      ],
      drive: async (c: Client, handle: WorkflowHandle) => {
        const h = () => c.workflow.getHandle(handle.workflowId);
        let run = (await handle.describe()).runId;
        const step = async (fn: () => Promise<unknown>) => {
          await fn();
          run = await nextRun(handle, run);
          return run;
        };
        await step(() =>
          h().executeUpdate(submitPlan, { args: [{ versionId: 'v1', hash: HASH, by: p4.drafter }] }),
        );
        const approving = await step(() =>
          h().executeUpdate(appraisePlan, { args: [{ by: p4.secretary, opinion: 'endorse' }] }),
        );
        await step(() =>
          h().executeUpdate(decidePlan, { args: [{ by: p4.committee, decision: 'approve' }] }),
        );
        await step(() =>
          h().executeUpdate(completeDecomposition, {
            args: [
              { by: p4.head, childPlanIds: ['plan:2027:unit:child'], coverage: { checked: 2, gaps: 0 } },
            ],
          }),
        );
        const returning = await step(() =>
          h().executeUpdate(submitPeriodPlan, {
            args: [{ period: '2027-Q1', versionId: 'q1', hash: HASH, by: p4.drafter }],
          }),
        );
        await step(() =>
          h().executeUpdate(decidePeriodPlan, {
            args: [{ period: '2027-Q1', by: p4.head, decision: 'return', comments: [{ text: 'Bổ sung' }] }],
          }),
        );
        await step(() =>
          h().executeUpdate(submitPeriodPlan, {
            args: [
              { period: '2027-Q1', versionId: 'q1b', hash: HASH, by: p4.supervisor, onBehalfOf: p4.drafter },
            ],
          }),
        );
        await step(() =>
          h().executeUpdate(decidePeriodPlan, {
            args: [{ period: '2027-Q1', by: p4.head, decision: 'approve' }],
          }),
        );
        await step(() =>
          h().executeUpdate(proposeAmendment, {
            args: [
              {
                versionId: 'v2',
                hash: HASH,
                reason: 'Bổ sung nhiệm vụ',
                changes: { added: 1, adjusted: 0, dropped: 0 },
                by: p4.drafter,
              },
            ],
          }),
        );
        const amending = await step(() =>
          h().executeUpdate(reviewAmendment, { args: [{ by: p4.secretary, decision: 'endorse' }] }),
        );
        const crossing = await step(() =>
          h().executeUpdate(reviewAmendment, { args: [{ by: p4.committee, decision: 'approve' }] }),
        );
        await nextRun(handle, crossing); // continued as new at 1/01/2027
        return [approving, returning, amending, crossing];
      },
    },
    {
      // v3 (PATCH_MONTHLY_CAN): drafting from 27/11/2026 with nothing submitted: the run continues as new
      // at 1/12 (before: it waited across the month boundary).
      file: 'annualPlan-monthly-can-v3.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [planInput(p6, testCalendar(), warpFrom('2026-11-27', MS_PER_DAY))],
      drive: async (_c: Client, handle: WorkflowHandle) => {
        const run = (await handle.describe()).runId;
        await nextRun(handle, run);
        return [run];
      },
    },
    {
      // v4 (PATCH_HEAD_ITEMS_ESCALATE_UP): approved on 4/01/2027 → the decomposition (the unit head's) opens
      // with the marker; the Q1 plan submitted → the unit head's decision opens with the marker; then nobody
      // acts: the head's items escalate to the secretariat at D+6 (never to the supervisor or the head),
      // the drafter's January plan supervisor → unit head → secretariat. Recorded runs: the approval, the Q1
      // submission, and the run that fires the escalations (still open when recorded).
      file: 'annualPlan-head-items-v4.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [
        {
          ...planInput(p7, testCalendar(), warpFrom('2027-01-04', MS_PER_DAY)),
          decompose: true,
          periodPlans: true,
        },
      ],
      drive: async (c: Client, handle: WorkflowHandle) => {
        const h = () => c.workflow.getHandle(handle.workflowId);
        const runs = [(await handle.describe()).runId];
        const step = async (fn: () => Promise<unknown>) => {
          await fn();
          runs.push(await nextRun(handle, runs.at(-1)!));
        };
        await step(() =>
          h().executeUpdate(submitPlan, { args: [{ versionId: 'v1', hash: HASH, by: p7.drafter }] }),
        );
        await step(() =>
          h().executeUpdate(appraisePlan, { args: [{ by: p7.secretary, opinion: 'endorse' }] }),
        );
        await step(() =>
          h().executeUpdate(decidePlan, { args: [{ by: p7.committee, decision: 'approve' }] }),
        );
        await step(() =>
          h().executeUpdate(submitPeriodPlan, {
            args: [{ period: '2027-Q1', versionId: 'q1', hash: HASH, by: p7.drafter }],
          }),
        );
        await sleep(20 * MS_PER_DAY); // past the decomposition's D+6 (19/01), before 1/02
        return runs;
      },
    },
    {
      // v3: a plan started on 26/01/2027 with nothing submitted: one catch-up committee escalation.
      file: 'annualPlan-late-start-v3.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [planInput(p5, testCalendar(), warpFrom('2027-01-26', MS_PER_DAY))],
      drive: async (_c: Client, handle: WorkflowHandle) => {
        const run = (await handle.describe()).runId;
        await sleep(3 * MS_PER_DAY);
        return [run];
      },
    },
  ];
}
