// Vietnam, 2026: public holidays for cán bộ, công chức, viên chức as the Government published them.
//
// Sources (checked 2026-11; the statute is Bộ luật Lao động 2019, Điều 112):
// - Tết Dương lịch: 1/1/2026 (Thu) is the statutory day; the Government Office conveyed on 25/12/2025
//   the Deputy Prime Minister's approval of the Ministry of Home Affairs' proposal to take 4 days,
//   Thu 1/1 to Sun 4/1/2026, so Fri 2/1/2026 is a swapped day off. The Saturday on which 2/1 is made up
//   could NOT be verified here and is not listed (add it to makeUpWorkingDays when confirmed).
//   Reported at https://tracuuquyhoach.com/tin-tuc/tin-vui-cho-nguoi-lao-dong-chinh-phu-dong-y-nghi-tet-duong-lich-4-ngay-54100289
// - Tết Nguyên đán Bính Ngọ: 9 days, Sat 14/2/2026 (27 tháng Chạp Ất Tỵ) to Sun 22/2/2026 (mùng 6
//   tháng Giêng), 5 statutory days Mon 16/2–Fri 20/2 plus two weekends; lunar new year's day 17/2/2026.
//   Ministry of Home Affairs proposal approved by the Prime Minister, reported by Công an TP.HCM,
//   http://www.congan.com.vn/?catid=702&id=388656&mod=detnews
// - Giỗ Tổ Hùng Vương (10/3 âm lịch) = Sun 26/4/2026, compensated on Mon 27/4/2026 (Labor Code art. 112(3)),
//   reported by Lao Động, https://news.laodong.vn/du-lich/tin-tuc/lich-nghi-gio-to-hung-vuong-2026-304-15-va-chi-tiet-cac-ky-nghi-le-1658835.html
// - 30/4 (Thu) and 1/5 (Fri) 2026: statutory, no swap (same Lao Động article).
// - Quốc khánh: 2/9/2026 (Wed) and the adjacent day 1/9/2026 (Tue), statutory. The Ministry of Home
//   Affairs also proposed a 5-day National Day break for 2026 (press reports of the proposal); whether a
//   swap and make-up day were adopted could NOT be verified here: not listed, marked unverified.
import type { CalendarProfile } from '../profile.ts';

export const VN_2026: CalendarProfile = {
  id: 'vn-2026',
  name: 'Việt Nam 2026 — cơ quan hành chính nhà nước (nghỉ thứ Bảy, Chủ nhật)',
  timeZone: 'Asia/Ho_Chi_Minh',
  weekendDays: [6, 7],
  holidays: [
    { date: '2026-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" },
    {
      date: '2026-01-02',
      nameVi: 'Nghỉ hoán đổi dịp Tết Dương lịch',
      nameEn: "New Year's Day swapped day off",
      note: 'Government approval conveyed 25/12/2025; the make-up Saturday is unverified and not listed',
    },
    { date: '2026-02-14', nameVi: 'Tết Nguyên đán (27 tháng Chạp)', nameEn: 'Lunar New Year break' },
    { date: '2026-02-15', nameVi: 'Tết Nguyên đán (28 tháng Chạp)', nameEn: 'Lunar New Year break' },
    { date: '2026-02-16', nameVi: 'Tết Nguyên đán (29 tháng Chạp)', nameEn: 'Lunar New Year' },
    { date: '2026-02-17', nameVi: 'Tết Nguyên đán (mùng 1 Tết)', nameEn: 'Lunar New Year' },
    { date: '2026-02-18', nameVi: 'Tết Nguyên đán (mùng 2 Tết)', nameEn: 'Lunar New Year' },
    { date: '2026-02-19', nameVi: 'Tết Nguyên đán (mùng 3 Tết)', nameEn: 'Lunar New Year' },
    { date: '2026-02-20', nameVi: 'Tết Nguyên đán (mùng 4 Tết)', nameEn: 'Lunar New Year' },
    { date: '2026-02-21', nameVi: 'Tết Nguyên đán (mùng 5 Tết)', nameEn: 'Lunar New Year break' },
    { date: '2026-02-22', nameVi: 'Tết Nguyên đán (mùng 6 Tết)', nameEn: 'Lunar New Year break' },
    {
      date: '2026-04-26',
      nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      nameEn: 'Hung Kings Commemoration Day',
    },
    {
      date: '2026-04-27',
      nameVi: 'Nghỉ bù Giỗ Tổ Hùng Vương',
      nameEn: 'Hung Kings Commemoration Day (compensated)',
      note: '26/4/2026 is a Sunday',
    },
    {
      date: '2026-04-30',
      nameVi: 'Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)',
      nameEn: 'Reunification Day',
    },
    { date: '2026-05-01', nameVi: 'Ngày Quốc tế Lao động', nameEn: 'International Workers’ Day' },
    { date: '2026-09-01', nameVi: 'Quốc khánh (ngày liền kề)', nameEn: 'National Day (adjacent day)' },
    { date: '2026-09-02', nameVi: 'Quốc khánh', nameEn: 'National Day' },
  ],
  makeUpWorkingDays: [],
  source:
    'Bộ luật Lao động 2019 Đ.112; Bộ Nội vụ: Tết Nguyên đán 14/2–22/2/2026 (Thủ tướng đồng ý), Tết Dương lịch 1/1–4/1/2026 (VPCP 25/12/2025); see the comment in domain/calendar/profiles/vn-2026.ts for URLs',
  beforeDeadlineIds: ['year-end.ranking'],
  notes: [
    'Unverified: the Saturday on which the swapped day off 2/1/2026 is made up (not listed).',
    'Unverified: any swap around Quốc khánh 2026 beyond the statutory 1/9 and 2/9 (not listed).',
  ],
};
