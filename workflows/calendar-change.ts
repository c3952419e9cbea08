// Carries an administrator's calendar change (a moved deadline, an added holiday) to every running plan
// workflow of the province for the plan years concerned, a page of plans per activity call; continues as new
// every few pages so a province of 20,000 personal plans keeps each run's history short.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { CalendarChangePage } from '../activities/calendar-change.ts';
import type { Activities } from '../activities/index.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';

const { propagateCalendarChange } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export const calendarChangeWorkflowId = (changeId: string) => `calendar-change:${changeId}`;

export interface CalendarChangeInput {
  changeId: string;
  provinceId: string;
  years: number[];
  by: string;
  reason: string;
  before: { profile: CalendarProfile; movesByYear: Record<string, Record<string, LocalDate>> };
  /** Carried across continue-as-new. */
  progress?: { yearIndex: number; after?: string; sent: number; unchanged: number; skipped: number };
}

export interface CalendarChangeResult {
  sent: number;
  unchanged: number;
  skipped: number;
}

const PAGES_PER_RUN = 40;

export async function calendarChangeWorkflow(input: CalendarChangeInput): Promise<CalendarChangeResult> {
  const p = input.progress ?? { yearIndex: 0, sent: 0, unchanged: 0, skipped: 0 };
  for (let pages = 0; p.yearIndex < input.years.length; pages++) {
    if (pages === PAGES_PER_RUN)
      return continueAsNew<typeof calendarChangeWorkflow>({ ...input, progress: p });
    const year = input.years[p.yearIndex]!;
    const page: CalendarChangePage = {
      changeId: input.changeId,
      provinceId: input.provinceId,
      year,
      by: input.by,
      reason: input.reason,
      before: { profile: input.before.profile, moves: input.before.movesByYear[String(year)] ?? {} },
      ...(p.after ? { after: p.after } : {}),
    };
    const r = await propagateCalendarChange(page);
    p.sent += r.sent;
    p.unchanged += r.unchanged;
    p.skipped += r.skipped.length;
    if (r.next) p.after = r.next;
    else {
      p.yearIndex++;
      delete p.after;
    }
  }
  return { sent: p.sent, unchanged: p.unchanged, skipped: p.skipped };
}
