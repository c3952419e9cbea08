// The start of the year-end assessments (issue 8 point 1) from the opening of 1 December (it opens November,
// activities/check-in-opening.ts openCheckInPage): every person with a plan in force that year gets their row
// and their year-end assessment workflow (id yearend:<year>:person:<id>), waiting for the self-assessment
// window; a person with no plan in force gets none; another month's opening starts none; a second opening
// starts nothing twice. Real PostgreSQL and a real worker on the dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import { createPlanVersion } from '../db/queries/plans.ts';
import { yearEndOf } from '../db/queries/year-end-assessments.ts';
import type { KeyResult, Plan } from '../domain/plan/model.ts';
import { TEST_PROFILE } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../test/support/test-worker.ts';
import { getYearEndState, yearEndAssessmentWorkflowId } from '../workflows/year-end-assessment.messages.ts';
import { checkInOpeningActivities } from './check-in-opening.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `year-end-opening-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;

const kr = (id: string): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
});

async function personalPlan(personId: string, unitId: string, inForce: boolean) {
  const id = `plan:2026:person:${personId}`;
  await db
    .insertInto('plan')
    .values({
      id,
      owner_kind: 'person',
      unit_id: unitId,
      person_id: personId,
      year: 2026,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id,
    year: 2026,
    owner: { kind: 'person', personId },
    tasks: [{ id: 't1', title: 'Nhiệm vụ', perspective: 'citizens', weight: '1', keyResults: [kr('k1')] }],
  };
  const v = await createPlanVersion(db, {
    planId: id,
    content: { ...content, sections: [] },
    createdBy: 'test',
  });
  if (inForce) await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', id).execute();
}

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  await personalPlan(f.person.officialA, f.unit.AD1, true);
  await personalPlan(f.person.staffB, f.unit.BD1, false);
});
afterAll(() => w?.stop());

describe('year-end assessments start from the opening of 1 December', () => {
  it('starts one workflow per person with a plan in force, none for others, once', async () => {
    const acts = checkInOpeningActivities({ db, temporal: w.client });
    const page = { day: '2026-12-01', provinceId: f.unit.P, taskQueue, pageSize: 500 };
    // Another month's opening starts no year-end assessment.
    await acts.openCheckInPage({ ...page, period: '2026-10', day: '2026-11-02' });
    expect(await yearEndOf(db, { personId: f.person.officialA, year: 2026 })).toBeUndefined();

    await acts.openCheckInPage({ ...page, period: '2026-11' });
    const wid = yearEndAssessmentWorkflowId(2026, f.person.officialA);
    w.started.push(wid);
    const row = await yearEndOf(db, { personId: f.person.officialA, year: 2026 });
    expect(row).toMatchObject({ unit_id: f.unit.AD1, status: 'self-open', needs_appraisal: false });
    const handle = w.client.workflow.getHandle(wid);
    const state = await handle.query(getYearEndState);
    expect(state.phase).toBe('WAITING');
    expect(state.opensOn).toBe('2026-12-01');
    expect(await yearEndOf(db, { personId: f.person.staffB, year: 2026 })).toBeUndefined();
    const described = await handle.describe();
    const first = described.runId;
    // Started with the long workflow task timeout (workflows/task-timeout.ts), not the server's 10 s.
    expect(Number(described.raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds)).toBe(60);

    // A second opening finds the running workflow.
    await acts.openCheckInPage({ ...page, period: '2026-11' });
    expect((await handle.describe()).runId).toBe(first);
    const rows = await db
      .selectFrom('year_end_assessment')
      .select('person_id')
      .where('year', '=', 2026)
      .execute();
    expect(rows.filter((r) => r.person_id === f.person.officialA)).toHaveLength(1);
  });
});
