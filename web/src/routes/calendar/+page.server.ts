// My calendar (issue 7 point 5): my deadlines of a month as a grid (a list on narrow screens) with links to the
// screens where they are done, and the private subscription link for phone calendars: created or replaced
// (shown once, only its hash is kept by the API) and revoked here.
import { redirect } from '@sveltejs/kit';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith } from '#lib/server/forms.ts';
import { publicOrigin } from '#lib/server/origin.ts';
import type { Actions, PageServerLoad } from './$types';

export interface CalendarEntry {
  key: string;
  source: 'task' | 'calendar' | 'session';
  kind: string;
  date: string;
  period: string | null;
  title: { vi: string; en: string };
  link: string;
  overdue: boolean;
}
interface MyCalendar {
  from: string;
  to: string;
  today: string;
  items: CalendarEntry[];
  feed: { active: boolean; language: 'vi' | 'en' | null; createdAt: string | null };
}
export interface CalendarDay {
  date: string;
  day: number;
  inMonth: boolean;
  items: CalendarEntry[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** ISO weekday 1 (Monday) … 7 (Sunday). */
const weekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The weeks (Monday to Sunday) covering the month, each day with its items. */
function weeksOf(year: number, month: number, items: CalendarEntry[]): CalendarDay[][] {
  const first = iso(year, month, 1);
  const last = iso(year, month + 1, 0);
  const byDate = new Map<string, CalendarEntry[]>();
  for (const i of items) byDate.set(i.date, [...(byDate.get(i.date) ?? []), i]);
  const weeks: CalendarDay[][] = [];
  for (let d = addDays(first, 1 - weekday(first)); d <= last; ) {
    const week: CalendarDay[] = [];
    for (let k = 0; k < 7; k++, d = addDays(d, 1))
      week.push({
        date: d,
        day: Number(d.slice(8)),
        inMonth: d.slice(0, 7) === first.slice(0, 7),
        items: byDate.get(d) ?? [],
      });
    weeks.push(week);
  }
  return weeks;
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const todayVn = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const m = MONTH.exec(event.url.searchParams.get('month') ?? '') ?? MONTH.exec(todayVn.slice(0, 7));
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  const from = iso(year, month, 1);
  const to = iso(year, month + 1, 0);
  const cal = await apiGet<MyCalendar>(event, `/api/calendar/mine?from=${from}&to=${to}`);
  const monthKey = (y: number, mo: number) => iso(y, mo, 1).slice(0, 7);
  return {
    year,
    month,
    today: cal.today,
    items: cal.items,
    weeks: weeksOf(year, month, cal.items),
    prev: monthKey(year, month - 1),
    next: monthKey(year, month + 1),
    current: cal.today.slice(0, 7),
    feed: cal.feed,
  };
};

export const actions: Actions = {
  /** Creates or replaces my link; the token comes back once and is shown once. */
  link: async (event) => {
    const r = await api<{ path: string; rotated: boolean; language: string }>(
      event,
      'POST',
      '/api/calendar/feed-token',
      { language: getLocale() === 'en' ? 'en' : 'vi' },
    );
    if (!r.ok) return failWith(r.problem);
    const origin = publicOrigin(event.request) ?? event.url.origin;
    const url = `${origin}${r.data.path}`;
    return { feedUrl: url, webcalUrl: url.replace(/^https?:/, 'webcal:'), rotated: r.data.rotated };
  },
  revoke: async (event) => {
    const r = await api<{ revoked: boolean }>(event, 'DELETE', '/api/calendar/feed-token');
    if (!r.ok) return failWith(r.problem);
    return { revoked: true };
  },
};
