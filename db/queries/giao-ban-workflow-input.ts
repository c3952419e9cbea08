// The giao ban workflow's input for a province and session (issue 7 point 2): the session's dates from the
// province's calendar (the plan-year calendar with the administrator's moves: provinceCalendarOfYear; a Q4
// session's follow-up ends on the next year's Q1 dossier day), its working calendar (the conclude task's ladder)
// and the parties — the province's secretariat and standing committee, as roles (whoever holds them that day).
import { giaoBanDates, sessionDecidesPlans } from '../../domain/giao-ban/dates.ts';
import { parseSessionKey } from '../../domain/giao-ban/model.ts';
import type { GiaoBanInput } from '../../workflows/giao-ban.messages.ts';
import type { Executor } from '../executor.ts';
import { provinceCalendarOfYear } from './calendar.ts';

/** Undefined when the unit is not a province, or the province has no calendar profile covering the years. */
export async function giaoBanInputFor(
  executor: Executor,
  q: { provinceId: string; session: string },
): Promise<GiaoBanInput | undefined> {
  const province = await executor
    .selectFrom('org_unit')
    .select(['id', 'name_vi', 'type_code', 'parent_id'])
    .where('id', '=', q.provinceId)
    .executeTakeFirst();
  if (!province || province.parent_id !== null) return undefined;
  const { year } = parseSessionKey(q.session);
  const own = await provinceCalendarOfYear(executor, q.provinceId, year);
  const next = await provinceCalendarOfYear(executor, q.provinceId, year + 1);
  if (!own) return undefined;
  const calendars = new Map([[year, own.calendar]]);
  if (next) calendars.set(year + 1, next.calendar);
  try {
    const dates = giaoBanDates(q.session, own.profile, (y) => {
      const c = calendars.get(y);
      if (!c) throw new RangeError(`no plan-year calendar ${y} for province ${q.provinceId}`);
      return c;
    });
    return {
      provinceId: q.provinceId,
      provinceName: province.name_vi,
      session: q.session,
      dates,
      profile: own.profile,
      parties: {
        secretariat: { role: 'secretariat', unitId: q.provinceId },
        standingCommittee: { role: 'standing_committee', unitId: q.provinceId },
      },
      planDecisions: sessionDecidesPlans(q.session),
    };
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
