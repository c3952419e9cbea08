// The scenario scripts/record-histories.ts drives to record the annual-plan histories with the next quarter's
// draft plans (PATCH_QUARTER_DRAFTS): a plan approved late in March; on 1/04 the run opens April's month plan
// and the Q2 draft (the patch marker); the drafter submits it; the giao ban adjusts it. Not part of the bundle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  appraisePlan,
  decidePlan,
  decideQuarterPlan,
  submitPeriodPlan,
  submitPlan,
} from '../../workflows/annual-plan.messages.ts';
import { type PlanPeople, planInput, testCalendar, warpFrom } from './annual-plan.ts';

const HASH = 'b'.repeat(64);
const MS_PER_DAY = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function nextRun(handle: WorkflowHandle, prev: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const d = await handle.describe();
    if (d.runId !== prev) return d.runId;
    await sleep(50);
  }
  throw new Error('no continue-as-new');
}

export function quarterPlanRecordings() {
  const id = (k: number) => `00000000-0000-4000-8000-${String(970 + k).padStart(12, '0')}`;
  const p: PlanPeople = {
    provinceId: id(0),
    unitId: id(1),
    drafter: id(2),
    supervisor: id(3),
    head: id(4),
    secretary: id(5),
    committee: id(6),
    email: { drafter: 'd@x', supervisor: 's@x', head: 'h@x', secretary: 'sec@x', committee: 'c@x' },
  };
  return [
    {
      file: 'annualPlan-quarter-drafts-v5.json',
      workflowType: 'annualPlanWorkflow',
      args: () => [
        { ...planInput(p, testCalendar(), warpFrom('2027-03-29', MS_PER_DAY)), periodPlans: true },
      ],
      drive: async (c: Client, handle: WorkflowHandle) => {
        const h = () => c.workflow.getHandle(handle.workflowId);
        let run = (await handle.describe()).runId;
        await h().executeUpdate(submitPlan, { args: [{ versionId: 'v1', hash: HASH, by: p.drafter }] });
        run = await nextRun(handle, run);
        await h().executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
        run = await nextRun(handle, run);
        await h().executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
        const inForce = await nextRun(handle, run);
        // 1/04: April's month plan and the Q2 draft open, then the run continues as new.
        const april = await nextRun(handle, inForce);
        await h().executeUpdate(submitPeriodPlan, {
          args: [{ period: '2027-Q2', versionId: 'q2', hash: HASH, by: p.drafter }],
        });
        const submitted = await nextRun(handle, april);
        await h().executeUpdate(decideQuarterPlan, {
          args: [
            {
              by: p.secretary,
              period: '2027-Q2',
              decision: 'adjusted',
              note: 'Bổ sung chỉ tiêu',
              session: '2027-Q1',
            },
          ],
        });
        await nextRun(handle, submitted);
        return [inForce, april, submitted];
      },
    },
  ];
}
