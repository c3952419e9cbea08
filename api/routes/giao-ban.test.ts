// The giao ban API (api/routes/giao-ban.ts; issue 7 points 2 and 6) on real PostgreSQL with a real worker on the
// dev server: province P's 2026-Q2 session runs (started in session: the dossiers frozen on start), and the
// routes are exercised as the signed-in people of the org fixture — the session list and workspace by the tiered
// rule (the province's levels every unit, a unit head their own unit's row), the secretariat's conclusions and
// publishing with their refusals (codes), the Idempotency-Key, the PDFs, the unit head's report on a direction and
// the inbox links of the giao ban's tasks.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../db/queries/calendar.ts';
import { giaoBanInputFor } from '../../db/queries/giao-ban-workflow-input.ts';
import { TEST_PROFILE, warpFrom } from '../../test/support/annual-plan.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { giaoBanWorkflowId } from '../../workflows/giao-ban.messages.ts';
import { createApp } from '../app.ts';
import { taskLink } from './inbox.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `giao-ban-api-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
const SESSION = '2026-Q2';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the responses
type Json = Record<string, any>;
const as = async (
  who: keyof OrgFixture['session'],
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  const type = res.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    body: (type.includes('json') ? JSON.parse(bytes.toString('utf8')) : null) as Json,
  };
};

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const conclusion = (o: Json = {}) => ({
  completionLevel: 'good',
  summary: 'Hoàn thành tốt nhiệm vụ quý.',
  directions: [],
  ...o,
});

beforeAll(async () => {
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  const input = await giaoBanInputFor(db, { provinceId: f.unit.P, session: SESSION });
  if (!input) throw new Error('no giao ban input');
  // One virtual day per real hour from 10:00 on 20/7/2026 (the session day): in session from the start.
  const workflowId = giaoBanWorkflowId(f.unit.P, SESSION);
  await w.client.workflow.start('giaoBanWorkflow', {
    taskQueue,
    workflowId,
    args: [{ ...input, timeWarp: warpFrom('2026-07-20', 3_600_000) }],
  });
  w.started.push(workflowId);
  await until('in session', async () => {
    const r = await db
      .selectFrom('giao_ban_session')
      .select('phase')
      .where('province_id', '=', f.unit.P)
      .where('session', '=', SESSION)
      .executeTakeFirst();
    return r?.phase === 'IN_SESSION';
  });
});
afterAll(async () => {
  await w?.stop();
});

