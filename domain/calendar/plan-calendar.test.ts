import { describe, expect, it } from 'vitest';
import { planCalendarFor, sameDueDates } from './plan-calendar.ts';
import { deadlineById } from './plan-year.ts';
import type { CalendarProfile } from './profile.ts';

const profile: CalendarProfile = {
  id: 'p',
  name: 'weekends + 1/1',
  timeZone: 'Asia/Ho_Chi_Minh',
  weekendDays: [6, 7],
  holidays: [{ date: '2027-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" }],
  makeUpWorkingDays: [],
  synthetic: true,
};
const due = (c: ReturnType<typeof planCalendarFor>, id: string) => deadlineById(c, id).date;

describe('planCalendarFor', () => {
  it("gives a unit's own plan the province's dates, with the administrator's moves", () => {
    const c = planCalendarFor(profile, 2027, 'unit');
    expect(due(c, 'plan.submit')).toBe('2026-11-30');
    expect(due(c, 'plan.approve')).toBe('2026-12-25');
    expect(due(c, 'plan.q1')).toBe('2027-01-11'); // 10/01/2027 is a Sunday
    const moved = planCalendarFor(profile, 2027, 'unit', { 'plan.submit': '2026-12-03' });
    expect(due(moved, 'plan.submit')).toBe('2026-12-03');
    expect(moved.overrides).toEqual({ 'plan.submit': '2026-12-03' });
  });

  it('sequences decomposed plans before the Q1 plan date: persons, then departments +2 working days', () => {
    const person = planCalendarFor(profile, 2027, 'person');
    const department = planCalendarFor(profile, 2027, 'department');
    // Q1 on Mon 11/01; 4 working days back (1/1 is a holiday) = Tue 05/01; departments 2 later = Thu 07/01
    expect(due(person, 'plan.submit')).toBe('2027-01-05');
    expect(due(department, 'plan.submit')).toBe('2027-01-07');
    expect(due(person, 'plan.approve')).toBe('2027-01-11');
    // a moved Q1 date moves the decomposed plans' deadlines with it
    const moved = planCalendarFor(profile, 2027, 'person', { 'plan.q1': '2027-01-15' });
    expect(due(moved, 'plan.approve')).toBe('2027-01-15');
    expect(due(moved, 'plan.submit')).toBe('2027-01-11');
  });

  it('compares due dates', () => {
    const a = planCalendarFor(profile, 2027, 'unit');
    expect(sameDueDates(a, planCalendarFor(profile, 2027, 'unit'))).toBe(true);
    expect(sameDueDates(a, planCalendarFor(profile, 2027, 'unit', { 'plan.submit': '2026-12-01' }))).toBe(
      false,
    );
  });
});
