// Carries an administrator's calendar change (a moved deadline, an added holiday) to every running plan
// workflow of the province for the plan years concerned, a page of plans per activity call; continues as new
// every few pages so a province of 20,000 personal plans keeps each run's history short.
//
// Patch 'calendar-change-check-ins' (issue 6): after a year's plans, the same change goes, a page at a time, to
// the province's running check-in workflows of that year's months (the moveCheckInDeadlines Update).
//
// Patch 'calendar-change-reports' (issue 6): after the year's check-ins, the same change goes, a page at a time, to the
// province's running monthly and quarterly unit reports (moveReportDeadlines) and period assessments
// (moveAssessmentDeadlines) of that year.
import { continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import type { CalendarChangePage } from '../activities/calendar-change.ts';
import type { Activities } from '../activities/index.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';

const { propagateCalendarChange, propagateCalendarChangeToCheckIns, propagateCalendarChangeToReports } =
  proxyActivities<Activities>({
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
  progress?: {
    yearIndex: number;
    after?: string;
    sent: number;
    unchanged: number;
    skipped: number;
    /** The year's check-ins are being told (patch 'calendar-change-check-ins'); `after` is a check-in id then. */
    checkInStage?: boolean;
    checkIns?: CheckInCounts;
    /** The year's unit reports and period assessments are being told (patch 'calendar-change-reports'); `after` is
     *  the activity's cursor then. */
    reportStage?: boolean;
    reports?: CheckInCounts;
  };
}

export interface CheckInCounts {
  sent: number;
  unchanged: number;
  skipped: number;
}

export interface CalendarChangeResult {
  sent: number;
  unchanged: number;
  skipped: number;
  /** The running check-ins told (present when the change concerned any). */
  checkIns?: CheckInCounts;
  /** The running unit reports and period assessments told (present when the change concerned any). */
  reports?: CheckInCounts;
}

export const PATCH_CHECK_INS = 'calendar-change-check-ins';
export const PATCH_REPORTS = 'calendar-change-reports';

const PAGES_PER_RUN = 40;

export async function calendarChangeWorkflow(input: CalendarChangeInput): Promise<CalendarChangeResult> {
  const p = input.progress ?? { yearIndex: 0, sent: 0, unchanged: 0, skipped: 0 };
  const withCheckIns = patched(PATCH_CHECK_INS);
  const withReports = withCheckIns && patched(PATCH_REPORTS);
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
    if (p.reportStage) {
      const c = await propagateCalendarChangeToReports(page);
      const n = p.reports ?? { sent: 0, unchanged: 0, skipped: 0 };
      p.reports = n;
      n.sent += c.sent;
      n.unchanged += c.unchanged;
      n.skipped += c.skipped.length;
      if (c.next) p.after = c.next;
      else {
        p.yearIndex++;
        delete p.after;
        delete p.reportStage;
      }
      continue;
    }
    if (p.checkInStage) {
      const c = await propagateCalendarChangeToCheckIns(page);
      const n = p.checkIns ?? { sent: 0, unchanged: 0, skipped: 0 };
      p.checkIns = n;
      n.sent += c.sent;
      n.unchanged += c.unchanged;
      n.skipped += c.skipped.length;
      if (c.next) p.after = c.next;
      else if (withReports) {
        delete p.after;
        delete p.checkInStage;
        p.reportStage = true;
      } else {
        p.yearIndex++;
        delete p.after;
        delete p.checkInStage;
      }
      continue;
    }
    const r = await propagateCalendarChange(page);
    p.sent += r.sent;
    p.unchanged += r.unchanged;
    p.skipped += r.skipped.length;
    if (r.next) p.after = r.next;
    else if (withCheckIns) {
      delete p.after;
      p.checkInStage = true;
    } else {
      p.yearIndex++;
      delete p.after;
    }
  }
  const c = p.checkIns;
  const r = p.reports;
  return {
    sent: p.sent,
    unchanged: p.unchanged,
    skipped: p.skipped,
    ...(c && c.sent + c.unchanged + c.skipped > 0 ? { checkIns: c } : {}),
    ...(r && r.sent + r.unchanged + r.skipped > 0 ? { reports: r } : {}),
  };
}
