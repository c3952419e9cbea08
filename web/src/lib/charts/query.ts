// The year and month a dashboard shows: the query's (?year=2026&month=4), else this month in Asia/Ho_Chi_Minh.
export function yearMonthOf(url: URL, now = Date.now()): { year: number; month: number } {
  const d = new Date(now + 7 * 3600_000);
  const y = Number(url.searchParams.get('year'));
  const mo = Number(url.searchParams.get('month'));
  const year = Number.isInteger(y) && y >= 2000 && y <= 2200 ? y : d.getUTCFullYear();
  const month =
    Number.isInteger(mo) && mo >= 1 && mo <= 12 ? mo : year === d.getUTCFullYear() ? d.getUTCMonth() + 1 : 12;
  return { year, month };
}
