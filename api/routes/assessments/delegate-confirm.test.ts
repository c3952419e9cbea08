// The period assessment's confirmation by the manager's delegate (issue 6, point 7 "a delegate acting"): an
// approved delegation from the direct manager whose window contains today lets the delegate confirm on the
// manager's behalf (the confirmation names the manager, the audit the delegate); outside its window, or with a
// delegation only requested, 403 and nothing changes. Real PostgreSQL and a real worker on the Temporal dev
// server; the workflow starts on a compressed calendar already past the verification window.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentInputFor } from '../../../db/queries/assessment-workflow-input.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { assessmentById } from '../../../db/queries/period-assessments.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { seedAssessedMonth } from '../../../test/support/period-assessment.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { periodAssessmentWorkflowId } from '../../../workflows/period-assessment.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `assessments-delegate-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
let id = '';
const PERIOD = '2027-03';

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const day = (offset: number) => vnLocalDate(Date.now() + offset * 86_400_000);
/** A delegation from the manager (supervisorA) to adminA over [from, to] (days from today). */
const delegate = (from: number, to: number, status: 'APPROVED' | 'REQUESTED' = 'APPROVED') =>
  db
    .insertInto('delegation')
    .values({
      id: `delegation:${f.person.supervisorA}:${day(from)}`,
      principal_id: f.person.supervisorA,
      delegate_id: f.person.adminA,
      unit_id: f.unit.AD1,
      from_date: day(from),
      to_date: day(to),
      reason: 'Nghỉ phép',
      status,
      approver_id: f.person.headA,
      workflow_id: `delegation:${f.person.supervisorA}:${day(from)}`,
      requested_by: f.person.supervisorA,
    })
    .execute();

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  await seedAssessedMonth(db, {
    personId: f.person.officialA,
    unitId: f.unit.AD1,
    supervisorId: f.person.supervisorA,
    month: PERIOD,
    dueDate: '2027-04-05',
    lateDays: 2,
  });
  const input = await assessmentInputFor(db, {
    personId: f.person.officialA,
    unitId: f.unit.AD1,
    period: PERIOD,
    day: '2027-04-09',
    path: [f.unit.P, f.unit.A, f.unit.AD1],
  });
  if (!input) throw new Error('no calendar');
  id = input.assessmentId;
  const workflowId = periodAssessmentWorkflowId(PERIOD, f.person.officialA);
  await w.client.workflow.start('periodAssessmentWorkflow', {
    taskQueue,
    workflowId,
    args: [{ ...input, timeWarp: warpFrom('2027-04-09', 3_600_000) }],
  });
  w.started.push(workflowId);
  const end = Date.now() + 30_000;
  for (;;) {
    const row = await assessmentById(db, id);
    if (row?.workflow_id && (row.computed as { ok?: boolean } | null)?.ok) break;
    if (Date.now() > end) throw new Error('not computed');
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await w?.stop();
});

describe("the manager's delegate confirms a period assessment", () => {
  it('is refused outside the delegation window, or before it is approved (403, nothing changes)', async () => {
    const { revision } = (await assessmentById(db, id))!;
    await delegate(-10, -3);
    await delegate(3, 8, 'REQUESTED');
    const named = await as('adminA', 'POST', `/api/assessments/${id}/confirm`, {
      revision,
      onBehalfOf: f.person.supervisorA,
    });
    expect([named.status, named.body.code]).toEqual([403, 'FORBIDDEN']);
    const implicit = await as('adminA', 'POST', `/api/assessments/${id}/confirm`, { revision });
    expect([implicit.status, implicit.body.code]).toEqual([403, 'FORBIDDEN']);
    // the person never confirms, not even naming their manager
    const self = await as('officialA', 'POST', `/api/assessments/${id}/confirm`, {
      revision,
      onBehalfOf: f.person.supervisorA,
    });
    expect(self.status).toBe(403);
    expect((await assessmentById(db, id))?.status).toBe('draft');
    // outside the window the delegate does not read the assessment either
    expect((await as('adminA', 'GET', `/api/assessments/${id}`)).status).toBe(403);
  });

  it("confirms on the manager's behalf within the window: confirmed by the manager, audited as the delegate", async () => {
    const { revision } = (await assessmentById(db, id))!;
    await delegate(-1, 2);
    // within it they read it as the manager would, and may confirm it
    const view = await as('adminA', 'GET', `/api/assessments/${id}`);
    expect([view.status, view.body.canManage]).toEqual([200, true]);
    const r = await as('adminA', 'POST', `/api/assessments/${id}/confirm`, {
      revision,
      onBehalfOf: f.person.supervisorA,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'confirmed', confirmedBy: f.person.supervisorA });
    const row = await assessmentById(db, id);
    expect([row?.status, row?.confirmed_by]).toEqual(['confirmed', f.person.supervisorA]);
    const audits = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('aggregate_type', '=', 'period_assessment')
      .where('aggregate_id', '=', id)
      .where('action', '=', 'period_assessment.confirmed')
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actor).toBe(f.person.adminA);
    expect(audits[0]?.after).toMatchObject({ onBehalfOf: f.person.supervisorA });
    // the delegate repeating it (without naming the manager) answers the same confirmation
    const again = await as('adminA', 'POST', `/api/assessments/${id}/confirm`, { revision });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.confirmedBy).toBe(f.person.supervisorA);
  });
});
