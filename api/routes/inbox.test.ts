// The inbox, the notification centre and search (issue 5, point 4), on a real database: happy paths, bad
// input and who sees what. The clock is injected: the inbox's overdue flag and counts are computed for the
// day in Asia/Ho_Chi_Minh of that clock, whatever the machine's time zone.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanVersion, ensurePlan } from '../../db/queries/plans.ts';
import type { Plan } from '../../domain/plan/model.ts';
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
import { taskLink } from './inbox.ts';

const { db } = await freshDatabase();
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});

// Wednesday 2 December 2026, 10:00 in Hà Nội: the ISO week ends on Sunday 6 December.
const WEDNESDAY = new Date('2026-12-02T03:00:00Z');

let f: OrgFixture;
const as: Record<'official' | 'supervisor' | 'head', SignedIn> = {} as never;

const get = async (who: SignedIn | undefined, path: string) => {
  const res = await requestAs(app, who, 'GET', path);
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

async function task(
  id: string,
  o: {
    person?: string;
    role?: string;
    unit?: string;
    due: string;
    kind?: string;
    status?: 'open' | 'done';
    escalation?: number;
    subject?: string;
  },
) {
  await db
    .insertInto('task')
    .values({
      id,
      workflow_id: 'wf-test',
      update_name: null,
      kind: o.kind ?? 'plan.submit',
      subject_type: 'plan',
      subject_id: o.subject ?? 'plan:2027:unit:x',
      assignee_person_id: o.person ?? null,
      assignee_role: o.role ?? null,
      assignee_unit_id: o.unit ?? null,
      // 17:00 in Hà Nội on the due day
      due_at: new Date(`${o.due}T10:00:00Z`),
      logical_due_date: o.due,
      status: o.status ?? 'open',
      escalation_level: o.escalation ?? 0,
      closed_at: o.status === 'done' ? new Date('2026-11-20T00:00:00Z') : null,
    })
    .execute();
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  // From here on the clock is fixed; sessions are opened on it.
  now = WEDNESDAY;
  as.official = await signIn(app, 'officiala@test.woms.vn', PASSWORD);
  as.supervisor = await signIn(app, 'supervisora@test.woms.vn', PASSWORD);
  as.head = await signIn(app, 'heada@test.woms.vn', PASSWORD);
  const { officialA, staffA } = f.person;
  await task('t-overdue', { person: officialA, due: '2026-11-30', escalation: 1 });
  await task('t-week', { person: officialA, due: '2026-12-04' });
  await task('t-role-later', { role: 'official', unit: f.unit.AD1, due: '2026-12-21' });
  await task('t-appraise', { person: officialA, due: '2026-12-10', kind: 'plan.appraise' });
  await task('t-role-AD2', { role: 'official', unit: f.unit.AD2, due: '2026-12-03' });
  await task('t-role-A', { role: 'official', unit: f.unit.A, due: '2026-12-03' });
  await task('t-done', { person: officialA, due: '2026-11-25', status: 'done' });
  await task('t-other', { person: staffA, due: '2026-11-01' });
  await task('t-sup', { role: 'supervisor', unit: f.unit.AD1, due: '2026-12-01' });
  await task('t-head', {
    role: 'unit_head',
    unit: f.unit.A,
    due: '2026-12-05',
    subject: 'plan:2027:unit:a b',
  });
});

