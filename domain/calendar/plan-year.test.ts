import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computePlanYearCalendar,
  DEFAULT_PLAN_YEAR_SETTINGS,
  deadlineById,
  moveDeadline,
  type PlanYearCalendar,
} from './plan-year.ts';
import { type CalendarProfile, mergeProfiles } from './profile.ts';
import { DEFAULT_CALENDAR_PROFILE } from './profiles/index.ts';
import { VN_2027_SYNTHETIC } from './profiles/synthetic-2027.ts';
import { VN_2026 } from './profiles/vn-2026.ts';
import { profileArb } from './test-support.ts';
import { endOfVnDay, isoWeekday } from './vn-time.ts';
import { workingCalendar } from './working-days.ts';

const DOW = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The calendar as a printed table: id, the rule's date, the working day it is due on. */
function table(cal: PlanYearCalendar): string {
  return cal.deadlines
    .map(
      (d) =>
        `${d.id.padEnd(34)} ${d.nominalDate} ${DOW[isoWeekday(d.nominalDate)]}  →  ${d.date} ${DOW[isoWeekday(d.date)]}`,
    )
    .join('\n');
}

/** [id, due date] rows computed by hand; the comment says how. */
type Row = [string, string];

function checkDateByDate(cal: PlanYearCalendar, expected: Row[]): void {
  console.log(`plan year ${cal.planYear} (${cal.profileId})\n${table(cal)}`);
  const got = new Map(cal.deadlines.map((d) => [d.id, d.date]));
  for (const [id, date] of expected) expect([id, got.get(id)]).toEqual([id, date]);
  expect(cal.deadlines.map((d) => d.id).sort()).toEqual(expected.map((r) => r[0]).sort());
  for (const d of cal.deadlines) expect(d.dueAt).toBe(endOfVnDay(d.date));
}

