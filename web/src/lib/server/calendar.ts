// Calendar profiles as the API holds them, and the text forms the screen edits them in.
export interface CalendarProfileDto {
  id: string;
  provinceId: string | null;
  name: string;
  weekendDays: number[];
  holidays: { date: string; nameVi: string; nameEn: string }[];
  makeUpWorkingDays: string[];
  deadlineSettings: Record<string, unknown>;
  source: string | null;
}

export const holidaysText = (p: CalendarProfileDto) =>
  p.holidays.map((h) => `${h.date}; ${h.nameVi}; ${h.nameEn}`).join('\n');

/** Parses "date; Vietnamese name; English name" lines; the first bad line is reported (1-based). */
export function parseHolidays(
  text: string,
): { holidays: CalendarProfileDto['holidays'] } | { badLine: number; text: string } {
  const holidays: CalendarProfileDto['holidays'] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const [date = '', nameVi = '', nameEn = ''] = line.split(';').map((s) => s.trim());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !nameVi) return { badLine: i + 1, text: line };
    holidays.push({ date, nameVi, nameEn: nameEn || nameVi });
  }
  return { holidays };
}

export function parseDays(text: string): { days: string[] } | { badLine: number; text: string } {
  const days: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(line)) return { badLine: i + 1, text: line };
    days.push(line);
  }
  return { days };
}
