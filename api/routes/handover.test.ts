// Handing key results over when a person moves mid-period (issue 6 point 2; DESIGN §1 transfers and leavers):
// the official is transferred to another department on 16 March; the head of the agency hands two of their key
// results to a colleague from April, with a reason. The official still reports March on them; the colleague
// reports them from April; the history is kept; bad input saves nothing. Real PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlanVersion } from '../../db/queries/plans.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';

const { db } = await freshDatabase();
// Monday 16 March 2026, 10:00 in Hà Nội (people sign in on the real clock first).
const MARCH_16 = new Date('2026-03-16T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('no process transitions here')),
  version: 'test',
  clock: () => now,
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
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

async function planInForce(
  id: string,
  row: { owner_kind: 'unit' | 'person'; unit_id: string; person_id: string | null },
  content: Plan,
) {
  await db
    .insertInto('plan')
    .values({
      id,
      ...row,
      year: 2026,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const v = await createPlanVersion(db, {
    planId: id,
    content: { ...content, sections: [] },
    createdBy: 'test',
  });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', id).execute();
  return v.id;
}

let personal = '';
let personalVersion = '';
const unitPlan = 'plan:2026:unit:handover-a';
const dueIds = async (who: keyof OrgFixture['session'], period: string) => {
  const r = await as(who, 'GET', `/api/check-ins/mine?period=${period}`);
  expect(r.status).toBe(200);
  return (r.body.items as Json[]).map((i) => `${i.planId}/${i.keyResult.id}`);
};
const assignments = () => db.selectFrom('key_result_assignment').selectAll().orderBy('id').execute();

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = MARCH_16;
  const me = f.person.officialA;
  personal = `plan:2026:person:${me}`;
  personalVersion = await planInForce(
    personal,
    { owner_kind: 'person', unit_id: f.unit.AD1, person_id: me },
    {
      id: personal,
      year: 2026,
      owner: { kind: 'person', personId: me },
      tasks: [
        {
          id: 't1',
          title: 'Giải quyết thủ tục hành chính',
          perspective: 'citizens',
          weight: '1',
          keyResults: [kr('k-a'), kr('k-b')],
        },
      ],
    },
  );
  await planInForce(
    unitPlan,
    { owner_kind: 'unit', unit_id: f.unit.A, person_id: null },
    {
      id: unitPlan,
      year: 2026,
      owner: { kind: 'unit', unitId: f.unit.A },
      tasks: [
        {
          id: 'u1',
          title: 'Chuyển đổi số',
          perspective: 'learning',
          weight: '1',
          keyResults: [kr('u', { ownerId: me }), kr('v')],
        },
      ],
    },
  );
  // the transfer itself, through the employment route: from A.D1 to A.D2 on 16 March
  const moved = await as('adminA', 'POST', '/api/admin/employment/transfer', {
    personId: me,
    unitId: f.unit.AD2,
    positionCode: 'chuyen_vien',
    effectiveDate: '2026-03-16',
  });
  expect(moved.status, JSON.stringify(moved.body)).toBeLessThan(300);
});

describe('GET /api/handover/{personId}', () => {
  it("lists the moving person's key results the head may hand over, with who may take each", async () => {
    const r = await as('headA', 'GET', `/api/handover/${f.person.officialA}`);
    expect(r.status).toBe(200);
    expect(r.body.period).toBe('2026-03');
    const held = (r.body.keyResults as Json[]).map((k) => `${k.planId}/${k.keyResultId}`);
    expect(held.sort()).toEqual([`${personal}/k-a`, `${personal}/k-b`, `${unitPlan}/u`].sort());
    const ka = (r.body.keyResults as Json[]).find((k) => k.keyResultId === 'k-a')!;
    // the personal plan belongs to A.D1: its people, the person left out
    const names = (ka.candidates as Json[]).map((p) => p.id);
    expect(names).toContain(f.person.supervisorA);
    expect(names).not.toContain(f.person.officialA);
    expect(names).not.toContain(f.person.staffB);
  });

  it('refuses those who do not manage the plans or the person', async () => {
    expect((await as('supervisorA', 'GET', `/api/handover/${f.person.officialA}`)).status).toBe(403);
    expect((await requestAs(app, undefined, 'GET', `/api/handover/${f.person.officialA}`)).status).toBe(401);
    expect((await as('secretariatP', 'GET', `/api/handover/${f.person.officialA}`)).status).toBe(403);
  });
});

describe('POST /api/handover/{personId}', () => {
  const body = (o: Json = {}) => ({
    effectivePeriod: '2026-04',
    reason: 'Chuyển công tác sang phòng A.D2 từ 16/3/2026',
    assignments: [
      { planId: personal, keyResultId: 'k-a', toPersonId: f.person.supervisorA },
      { planId: unitPlan, keyResultId: 'u', toPersonId: f.person.supervisorA },
    ],
    ...o,
  });

  it('refuses bad input with a stable code and saves nothing', async () => {
    const cases: [Json, number, string][] = [
      [body({ effectivePeriod: '2026-02' }), 422, 'HANDOVER_PERIOD_PAST'],
      [body({ effectivePeriod: '2027-01' }), 422, 'HANDOVER_PERIOD_OTHER_YEAR'],
      [
        body({ assignments: [{ planId: personal, keyResultId: 'k-a', toPersonId: f.person.officialA }] }),
        422,
        'HANDOVER_SAME_PERSON',
      ],
      [
        body({ assignments: [{ planId: personal, keyResultId: 'k-a', toPersonId: f.person.staffB }] }),
        422,
        'HANDOVER_SUCCESSOR_OTHER_UNIT',
      ],
      [
        body({ assignments: [{ planId: unitPlan, keyResultId: 'v', toPersonId: f.person.supervisorA }] }),
        409,
        'KEY_RESULT_NOT_OWNED',
      ],
      [
        body({ assignments: [{ planId: personal, keyResultId: 'nope', toPersonId: f.person.supervisorA }] }),
        404,
        'KEY_RESULT_NOT_FOUND',
      ],
      [
        body({
          assignments: [
            { planId: personal, keyResultId: 'k-a', toPersonId: f.person.supervisorA },
            { planId: personal, keyResultId: 'k-a', toPersonId: f.person.staffA },
          ],
        }),
        422,
        'HANDOVER_DUPLICATE',
      ],
      // the first row is good, the second is not: nothing of the request is saved
      [
        body({
          assignments: [
            { planId: personal, keyResultId: 'k-a', toPersonId: f.person.supervisorA },
            { planId: 'plan:none', keyResultId: 'x', toPersonId: f.person.supervisorA },
          ],
        }),
        404,
        'PLAN_NOT_FOUND',
      ],
      [body({ reason: '  ' }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [b, status, code] of cases) {
      const r = await as('headA', 'POST', `/api/handover/${f.person.officialA}`, b);
      expect([r.status, r.body?.code], JSON.stringify(b)).toEqual([status, code]);
      expect(r.body.vi ?? r.body.title, code).toBeTruthy();
    }
    expect(await assignments()).toEqual([]);
    expect((await as('supervisorA', 'POST', `/api/handover/${f.person.officialA}`, body())).status).toBe(403);
    expect(await assignments()).toEqual([]);
  });

  it('hands the key results over from April: the mover reports March, the colleague from April', async () => {
    const r = await as('headA', 'POST', `/api/handover/${f.person.officialA}`, body());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.reassigned).toBe(2);
    const rows = await assignments();
    expect(
      rows.map((a) => [a.plan_id, a.key_result_id, a.from_person_id, a.to_person_id, a.effective_period]),
    ).toEqual([
      [personal, 'k-a', f.person.officialA, f.person.supervisorA, '2026-04'],
      [unitPlan, 'u', f.person.officialA, f.person.supervisorA, '2026-04'],
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['aggregate_id', 'action'])
      .where('aggregate_type', '=', 'key_result')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { aggregate_id: `${personal}/k-a`, action: 'key-result.reassigned' },
      { aggregate_id: `${unitPlan}/u`, action: 'key-result.reassigned' },
    ]);
    // March, still in force for the mover (now in A.D2: the agency's plan is still on their path)
    expect((await dueIds('officialA', '2026-03')).sort()).toEqual(
      [`${personal}/k-a`, `${personal}/k-b`, `${unitPlan}/u`].sort(),
    );
    expect(await dueIds('supervisorA', '2026-03')).toEqual([]);
    now = new Date('2026-04-02T03:00:00Z');
    try {
      expect(await dueIds('officialA', '2026-04')).toEqual([`${personal}/k-b`]);
      expect((await dueIds('supervisorA', '2026-04')).sort()).toEqual(
        [`${personal}/k-a`, `${unitPlan}/u`].sort(),
      );
      // handed over once: a second handover of the same key result from the mover is refused
      const again = await as('headA', 'POST', `/api/handover/${f.person.officialA}`, body());
      expect([again.status, again.body.code]).toEqual([409, 'KEY_RESULT_NOT_OWNED']);
      // and the colleague's handover on is theirs to pass
      const list = await as('headA', 'GET', `/api/handover/${f.person.supervisorA}`);
      expect((list.body.keyResults as Json[]).map((k) => k.keyResultId).sort()).toEqual(['k-a', 'u']);
    } finally {
      now = MARCH_16;
    }
  });

  it('refuses to hand over a key result from a period the person already reported', async () => {
    // A submitted April check-in with a value for k-b, as the check-in workflow leaves it.
    const ci = await db
      .insertInto('check_in')
      .values({ person_id: f.person.officialA, unit_id: f.unit.AD2, period: '2026-04', status: 'SUBMITTED' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('check_in_value')
      .values({
        check_in_id: ci.id,
        plan_id: personal,
        plan_version_id: personalVersion,
        key_result_id: 'k-b',
        value: '3',
        updated_by: f.person.officialA,
      })
      .execute();
    const r = await as('headA', 'POST', `/api/handover/${f.person.officialA}`, {
      effectivePeriod: '2026-04',
      reason: 'Chuyển công tác',
      assignments: [{ planId: personal, keyResultId: 'k-b', toPersonId: f.person.supervisorA }],
    });
    expect([r.status, r.body.code]).toEqual([409, 'HANDOVER_ALREADY_REPORTED']);
    const later = await as('headA', 'POST', `/api/handover/${f.person.officialA}`, {
      effectivePeriod: '2026-05',
      reason: 'Chuyển công tác',
      assignments: [{ planId: personal, keyResultId: 'k-b', toPersonId: f.person.supervisorA }],
    });
    expect(later.status).toBe(200);
  });

  it("lists a leaving supervisor's open verifications with who may take each over", async () => {
    // A check-in of an A.D1 colleague waiting for the supervisor's verification, as the check-in workflow's task
    // activity leaves it (the reassignment itself is the verifier route, tested in check-ins/process.test.ts).
    const ci = await db
      .insertInto('check_in')
      .values({ person_id: f.person.staffA, unit_id: f.unit.AD1, period: '2026-03', status: 'SUBMITTED' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('task')
      .values({
        id: `checkin:2026-03:person:${f.person.staffA}:verify:1`,
        workflow_id: `checkin:2026-03:person:${f.person.staffA}`,
        kind: 'check-in.verify',
        subject_type: 'check_in',
        subject_id: ci.id,
        assignee_person_id: f.person.supervisorA,
        due_at: new Date('2026-04-10T10:00:00Z'),
        logical_due_date: '2026-04-10',
      })
      .execute();
    const r = await as('headA', 'GET', `/api/handover/${f.person.supervisorA}`);
    expect(r.status).toBe(200);
    const verify = (r.body.openTasks as Json[]).find((t) => t.kind === 'check-in.verify')!;
    expect(verify).toMatchObject({
      checkInId: ci.id,
      link: `/check-ins/${ci.id}/verify`,
      dueDate: '2026-04-10',
    });
    const ids = (verify.reassignTo as Json[]).map((p) => p.id);
    // the unit head of A may verify; neither the one leaving nor the person whose check-in it is
    expect(ids).toContain(f.person.headA);
    expect(ids).not.toContain(f.person.supervisorA);
    expect(ids).not.toContain(f.person.staffA);
    expect(ids).not.toContain(f.person.officialA);
  });

  it('keeps the records append-only', async () => {
    await expect(db.deleteFrom('key_result_assignment').execute()).rejects.toThrow(/immutable/);
  });
});
