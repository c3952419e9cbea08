// SYNTHETIC — a made-up 2027 schedule for tests and demos, NOT a published one. The lunar new year is
// placed around early February (mùng 1 Tết assumed Sat 6/2/2027), with a swapped day off Wed 3/2
// made up on Saturday 13/2/2027, so that deadlines fall inside Tết and a make-up Saturday counts.
// Fixed-date holidays follow the Labor Code; Giỗ Tổ is assumed Fri 16/4/2027 (unverified).
import type { CalendarProfile } from '../profile.ts';

export const VN_2027_SYNTHETIC: CalendarProfile = {
  id: 'vn-2027-synthetic',
  name: 'SYNTHETIC Việt Nam 2027 (test schedule, not published)',
  timeZone: 'Asia/Ho_Chi_Minh',
  weekendDays: [6, 7],
  holidays: [
    { date: '2027-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" },
    {
      date: '2027-02-03',
      nameVi: 'Nghỉ hoán đổi Tết (tổng hợp)',
      nameEn: 'Swapped day off (synthetic)',
      note: 'made up on 13/2/2027',
    },
    { date: '2027-02-04', nameVi: 'Tết Nguyên đán (tổng hợp)', nameEn: 'Lunar New Year (synthetic)' },
    { date: '2027-02-05', nameVi: 'Tết Nguyên đán (tổng hợp)', nameEn: 'Lunar New Year (synthetic)' },
    {
      date: '2027-02-06',
      nameVi: 'Tết Nguyên đán — mùng 1 (tổng hợp)',
      nameEn: 'Lunar New Year (synthetic)',
    },
    { date: '2027-02-07', nameVi: 'Tết Nguyên đán (tổng hợp)', nameEn: 'Lunar New Year (synthetic)' },
    { date: '2027-02-08', nameVi: 'Tết Nguyên đán (tổng hợp)', nameEn: 'Lunar New Year (synthetic)' },
    { date: '2027-02-09', nameVi: 'Tết Nguyên đán (tổng hợp)', nameEn: 'Lunar New Year (synthetic)' },
    { date: '2027-02-10', nameVi: 'Tết Nguyên đán (tổng hợp)', nameEn: 'Lunar New Year (synthetic)' },
    {
      date: '2027-04-16',
      nameVi: 'Giỗ Tổ Hùng Vương (tổng hợp)',
      nameEn: 'Hung Kings Commemoration Day (synthetic)',
      unverified: true,
    },
    { date: '2027-04-30', nameVi: 'Ngày Chiến thắng', nameEn: 'Reunification Day' },
    { date: '2027-05-01', nameVi: 'Ngày Quốc tế Lao động', nameEn: 'International Workers’ Day' },
    {
      date: '2027-05-03',
      nameVi: 'Nghỉ bù Quốc tế Lao động',
      nameEn: 'Workers’ Day (compensated)',
      note: '1/5/2027 is a Saturday',
    },
    { date: '2027-09-02', nameVi: 'Quốc khánh', nameEn: 'National Day' },
    { date: '2027-09-03', nameVi: 'Quốc khánh (ngày liền kề)', nameEn: 'National Day (adjacent day)' },
  ],
  makeUpWorkingDays: ['2027-02-13'],
  source: 'SYNTHETIC test data, not a government schedule',
  beforeDeadlineIds: ['year-end.ranking'],
  notes: ['SYNTHETIC: every 2027 date here is made up for tests; replace with the published schedule.'],
  synthetic: true,
};
