// My calendar (issue 7 point 5): my deadlines by date — my open tasks of every kind from the task read model,
// my monthly check-in deadlines from my province's plan-year calendar and, for the people who take part (the
// province's secretariat and standing committee, the heads of its units), the giao ban sessions, their dossier
// days and the year-end review session from the same calendar — and a private, revocable iCalendar feed of them
// that a phone calendar subscribes to without a session. Only the token's sha256 is stored; the token is shown once.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { sql } from 'kysely';
import {
  type CalendarItem,
  calendarItemsOf,
  feedTokenOf,
  newFeedToken,
  personOfFeedToken,
  revokeFeedToken,
  saveFeedToken,
} from '../../db/queries/calendar-feed.ts';
import type { FeedLanguage } from '../../db/schema-calendar-feed.ts';
import { addCalendarDays, vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { formatDate } from '../../domain/format/date.ts';
import { resolveAuthConfig } from '../auth/config.ts';
import { clientIp } from '../auth/cookies.ts';
import { check, publicRoute, requires } from '../authz/middleware.ts';
import { contentApp, errorResponses, isoDate, jsonOk, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { actorId, audit } from './admin/common.ts';
import { taskLink } from './inbox.ts';

const tags = ['calendar'];

/** The longest range one request may ask for (a little more than a year). */
export const MAX_RANGE_DAYS = 400;
/** The feed's window: open items from this many days back to this many ahead. */
export const FEED_DAYS_BACK = 92;
export const FEED_DAYS_AHEAD = 400;

// The words of the feed, per language (the web screen has its own, from the catalogues).
const KIND_TEXT: Record<string, { vi: string; en: string }> = {
  'plan.submit': { vi: 'Nộp kế hoạch', en: 'Submit the plan' },
  'plan.revise': { vi: 'Sửa và nộp lại kế hoạch', en: 'Revise and resubmit the plan' },
  'plan.appraise': { vi: 'Thẩm định kế hoạch', en: 'Appraise the plan' },
  'plan.decide': { vi: 'Phê duyệt kế hoạch', en: 'Decide on the plan' },
  'plan.approve': { vi: 'Phê duyệt kế hoạch', en: 'Decide on the plan' },
  'plan.decompose': {
    vi: 'Giao kế hoạch cho đơn vị trực thuộc và cá nhân',
    en: 'Decompose the plan into sub-unit and person plans',
  },
  'plan.period-submit': { vi: 'Nộp kế hoạch quý/tháng', en: 'Submit the quarter or month plan' },
  'plan.period-decide': { vi: 'Duyệt kế hoạch quý/tháng', en: 'Approve the quarter or month plan' },
  'plan.amend-appraise': { vi: 'Thẩm định điều chỉnh kế hoạch', en: 'Appraise the plan amendment' },
  'plan.amend-decide': { vi: 'Phê duyệt điều chỉnh kế hoạch', en: 'Approve the plan amendment' },
  'delegation.approve': { vi: 'Duyệt đề nghị ủy quyền', en: 'Approve a delegation request' },
  'check-in.submit': { vi: 'Báo cáo kết quả tháng', en: 'Monthly check-in' },
  'check-in.revise': {
    vi: 'Sửa và nộp lại báo cáo kết quả tháng',
    en: 'Revise and resubmit the monthly check-in',
  },
  'check-in.verify': { vi: 'Xác nhận báo cáo kết quả tháng', en: 'Verify a monthly check-in' },
  'check-in.reopen': { vi: 'Quyết định mở lại kỳ báo cáo', en: 'Decide on reopening a reporting period' },
  'assessment.confirm': { vi: 'Xác nhận đánh giá kỳ', en: 'Confirm a period assessment' },
  'report.monthly': {
    vi: 'Ký và gửi báo cáo tháng của đơn vị',
    en: "Sign and send the unit's monthly report",
  },
  'report.quarterly': {
    vi: 'Ký và gửi báo cáo quý của đơn vị',
    en: "Sign and send the unit's quarterly report",
  },
  'forecast.warning': {
    vi: 'Cảnh báo: mục tiêu có nguy cơ không đạt',
    en: 'Warning: a target is projected to be missed',
  },
  /** A check-in deadline of the plan-year calendar (no task yet). */
  'check-in': { vi: 'Hạn báo cáo kết quả tháng', en: 'Monthly check-in due' },
  /** Giao ban sessions of the province calendar (for the people who take part). */
  'giao-ban': { vi: 'Phiên giao ban', en: 'Giao ban session' },
  'giao-ban-dossier': {
    vi: 'Gửi chương trình và hồ sơ phiên giao ban',
    en: 'Giao ban agenda and dossiers sent',
  },
  'review-session': { vi: 'Hội nghị tổng kết năm', en: 'Year-end review session' },
};
const OTHER = { vi: 'Việc khác', en: 'Other task' };
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The item's title in both languages: its kind, and its period where it has one ("tháng 02/2026"). */
export function itemTitle(i: Pick<CalendarItem, 'kind' | 'period'> & { date?: string }): {
  vi: string;
  en: string;
} {
  const base = KIND_TEXT[i.kind] ?? OTHER;
  // the year-end review session has no period: it is named with its year
  if (i.kind === 'review-session' && i.date)
    return { vi: `${base.vi} ${i.date.slice(0, 4)}`, en: `${base.en} ${i.date.slice(0, 4)}` };
  const p = i.period;
  const month = p ? /^(\d{4})-(\d{2})$/.exec(p) : null;
  const quarter = p ? /^(\d{4})-Q([1-4])$/.exec(p) : null;
  if (month)
    return {
      vi: `${base.vi} tháng ${month[2]}/${month[1]}`,
      en: `${base.en}, ${EN_MONTHS[Number(month[2]) - 1]} ${month[1]}`,
    };
  if (quarter)
    return {
      vi: `${base.vi} quý ${quarter[2]}/${quarter[1]}`,
      en: `${base.en}, Q${quarter[2]} ${quarter[1]}`,
    };
  return base;
}

/** The screen where the item is done (a same-site path). */
export function itemLink(i: CalendarItem): string {
  if (i.source === 'task' && i.subjectType && i.subjectId)
    return taskLink({
      subject_type: i.subjectType,
      subject_id: i.subjectId,
      kind: i.kind,
      details: i.details,
    });
  if (i.kind === 'check-in' && i.period) return `/check-ins?period=${i.period}`;
  return '/calendar';
}

const CalendarEntry = z
  .object({
    key: z.string(),
    source: z.enum(['task', 'calendar', 'session']),
    kind: z.string(),
    date: z.string(),
    period: z.string().nullable(),
    title: z.object({ vi: z.string(), en: z.string() }),
    link: z.string(),
    overdue: z.boolean(),
  })
  .openapi('CalendarEntry');
const FeedStatus = z
  .object({
    active: z.boolean(),
    language: z.enum(['vi', 'en']).nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('CalendarFeedStatus');
const MyCalendar = z
  .object({
    from: z.string(),
    to: z.string(),
    today: z.string(),
    items: z.array(CalendarEntry),
    feed: FeedStatus,
  })
  .openapi('MyCalendar');
const FeedTokenBody = z
  .object({ language: z.enum(['vi', 'en']).default('vi') })
  .strict()
  .openapi('CalendarFeedTokenRequest');
const FeedTokenCreated = z
  .object({
    /** Shown once: only its hash is kept. */
    token: z.string(),
    /** The feed's path on this origin: /api/calendar/feed/<token>.ics */
    path: z.string(),
    language: z.enum(['vi', 'en']),
    createdAt: z.string(),
    /** An earlier link of mine stopped working. */
    rotated: z.boolean(),
  })
  .openapi('CalendarFeedTokenCreated');

const rangeInvalid = () =>
  new ApiProblem({
    status: 422,
    code: 'CALENDAR_RANGE_INVALID',
    vi: `Khoảng ngày không hợp lệ: ngày bắt đầu phải trước ngày kết thúc và không quá ${MAX_RANGE_DAYS} ngày.`,
    en: `Invalid date range: from must not be after to, and the range is at most ${MAX_RANGE_DAYS} days.`,
  });
const feedNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'CALENDAR_FEED_NOT_FOUND',
    vi: 'Không tìm thấy lịch này. Đường dẫn có thể đã bị thu hồi hoặc thay mới.',
    en: 'No such calendar. The link may have been revoked or replaced.',
  });
const feedThrottled = (retryAfterSeconds: number) =>
  new ApiProblem({
    status: 429,
    code: 'TOO_MANY_ATTEMPTS',
    vi: 'Quá nhiều yêu cầu lịch sai từ địa chỉ này. Vui lòng thử lại sau.',
    en: 'Too many invalid calendar requests from this address. Please try again later.',
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const monthEnd = (day: string) =>
  addCalendarDays(`${addCalendarDays(monthStart(day), 32).slice(0, 7)}-01`, -1);
const TOKEN_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

export function calendarFeedRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const authConfig = resolveAuthConfig(deps.auth);
  const feedKey = (ip: string) => `calendar-feed:ip:${ip}`;

  /** The web app's origin for absolute links: configured, else the one the request came through. */
  function webOrigin(c: Context): string {
    if (deps.webUrl) return deps.webUrl.replace(/\/+$/, '');
    const host = c.req.header('x-forwarded-host');
    const proto = c.req.header('x-forwarded-proto');
    if (host && /^[A-Za-z0-9.-]+(:\d+)?$/.test(host) && (proto === 'http' || proto === 'https'))
      return `${proto}://${host}`;
    return new URL(c.req.url).origin;
  }

  // Unknown tokens count as failures per client address in the sign-in throttle's table and window (api/auth);
  // an address that reaches the limit is refused (429) until the lock ends.
  async function throttleCheck(ip: string, at: Date) {
    const row = await db
      .selectFrom('auth_throttle')
      .select('locked_until')
      .where('key', '=', feedKey(ip))
      .executeTakeFirst();
    const left = (row?.locked_until?.getTime() ?? 0) - at.getTime();
    if (left > 0) throw feedThrottled(left / 1000);
  }
  async function throttleFailure(ip: string, at: Date) {
    const windowStart = new Date(at.getTime() - authConfig.failureWindowMs);
    const row = await db
      .insertInto('auth_throttle')
      .values({ key: feedKey(ip), failures: 1, window_start: at, locked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql`CASE WHEN auth_throttle.window_start <= ${windowStart} THEN 1 ELSE auth_throttle.failures + 1 END`,
          window_start: sql`CASE WHEN auth_throttle.window_start <= ${windowStart} THEN ${at}::timestamptz ELSE auth_throttle.window_start END`,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (row.failures >= authConfig.maxFailuresPerIp)
      await db
        .updateTable('auth_throttle')
        .set({ failures: 0, window_start: at, locked_until: new Date(at.getTime() + authConfig.lockoutMs) })
        .where('key', '=', feedKey(ip))
        .execute();
  }

  const entry = (i: CalendarItem, today: string): z.infer<typeof CalendarEntry> => ({
    key: i.key,
    source: i.source,
    kind: i.kind,
    date: i.date,
    period: i.period,
    title: itemTitle(i),
    link: itemLink(i),
    overdue: i.date < today,
  });

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/calendar/mine',
        tags,
        summary:
          'My deadlines by date (my open tasks of every kind, my check-in deadlines ahead, the giao ban sessions I take part in), and whether I have a feed link',
        middleware: [requires('calendar.read')],
        request: { query: z.object({ from: isoDate.optional(), to: isoDate.optional() }) },
        responses: { 200: jsonOk(MyCalendar), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const q = c.req.valid('query');
        const today = vnLocalDate(now().getTime());
        const from = q.from ?? monthStart(q.to ?? today);
        const to = q.to ?? monthEnd(from);
        if (to < from || daysBetween(from, to) > MAX_RANGE_DAYS) throw rangeInvalid();
        const [items, feed] = await Promise.all([
          calendarItemsOf(db, me, { from, to, today }),
          feedTokenOf(db, me),
        ]);
        return c.json(
          {
            from,
            to,
            today,
            items: items.map((i) => entry(i, today)),
            feed: {
              active: !!feed,
              language: feed?.language ?? null,
              createdAt: feed ? feed.created_at.toISOString() : null,
            },
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/calendar/feed-token',
        tags,
        summary:
          'Create my private calendar feed link, or replace it (the old link stops working); the token is shown once',
        middleware: [requires('calendar.feed.manage')],
        request: {
          body: { required: false, content: { 'application/json': { schema: FeedTokenBody } } },
        },
        responses: { 201: jsonOk(FeedTokenCreated, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined;
        const language: FeedLanguage = body?.language ?? 'vi';
        const token = newFeedToken();
        const at = now();
        const rotated = await db.transaction().execute(async (trx) => {
          const before = await feedTokenOf(trx, me);
          await saveFeedToken(trx, me, token, language, at);
          // the audit trail never holds the token nor its hash
          await audit(
            trx,
            c,
            'calendar_feed_token',
            me,
            before ? 'calendar_feed.rotated' : 'calendar_feed.created',
            before ? { language: before.language, createdAt: before.created_at.toISOString() } : null,
            { language, createdAt: at.toISOString() },
          );
          return !!before;
        });
        return c.json(
          {
            token,
            path: `/api/calendar/feed/${token}.ics`,
            language,
            createdAt: at.toISOString(),
            rotated,
          },
          201,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/calendar/feed-token',
        tags,
        summary: 'Revoke my calendar feed link (it answers 404 from now on)',
        middleware: [requires('calendar.feed.manage')],
        responses: {
          200: jsonOk(z.object({ revoked: z.boolean() }).openapi('CalendarFeedRevoked')),
          ...errorResponses,
        },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const revoked = await db.transaction().execute(async (trx) => {
          const before = await feedTokenOf(trx, me);
          if (!before) return false;
          await revokeFeedToken(trx, me);
          await audit(
            trx,
            c,
            'calendar_feed_token',
            me,
            'calendar_feed.revoked',
            { language: before.language, createdAt: before.created_at.toISOString() },
            null,
          );
          return true;
        });
        return c.json({ revoked }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/calendar/feed/{file}',
        tags,
        summary:
          'The iCalendar feed of a private link (<token>.ics): public, no session; 404 for an unknown or revoked token',
        security: [],
        middleware: [publicRoute()],
        request: {
          params: z.object({
            file: z
              .string()
              .max(100)
              .openapi({ param: { name: 'file', in: 'path' }, example: '<token>.ics' }),
          }),
        },
        responses: {
          200: {
            description: 'The calendar (all-day events)',
            content: { 'text/calendar': { schema: z.string() } },
          },
          404: errorResponses[404],
          429: {
            description: 'Too many unknown links from this address (TOO_MANY_ATTEMPTS)',
            content: errorResponses[404].content,
          },
        },
      }),
      async (c) => {
        const at = now();
        const ip = clientIp(c, authConfig);
        await throttleCheck(ip, at);
        const m = TOKEN_FILE.exec(c.req.valid('param').file);
        const owner = m?.[1] ? await personOfFeedToken(db, m[1]) : undefined;
        if (!owner) {
          await throttleFailure(ip, at);
          throw feedNotFound();
        }
        const today = vnLocalDate(at.getTime());
        const items = await calendarItemsOf(db, owner.personId, {
          from: addCalendarDays(today, -FEED_DAYS_BACK),
          to: addCalendarDays(today, FEED_DAYS_AHEAD),
          today,
        });
        const lang = owner.language;
        const origin = webOrigin(c);
        const cal = ical({
          name: lang === 'vi' ? 'WOMS — Lịch hạn của tôi' : 'WOMS — My deadlines',
          prodId: { company: 'WOMS', product: 'my-calendar', language: lang.toUpperCase() },
          method: ICalCalendarMethod.PUBLISH,
          ttl: 60 * 60,
        });
        for (const i of items) {
          const title = itemTitle(i)[lang];
          const url = `${origin}${itemLink(i)}`;
          const due =
            i.source === 'session'
              ? lang === 'vi'
                ? `Ngày: ${formatDate(i.date)}`
                : `Date: ${i.date}`
              : lang === 'vi'
                ? `Hạn: ${formatDate(i.date)}`
                : `Due: ${i.date}`;
          cal.createEvent({
            id: `${i.key}@woms`,
            start: i.date,
            end: addCalendarDays(i.date, 1),
            allDay: true,
            stamp: at,
            summary: title,
            description: `${title}\n${due}\n${url}`,
            url,
          });
        }
        return c.body(cal.toString(), 200, {
          'Content-Type': 'text/calendar; charset=utf-8',
          'Content-Disposition': 'inline; filename="woms.ics"',
          'Cache-Control': 'private, no-cache',
          'Referrer-Policy': 'no-referrer',
        });
      },
    );
}
