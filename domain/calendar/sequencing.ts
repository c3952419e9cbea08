// Per-level sequencing of due dates (DESIGN §3): persons first, then departments +2 working days,
// then the unit +2 more, then the province after that.
import type { CalendarProfile, LocalDate } from './profile.ts';
import { endOfVnDay } from './vn-time.ts';
import { workingCalendar } from './working-days.ts';

export const LEVELS = ['person', 'department', 'unit', 'province'] as const;
export type Level = (typeof LEVELS)[number];

/** Working days each level gets after the level below it. */
export interface LevelSequenceSettings {
  department: number;
  unit: number;
  province: number;
}

export const DEFAULT_LEVEL_SEQUENCE: LevelSequenceSettings = { department: 2, unit: 2, province: 2 };

export interface LevelDue {
  level: Level;
  date: LocalDate;
  dueAt: number;
}

/** Due dates per level from the persons' due day D (moved to a working day first). */
export function sequenceByLevel(
  profile: CalendarProfile,
  personsDue: LocalDate,
  settings: LevelSequenceSettings = DEFAULT_LEVEL_SEQUENCE,
): LevelDue[] {
  const cal = workingCalendar(profile);
  let date = cal.nextWorkingDay(personsDue);
  const out: LevelDue[] = [{ level: 'person', date, dueAt: endOfVnDay(date) }];
  for (const level of ['department', 'unit', 'province'] as const) {
    const gap = settings[level];
    if (!Number.isInteger(gap) || gap < 0)
      throw new RangeError(`level gap must be a whole number ≥ 0: ${level}=${gap}`);
    date = cal.addWorkingDays(date, gap);
    out.push({ level, date, dueAt: endOfVnDay(date) });
  }
  return out;
}
