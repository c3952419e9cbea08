// The monthly opening starts each person's period-assessment workflow of the period the month closes (issue 6,
// point 2): every month on the default monthly cadence, only the quarter's last month on a quarterly one; a
// second run starts nothing twice. Real PostgreSQL, the real opening activity and a worker on the dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import { setCadence } from '../db/queries/period-assessments.ts';
import { TEST_PROFILE } from '../test/support/annual-plan.ts';
import { inForcePlan, keyResult } from '../test/support/check-in-plans.ts';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../test/support/test-worker.ts';
import { checkInWorkflowId } from '../workflows/check-in.messages.ts';
import { periodAssessmentWorkflowId } from '../workflows/period-assessment.messages.ts';
import { checkInOpeningActivities } from './check-in-opening.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `assessment-opening-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  await inForcePlan(
    db,
    2028,
    `plan:2028:person:${f.person.officialA}`,
    { kind: 'person', personId: f.person.officialA },
    f.unit.AD1,
    [keyResult('k-a')],
  );
});
afterAll(() => w?.stop());

const assessments = () =>
  db
    .selectFrom('period_assessment')
    .select(['person_id', 'period', 'status'])
    .where('person_id', '=', f.person.officialA)
    .orderBy('period')
    .execute();

describe('the opening starts the period assessments', () => {
  it('monthly by default; on a quarterly cadence only in the quarter’s last month; once', async () => {
    const me = f.person.officialA;
    const open = checkInOpeningActivities({ db, temporal: w.client }).openCheckInPage;
    const run = async (period: string) => {
      w.started.push(checkInWorkflowId(period, me));
      return open({ period, day: `${period}-28`, taskQueue, pageSize: 500 });
    };
    await run('2028-04');
    expect(await assessments()).toEqual([{ person_id: me, period: '2028-04', status: 'draft' }]);
    w.started.push(periodAssessmentWorkflowId('2028-04', me));
    const d = await w.client.workflow.getHandle(periodAssessmentWorkflowId('2028-04', me)).describe();
    expect(d.type).toBe('periodAssessmentWorkflow');
    expect(d.status.name).toBe('RUNNING');
    // Both runs the opening starts have the long workflow task timeout (workflows/task-timeout.ts), not 10 s.
    const checkIn = await w.client.workflow.getHandle(checkInWorkflowId('2028-04', me)).describe();
    for (const run of [d, checkIn])
      expect(Number(run.raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds)).toBe(60);

    await setCadence(db, { unitId: f.unit.A, cadence: 'quarter', by: f.person.headA });
    await run('2028-05');
    expect((await assessments()).map((a) => a.period)).toEqual(['2028-04']);
    await run('2028-06');
    w.started.push(periodAssessmentWorkflowId('2028-Q2', me));
    const q = await w.client.workflow.getHandle(periodAssessmentWorkflowId('2028-Q2', me)).describe();
    expect(q.status.name).toBe('RUNNING');
    await run('2028-06'); // a rerun starts nothing twice
    expect((await assessments()).map((a) => a.period)).toEqual(['2028-04', '2028-Q2']);
    const again = await w.client.workflow.getHandle(periodAssessmentWorkflowId('2028-Q2', me)).describe();
    expect(again.runId).toBe(q.runId);
  });
});