describe('GET /api/inbox', () => {
  it('lists my open tasks and my role tasks in my unit, by due date, with overdue, counts and links', async () => {
    const { status, body } = await get(as.official, '/api/inbox');
    expect(status).toBe(200);
    const items = body.items as { id: string; overdue: boolean; urgency: string; link: string }[];
    expect(items.map((t) => t.id)).toEqual(['t-overdue', 't-week', 't-appraise', 't-role-later']);
    expect(items.map((t) => t.urgency)).toEqual(['overdue', 'soon', 'later', 'later']);
    expect(items.map((t) => t.overdue)).toEqual([true, false, false, false]);
    expect(body.items[0]).toMatchObject({
      escalationLevel: 1,
      dueDate: '2026-11-30',
      link: '/plans/plan%3A2027%3Aunit%3Ax',
      assignee: { personId: f.person.officialA, role: null, unitId: null },
    });
    expect(body.counts).toEqual({ open: 4, overdue: 1, dueThisWeek: 1 });
    expect(body.nextCursor).toBeNull();
  });

  it('shows a role task only to holders of that role in the task unit (tiered rule)', async () => {
    const sup = await get(as.supervisor, '/api/inbox');
    expect(sup.body.items.map((t: { id: string }) => t.id)).toEqual(['t-sup']);
    expect(sup.body.counts).toEqual({ open: 1, overdue: 1, dueThisWeek: 0 });
    const head = await get(as.head, '/api/inbox');
    // the head of A holds no 'official' or 'supervisor' role in A.D1, and A's own role task is theirs
    expect(head.body.items.map((t: { id: string }) => t.id)).toEqual(['t-head']);
    expect(head.body.items[0]).toMatchObject({ link: '/plans/plan%3A2027%3Aunit%3Aa%20b', urgency: 'soon' });
  });

  it('filters by kind, overdue only, and done', async () => {
    const kind = await get(as.official, '/api/inbox?kind=plan.appraise');
    expect(kind.body.items.map((t: { id: string }) => t.id)).toEqual(['t-appraise']);
    const overdue = await get(as.official, '/api/inbox?overdue=true');
    expect(overdue.body.items.map((t: { id: string }) => t.id)).toEqual(['t-overdue']);
    const done = await get(as.official, '/api/inbox?status=done');
    expect(done.body.items.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      ['t-done', 'done'],
    ]);
    expect((done.body.items[0] as { overdue: boolean }).overdue).toBe(false);
  });

  it('pages by due date with a keyset cursor', async () => {
    const first = await get(as.official, '/api/inbox?limit=3');
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual(['t-overdue', 't-week', 't-appraise']);
    const second = await get(as.official, `/api/inbox?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual(['t-role-later']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('computes overdue for the day in Hà Nội, not in UTC', async () => {
    try {
      // 23:00 on 30 November in Hà Nội (16:00 UTC): the task due on 30/11 is not overdue yet
      now = new Date('2026-11-30T16:00:00Z');
      let r = await get(as.official, '/api/inbox?overdue=true');
      expect(r.body.items).toEqual([]);
      expect(r.body.counts).toEqual({ open: 4, overdue: 0, dueThisWeek: 2 });
      // 01:00 on 1 December in Hà Nội (18:00 UTC on 30/11): it is
      now = new Date('2026-11-30T18:00:00Z');
      r = await get(as.official, '/api/inbox?overdue=true');
      expect(r.body.items.map((t: { id: string }) => t.id)).toEqual(['t-overdue']);
    } finally {
      now = WEDNESDAY;
    }
  });

  it('opens one of my tasks by id (a notification links to it), and no one else’s', async () => {
    const mine = await get(as.official, `/api/inbox/${encodeURIComponent('t-done')}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: 't-done', status: 'done', link: '/plans/plan%3A2027%3Aunit%3Ax' });
    expect((await get(as.official, '/api/inbox/t-role-later')).body).toMatchObject({ urgency: 'later' });
    // a workflow's task key, with colons, as notifications link it (/tasks/{id})
    const key = 'plan:2027:unit:x:submit:1';
    await db
      .insertInto('task')
      .values({
        id: key,
        workflow_id: 'wf-test',
        update_name: 'submitPlan',
        kind: 'plan.submit',
        subject_type: 'plan',
        subject_id: 'plan:2027:unit:x',
        assignee_person_id: f.person.officialA,
        assignee_role: null,
        assignee_unit_id: null,
        due_at: new Date('2026-11-30T10:00:00Z'),
        logical_due_date: '2026-11-30',
        status: 'cancelled',
        closed_at: new Date('2026-11-29T00:00:00Z'),
      })
      .execute();
    expect((await get(as.official, `/api/inbox/${encodeURIComponent(key)}`)).body).toMatchObject({
      id: key,
      status: 'cancelled',
      overdue: false,
    });
    for (const id of ['t-other', 't-role-AD2', 't-sup', 'nope'])
      expect((await get(as.official, `/api/inbox/${id}`)).body.code, id).toBe('TASK_NOT_FOUND');
  });

  it('refuses bad input and the anonymous', async () => {
    expect((await get(as.official, '/api/inbox?status=maybe')).body.code).toBe('VALIDATION_FAILED');
    expect((await get(as.official, '/api/inbox?kind=DROP%20TABLE')).status).toBe(400);
    expect((await get(as.official, '/api/inbox?cursor=nonsense')).body.code).toBe('CURSOR_INVALID');
    const anon = await get(undefined, '/api/inbox');
    expect([anon.status, anon.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('GET /api/inbox: the month’s check-in and the next month’s plan are one entry', () => {
  // Both due on the 5th of the next month (DESIGN §3, one sitting). Rows are written as the workflows' task
  // activities write them; the workflows themselves are tested in workflows/.
  const rows = [
    { id: 'ci-nov', kind: 'check-in.submit', type: 'check_in', subject: randomUUID(), period: '2026-11' },
    {
      id: 'mp-dec',
      kind: 'plan.period-submit',
      type: 'plan',
      subject: 'plan:2026:person:a',
      period: '2026-12',
    },
    // a month plan of another month, and one of another day, stay on their own
    {
      id: 'mp-jan',
      kind: 'plan.period-submit',
      type: 'plan',
      subject: 'plan:2027:person:a',
      period: '2027-01',
    },
  ];
  const ids = () => rows.map((r) => r.id);
  beforeAll(async () => {
    for (const r of rows)
      await db
        .insertInto('task')
        .values({
          id: r.id,
          workflow_id: `wf-${r.id}`,
          kind: r.kind,
          subject_type: r.type,
          subject_id: r.subject,
          assignee_person_id: f.person.officialA,
          due_at: new Date('2026-12-07T10:00:00Z'),
          logical_due_date: '2026-12-07',
          details: JSON.stringify({ period: r.period }),
        })
        .execute();
  });
  afterAll(async () => {
    await db.deleteFrom('task').where('id', 'in', ids()).execute();
  });

  it('lists the check-in with the plan task riding on it, counted once', async () => {
    const { body } = await get(as.official, '/api/inbox');
    const mine = (body.items as { id: string }[]).filter((t) => ids().includes(t.id));
    expect(mine.map((t) => t.id)).toEqual(['ci-nov', 'mp-jan']);
    expect(mine[0]).toMatchObject({
      link: '/check-ins?period=2026-11',
      bundled: {
        id: 'mp-dec',
        kind: 'plan.period-submit',
        period: '2026-12',
        link: '/plans/plan%3A2026%3Aperson%3Aa',
      },
    });
    expect(mine[1]).toMatchObject({ bundled: null });
    // t-overdue, t-week, t-appraise, t-role-later and these two entries
    expect(body.counts.open).toBe(6);
  });

  it('lists the plan task itself under its own kind filter', async () => {
    const { body } = await get(as.official, '/api/inbox?kind=plan.period-submit');
    expect(body.items.map((t: { id: string }) => t.id)).toEqual(['mp-dec', 'mp-jan']);
  });

  it('lists the plan task alone again once the check-in is done', async () => {
    await db
      .updateTable('task')
      .set({ status: 'done', closed_at: new Date(), closed_by: 'test' })
      .where('id', '=', 'ci-nov')
      .execute();
    const { body } = await get(as.official, '/api/inbox');
    const mine = (body.items as { id: string; bundled: unknown }[]).filter((t) => ids().includes(t.id));
    expect(mine.map((t) => [t.id, t.bundled])).toEqual([
      ['mp-dec', null],
      ['mp-jan', null],
    ]);
    expect(body.counts.open).toBe(6);
  });
});

describe('GET /api/notifications and POST /api/notifications/read', () => {
  const ids: string[] = [];
  let othersId = '';
  beforeAll(async () => {
    for (const [i, title] of [
      'Nhắc hạn nộp kế hoạch',
      'Kế hoạch bị trả lại',
      'Quá hạn nộp kế hoạch',
    ].entries()) {
      const r = await db
        .insertInto('notification')
        .values({
          person_id: f.person.officialA,
          kind: 'plan.reminder',
          title_vi: title,
          title_en: `Message ${i}`,
          body_vi: 'Nội dung',
          body_en: 'Body',
          link: i === 0 ? '/plans/x' : i === 1 ? 'https://evil.example/' : null,
          created_at: new Date(Date.UTC(2026, 10, 20 + i)),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(r.id);
    }
    const o = await db
      .insertInto('notification')
      .values({
        person_id: f.person.headA,
        kind: 'plan.reminder',
        title_vi: 'Của người khác',
        title_en: "Someone else's",
        created_at: new Date('2026-11-21T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    othersId = o.id;
  });

  it('lists mine, newest first, with the unread count and only same-site links', async () => {
    const r = await get(as.official, '/api/notifications');
    expect(r.status).toBe(200);
    expect(r.body.items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(r.body.unread).toBe(3);
    expect(r.body.items[2]).toMatchObject({
      title: { vi: 'Nhắc hạn nộp kế hoạch', en: 'Message 0' },
      body: { vi: 'Nội dung', en: 'Body' },
      link: '/plans/x',
      readAt: null,
    });
    expect((r.body.items[1] as { link: string | null }).link).toBeNull();
    const paged = await get(as.official, '/api/notifications?limit=2');
    const rest = await get(as.official, `/api/notifications?limit=2&cursor=${paged.body.nextCursor}`);
    expect(rest.body.items.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
  });

  it('marks some read, never anyone else’s, then all', async () => {
    let res = await requestAs(app, as.official, 'POST', '/api/notifications/read', {
      ids: [ids[0], othersId],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ marked: 1 });
    const after = await get(as.official, '/api/notifications?unread=true');
    expect(after.body.unread).toBe(2);
    expect(after.body.items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    const others = await db
      .selectFrom('notification')
      .select('read_at')
      .where('id', '=', othersId)
      .executeTakeFirst();
    expect(others?.read_at).toBeNull();
    res = await requestAs(app, as.official, 'POST', '/api/notifications/read', { all: true });
    expect(await res.json()).toEqual({ marked: 2 });
    expect((await get(as.official, '/api/notifications')).body.unread).toBe(0);
    expect((await get(as.head, '/api/notifications')).body.unread).toBe(1);
  });

  it('refuses bad input and a request without the anti-forgery token', async () => {
    for (const body of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { ids: [ids[0]], all: true }]) {
      const res = await requestAs(app, as.official, 'POST', '/api/notifications/read', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const res = await requestAs(
      app,
      undefined,
      'POST',
      '/api/notifications/read',
      { all: true },
      {
        cookie: as.official.cookie,
      },
    );
    expect(res.status).toBe(403);
  });
});

describe('GET /api/search', () => {
  const plan = (id: string, owner: Plan['owner'], tasks: [string, string[]][]): Plan => ({
    id,
    year: 2027,
    owner,
    tasks: tasks.map(([title, krs], i) => ({
      id: `t${i + 1}`,
      title,
      perspective: 'citizens',
      weight: '1',
      keyResults: krs.map((k, j) => ({
        id: `t${i + 1}-kr${j + 1}`,
        title: k,
        type: 'KPI',
        breakthrough: false,
        unit: 'buổi',
        direction: { kind: 'higher' },
        target: '10',
        weight: '1',
        cadence: 'month',
        aggregation: 'sum',
        evidenceRequired: false,
      })),
    })),
  });
  async function seedPlan(p: Plan) {
    await ensurePlan(db, {
      id: p.id,
      ownerKind: p.owner.kind,
      ...(p.owner.kind === 'unit' ? { unitId: p.owner.unitId } : { personId: p.owner.personId }),
      year: p.year,
    });
    await createPlanVersion(db, { planId: p.id, content: p, createdBy: 'test' });
  }
  const ids = (body: Record<string, unknown>) =>
    (body.items as { kind: string; id: string; plan: { id: string } }[]).map(
      (h) => `${h.kind}:${h.plan.id}:${h.id}`,
    );

  beforeAll(async () => {
    await seedPlan(
      plan('plan:2027:unit:A', { kind: 'unit', unitId: f.unit.A }, [
        ['Đẩy mạnh chuyển đổi số toàn diện', ['Số cuộc họp giao ban Đảng ủy']],
        ['Chuyển đổi số', []],
      ]),
    );
    await seedPlan(
      plan('plan:2027:unit:B', { kind: 'unit', unitId: f.unit.B }, [['Cải cách hành chính', []]]),
    );
    await seedPlan(
      plan('plan:2027:unit:QA', { kind: 'unit', unitId: f.unit.QA }, [['Chuyển đổi số ở Q', []]]),
    );
    await seedPlan(
      plan(`plan:2027:person:${f.person.officialA}`, { kind: 'person', personId: f.person.officialA }, [
        ['Học tập chuyển đổi số', []],
      ]),
    );
  });

  it('finds Vietnamese text typed without diacritics, in any case, ranked, grouped by kind', async () => {
    const r = await get(as.official, `/api/search?q=${encodeURIComponent('chuyen doi so')}`);
    expect(r.status).toBe(200);
    // the exact title first; then phrases; A's plan (A.D1 is inside A) and the official's own plan
    expect(ids(r.body)).toEqual([
      'task:plan:2027:unit:A:t2',
      'task:plan:2027:unit:A:t1',
      `task:plan:2027:person:${f.person.officialA}:t1`,
    ]);
    expect(r.body.counts).toEqual({ plan: 0, task: 3, keyResult: 0 });
    expect(r.body.items[1]).toMatchObject({
      title: 'Đẩy mạnh chuyển đổi số toàn diện',
      link: '/plans/plan%3A2027%3Aunit%3AA#task-t1',
      plan: { year: 2027, ownerKind: 'unit', ownerName: 'Đơn vị A' },
    });
    const upper = await get(as.official, `/api/search?q=${encodeURIComponent('ĐẢNG UY')}`);
    expect(ids(upper.body)).toEqual(['keyResult:plan:2027:unit:A:t1-kr1']);
    expect(upper.body.items[0]).toMatchObject({ taskTitle: 'Đẩy mạnh chuyển đổi số toàn diện' });
    const plans = await get(as.official, `/api/search?q=${encodeURIComponent('ke hoach')}&kind=plan`);
    expect(plans.body.items.map((h: { title: string }) => h.title)).toEqual([
      'Kế hoạch năm 2027 – Đơn vị A',
      'Kế hoạch năm 2027 – Người officialA',
    ]);
  });

  it('keeps to what the caller may see (tiered rule)', async () => {
    const q = `/api/search?q=${encodeURIComponent('kế hoạch')}&kind=plan`;
    const planIds = async (who: SignedIn) =>
      ((await get(who, q)).body.items as { plan: { id: string } }[]).map((h) => h.plan.id).sort();
    const ownOfOfficial = `plan:2027:person:${f.person.officialA}`;
    // the head of A manages what is inside A (an official's own plan); the province sees unit plans only
    expect(await planIds(as.head)).toEqual([ownOfOfficial, 'plan:2027:unit:A']);
    const totp = { totpSecret: TOTP_SECRET, now: () => now };
    const secretariat = await signIn(app, 'secretariatp@test.woms.vn', PASSWORD, totp);
    const adminQ = await signIn(app, 'adminq@test.woms.vn', PASSWORD, totp);
    expect(await planIds(secretariat)).toEqual(['plan:2027:unit:A', 'plan:2027:unit:B']);
    expect(await planIds(adminQ)).toEqual(['plan:2027:unit:QA']);
    expect(await planIds(as.official)).toEqual([ownOfOfficial, 'plan:2027:unit:A']);
    expect(await planIds(as.supervisor)).toEqual([ownOfOfficial, 'plan:2027:unit:A']);
  });

  it('pages the ranked hits', async () => {
    const first = await get(as.official, `/api/search?q=so&limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBeGreaterThan(2);
    const second = await get(as.official, `/api/search?q=so&limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).not.toContain(ids(first.body)[0]);
  });

  it("follows the plan's latest version and finds decomposed (NFD) titles", async () => {
    const id = 'plan:2027:unit:A';
    const q = (text: string) => get(as.official, `/api/search?q=${encodeURIComponent(text)}&kind=task`);
    expect(ids((await q('cai thien moi truong')).body)).toEqual([]);
    await createPlanVersion(db, {
      planId: id,
      content: plan(id, { kind: 'unit', unitId: f.unit.A }, [
        ['Cải thiện môi trường đầu tư'.normalize('NFD'), []],
      ]),
      createdBy: 'test',
    });
    expect(ids((await q('cai thien moi truong')).body)).toEqual([`task:${id}:t1`]);
    // the old version's titles are no longer the plan's content
    expect(ids((await q('day manh chuyen doi so')).body)).toEqual([]);
    const rows = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM search_entry WHERE plan_id = ${id}`.execute(db);
    expect(rows.rows[0]?.n).toBe(1);
  });

  it('refuses an empty query and treats LIKE characters literally', async () => {
    expect((await get(as.official, '/api/search?q=%20%20')).status).toBe(400);
    expect((await get(as.official, '/api/search')).status).toBe(400);
    expect((await get(as.official, '/api/search?q=%25')).body.items).toEqual([]);
    expect((await get(undefined, '/api/search?q=x')).status).toBe(401);
    void randomUUID;
  });
});

describe('taskLink', () => {
  it('sends a check-in verify task to its verify screen and the person’s tasks to the check-in screen', () => {
    const id = '0b7f9c1e-3a52-4d7e-9d0a-1c2b3d4e5f60';
    expect(taskLink({ subject_type: 'check_in', subject_id: id, kind: 'check-in.verify' })).toBe(
      `/check-ins/${id}/verify`,
    );
    expect(taskLink({ subject_type: 'check_in', subject_id: id, kind: 'check-in.submit' })).toBe(
      '/check-ins',
    );
    expect(
      taskLink({
        subject_type: 'check_in',
        subject_id: id,
        kind: 'check-in.submit',
        details: { period: '2027-03' },
      }),
    ).toBe('/check-ins?period=2027-03');
    expect(
      taskLink({
        subject_type: 'check_in',
        subject_id: id,
        kind: 'check-in.submit',
        details: { period: '../x' },
      }),
    ).toBe('/check-ins');
    expect(taskLink({ subject_type: 'check_in', subject_id: id, kind: 'check-in.revise' })).toBe(
      '/check-ins',
    );
    expect(taskLink({ subject_type: 'plan', subject_id: 'plan:1', kind: 'plan.submit' })).toBe(
      '/plans/plan%3A1',
    );
    expect(taskLink({ subject_type: 'other', subject_id: 'x', kind: 'x' })).toBe('/inbox');
  });
});
