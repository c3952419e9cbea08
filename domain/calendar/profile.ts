// A calendar profile (DESIGN §3): the working-day rules and default deadlines of one province.
// Plain data so it can be stored in PostgreSQL, edited by administrators and passed into workflows.

/** A local date in Asia/Ho_Chi_Minh, 'yyyy-mm-dd'. */
export type LocalDate = string;

export interface Holiday {
  date: LocalDate;
  /** Name in Vietnamese and English, e.g. Tết Nguyên đán / Lunar New Year. */
  nameVi: string;
  nameEn: string;
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
}
