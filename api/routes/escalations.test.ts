// Escalations and the verify queue (issue 6, point 5) on a real database, by the tiered rule (DESIGN §1): the
// supervisor sees their department's individuals' overdue items, the unit head the whole unit's, the province
// unit-level and heads' items plus counts per unit of individuals' items and never their names; a nudge notifies
// the assignee (in-app + outbox e-mail, audited) once per task per day. Overdue and escalated states are seeded
// as task and task_event rows: the ladder itself is tested in the workflow tests (workflows/check-in.test.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn } from '../../test/support/auth.ts';
import { signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import {
  buildOrg,
  type OrgFixture,
  PASSWORD,
  requestAs,
  TOTP_SECRET,
} from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';

const { db } = await freshDatabase();
// Wednesday 9 December 2026, 10:00 in Hà Nội (Friday 4 December is 3 working days before it); the fixture's
// sign-ins run on the real clock, the test's own on this one.
const WEDNESDAY = new Date('2026-12-09T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});

let f: OrgFixture;
type Who = 'official' | 'supervisor' | 'head' | 'secretariat' | 'standing' | 'adminP';
const as = {} as Record<Who, SignedIn>;
const ids: Record<string, string> = {};

const call = async (who: SignedIn | undefined, method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, who, method, path, body);
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const get = (who: SignedIn | undefined, path: string) => call(who, 'GET', path);

async function checkIn(personId: string, unitId: string, period: string, status = 'SUBMITTED') {
  const ci = await db
    .insertInto('check_in')
    .values({ person_id: personId, unit_id: unitId, period, workflow_id: `check-in:${period}:${personId}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (status !== 'DRAFT') {
    const v = await db
      .insertInto('check_in_version')
      .values({
        check_in_id: ci.id,
        number: 1,
        content: JSON.stringify({ values: [] }),
        hash: 'a'.repeat(64),
        created_by: personId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('check_in')
      .set({ status: status as 'SUBMITTED', submitted_version_id: v.id })
      .where('id', '=', ci.id)
      .execute();
  }
  return ci.id;
}

async function task(
  id: string,
  o: {
    kind: string;
    subjectType?: string;
    subject: string;
    person?: string;
    role?: string;
    unit?: string;
    due: string;
    escalation?: number;
  },
) {
  await db
    .insertInto('task')
    .values({
      id,
      workflow_id: `wf:${id}`,
      update_name: null,
      kind: o.kind,
      subject_type: o.subjectType ?? 'check_in',
      subject_id: o.subject,
      assignee_person_id: o.person ?? null,
      assignee_role: o.role ?? null,
      assignee_unit_id: o.unit ?? null,
      due_at: new Date(`${o.due}T10:00:00Z`),
      logical_due_date: o.due,
      escalation_level: o.escalation ?? 0,
      closed_at: null,
    })
    .execute();
}

async function escalated(taskId: string, role: string, n: number) {
  await db
    .insertInto('task_event')
    .values({
      idempotency_key: `test:${taskId}:${n}`,
      task_id: taskId,
      kind: 'escalated',
      actor: 'system:test',
      recipient_role: role,
      logical_date: '2026-12-08',
    })
    .execute();
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = WEDNESDAY;
  const clock = { totpSecret: TOTP_SECRET, now: () => now };
  as.official = await signIn(app, 'officiala@test.woms.vn', PASSWORD);
  as.supervisor = await signIn(app, 'supervisora@test.woms.vn', PASSWORD);
  as.head = await signIn(app, 'heada@test.woms.vn', PASSWORD);
  as.secretariat = await signIn(app, 'secretariatp@test.woms.vn', PASSWORD, clock);
  as.standing = await signIn(app, 'standingp@test.woms.vn', PASSWORD);
  as.adminP = await signIn(app, 'adminp@test.woms.vn', PASSWORD, clock);
  const { staffA, officialA, headA, supervisorA, staffB } = f.person;
  // an official of A.D1 whose November check-in is 3 working days overdue and escalated to the supervisor
  ids.ciStaff = await checkIn(staffA, f.unit.AD1, '2026-11', 'DRAFT');
  await task('esc-staff', {
    kind: 'check-in.submit',
    subject: ids.ciStaff,
    person: staffA,
    due: '2026-12-04',
    escalation: 1,
  });
  await escalated('esc-staff', 'supervisor', 1);
  // the head of A's own check-in, overdue: a head's item reaches the province
  ids.ciHead = await checkIn(headA, f.unit.A, '2026-11', 'DRAFT');
  await task('esc-head', { kind: 'check-in.submit', subject: ids.ciHead, person: headA, due: '2026-12-07' });
  // unit A's plan, overdue, with A's officials: a unit-level item
  await task('esc-planA', {
    kind: 'plan.submit',
    subjectType: 'plan',
    subject: `plan:2027:unit:${f.unit.A}`,
    role: 'official',
    unit: f.unit.A,
    due: '2026-12-08',
  });
  await db
    .insertInto('plan')
    .values({
      id: `plan:2027:unit:${f.unit.A}`,
      owner_kind: 'unit',
      unit_id: f.unit.A,
      person_id: null,
      year: 2027,
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  await grant(staffA, 'official', f.unit.A);
  // an official of B.D1's overdue check-in (another unit: counted for the province, invisible to A)
  ids.ciB = await checkIn(staffB, f.unit.BD1, '2026-11', 'DRAFT');
  await task('esc-B', {
    kind: 'check-in.submit',
    subject: ids.ciB,
    person: staffB,
    due: '2026-12-02',
    escalation: 2,
  });
  await escalated('esc-B', 'unit-head', 2);
  // not overdue, not escalated: nobody's escalation
  ids.ciOfficial = await checkIn(officialA, f.unit.AD1, '2026-11');
  await task('not-late', {
    kind: 'check-in.submit',
    subject: ids.ciOfficial,
    person: officialA,
    due: '2026-12-10',
  });
  // verify tasks: the official's submitted check-in for the supervisor (overdue) and a forward to A's heads
  await task('verify-official', {
    kind: 'check-in.verify',
    subject: ids.ciOfficial,
    person: supervisorA,
    due: '2026-12-08',
  });
  ids.ciStaffOct = await checkIn(staffA, f.unit.AD1, '2026-10');
  await task('verify-staff:fwd', {
    kind: 'check-in.verify',
    subject: ids.ciStaffOct,
    role: 'unit_head',
    unit: f.unit.A,
    due: '2026-12-11',
  });
  // a verify task of a check-in that is already verified: not in the queue
  ids.ciDone = await checkIn(staffA, f.unit.AD1, '2026-09', 'VERIFIED');
  await task('verify-done', {
    kind: 'check-in.verify',
    subject: ids.ciDone,
    person: supervisorA,
    due: '2026-12-11',
  });
});

async function grant(personId: string, role: 'official', unit: string) {
  await db
    .insertInto('role_assignment')
    .values({ person_id: personId, role_code: role, scope_unit_id: unit, valid_from: '2025-07-01' })
    .execute();
}

afterAll(async () => {
  now = new Date();
});

describe('GET /api/check-ins/awaiting-verification', () => {
  it("lists the supervisor's submitted check-ins to verify, with person, period, submitted at, due and overdue", async () => {
    const { status, body } = await get(as.supervisor, '/api/check-ins/awaiting-verification');
    expect(status).toBe(200);
    expect(body.day).toBe('2026-12-09');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      taskId: 'verify-official',
      checkInId: ids.ciOfficial,
      person: { id: f.person.officialA, name: 'Người officialA' },
      period: '2026-11',
      status: 'SUBMITTED',
      dueDate: '2026-12-08',
      overdue: true,
      forwarded: false,
      link: `/check-ins/${ids.ciOfficial}/verify`,
    });
    expect(Date.parse(body.items[0].submittedAt)).not.toBeNaN();
  });

  it('lists a verification forwarded to the unit head role to the holder of that role', async () => {
    const { body } = await get(as.head, '/api/check-ins/awaiting-verification');
    expect(body.items.map((i: { taskId: string }) => i.taskId)).toEqual(['verify-staff:fwd']);
    expect(body.items[0]).toMatchObject({ forwarded: true, overdue: false, period: '2026-10' });
  });

  it('is empty for someone with nothing to verify, and refuses the anonymous', async () => {
    const { status, body } = await get(as.official, '/api/check-ins/awaiting-verification');
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
    expect((await get(undefined, '/api/check-ins/awaiting-verification')).status).toBe(401);
  });
});

describe('GET /api/escalations', () => {
  const idsOf = (body: Record<string, unknown>) =>
    (body.items as { taskId: string }[]).map((i) => i.taskId).sort();

  it("shows the supervisor their department's individuals' items with who, what, since when and level", async () => {
    const { status, body } = await get(as.supervisor, '/api/escalations');
    expect(status).toBe(200);
    // not the head's, not the unit's plan, not B's, not the one that is not late; the supervisor's own
    // overdue verify task is in their inbox, not here
    expect(idsOf(body)).toEqual(['esc-staff']);
    expect(body.items[0]).toMatchObject({
      kind: 'check-in.submit',
      tier: 'internal',
      period: '2026-11',
      assignee: { personId: f.person.staffA, name: 'Nguyễn Văn An' },
      person: { id: f.person.staffA, name: 'Nguyễn Văn An' },
      unit: { id: f.unit.AD1, code: 'A.D1' },
      dueDate: '2026-12-04',
      overdue: true,
      workingDaysOverdue: 3,
      level: { rank: 1, escalatedTo: 'supervisor' },
      link: `/check-ins/${ids.ciStaff}/verify`,
      canNudge: true,
      nudgedToday: false,
    });
    expect(body.unitCounts).toEqual([]);
  });

  it("shows the unit head the whole unit's items (but not their own) and nothing of another unit", async () => {
    const { body } = await get(as.head, '/api/escalations');
    expect(idsOf(body)).toEqual(['esc-planA', 'esc-staff', 'verify-official']);
    const plan = body.items.find((i: { taskId: string }) => i.taskId === 'esc-planA');
    expect(plan).toMatchObject({
      tier: 'unit',
      unit: { id: f.unit.A },
      workingDaysOverdue: 1,
      canNudge: true,
      link: `/plans/${encodeURIComponent(`plan:2027:unit:${f.unit.A}`)}`,
    });
    expect(body.unitCounts).toEqual([]);
  });

  it("shows the province unit-level and heads' items, and individuals only as counts per unit — never names", async () => {
    const { status, body } = await get(as.secretariat, '/api/escalations');
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual(['esc-head', 'esc-planA']);
    const head = body.items.find((i: { taskId: string }) => i.taskId === 'esc-head');
    expect(head).toMatchObject({
      tier: 'unit',
      person: { id: f.person.headA },
      unit: { code: 'A' },
      canNudge: true,
    });
    expect(body.unitCounts).toEqual([
      { unitId: f.unit.A, code: 'A', name: 'Đơn vị A', overdue: 2, escalated: 1 },
      { unitId: f.unit.B, code: 'B', name: 'Đơn vị B', overdue: 1, escalated: 1 },
    ]);
    const text = JSON.stringify(body);
    for (const name of ['Nguyễn Văn An', 'Người officialA', 'Người supervisorA', 'Lê Văn Cường'])
      expect(text).not.toContain(name);
    // a unit-level item assigned to an official in person: the province sees the unit, not the official's name
    await task('esc-planA-person', {
      kind: 'plan.revise',
      subjectType: 'plan',
      subject: `plan:2027:unit:${f.unit.A}`,
      person: f.person.staffA,
      due: '2026-12-08',
    });
    try {
      const redacted = await get(as.secretariat, '/api/escalations?kind=plan.revise');
      expect(redacted.body.items).toHaveLength(1);
      expect(redacted.body.items[0]).toMatchObject({
        taskId: 'esc-planA-person',
        tier: 'unit',
        assignee: { personId: null, name: null },
        unit: { id: f.unit.A },
      });
      expect(JSON.stringify(redacted.body)).not.toContain('Nguyễn Văn An');
      const inside = await get(as.head, '/api/escalations?kind=plan.revise');
      expect(inside.body.items[0]).toMatchObject({ assignee: { name: 'Nguyễn Văn An' } });
    } finally {
      await db
        .updateTable('task')
        .set({ status: 'cancelled', closed_at: new Date() })
        .where('id', '=', 'esc-planA-person')
        .execute();
    }
    // the province's auditor-like readers see the same items but may not nudge
    const admin = await get(as.adminP, '/api/escalations');
    expect(idsOf(admin.body)).toEqual(['esc-head', 'esc-planA']);
    expect(admin.body.items.every((i: { canNudge: boolean }) => !i.canNudge)).toBe(true);
  });

  it('filters by kind and by level', async () => {
    const byKind = await get(as.head, '/api/escalations?kind=plan.submit');
    expect(idsOf(byKind.body)).toEqual(['esc-planA']);
    expect(byKind.body.kinds).toEqual(['check-in.submit', 'check-in.verify', 'plan.submit']);
    const bySupervisor = await get(as.head, '/api/escalations?level=supervisor');
    expect(idsOf(bySupervisor.body)).toEqual(['esc-staff']);
    const notYet = await get(as.head, '/api/escalations?level=overdue');
    expect(idsOf(notYet.body)).toEqual(['esc-planA', 'verify-official']);
    const bad = await get(as.head, '/api/escalations?level=everyone');
    expect(bad.status).toBe(400);
  });

  it("shows another province's administrator nothing of this province", async () => {
    const adminQ = await signIn(app, 'adminq@test.woms.vn', PASSWORD, {
      totpSecret: TOTP_SECRET,
      now: () => now,
    });
    const { status, body } = await get(adminQ, '/api/escalations');
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
    expect(body.unitCounts).toEqual([]);
  });

  it('refuses an official (no reader grant) and the anonymous', async () => {
    const r = await get(as.official, '/api/escalations');
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    expect((await get(undefined, '/api/escalations')).status).toBe(401);
  });
});

describe('POST /api/escalations/:taskId/nudge', () => {
  const nudge = (who: SignedIn | undefined, taskId: string, body: unknown = {}) =>
    call(who, 'POST', `/api/escalations/${encodeURIComponent(taskId)}/nudge`, body);

  it('notifies the assignee in-app and by e-mail, audited, once per task per day', async () => {
    const r = await nudge(as.supervisor, 'esc-staff', { message: 'Anh nộp trong hôm nay nhé.' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ taskId: 'esc-staff', recipients: 1, day: '2026-12-09' });
    const notes = await db
      .selectFrom('notification')
      .selectAll()
      .where('person_id', '=', f.person.staffA)
      .where('kind', '=', 'escalation.nudge')
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ link: '/tasks/esc-staff' });
    expect(notes[0]?.title_vi).toContain('Báo cáo kết quả tháng');
    expect(notes[0]?.body_vi).toContain('Người supervisorA');
    expect(notes[0]?.body_vi).toContain('Anh nộp trong hôm nay nhé.');
    const mail = await db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('idempotency_key', '=', `nudge:2026-12-09:esc-staff:${f.person.staffA}`)
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to_addresses).toHaveLength(1);
    expect(mail[0]?.subject).toContain('Nhắc việc quá hạn');
    const audited = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'task.nudged')
      .where('aggregate_id', '=', ids.ciStaff ?? '')
      .execute();
    expect(audited).toHaveLength(1);

    // a second nudge the same day, by anyone, is refused and writes nothing
    for (const who of [as.supervisor, as.head]) {
      const again = await nudge(who, 'esc-staff');
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('NUDGE_ALREADY_SENT');
    }
    const after = await db
      .selectFrom('notification')
      .select('id')
      .where('person_id', '=', f.person.staffA)
      .where('kind', '=', 'escalation.nudge')
      .execute();
    expect(after).toHaveLength(1);
    const list = await get(as.supervisor, '/api/escalations');
    expect(list.body.items[0]).toMatchObject({ taskId: 'esc-staff', nudgedToday: true });
  });

  it("nudges a role's holders for a unit-level item (the province)", async () => {
    const r = await nudge(as.secretariat, 'esc-planA');
    expect(r.status).toBe(200);
    expect(r.body.recipients).toBe(1); // A's official role: the staff member granted it
    const note = await db
      .selectFrom('notification')
      .select('person_id')
      .where('idempotency_key', '=', `nudge:2026-12-09:esc-planA:${f.person.staffA}`)
      .executeTakeFirst();
    expect(note?.person_id).toBe(f.person.staffA);
  });

  it('refuses by the tiered rule, the item owner, an item that is not late, and an unknown task', async () => {
    // the province may not nudge an individual's item inside a unit
    const province = await nudge(as.secretariat, 'esc-B');
    expect([province.status, province.body.code]).toEqual([403, 'FORBIDDEN']);
    // an official may not nudge; an auditor-like reader (province administrator) may not either
    expect((await nudge(as.official, 'esc-staff')).status).toBe(403);
    expect((await nudge(as.adminP, 'esc-head')).status).toBe(403);
    // the head may not nudge about their own item
    const self = await nudge(as.head, 'esc-head');
    expect([self.status, self.body.code]).toEqual([403, 'FORBIDDEN']);
    // not overdue, not escalated: nothing to nudge
    const early = await nudge(as.supervisor, 'not-late');
    expect([early.status, early.body.code]).toEqual([409, 'TASK_NOT_OVERDUE']);
    const unknown = await nudge(as.supervisor, 'no-such-task');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'TASK_NOT_FOUND']);
    const long = await nudge(as.supervisor, 'esc-staff', { message: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect((await nudge(undefined, 'esc-staff')).status).toBe(401);
  });

  it('allows a new nudge the next day', async () => {
    now = new Date('2026-12-10T03:00:00Z');
    const supervisor = await signIn(app, 'supervisora@test.woms.vn', PASSWORD);
    const r = await nudge(supervisor, 'esc-staff');
    expect(r.status).toBe(200);
    expect(r.body.day).toBe('2026-12-10');
    const notes = await db
      .selectFrom('notification')
      .select('id')
      .where('person_id', '=', f.person.staffA)
      .where('kind', '=', 'escalation.nudge')
      .execute();
    expect(notes).toHaveLength(3);
  });
});

describe('GET /api/escalations at province scale', () => {
  const bulk = 5_100;
  // back to the day the sessions were opened on
  beforeAll(() => {
    now = WEDNESDAY;
  });

  it('pages the items with a keyset cursor: the pages together are the whole list, in order', async () => {
    const whole = await get(as.head, '/api/escalations');
    expect(whole.body.nextCursor).toBeNull();
    const ids = whole.body.items.map((i: { taskId: string }) => i.taskId);
    expect(ids.length).toBeGreaterThan(1);
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : '?limit=1';
      const page = await get(as.head, `/api/escalations${q}`);
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      // counts and kinds do not depend on the page
      expect(page.body.kinds).toEqual(whole.body.kinds);
      paged.push(...page.body.items.map((i: { taskId: string }) => i.taskId));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(paged).toEqual(ids);
    expect(pages).toBe(ids.length);
    const bad = await get(as.head, '/api/escalations?cursor=bm9wZQ');
    expect([bad.status, bad.body.code]).toEqual([400, 'CURSOR_INVALID']);
  });

  it(`counts every individual's item per unit in SQL, well above 5,000, and still lists the unit-level items`, async () => {
    const before = await get(as.secretariat, '/api/escalations');
    const countOf = (body: Record<string, unknown>, unitId: string) =>
      (body.unitCounts as { unitId: string; overdue: number; escalated: number }[]).find(
        (u) => u.unitId === unitId,
      ) ?? { overdue: 0, escalated: 0 };
    const b0 = countOf(before.body, f.unit.B);
    const a0 = countOf(before.body, f.unit.A);
    // 5,100 overdue items of an individual of B (one in ten escalated), due before everything else
    await sql`
      INSERT INTO task (id, workflow_id, kind, subject_type, subject_id, assignee_person_id, due_at,
                        logical_due_date, escalation_level)
      SELECT 'bulk-' || lpad(g::text, 5, '0'), 'wf:bulk-' || g, 'check-in.submit', 'person_item', 'x' || g,
             ${f.person.staffB}::uuid, '2026-10-01T03:00:00Z', '2026-10-01', CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END
        FROM generate_series(1, ${bulk}::int) g`.execute(db);
    try {
      const after = await get(as.secretariat, '/api/escalations');
      expect(after.status).toBe(200);
      expect(countOf(after.body, f.unit.B)).toMatchObject({
        overdue: b0.overdue + bulk,
        escalated: b0.escalated + bulk / 10,
      });
      expect(countOf(after.body, f.unit.A)).toMatchObject({ overdue: a0.overdue, escalated: a0.escalated });
      // the unit-level items are still found behind the 5,100 individual ones, with no name of B's person
      expect(after.body.items.map((i: { taskId: string }) => i.taskId)).toEqual(
        before.body.items.map((i: { taskId: string }) => i.taskId),
      );
      expect(JSON.stringify(after.body)).not.toContain('Lê Văn Cường');
      // inside B nothing changes for A's head
      const head = await get(as.head, '/api/escalations?limit=500');
      expect(head.body.items.some((i: { taskId: string }) => i.taskId.startsWith('bulk-'))).toBe(false);
    } finally {
      await sql`DELETE FROM task WHERE id LIKE 'bulk-%'`.execute(db);
    }
  });
});