// Plan year 2026 with the published 2026 holidays (VN_2026). Weekdays checked against a printed calendar.
const EXPECTED_2026: Row[] = [
  ['plan.submit', '2025-12-01'], // 30/11/2025 is a Sunday → Monday 1/12
  ['plan.approve', '2025-12-25'], // Thursday
  ['plan.q1', '2026-01-12'], // 10/1 Saturday → Monday 12/1
  ['month-plan.2026-01', '2026-01-05'], // Mon
  ['month-plan.2026-02', '2026-02-05'], // Thu (Tết starts 14/2, after)
  ['month-plan.2026-03', '2026-03-05'], // Thu
  ['month-plan.2026-04', '2026-04-06'], // 5/4 Sun → Mon 6/4
  ['month-plan.2026-05', '2026-05-05'], // Tue
  ['month-plan.2026-06', '2026-06-05'], // Fri
  ['month-plan.2026-07', '2026-07-06'], // 5/7 Sun → Mon 6/7
  ['month-plan.2026-08', '2026-08-05'], // Wed
  ['month-plan.2026-09', '2026-09-07'], // 5/9 Sat → Mon 7/9
  ['month-plan.2026-10', '2026-10-05'], // Mon
  ['month-plan.2026-11', '2026-11-05'], // Thu
  ['month-plan.2026-12', '2026-12-07'], // 5/12 Sat → Mon 7/12
  ['check-in.2026-01', '2026-02-05'], // 5/2 Thu
  ['check-in.2026-02', '2026-03-05'],
  ['check-in.2026-03', '2026-04-06'], // 5/4 Sun → 6/4
  ['check-in.2026-04', '2026-05-05'],
  ['check-in.2026-05', '2026-06-05'],
  ['check-in.2026-06', '2026-07-06'],
  ['check-in.2026-07', '2026-08-05'],
  ['check-in.2026-08', '2026-09-07'],
  ['check-in.2026-09', '2026-10-05'],
  ['check-in.2026-10', '2026-11-05'],
  ['check-in.2026-11', '2026-12-03'], // year-end: Thursday 3/12
  ['check-in.2026-12', '2027-01-05'], // Tue 5/1/2027
  ['verify.2026-01', '2026-02-10'], // Thu 5/2 + 3: Fri 6, Mon 9, Tue 10
  ['verify.2026-02', '2026-03-10'], // Thu 5/3 + 3: Fri 6, Mon 9, Tue 10
  ['verify.2026-03', '2026-04-09'], // Mon 6/4 + 3: 7, 8, 9
  ['verify.2026-04', '2026-05-08'], // Tue 5/5 + 3: 6, 7, 8
  ['verify.2026-05', '2026-06-10'], // Fri 5/6 + 3: Mon 8, 9, 10
  ['verify.2026-06', '2026-07-09'], // Mon 6/7 + 3
  ['verify.2026-07', '2026-08-10'], // Wed 5/8 + 3: Thu 6, Fri 7, Mon 10
  ['verify.2026-08', '2026-09-10'], // Mon 7/9 + 3: 8, 9, 10 (1/9 and 2/9 are before)
  ['verify.2026-09', '2026-10-08'], // Mon 5/10 + 3
  ['verify.2026-10', '2026-11-10'], // Thu 5/11 + 3: Fri 6, Mon 9, Tue 10
  ['verify.2026-11', '2026-12-07'], // year-end: Monday 7/12
  ['verify.2026-12', '2027-01-08'], // Tue 5/1/2027 + 3: 6, 7, 8
  ['assessment.2026-01', '2026-02-12'], // Tue 10/2 + 2: 11, 12 (the day before Tết)
  ['assessment.2026-02', '2026-03-12'],
  ['assessment.2026-03', '2026-04-13'], // Thu 9/4 + 2: Fri 10, Mon 13
  ['assessment.2026-04', '2026-05-12'], // Fri 8/5 + 2: Mon 11, Tue 12
  ['assessment.2026-05', '2026-06-12'], // Wed 10/6 + 2
  ['assessment.2026-06', '2026-07-13'], // Thu 9/7 + 2: Fri 10, Mon 13
  ['assessment.2026-07', '2026-08-12'], // Mon 10/8 + 2
  ['assessment.2026-08', '2026-09-14'], // Thu 10/9 + 2: Fri 11, Mon 14
  ['assessment.2026-09', '2026-10-12'], // Thu 8/10 + 2: Fri 9, Mon 12
  ['assessment.2026-10', '2026-11-12'], // Tue 10/11 + 2
  ['assessment.2026-11', '2026-12-09'], // Mon 7/12 + 2
  ['assessment.2026-12', '2027-01-12'], // Fri 8/1/2027 + 2: Mon 11, Tue 12
  ['quarter-report.2026-Q1', '2026-04-10'], // Fri
  ['quarter-report.2026-Q2', '2026-07-10'], // Fri
  ['quarter-report.2026-Q3', '2026-10-12'], // 10/10 Sat → Mon 12/10
  ['quarter-report.2026-Q4', '2027-01-11'], // 10/1/2027 Sun → Mon 11/1
  ['giao-ban.2026-Q1', '2026-04-20'], // Mon
  ['giao-ban.2026-Q1.dossier', '2026-04-16'], // Mon 20/4 − 2: Fri 17, Thu 16
  ['giao-ban.2026-Q1.conclusions', '2026-04-22'], // + 2: Tue 21, Wed 22
  ['giao-ban.2026-Q2', '2026-07-20'], // Mon
  ['giao-ban.2026-Q2.dossier', '2026-07-16'],
  ['giao-ban.2026-Q2.conclusions', '2026-07-22'],
  ['giao-ban.2026-Q3', '2026-10-20'], // Tue
  ['giao-ban.2026-Q3.dossier', '2026-10-16'], // − 2: Mon 19, Fri 16
  ['giao-ban.2026-Q3.conclusions', '2026-10-22'],
  ['giao-ban.2026-Q4', '2027-01-20'], // Wed 20/1/2027
  ['giao-ban.2026-Q4.dossier', '2027-01-18'], // Tue 19, Mon 18
  ['giao-ban.2026-Q4.conclusions', '2027-01-22'], // Thu 21, Fri 22
  ['year-end.self-assessment', '2026-12-09'], // Wed
  ['year-end.supervisor', '2026-12-11'], // Fri
  ['year-end.ranking', '2026-12-14'], // Mon, before 15/12
  ['year-end.review-session', '2026-12-21'], // 20/12 Sun → Mon 21/12
];