describe('giao ban API', () => {
  it('lists the year’s sessions of the caller’s province, counts by the tiered rule', async () => {
    const r = await as('secretariatP', 'GET', '/api/giao-ban?year=2026');
    expect(r.status).toBe(200);
    expect(r.body.sessions.map((s: Json) => s.session)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-year',
      '2026-Q4',
    ]);
    const q2 = r.body.sessions[1];
    expect([q2.phase, q2.sessionDate, q2.dossierDate, q2.conclusionsDue]).toEqual([
      'IN_SESSION',
      '2026-07-20',
      '2026-07-16',
      '2026-07-22',
    ]);
    expect(q2.unitCount).toBe(4); // A, B, M1, M2 directly under P
    expect(r.body.sessions[0]).toMatchObject({ phase: null, sessionDate: '2026-04-20' });
    const head = await as('headA', 'GET', '/api/giao-ban?year=2026');
    expect(head.status).toBe(200);
    expect(head.body.sessions[1].unitCount).toBe(1);
    expect((await as('officialA', 'GET', '/api/giao-ban?year=2026')).status).toBe(403);
  });

  it('shows a session: every unit to the province, only their own unit’s row to a unit head', async () => {
    const sec = await as('secretariatP', 'GET', `/api/giao-ban/${SESSION}`);
    expect(sec.status).toBe(200);
    expect(sec.body.units.map((u: Json) => u.unitId).sort()).toEqual(
      [f.unit.A, f.unit.B, f.unit.M1, f.unit.M2].sort(),
    );
    // The secretariat may publish in session; the units still without a conclusion are named (the refusal's list).
    expect([sec.body.phase, sec.body.canConclude, sec.body.canPublish, sec.body.planDecisions]).toEqual([
      'IN_SESSION',
      true,
      true,
      true,
    ]);
    expect([...sec.body.missingConclusions].sort()).toEqual(
      sec.body.units.map((u: Json) => u.unitName).sort(),
    );
    expect(sec.body.missingConclusions).toHaveLength(4);
    const a = sec.body.units.find((u: Json) => u.unitId === f.unit.A);
    expect(a.report).toEqual({ status: 'missing', sentAt: null, dueDate: '2026-07-10' });
    expect(a.dossierUrl).toBe(`/api/giao-ban/${SESSION}/units/${f.unit.A}/dossier.pdf`);
    const head = await as('headA', 'GET', `/api/giao-ban/${SESSION}`);
    expect(head.status).toBe(200);
    expect(head.body.units.map((u: Json) => u.unitId)).toEqual([f.unit.A]);
    expect([head.body.canConclude, head.body.canPublish, head.body.missingConclusions]).toEqual([
      false,
      false,
      [],
    ]);
    const standing = await as('standingP', 'GET', `/api/giao-ban/${SESSION}`);
    expect([standing.body.units.length, standing.body.canConclude]).toEqual([4, false]);
    // The dossier PDF: the unit's head reads their own, not another unit's.
    const pdf = await as('headA', 'GET', `/api/giao-ban/${SESSION}/units/${f.unit.A}/dossier.pdf`);
    expect([pdf.status, pdf.headers.get('content-type'), pdf.bytes.subarray(0, 5).toString()]).toEqual([
      200,
      'application/pdf',
      '%PDF-',
    ]);
    expect((await as('headA', 'GET', `/api/giao-ban/${SESSION}/units/${f.unit.B}/dossier.pdf`)).status).toBe(
      403,
    );
    const bad = await as('secretariatP', 'GET', '/api/giao-ban/2026-Q5');
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('records conclusions (secretariat only, codes for refusals, Idempotency-Key), refuses to publish while one is missing, publishes once', async () => {
    const path = (u: string) => `/api/giao-ban/${SESSION}/units/${u}/conclusion`;
    expect((await as('headA', 'PUT', path(f.unit.A), conclusion())).status).toBe(403);
    expect((await as('standingP', 'PUT', path(f.unit.A), conclusion())).status).toBe(403);
    const adjusted = await as(
      'secretariatP',
      'PUT',
      path(f.unit.A),
      conclusion({ planDecision: 'adjusted' }),
    );
    expect([adjusted.status, adjusted.body.code]).toEqual([422, 'GIAO_BAN_PLAN_DECISION']);
    const inside = await as('secretariatP', 'PUT', path(f.unit.AD1), conclusion());
    expect([inside.status, inside.body.code]).toEqual([404, 'GIAO_BAN_UNKNOWN_UNIT']);

    const key = { 'Idempotency-Key': `c-${randomUUID()}` };
    const body = conclusion({
      completionLevel: 'excellent',
      directions: [{ text: 'Đẩy nhanh số hóa hồ sơ', dueDate: '2026-09-30' }],
      planDecision: 'approved',
    });
    const first = await as('secretariatP', 'PUT', path(f.unit.A), body, key);
    expect(first.status).toBe(200);
    expect(first.body.conclusion).toMatchObject({
      completionLevel: 'excellent',
      planDecision: 'approved',
      revision: 1,
      directions: [{ text: 'Đẩy nhanh số hóa hồ sơ', dueDate: '2026-09-30' }],
    });
    const again = await as('secretariatP', 'PUT', path(f.unit.A), body, key);
    expect([again.status, again.body.conclusion.revision]).toEqual([200, 1]);
    const revised = await as('secretariatP', 'PUT', path(f.unit.A), { ...body, summary: 'Xuất sắc.' });
    expect(revised.body.conclusion.revision).toBe(2);

    const missing = await as('secretariatP', 'POST', `/api/giao-ban/${SESSION}/publish`, {});
    expect([missing.status, missing.body.code]).toEqual([409, 'GIAO_BAN_CONCLUSIONS_MISSING']);
    const before = (await as('secretariatP', 'GET', `/api/giao-ban/${SESSION}`)).body;
    expect([before.canPublish, before.missingConclusions.length]).toEqual([true, 3]);
    expect([...before.missingConclusions].sort()).toEqual(
      missing.body.details.missing.map((m: Json) => m.unitName).sort(),
    );
    expect(missing.body.details.missing.map((m: Json) => m.unitId).sort()).toEqual(
      [f.unit.B, f.unit.M1, f.unit.M2].sort(),
    );
    for (const u of [f.unit.B, f.unit.M1, f.unit.M2])
      expect(
        (await as('secretariatP', 'PUT', path(u), conclusion({ planDecision: 'approved' }))).status,
      ).toBe(200);
    const ready = (await as('secretariatP', 'GET', `/api/giao-ban/${SESSION}`)).body;
    expect([ready.canPublish, ready.missingConclusions]).toEqual([true, []]);
    expect((await as('standingP', 'POST', `/api/giao-ban/${SESSION}/publish`, {})).status).toBe(403);
    const pkey = { 'Idempotency-Key': `p-${randomUUID()}` };
    const pub = await as('secretariatP', 'POST', `/api/giao-ban/${SESSION}/publish`, {}, pkey);
    expect(pub.status).toBe(200);
    const twice = await as('secretariatP', 'POST', `/api/giao-ban/${SESSION}/publish`, {}, pkey);
    expect([twice.status, twice.body.publishedAt]).toEqual([200, pub.body.publishedAt]);
    const other = await as('secretariatP', 'POST', `/api/giao-ban/${SESSION}/publish`, {});
    expect([other.status, other.body.code]).toEqual([409, 'GIAO_BAN_ALREADY_PUBLISHED']);
    const late = await as('secretariatP', 'PUT', path(f.unit.B), conclusion());
    expect([late.status, late.body.code]).toEqual([409, 'GIAO_BAN_ALREADY_PUBLISHED']);

    const minutes = await as('headA', 'GET', `/api/giao-ban/${SESSION}/minutes.pdf`);
    expect([minutes.status, minutes.bytes.subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
    const view = await as('secretariatP', 'GET', `/api/giao-ban/${SESSION}`);
    expect([view.body.phase, view.body.minutesUrl]).toEqual([
      'PUBLISHED',
      `/api/giao-ban/${SESSION}/minutes.pdf`,
    ]);
    // The secretariat's task links to the workspace.
    const task = await db
      .selectFrom('task')
      .selectAll()
      .where('kind', '=', 'giao-ban.conclude')
      .where('subject_id', '=', `${f.unit.P}:${SESSION}`)
      .executeTakeFirstOrThrow();
    expect([task.status, taskLink(task)]).toEqual(['done', `/giao-ban/${SESSION}`]);
  });

  it('lets the unit head report on a direction; done closes its task', async () => {
    const list = await as('headA', 'GET', `/api/giao-ban/directions?unitId=${f.unit.A}`);
    expect(list.status).toBe(200);
    expect(list.body.directions).toHaveLength(1);
    const d = list.body.directions[0];
    expect([d.session, d.text, d.status]).toEqual([SESSION, 'Đẩy nhanh số hóa hồ sơ', 'open']);
    // The direction names its unit.
    const unitA = await db
      .selectFrom('org_unit')
      .select('name_vi')
      .where('id', '=', f.unit.A)
      .executeTakeFirstOrThrow();
    expect(d.unitName).toBe(unitA.name_vi);
    const inSession = (await as('secretariatP', 'GET', `/api/giao-ban/${SESSION}`)).body;
    expect(inSession.units.find((u: Json) => u.unitId === f.unit.A).directions[0].unitName).toBe(
      unitA.name_vi,
    );
    expect((await as('headA', 'GET', `/api/giao-ban/directions?unitId=${f.unit.B}`)).status).toBe(403);
    const task = await until('direction task', async () =>
      db.selectFrom('task').selectAll().where('subject_id', '=', d.id).executeTakeFirst(),
    );
    expect([task.kind, task.assignee_person_id, taskLink(task)]).toEqual([
      'giao-ban.direction',
      f.person.headA,
      `/giao-ban/directions?unitId=${encodeURIComponent(f.unit.A)}`,
    ]);
    const url = `/api/giao-ban/directions/${d.id}/report`;
    expect((await as('secretariatP', 'POST', url, { status: 'done', note: 'x' })).status).toBe(403);
    const progress = await as('headA', 'POST', url, { status: 'in-progress', note: 'Đã số hóa 60%.' });
    expect([progress.status, progress.body.status, progress.body.note]).toEqual([
      200,
      'in-progress',
      'Đã số hóa 60%.',
    ]);
    const done = await as('headA', 'POST', url, { status: 'done', note: 'Hoàn thành.' });
    expect([done.status, done.body.status]).toEqual([200, 'done']);
    expect(
      (await db.selectFrom('task').select('status').where('id', '=', task.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('done');
    const again = await as('headA', 'POST', url, { status: 'in-progress', note: '' });
    expect([again.status, again.body.code]).toEqual([409, 'GIAO_BAN_DIRECTION_DONE']);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'giao_ban_session')
      .where('aggregate_id', '=', `${f.unit.P}:${SESSION}`)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['giao-ban.opened', 'giao-ban.published', 'giao-ban.direction-reported']),
    );
  });
});
