// Calendar profiles (DESIGN §3): weekend days, holidays, make-up working days and deadline settings of a
// province, checked with the domain's calendar and ladder rules before they are saved.
import { createRoute } from '@hono/zod-openapi';
import { loadCalendarProfile, saveCalendarProfile } from '../../../db/queries/calendar.ts';
import type { JsonValue } from '../../../db/schema.ts';
import { type LadderSettings, validateLadderSettings } from '../../../domain/calendar/ladder.ts';
import type { CalendarProfile } from '../../../domain/calendar/profile.ts';
import { workingCalendar } from '../../../domain/calendar/working-days.ts';
import { check, requires } from '../../authz/middleware.ts';
import { provinceResource } from '../../authz/resources.ts';
import {
  codeText,
  contentApp,
  errorResponses,
  isoDate,
  jsonBody,
  jsonOk,
  nameText,
  pageOf,
  plainText,
  uuid,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { movesByYear, recordChange, runningPlanYears, startPending } from './calendar-propagation.ts';
import { actorId, audit, rule } from './common.ts';

const Holiday = z.object({ date: isoDate, nameVi: nameText(120), nameEn: nameText(120) }).strict();
const HolidayOut = z.object({ date: z.string(), nameVi: z.string(), nameEn: z.string() });
const Ladder = z
  .object({
    reminderOffsets: z.array(z.number().int().min(-30).max(0)).max(10),
    graceDays: z.number().int().min(1).max(10),
    overdueReminderOffsets: z.array(z.number().int().min(1).max(30)).max(10),
    escalations: z
      .array(
        z
          .object({
            offset: z.number().int().min(1).max(60),
            to: z.enum(['supervisor', 'unit-head', 'secretariat']),
            scopes: z.array(z.enum(['individual', 'head', 'unit'])).min(1),
          })
          .strict(),
      )
      .max(6),
    fireAtHour: z.number().int().min(0).max(23),
    topLevelRepeatEveryWorkingDays: z.number().int().min(1).max(30),
  })
  .strict();
const DeadlineSettings = z
  .object({
    ladder: Ladder.optional(),
    beforeDeadlineIds: z.array(codeText(64)).max(50).optional(),
    /** Deadline id → yyyy-mm-dd or day-of-month overrides, owned by the deadline machinery. */
    overrides: z.record(codeText(64), z.union([z.string().max(40), z.number().int()])).optional(),
    /** Working days a ranked person has to appeal against their ranking notice (10 when absent; issue 8). */
    appealWorkingDays: z.number().int().min(1).max(60).optional(),
  })
  .strict();

const PutProfile = z
  .object({
    provinceId: uuid,
    name: nameText(120),
    weekendDays: z.array(z.number().int().min(1).max(7)).max(6),
    holidays: z.array(Holiday).max(200),
    makeUpWorkingDays: z.array(isoDate).max(50),
    deadlineSettings: DeadlineSettings.optional(),
    source: plainText(500).optional(),
    /** Why the calendar changed (told to running plans whose deadlines move); a default text otherwise. */
    changeReason: plainText(500).optional(),
  })
  .strict()
  .openapi('PutCalendarProfile');

export const CalendarProfileOut = z
  .object({
    id: z.string(),
    provinceId: z.string().nullable(),
    name: z.string(),
    weekendDays: z.array(z.number()),
    holidays: z.array(HolidayOut),
    makeUpWorkingDays: z.array(z.string()),
    deadlineSettings: z.record(z.string(), z.unknown()),
    source: z.string().nullable(),
  })
  .openapi('CalendarProfile');
type CalendarProfileDto = z.infer<typeof CalendarProfileOut>;
const SavedProfileOut = CalendarProfileOut.extend({
  /** The workflow carrying the change to running plans (null: none was running). */
  propagationWorkflowId: z.string().nullable(),
}).openapi('SavedCalendarProfile');

const ProfileId = z.object({
  id: codeText(64).openapi({ param: { name: 'id', in: 'path' } }),
});
const tags = ['calendar-profiles'];
const profileNotFound = () =>
  rule(404, 'CALENDAR_PROFILE_NOT_FOUND', 'Không tìm thấy hồ sơ lịch.', 'Calendar profile not found.');

async function loadDto(db: ApiDeps['db'], id: string): Promise<CalendarProfileDto | undefined> {
  const s = await loadCalendarProfile(db, id);
  if (!s) return undefined;
  return {
    id: s.profile.id,
    provinceId: s.provinceId,
    name: s.profile.name,
    weekendDays: s.profile.weekendDays,
    holidays: s.profile.holidays.map((h) => ({ date: h.date, nameVi: h.nameVi, nameEn: h.nameEn })),
    makeUpWorkingDays: s.profile.makeUpWorkingDays,
    deadlineSettings:
      s.deadlineSettings && typeof s.deadlineSettings === 'object' && !Array.isArray(s.deadlineSettings)
        ? (s.deadlineSettings as Record<string, unknown>)
        : {},
    source: s.profile.source ?? null,
  };
}

const isoWeekday = (d: string) => {
  const w = new Date(`${d}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
};

/** The domain's rules for a profile, as stable codes. */
function checkProfile(p: z.infer<typeof PutProfile>, profile: CalendarProfile): void {
  const invalid = (code: string, vi: string, en: string) => rule(422, code, vi, en);
  if (new Set(p.weekendDays).size !== p.weekendDays.length)
    throw invalid(
      'CALENDAR_WEEKEND_INVALID',
      'Ngày nghỉ cuối tuần bị lặp.',
      'A weekend day is listed twice.',
    );
  const holidayDays = p.holidays.map((h) => h.date);
  if (new Set(holidayDays).size !== holidayDays.length)
    throw invalid('CALENDAR_HOLIDAY_DUPLICATE', 'Một ngày nghỉ lễ bị lặp.', 'A holiday is listed twice.');
  if (new Set(p.makeUpWorkingDays).size !== p.makeUpWorkingDays.length)
    throw invalid(
      'CALENDAR_MAKE_UP_DAY_DUPLICATE',
      'Một ngày làm bù bị lặp.',
      'A make-up day is listed twice.',
    );
  for (const d of p.makeUpWorkingDays) {
    if (!p.weekendDays.includes(isoWeekday(d)))
      throw invalid(
        'CALENDAR_MAKE_UP_DAY_NOT_WEEKEND',
        `Ngày làm bù ${d} không phải ngày nghỉ cuối tuần.`,
        `The make-up day ${d} is not a weekend day.`,
      );
    if (holidayDays.includes(d))
      throw invalid(
        'CALENDAR_HOLIDAY_ON_MAKE_UP_DAY',
        `Ngày ${d} vừa là ngày lễ vừa là ngày làm bù.`,
        `${d} is both a holiday and a make-up day.`,
      );
  }
  try {
    workingCalendar(profile).nextWorkingDay(holidayDays[0] ?? '2026-01-01');
    if (p.deadlineSettings?.ladder) validateLadderSettings(p.deadlineSettings.ladder as LadderSettings);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw invalid(
      'CALENDAR_DEADLINE_SETTINGS_INVALID',
      `Cấu hình lịch không hợp lệ: ${msg}`,
      `The calendar settings are invalid: ${msg}`,
    );
  }
}

export function calendarProfileRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "A province's calendar profiles",
        middleware: [requires('calendar.profile.read')],
        request: { query: z.object({ provinceId: uuid }) },
        responses: { 200: jsonOk(pageOf(CalendarProfileOut)), ...errorResponses },
      }),
      async (c) => {
        const { provinceId } = c.req.valid('query');
        await check(c, db, await provinceResource(db, provinceId));
        const rows = await db
          .selectFrom('calendar_profile')
          .select('id')
          .where('province_id', '=', provinceId)
          .orderBy('id')
          .execute();
        const items: CalendarProfileDto[] = [];
        for (const r of rows) {
          const d = await loadDto(db, r.id);
          if (d) items.push(d);
        }
        return c.json({ items, nextCursor: null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'Read a calendar profile',
        middleware: [requires('calendar.profile.read')],
        request: { params: ProfileId },
        responses: { 200: jsonOk(CalendarProfileOut), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const dto = await loadDto(db, id);
        if (!dto) throw profileNotFound();
        await check(
          c,
          db,
          dto.provinceId ? await provinceResource(db, dto.provinceId) : { path: [], tier: 'province' },
        );
        return c.json(dto, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}',
        tags,
        summary: 'Create or replace a calendar profile of a province',
        middleware: [requires('calendar.profile.manage')],
        request: { params: ProfileId, body: jsonBody(PutProfile) },
        responses: { 200: jsonOk(SavedProfileOut), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        const before = await loadDto(db, id);
        const beforeProfile = (await loadCalendarProfile(db, id))?.profile;
        const resources = [await provinceResource(db, b.provinceId)];
        // a national profile (no province) is not editable here: nobody's grant reaches path []
        if (before)
          resources.push(
            before.provinceId
              ? await provinceResource(db, before.provinceId)
              : { path: [], tier: 'province' },
          );
        await check(c, db, resources);
        const profile: CalendarProfile = {
          id,
          name: b.name,
          timeZone: 'Asia/Ho_Chi_Minh',
          weekendDays: [...b.weekendDays].sort(),
          holidays: b.holidays.map((h) => ({ date: h.date, nameVi: h.nameVi, nameEn: h.nameEn })),
          makeUpWorkingDays: [...b.makeUpWorkingDays].sort(),
          ...(b.source === undefined ? {} : { source: b.source }),
        };
        checkProfile(b, profile);
        // running plans of the province learn the new working days (holidays, make-up days) by an Update
        const propagationWorkflowId = await db.transaction().execute(async (trx) => {
          await saveCalendarProfile(trx, profile, {
            provinceId: b.provinceId,
            deadlineSettings: (b.deadlineSettings ?? {}) as JsonValue,
          });
          await audit(
            trx,
            c,
            'calendar_profile',
            id,
            before ? 'calendar_profile.replaced' : 'calendar_profile.created',
            before ?? null,
            {
              ...b,
              id,
            },
          );
          if (!beforeProfile) return null;
          const years = await runningPlanYears(trx, b.provinceId);
          return recordChange(trx, {
            provinceId: b.provinceId,
            years,
            by: actorId(c),
            reason: b.changeReason ?? 'Cập nhật lịch làm việc / Working calendar updated',
            before: { profile: beforeProfile, movesByYear: await movesByYear(trx, id, years) },
          });
        });
        const dto = await loadDto(db, id);
        if (!dto) throw profileNotFound();
        await startPending(deps, b.provinceId);
        return c.json({ ...dto, propagationWorkflowId }, 200);
      },
    );
}