// Plan year 2027 with the SYNTHETIC 2027 schedule (Tết 3/2–10/2/2027, make-up Saturday 13/2, Giỗ Tổ
// Fri 16/4, 3/5 compensating 1/5, 2–3/9), merged with 2026 for the submission in late 2026.
const PROFILE_2027 = mergeProfiles('vn-2026-2027', '2026 + synthetic 2027', VN_2026, VN_2027_SYNTHETIC);
const EXPECTED_2027: Row[] = [
  ['plan.submit', '2026-11-30'], // Mon
  ['plan.approve', '2026-12-25'], // Fri
  ['plan.q1', '2027-01-11'], // 10/1 Sun → Mon 11/1
  ['month-plan.2027-01', '2027-01-05'], // Tue
  ['month-plan.2027-02', '2027-02-11'], // 5/2 Fri is in Tết; 6–7 weekend; 8–10 Tết → Thu 11/2
  ['month-plan.2027-03', '2027-03-05'], // Fri
  ['month-plan.2027-04', '2027-04-05'], // Mon
  ['month-plan.2027-05', '2027-05-05'], // Wed
  ['month-plan.2027-06', '2027-06-07'], // 5/6 Sat → Mon 7/6
  ['month-plan.2027-07', '2027-07-05'], // Mon
  ['month-plan.2027-08', '2027-08-05'], // Thu
  ['month-plan.2027-09', '2027-09-06'], // 5/9 Sun → Mon 6/9
  ['month-plan.2027-10', '2027-10-05'], // Tue
  ['month-plan.2027-11', '2027-11-05'], // Fri
  ['month-plan.2027-12', '2027-12-06'], // 5/12 Sun → Mon 6/12
  ['check-in.2027-01', '2027-02-11'], // in Tết → Thu 11/2
  ['check-in.2027-02', '2027-03-05'],
  ['check-in.2027-03', '2027-04-05'],
  ['check-in.2027-04', '2027-05-05'],
  ['check-in.2027-05', '2027-06-07'],
  ['check-in.2027-06', '2027-07-05'],
  ['check-in.2027-07', '2027-08-05'],
  ['check-in.2027-08', '2027-09-06'],
  ['check-in.2027-09', '2027-10-05'],
  ['check-in.2027-10', '2027-11-05'],
  ['check-in.2027-11', '2027-12-03'], // Fri
  ['check-in.2027-12', '2028-01-05'], // Wed
  ['verify.2027-01', '2027-02-15'], // Thu 11/2 + 3: Fri 12, Sat 13 (make-up), Mon 15
  ['verify.2027-02', '2027-03-10'], // Fri 5/3 + 3: Mon 8, 9, 10
  ['verify.2027-03', '2027-04-08'], // Mon 5/4 + 3
  ['verify.2027-04', '2027-05-10'], // Wed 5/5 + 3: Thu 6, Fri 7, Mon 10
  ['verify.2027-05', '2027-06-10'], // Mon 7/6 + 3
  ['verify.2027-06', '2027-07-08'], // Mon 5/7 + 3
  ['verify.2027-07', '2027-08-10'], // Thu 5/8 + 3: Fri 6, Mon 9, Tue 10
  ['verify.2027-08', '2027-09-09'], // Mon 6/9 + 3
  ['verify.2027-09', '2027-10-08'], // Tue 5/10 + 3
  ['verify.2027-10', '2027-11-10'], // Fri 5/11 + 3: Mon 8, 9, 10
  ['verify.2027-11', '2027-12-07'], // Tue
  ['verify.2027-12', '2028-01-10'], // Wed 5/1/2028 + 3: Thu 6, Fri 7, Mon 10
  ['assessment.2027-01', '2027-02-17'], // Mon 15/2 + 2
  ['assessment.2027-02', '2027-03-12'], // Wed 10/3 + 2
  ['assessment.2027-03', '2027-04-12'], // Thu 8/4 + 2: Fri 9, Mon 12
  ['assessment.2027-04', '2027-05-12'], // Mon 10/5 + 2
  ['assessment.2027-05', '2027-06-14'], // Thu 10/6 + 2: Fri 11, Mon 14
  ['assessment.2027-06', '2027-07-12'], // Thu 8/7 + 2
  ['assessment.2027-07', '2027-08-12'], // Tue 10/8 + 2
  ['assessment.2027-08', '2027-09-13'], // Thu 9/9 + 2
  ['assessment.2027-09', '2027-10-12'], // Fri 8/10 + 2: Mon 11, Tue 12
  ['assessment.2027-10', '2027-11-12'], // Wed 10/11 + 2
  ['assessment.2027-11', '2027-12-09'], // Tue 7/12 + 2
  ['assessment.2027-12', '2028-01-12'], // Mon 10/1/2028 + 2
  ['quarter-report.2027-Q1', '2027-04-12'], // 10/4 Sat → Mon 12/4
  ['quarter-report.2027-Q2', '2027-07-12'], // 10/7 Sat → Mon 12/7
  ['quarter-report.2027-Q3', '2027-10-11'], // 10/10 Sun → Mon 11/10
  ['quarter-report.2027-Q4', '2028-01-10'], // Mon
  ['giao-ban.2027-Q1', '2027-04-20'], // Tue
  ['giao-ban.2027-Q1.dossier', '2027-04-15'], // − 2: Mon 19, (Fri 16 is Giỗ Tổ) Thu 15
  ['giao-ban.2027-Q1.conclusions', '2027-04-22'],
  ['giao-ban.2027-Q2', '2027-07-20'], // Tue
  ['giao-ban.2027-Q2.dossier', '2027-07-16'], // Mon 19, Fri 16
  ['giao-ban.2027-Q2.conclusions', '2027-07-22'],
  ['giao-ban.2027-Q3', '2027-10-20'], // Wed
  ['giao-ban.2027-Q3.dossier', '2027-10-18'],
  ['giao-ban.2027-Q3.conclusions', '2027-10-22'],
  ['giao-ban.2027-Q4', '2028-01-20'], // Thu
  ['giao-ban.2027-Q4.dossier', '2028-01-18'],
  ['giao-ban.2027-Q4.conclusions', '2028-01-24'], // Fri 21, Mon 24
  ['year-end.self-assessment', '2027-12-09'], // Thu
  ['year-end.supervisor', '2027-12-13'], // 11/12 Sat → Mon 13/12
  ['year-end.ranking', '2027-12-14'], // Tue
  ['year-end.review-session', '2027-12-20'], // Mon
];

