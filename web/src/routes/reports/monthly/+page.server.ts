// The unit's monthly report screen (issue 6 point 6): its status (draft from the verified values, or sent: who,
// when, the files' sha256), its summary counts, the download links (PDF to print, sign and stamp; Excel) and, for
// the unit head once the month's verification window has closed, the send action — the 'monthly' kind of
// #lib/server/unit-report.ts.
import { m } from '#lib/paraglide/messages.js';
import {
  loadUnitReport,
  type UnitReportScreen,
  type UnitReportStatus,
  unitReportActions,
} from '#lib/server/unit-report.ts';
import type { Actions, PageServerLoad } from './$types';

export interface MonthlyReportStatus extends UnitReportStatus {
  windowClosesOn: string | null;
}

/** The month before this one in Asia/Ho_Chi_Minh (the report usually wanted). */
function lastMonth(now = Date.now()): string {
  const d = new Date(now + 7 * 3600_000);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth(); // 0-based: the previous month's number
  return mo === 0 ? `${y - 1}-12` : `${y}-${String(mo).padStart(2, '0')}`;
}

const screen: UnitReportScreen = {
  kind: 'monthly',
  period: /^\d{4}-(0[1-9]|1[0-2])$/,
  lastPeriod: lastMonth,
  missing: () => m.report_missing(),
};

export const load: PageServerLoad = (event) => loadUnitReport<MonthlyReportStatus>(screen, event);

export const actions: Actions = unitReportActions(screen);
