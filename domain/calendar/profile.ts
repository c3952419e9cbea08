// A calendar profile (DESIGN §3): the working-day rules and default deadlines of one province.
// Plain data so it can be stored in PostgreSQL, edited by administrators and passed into workflows.

/** A local date in Asia/Ho_Chi_Minh, 'yyyy-mm-dd'. */
export type LocalDate = string;

export interface Holiday {
  date: LocalDate;
  /** Name in Vietnamese and English, e.g. Tết Nguyên đán / Lunar New Year. */
  nameVi: string;
  nameEn: string;
  /** Free text: a compensated day, a swapped day, or why the entry is unverified. */
  note?: string;
  /** True when the entry could not be checked against the published schedule. */
  unverified?: boolean;
}

export interface CalendarProfile {
  id: string;
  name: string;
  timeZone: 'Asia/Ho_Chi_Minh';
  /** ISO weekdays that are not worked (6 = Saturday, 7 = Sunday). */
  weekendDays: number[];
  holidays: Holiday[];
  /** Make-up working days (ngày làm bù): weekend days that are worked. */
  makeUpWorkingDays: LocalDate[];
  /** Where the published holiday schedule came from (decision number, URL). */
  source?: string;
  /** Ids of deadlines that are legal "before" deadlines in this province: on a non-working day
   *  they move back to the previous working day (DESIGN §3). Added to the settings' own marks. */
  beforeDeadlineIds?: string[];
  /** Remarks shown to administrators (unverified items, synthetic data). */
  notes?: string[];
  /** True for made-up schedules used in tests and demos. */
  synthetic?: boolean;
}

/** One profile covering several years (e.g. a plan year spans Nov Y-1 to Jan Y+1). */
export function mergeProfiles(id: string, name: string, ...profiles: CalendarProfile[]): CalendarProfile {
  const first = profiles[0];
  if (!first) throw new RangeError('mergeProfiles needs at least one profile');
  const holidays = new Map<LocalDate, Holiday>();
  const makeUp = new Set<LocalDate>();
  const before = new Set<string>();
  const notes: string[] = [];
  const sources: string[] = [];
  for (const p of profiles) {
    if (p.weekendDays.join() !== first.weekendDays.join()) {
      throw new RangeError(`profile ${p.id} has different weekend days from ${first.id}`);
    }
    for (const h of p.holidays) holidays.set(h.date, h);
    for (const d of p.makeUpWorkingDays) makeUp.add(d);
    for (const b of p.beforeDeadlineIds ?? []) before.add(b);
    notes.push(...(p.notes ?? []));
    if (p.source) sources.push(`${p.id}: ${p.source}`);
  }
  return {
    id,
    name,
    timeZone: 'Asia/Ho_Chi_Minh',
    weekendDays: [...first.weekendDays],
    holidays: [...holidays.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    makeUpWorkingDays: [...makeUp].sort(),
    source: sources.join(' | '),
    beforeDeadlineIds: [...before],
    notes,
    synthetic: profiles.some((p) => p.synthetic === true),
  };
}
