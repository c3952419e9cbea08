// My calendar and its private iCalendar feed (issue 7 point 5), on a real database: my deadlines from the task
// read model and the province's plan-year calendar; the feed link created, rotated and revoked (audited, only
// a hash stored); the public .ics of two people never mixed; unknown links throttled per address.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../db/queries/calendar.ts';
import { sha256Hex } from '../../db/queries/calendar-feed.ts';
import { TEST_PROFILE } from '../../test/support/annual-plan.ts';
import type { SignedIn } from '../../test/support/auth.ts';
import { signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, type OrgFixture, PASSWORD, requestAs } from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';
import { itemTitle } from './calendar-feed.ts';

const { db } = await freshDatabase();
let now = new Date();
const WEB = 'https://woms.example.gov.vn';
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
  webUrl: WEB,
});

// Wednesday 2 December 2026, 10:00 in Hà Nội.
const WEDNESDAY = new Date('2026-12-02T03:00:00Z');

let f: OrgFixture;
const as: Record<'official' | 'supervisor', SignedIn> = {} as never;

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
type Json = Record<string, any>;
const call = async (who: SignedIn | undefined, method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, who, method, path, body);
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : null;
  return { res, status: res.status, body: json as Json, text };
};

/** The .ics as lines, folded lines joined back (RFC 5545 §3.1). */
const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
function events(ics: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of unfold(ics)) {
    if (line === 'BEGIN:VEVENT') cur = {};
    else if (line === 'END:VEVENT' && cur) {
      out.push(cur);
      cur = null;
    } else if (cur) {
      const i = line.indexOf(':');
      cur[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return out;
}

async function task(
  id: string,
  o: { person?: string; role?: string; unit?: string; due: string; kind?: string; status?: 'open' | 'done' },
  subject = { type: 'plan', id: 'plan:2027:unit:x' },
  details: Record<string, string> = {},
) {
  await db
    .insertInto('task')
    .values({
      id,
      workflow_id: 'wf-test',
      update_name: null,
      kind: o.kind ?? 'plan.submit',
      subject_type: subject.type,
      subject_id: subject.id,
      assignee_person_id: o.person ?? null,
      assignee_role: o.role ?? null,
      assignee_unit_id: o.unit ?? null,
      due_at: new Date(`${o.due}T10:00:00Z`),
      logical_due_date: o.due,
      status: o.status ?? 'open',
      details: JSON.stringify(details),
      closed_at: o.status === 'done' ? new Date('2026-11-20T00:00:00Z') : null,
    })
    .execute();
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  now = WEDNESDAY;
  as.official = await signIn(app, 'officiala@test.woms.vn', PASSWORD);
  as.supervisor = await signIn(app, 'supervisora@test.woms.vn', PASSWORD);
  const { officialA, supervisorA } = f.person;
  await task('t-plan', { person: officialA, due: '2026-12-04' });
  await task('t-role', { role: 'official', unit: f.unit.AD1, due: '2026-12-21', kind: 'plan.period-submit' });
  await task('t-overdue', { person: officialA, due: '2026-11-30', kind: 'plan.revise' });
  await task('t-done', { person: officialA, due: '2026-12-08', status: 'done' });
  await task(
    't-checkin-nov',
    { person: officialA, due: '2026-12-07', kind: 'check-in.submit' },
    { type: 'check_in', id: 'ci-1' },
    { period: '2026-11' },
  );
  await task(
    't-verify',
    { person: supervisorA, due: '2026-12-10', kind: 'check-in.verify' },
    { type: 'check_in', id: 'ci-2' },
  );
});

describe('GET /api/calendar/mine', () => {
  it('lists my open tasks and my check-in deadlines ahead, by date, with titles, links and the overdue flag', async () => {
    const { status, body } = await call(
      as.official,
      'GET',
      '/api/calendar/mine?from=2026-11-01&to=2027-01-31',
    );
    expect(status).toBe(200);
    expect(body.today).toBe('2026-12-02');
    const keys = (body.items as { key: string }[]).map((i) => i.key);
    // November's check-in has a task: the calendar deadline is not listed twice; December's (due 5/1/2027,
    // a Tuesday) comes from the plan-year calendar. Done tasks and other people's are not mine.
    expect(keys).toEqual([
      'task:t-overdue',
      'task:t-plan',
      'task:t-checkin-nov',
      'task:t-role',
      `check-in.2026-12:${f.person.officialA}`,
    ]);
    const byKey = Object.fromEntries((body.items as Json[]).map((i) => [i.key, i]));
    expect(byKey['task:t-overdue']).toMatchObject({ overdue: true, date: '2026-11-30', source: 'task' });
    expect(byKey['task:t-checkin-nov']).toMatchObject({
      kind: 'check-in.submit',
      period: '2026-11',
      link: '/check-ins?period=2026-11',
      title: { vi: 'Báo cáo kết quả tháng tháng 11/2026', en: 'Monthly check-in, November 2026' },
      overdue: false,
    });
    expect(byKey[`check-in.2026-12:${f.person.officialA}`]).toMatchObject({
      source: 'calendar',
      kind: 'check-in',
      date: '2027-01-05',
      link: '/check-ins?period=2026-12',
      title: { vi: 'Hạn báo cáo kết quả tháng tháng 12/2026' },
    });
    expect(byKey['task:t-plan'].link).toBe('/plans/plan%3A2027%3Aunit%3Ax');
    expect(body.feed).toEqual({ active: false, language: null, createdAt: null });
  });

  it('defaults to the month of today and refuses a reversed or too long range', async () => {
    const d = await call(as.official, 'GET', '/api/calendar/mine');
    expect(d.status).toBe(200);
    expect([d.body.from, d.body.to]).toEqual(['2026-12-01', '2026-12-31']);
    expect((d.body.items as Json[]).map((i) => i.key)).not.toContain('task:t-overdue');
    const rev = await call(as.official, 'GET', '/api/calendar/mine?from=2026-12-31&to=2026-12-01');
    expect([rev.status, rev.body.code]).toEqual([422, 'CALENDAR_RANGE_INVALID']);
    const long = await call(as.official, 'GET', '/api/calendar/mine?from=2026-01-01&to=2027-12-31');
    expect(long.status).toBe(422);
    const bad = await call(as.official, 'GET', '/api/calendar/mine?from=2026-13-01');
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('needs a session', async () => {
    const r = await call(undefined, 'GET', '/api/calendar/mine');
    expect([r.status, r.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('the private feed link', () => {
  let officialToken = '';
  let supervisorToken = '';

  it('is created once per person, stored only as a hash and audited without the token', async () => {
    const o = await call(as.official, 'POST', '/api/calendar/feed-token', { language: 'vi' });
    expect(o.status).toBe(201);
    expect(o.body).toMatchObject({ language: 'vi', rotated: false });
    officialToken = o.body.token;
    expect(officialToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(o.body.path).toBe(`/api/calendar/feed/${officialToken}.ics`);
    const s = await call(as.supervisor, 'POST', '/api/calendar/feed-token');
    expect(s.status).toBe(201);
    supervisorToken = s.body.token;
    expect(supervisorToken).not.toBe(officialToken);

    const rows = await db.selectFrom('calendar_feed_token').selectAll().execute();
    expect(rows.map((r) => r.token_sha256).sort()).toEqual(
      [sha256Hex(officialToken), sha256Hex(supervisorToken)].sort(),
    );
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('aggregate_type', '=', 'calendar_feed_token')
      .where('aggregate_id', '=', f.person.officialA)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar_feed.created']);
    expect(JSON.stringify(audit)).not.toContain(officialToken);
    expect(JSON.stringify(audit)).not.toContain(sha256Hex(officialToken));

    const mine = await call(as.official, 'GET', '/api/calendar/mine');
    expect(mine.body.feed).toMatchObject({ active: true, language: 'vi' });
  });

  it("answers each person's own deadlines as all-day events, never the other's", async () => {
    const o = await call(undefined, 'GET', `/api/calendar/feed/${officialToken}.ics`);
    expect(o.status).toBe(200);
    expect(o.res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(o.res.headers.get('cache-control')).toMatch(/^private/);
    const lines = unfold(o.text);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    const ev = events(o.text);
    const uids = ev.map((e) => e.UID);
    expect(uids).toContain('task:t-plan@woms');
    expect(uids).toContain('task:t-role@woms');
    expect(uids).toContain(`check-in.2026-12:${f.person.officialA}@woms`);
    expect(uids).not.toContain('task:t-verify@woms');
    expect(uids).not.toContain('task:t-done@woms');
    const plan = ev.find((e) => e.UID === 'task:t-plan@woms');
    expect(plan?.['DTSTART;VALUE=DATE']).toBe('20261204');
    expect(plan?.['DTEND;VALUE=DATE']).toBe('20261205');
    expect(plan?.SUMMARY).toBe('Nộp kế hoạch');
    expect(plan?.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
    expect(plan?.DESCRIPTION).toContain('Hạn: 04/12/2026');
    expect(plan?.DESCRIPTION).toContain(`${WEB}/plans/plan%3A2027%3Aunit%3Ax`);
    const nov = ev.find((e) => e.UID === 'task:t-checkin-nov@woms');
    expect(nov?.SUMMARY).toBe('Báo cáo kết quả tháng tháng 11/2026');

    const s = await call(undefined, 'GET', `/api/calendar/feed/${supervisorToken}.ics`);
    expect(s.status).toBe(200);
    const sev = events(s.text);
    expect(sev.map((e) => e.UID)).toContain('task:t-verify@woms');
    expect(sev.map((e) => e.UID)).not.toContain('task:t-plan@woms');
    expect(sev.some((e) => e.UID?.includes(f.person.officialA))).toBe(false);
    // the same item keeps its UID from one fetch to the next
    const again = await call(undefined, 'GET', `/api/calendar/feed/${officialToken}.ics`);
    expect(events(again.text).map((e) => e.UID)).toEqual(uids);
  });

  it('is written in the language chosen for the link', async () => {
    const e = await call(as.supervisor, 'POST', '/api/calendar/feed-token', { language: 'en' });
    expect(e.body).toMatchObject({ language: 'en', rotated: true });
    supervisorToken = e.body.token;
    const s = await call(undefined, 'GET', `/api/calendar/feed/${supervisorToken}.ics`);
    expect(events(s.text).find((x) => x.UID === 'task:t-verify@woms')?.SUMMARY).toBe(
      'Verify a monthly check-in',
    );
    const bad = await call(as.supervisor, 'POST', '/api/calendar/feed-token', { language: 'fr' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('rotating invalidates the old link at once', async () => {
    const r = await call(as.official, 'POST', '/api/calendar/feed-token', { language: 'vi' });
    expect(r.body.rotated).toBe(true);
    const old = await call(undefined, 'GET', `/api/calendar/feed/${officialToken}.ics`);
    expect([old.status, old.body.code]).toEqual([404, 'CALENDAR_FEED_NOT_FOUND']);
    officialToken = r.body.token;
    expect((await call(undefined, 'GET', `/api/calendar/feed/${officialToken}.ics`)).status).toBe(200);
  });

  it('revoking answers 404 from then on, and is audited', async () => {
    const d = await call(as.official, 'DELETE', '/api/calendar/feed-token');
    expect([d.status, d.body.revoked]).toEqual([200, true]);
    const gone = await call(undefined, 'GET', `/api/calendar/feed/${officialToken}.ics`);
    expect([gone.status, gone.body.code]).toEqual([404, 'CALENDAR_FEED_NOT_FOUND']);
    const again = await call(as.official, 'DELETE', '/api/calendar/feed-token');
    expect(again.body.revoked).toBe(false);
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'calendar_feed_token')
      .where('aggregate_id', '=', f.person.officialA)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'calendar_feed.created',
      'calendar_feed.rotated',
      'calendar_feed.revoked',
    ]);
    // the other person's link is untouched
    expect((await call(undefined, 'GET', `/api/calendar/feed/${supervisorToken}.ics`)).status).toBe(200);
  });

  it('answers 404 for a malformed or unknown token', async () => {
    for (const file of ['nothing.ics', `${'A'.repeat(43)}.ics`, `${supervisorToken}.txt`, supervisorToken]) {
      const r = await call(undefined, 'GET', `/api/calendar/feed/${encodeURIComponent(file)}`);
      expect([file, r.status]).toEqual([file, 404]);
    }
  });
});

describe('unknown links are throttled per address', () => {
  it('refuses an address with too many unknown tokens, even with a valid one, until the lock ends', async () => {
    const { db: db2 } = await freshDatabase();
    let t = new Date();
    const strict = createApp({
      db: db2,
      temporal: () => Promise.reject(new Error('unused')),
      version: 'test',
      clock: () => t,
      auth: { maxFailuresPerIp: 3, lockoutMs: 60_000 },
    });
    const g = await buildOrg(db2, strict);
    const who = await signIn(strict, 'officiala@test.woms.vn', PASSWORD);
    const created = await requestAs(strict, who, 'POST', '/api/calendar/feed-token', { language: 'vi' });
    const token = ((await created.json()) as Json).token as string;
    expect(g.person.officialA).toBeTruthy();
    const fetchFeed = (tok: string) => requestAs(strict, undefined, 'GET', `/api/calendar/feed/${tok}.ics`);
    expect((await fetchFeed(token)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await fetchFeed('B'.repeat(43))).status).toBe(404);
    const locked = await fetchFeed(token);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as Json).code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    t = new Date(t.getTime() + 61_000);
    expect((await fetchFeed(token)).status).toBe(200);
  });
});

describe('item titles', () => {
  it('names every task kind the processes open, in both languages', () => {
    const kinds = [
      'plan.submit',
      'plan.revise',
      'plan.appraise',
      'plan.decide',
      'plan.decompose',
      'plan.period-submit',
      'plan.period-decide',
      'plan.amend-appraise',
      'plan.amend-decide',
      'delegation.approve',
      'check-in.submit',
      'check-in.revise',
      'check-in.verify',
      'check-in.reopen',
      'assessment.confirm',
      'report.monthly',
      'report.quarterly',
      'forecast.warning',
    ];
    for (const kind of kinds) {
      const t = itemTitle({ kind, period: null });
      expect(t.vi, kind).not.toBe('Việc khác');
      expect(t.en, kind).not.toBe('Other task');
    }
    expect(itemTitle({ kind: 'something.new', period: null }).vi).toBe('Việc khác');
  });
});
