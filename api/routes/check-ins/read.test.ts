// The verify/return queue's read of one check-in (issue 6): its person and its verifiers read the submitted
// values with their key results and targets of the period; others are refused. Real PostgreSQL and a real
// worker on the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { checkInWorkflowId } from '../../../workflows/check-in.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `checkins-read-${randomUUID()}`;
// Tuesday 10 March 2026, 10:00 in Hà Nội (people sign in on the real clock first).
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  clock: () => now,
  plans: { taskQueue },
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (
  who: keyof OrgFixture['session'],
  method: string,
  path: string,
  body?: unknown,
  headers = {},
) => {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
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
  ...o,
});
let planId = '';

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  now = NOW;
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  const me = f.person.officialA;
  planId = `plan:2026:person:${me}`;
  await db
    .insertInto('plan')
    .values({
      id: planId,
      owner_kind: 'person',
      unit_id: f.unit.AD1,
      person_id: me,
      year: 2026,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id: planId,
    year: 2026,
    owner: { kind: 'person', personId: me },
    tasks: [
      {
        id: 't1',
        title: 'Giải quyết thủ tục hành chính',
        perspective: 'citizens',
        weight: '1',
        keyResults: [kr('k-a', { periodTargets: { '2026-03': '10' } }), kr('k-b')],
      },
    ],
  };
  const v = await createPlanVersion(db, { planId, content: { ...content, sections: [] }, createdBy: 'test' });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
});
afterAll(() => w?.stop());

describe('GET /api/check-ins/{checkInId}', () => {
  it('shows a submitted check-in to its person and its verifiers, with its values, and no one else', async () => {
    const saved = await as('officialA', 'PUT', '/api/check-ins/mine/2026-03/values', {
      baseRevision: 0,
      locale: 'vi',
      values: [
        {
          planId,
          keyResultId: 'k-a',
          value: '1234,5',
          status: 'off-track',
          confidence: 3,
          explanation: 'Thiếu người',
        },
        { planId, keyResultId: 'k-b', value: '7', status: 'on-track' },
      ],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    w.started.push(checkInWorkflowId('2026-03', f.person.officialA));
    const sub = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', undefined, {
      'idempotency-key': `s-${randomUUID()}`,
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    const id = sub.body.checkInId as string;

    const r = await as('supervisorA', 'GET', `/api/check-ins/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      id,
      period: '2026-03',
      status: 'SUBMITTED',
      person: { id: f.person.officialA },
      canVerify: true,
      verifyTask: { assigneePersonId: f.person.supervisorA },
    });
    expect(r.body.person.name.length).toBeGreaterThan(0);
    expect(r.body.deadline?.date).toMatch(/^2026-0[34]-\d\d$/);
    expect(r.body.values).toEqual([
      {
        planId,
        keyResultId: 'k-a',
        keyResult: {
          title: 'Mục tiêu k-a',
          unit: 'hồ sơ',
          target: '120',
          taskTitle: 'Giải quyết thủ tục hành chính',
        },
        periodTarget: '10',
        value: '1234.5',
        done: null,
        status: 'off-track',
        confidence: 3,
        explanation: 'Thiếu người',
        evidenceIds: [],
        evidence: [],
        verification: null,
        majorError: null,
        verifierComment: null,
        verifiedBy: null,
        verifiedAt: null,
      },
      expect.objectContaining({ keyResultId: 'k-b', value: '7', status: 'on-track', verification: null }),
    ]);

    const mine = await as('officialA', 'GET', `/api/check-ins/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.canVerify).toBe(false);
    expect((await as('headA', 'GET', `/api/check-ins/${id}`)).body.canVerify).toBe(true);
    expect((await as('adminA', 'GET', `/api/check-ins/${id}`)).status).toBe(403);
    expect((await as('adminQ', 'GET', `/api/check-ins/${id}`)).status).toBe(403);
    const missing = await as('supervisorA', 'GET', `/api/check-ins/${randomUUID()}`);
    expect([missing.status, missing.body.code]).toEqual([404, 'CHECK_IN_NOT_FOUND']);

    // After a return, each value shows its verdict.
    const v = await as('supervisorA', 'POST', `/api/check-ins/${id}/verify`, {
      values: [
        { planId, keyResultId: 'k-a', verdict: 'returned', majorError: true, comment: 'Số liệu sai' },
        { planId, keyResultId: 'k-b', verdict: 'verified' },
      ],
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const after = await as('officialA', 'GET', `/api/check-ins/${id}`);
    expect(after.body.status).toBe('RETURNED');
    expect(after.body.values.map((x: Json) => [x.verification, x.majorError, x.verifierComment])).toEqual([
      ['returned', true, 'Số liệu sai'],
      ['verified', null, null],
    ]);
    expect((await as('supervisorA', 'GET', `/api/check-ins/${id}`)).body.canVerify).toBe(false);
  });
});
