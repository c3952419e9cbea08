// Giao ban sessions in my calendar and its iCalendar feed (issue 7 point 5), on a real database: the people who
// take part (the province's secretariat and standing committee, the head of each unit directly under the
// province) see each quarter's session, the day its agenda and dossiers are sent, and the year-end review
// session, from the province's plan-year calendar; a deadline the administrator moved is shown on its new day;
// nobody else gets them.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../db/queries/calendar.ts';
import { calendarItemsOf, giaoBanProvincesOf } from '../../db/queries/calendar-feed.ts';
import { saveMove } from '../../db/queries/deadline-moves.ts';
import { TEST_PROFILE } from '../../test/support/annual-plan.ts';
import { type SignedIn, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import {
  ACTORS,
  buildOrg,
  type OrgFixture,
  PASSWORD,
  requestAs,
  TOTP_SECRET,
} from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';

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
const TODAY = '2026-12-02';
const profileId = `cal-${randomUUID()}`;

let f: OrgFixture;
const as: Record<'head' | 'secretariat' | 'official', SignedIn> = {} as never;

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
type Json = Record<string, any>;
const call = async (who: SignedIn | undefined, method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, who, method, path, body);
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : null;
  return { status: res.status, body: json as Json, text };
};

/** The .ics events, folded lines joined back (RFC 5545 §3.1), as in calendar-feed.test.ts. */
function events(ics: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    if (line === 'BEGIN:VEVENT') cur = {};
    else if (line === 'END:VEVENT' && cur) {
      out.push(cur);
      cur = null;
    } else if (cur) cur[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1);
  }
  return out;
}

/** The item key of a deadline of plan year 2026's calendar. */
const key = (id: string, year = 2026) => `session:${f.unit.P}:${year}:${id}`;

beforeAll(async () => {
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: profileId }, { provinceId: f.unit.P });
  now = WEDNESDAY;
  const opts = { totpSecret: TOTP_SECRET, now: () => now };
  as.head = await signIn(app, 'heada@test.woms.vn', PASSWORD, opts);
  as.secretariat = await signIn(app, 'secretariatp@test.woms.vn', PASSWORD, opts);
  as.official = await signIn(app, 'officiala@test.woms.vn', PASSWORD, opts);
});

describe('who takes part', () => {
  it("the province's secretariat and standing committee and the heads of its units; nobody else", async () => {
    const range = { from: '2026-12-01', to: '2027-01-31', today: TODAY };
    const got: string[] = [];
    for (const who of ACTORS) {
      const items = await calendarItemsOf(db, f.person[who], range);
      if (items.some((i) => i.source === 'session')) got.push(who);
    }
    expect(got.sort()).toEqual(['headA', 'secretariatP', 'standingP'].sort());
    // the head of unit B too (not a signed-in actor of the fixture), not the staff of A
    expect(await giaoBanProvincesOf(db, f.person.headB, TODAY)).toEqual([f.unit.P]);
    expect(await giaoBanProvincesOf(db, f.person.staffA, TODAY)).toEqual([]);
    expect(await giaoBanProvincesOf(db, f.person.supervisorA, TODAY)).toEqual([]);
  });

  it('an official does not get them through the API', async () => {
    const r = await call(as.official, 'GET', '/api/calendar/mine?from=2026-10-01&to=2027-01-31');
    expect(r.status).toBe(200);
    expect((r.body.items as Json[]).filter((i) => i.source === 'session')).toEqual([]);
  });
});