describe('plan-year calendar: worked examples', () => {
  it('2026 with the published holidays, date by date', () => {
    checkDateByDate(computePlanYearCalendar(VN_2026, 2026), EXPECTED_2026);
  });

  it('2027 with the synthetic schedule (Tết and a make-up Saturday), date by date', () => {
    checkDateByDate(computePlanYearCalendar(PROFILE_2027, 2027), EXPECTED_2027);
  });

  it('the self-assessment window runs 1/12 to 9/12 2026 inclusive', () => {
    const [w] = computePlanYearCalendar(VN_2026, 2026).windows;
    expect(w).toMatchObject({ id: 'year-end.self-assessment', from: '2026-12-01', to: '2026-12-09' });
    expect(new Date(w!.opensAt).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(new Date(w!.closesAt).toISOString()).toBe('2026-12-09T17:00:00.000Z');
  });

  it('is plain data that survives JSON (a workflow input)', () => {
    const cal = computePlanYearCalendar(DEFAULT_CALENDAR_PROFILE, 2026);
    expect(JSON.parse(JSON.stringify(cal))).toEqual(cal);
    // the December check-in's instant: 00:00 VN on 6/1/2027 = 17:00Z on 5/1
    expect(new Date(deadlineById(cal, 'check-in.2026-12').dueAt).toISOString()).toBe(
      '2027-01-05T17:00:00.000Z',
    );
  });

  it('an administrator moves the January check-in into Tết: it lands on Monday 23/2 and its verification follows', () => {
    const base = computePlanYearCalendar(VN_2026, 2026);
    const moved = moveDeadline(VN_2026, base, 'check-in.2026-01', '2026-02-16');
    const c = deadlineById(moved, 'check-in.2026-01');
    expect(c).toMatchObject({ nominalDate: '2026-02-16', date: '2026-02-23', origin: 'override' });
    // Mon 23/2 + 3 = Thu 26/2; + 2 = Fri 27/2, Mon 2/3
    expect(deadlineById(moved, 'verify.2026-01')).toMatchObject({ date: '2026-02-26', origin: 'derived' });
    expect(deadlineById(moved, 'assessment.2026-01').date).toBe('2026-03-02');
    expect(moved.overrides).toEqual({ 'check-in.2026-01': '2026-02-16' });
    // the old value is unchanged, and nothing else moved
    expect(deadlineById(base, 'check-in.2026-01').date).toBe('2026-02-05');
    const changed = moved.deadlines.filter((d) => d.date !== deadlineById(base, d.id).date).map((d) => d.id);
    expect(changed.sort()).toEqual(['assessment.2026-01', 'check-in.2026-01', 'verify.2026-01']);
  });

  it('an override of a derived deadline wins over its rule; an unknown id is refused', () => {
    const cal = computePlanYearCalendar(VN_2026, 2026, DEFAULT_PLAN_YEAR_SETTINGS, {
      'verify.2026-03': '2026-04-08',
    });
    expect(deadlineById(cal, 'verify.2026-03')).toMatchObject({ date: '2026-04-08', origin: 'override' });
    expect(() =>
      computePlanYearCalendar(VN_2026, 2026, DEFAULT_PLAN_YEAR_SETTINGS, { 'no.such': '2026-01-01' }),
    ).toThrow(/unknown deadline/);
  });

  it('a holiday added by the province moves a derived deadline', () => {
    const withHoliday: CalendarProfile = {
      ...VN_2026,
      holidays: [
        ...VN_2026.holidays,
        { date: '2026-02-06', nameVi: 'Ngày nghỉ của tỉnh', nameEn: 'Provincial day off' },
      ],
    };
    const cal = computePlanYearCalendar(withHoliday, 2026);
    // Thu 5/2 + 3 with Fri 6/2 off: Mon 9, Tue 10, Wed 11; assessment + 2: Thu 12, Fri 13
    expect(deadlineById(cal, 'verify.2026-01').date).toBe('2026-02-11');
    expect(deadlineById(cal, 'assessment.2026-01').date).toBe('2026-02-13');
  });

  it('the ranking is a legal "before" deadline: a holiday on 14/12 moves it back to Friday 11/12', () => {
    const withHoliday: CalendarProfile = {
      ...VN_2026,
      holidays: [...VN_2026.holidays, { date: '2026-12-14', nameVi: 'x', nameEn: 'x' }],
    };
    const cal = computePlanYearCalendar(withHoliday, 2026);
    expect(deadlineById(cal, 'year-end.ranking')).toMatchObject({
      nominalDate: '2026-12-14',
      date: '2026-12-11',
      roll: 'previous',
    });
    // an ordinary deadline on the same kind of day moves forward: the review session stays on Mon 21/12
    expect(deadlineById(cal, 'year-end.review-session').roll).toBe('next');
  });

  it('quarterly period assessments when the agency assesses per quarter', () => {
    const cal = computePlanYearCalendar(VN_2026, 2026, {
      ...DEFAULT_PLAN_YEAR_SETTINGS,
      assessmentPeriod: 'quarter',
    });
    const ids = cal.deadlines.filter((d) => d.kind === 'assessment').map((d) => [d.id, d.date]);
    // after the verification of March (Thu 9/4), June (Thu 9/7), September (Thu 8/10), December (Fri 8/1/2027), + 2
    expect(ids).toEqual([
      ['assessment.2026-Q1', '2026-04-13'],
      ['assessment.2026-Q2', '2026-07-13'],
      ['assessment.2026-Q3', '2026-10-12'],
      ['assessment.2026-Q4', '2027-01-12'],
    ]);
  });
});

describe('plan-year calendar: properties', () => {
  it('property "no deadline of a plan year lands on a non-working day, with or without overrides"', () => {
    fc.assert(
      fc.property(
        profileArb,
        fc.integer({ min: 2025, max: 2028 }),
        fc.option(fc.integer({ min: 0, max: 200 })),
        (p, year, shift) => {
          const base = computePlanYearCalendar(p, year);
          const cal =
            shift === null
              ? base
              : moveDeadline(p, base, `check-in.${year}-03`, `${year}-0${1 + (shift % 9)}-1${shift % 10}`);
          const wc = workingCalendar(p);
          return cal.deadlines.every((d) => wc.isWorkingDay(d.date) && d.dueAt === endOfVnDay(d.date));
        },
      ),
      { numRuns: 60 },
    );
  });
});