describe('the sessions in my calendar', () => {
  it("lists the quarter's session, its dossier day and the year-end review, titled, by date", async () => {
    const r = await call(as.head, 'GET', '/api/calendar/mine?from=2026-10-01&to=2027-01-31');
    expect(r.status).toBe(200);
    const sessions = (r.body.items as Json[]).filter((i) => i.source === 'session');
    expect(sessions.map((i) => [i.key, i.kind, i.date, i.period])).toEqual([
      [key('giao-ban.2026-Q3.dossier'), 'giao-ban-dossier', '2026-10-16', '2026-Q3'],
      [key('giao-ban.2026-Q3'), 'giao-ban', '2026-10-20', '2026-Q3'],
      // 20/12/2026 is a Sunday: the review session sits on Monday 21/12
      [key('year-end.review-session'), 'review-session', '2026-12-21', null],
      [key('giao-ban.2026-Q4.dossier'), 'giao-ban-dossier', '2027-01-18', '2026-Q4'],
      [key('giao-ban.2026-Q4'), 'giao-ban', '2027-01-20', '2026-Q4'],
    ]);
    const byKey = Object.fromEntries(sessions.map((i) => [i.key, i]));
    expect(byKey[key('giao-ban.2026-Q4')].title).toEqual({
      vi: 'Phiên giao ban quý 4/2026',
      en: 'Giao ban session, Q4 2026',
    });
    expect(byKey[key('giao-ban.2026-Q4.dossier')].title.vi).toBe(
      'Gửi chương trình và hồ sơ phiên giao ban quý 4/2026',
    );
    expect(byKey[key('year-end.review-session')].title).toEqual({
      vi: 'Hội nghị tổng kết năm 2026',
      en: 'Year-end review session 2026',
    });
    expect(byKey[key('giao-ban.2026-Q3')].overdue).toBe(true);
    expect(byKey[key('giao-ban.2026-Q4')].overdue).toBe(false);

    const s = await call(as.secretariat, 'GET', '/api/calendar/mine?from=2027-01-01&to=2027-01-31');
    expect((s.body.items as Json[]).filter((i) => i.source === 'session').map((i) => i.key)).toEqual([
      key('giao-ban.2026-Q4.dossier'),
      key('giao-ban.2026-Q4'),
    ]);
  });

  // (the quarter sessions' ids, 'giao-ban.2026-Q4', cannot be moved today: the deadline_move check and the admin
  // route accept lower-case ids only — reported, not changed here; the review session is moved instead)
  it("follows the administrator's moves: the review session on its new day", async () => {
    await saveMove(db, {
      profileId,
      year: 2026,
      deadlineId: 'year-end.review-session',
      to: '2026-12-18',
      reason: 'Họp sớm',
      by: f.person.adminP,
    });
    const r = await call(as.head, 'GET', '/api/calendar/mine?from=2026-12-01&to=2027-01-31');
    const sessions = (r.body.items as Json[]).filter((i) => i.source === 'session');
    expect(sessions.map((i) => [i.key, i.date, i.title.vi])).toEqual([
      [key('year-end.review-session'), '2026-12-18', 'Hội nghị tổng kết năm 2026'],
      [key('giao-ban.2026-Q4.dossier'), '2027-01-18', 'Gửi chương trình và hồ sơ phiên giao ban quý 4/2026'],
      [key('giao-ban.2026-Q4'), '2027-01-20', 'Phiên giao ban quý 4/2026'],
    ]);
  });

  it("the feed carries them as all-day events with stable UIDs; an official's feed does not", async () => {
    const t = await call(as.head, 'POST', '/api/calendar/feed-token', { language: 'vi' });
    expect(t.status).toBe(201);
    const feed = await call(undefined, 'GET', `/api/calendar/feed/${t.body.token}.ics`);
    expect(feed.status).toBe(200);
    const ev = events(feed.text);
    const session = ev.find((e) => e.UID === `${key('giao-ban.2026-Q4')}@woms`);
    expect(session?.SUMMARY).toBe('Phiên giao ban quý 4/2026');
    expect(session?.['DTSTART;VALUE=DATE']).toBe('20270120');
    expect(session?.['DTEND;VALUE=DATE']).toBe('20270121');
    expect(session?.DESCRIPTION).toContain('Ngày: 20/01/2027');
    const dossier = ev.find((e) => e.UID === `${key('giao-ban.2026-Q4.dossier')}@woms`);
    expect(dossier?.['DTSTART;VALUE=DATE']).toBe('20270118');
    expect(dossier?.SUMMARY).toBe('Gửi chương trình và hồ sơ phiên giao ban quý 4/2026');
    // the moved review session is on its new day in the feed too
    const review = ev.find((e) => e.UID === `${key('year-end.review-session')}@woms`);
    expect(review?.['DTSTART;VALUE=DATE']).toBe('20261218');
    expect(review?.SUMMARY).toBe('Hội nghị tổng kết năm 2026');
    // the window reaches a year ahead: next year's first sessions are there too
    expect(ev.some((e) => e.UID === `${key('giao-ban.2027-Q1', 2027)}@woms`)).toBe(true);
    // each year's review session is its own event (the deadline id is the same every year)
    const reviews = ev.filter((e) => e.UID?.endsWith(':year-end.review-session@woms'));
    expect(reviews.map((e) => e['DTSTART;VALUE=DATE']).sort()).toEqual(['20261218', '20271220']);

    const o = await call(as.official, 'POST', '/api/calendar/feed-token', { language: 'en' });
    const ofeed = await call(undefined, 'GET', `/api/calendar/feed/${o.body.token}.ics`);
    expect(ofeed.status).toBe(200);
    expect(events(ofeed.text).some((e) => e.UID?.startsWith('session:'))).toBe(false);
  });
});
