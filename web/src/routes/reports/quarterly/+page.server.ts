// The unit's quarterly report screen (issue 7 point 1): its status (draft from the verified values and the
// unit's narrative, or sent: who, when, the files' sha256), its summary counts, the narrative editor (three text
// areas saved on the revision they were read on — content path: PUT /api/reports/quarterly/{unitId}/{period}/
// narrative; a conflict keeps the typed text and says so), the download links and, for the unit head once the
// quarter is over, the send action — the 'quarterly' kind of #lib/server/unit-report.ts.
import { redirect } from '@sveltejs/kit';
import type { NextQuarterPlan } from '#lib/components/quarter-plan/types.ts';
import { m } from '#lib/paraglide/messages.js';
import { api } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import {
  loadUnitReport,
  type UnitReportScreen,
  type UnitReportStatus,
  unitReportActions,
  unitReportHref,
  unitReportQuery,
} from '#lib/server/unit-report.ts';
import type { Actions, PageServerLoad } from './$types';

export interface QuarterlyNarrative {
  results: string;
  difficulties: string;
  nextFocus: string;
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface QuarterlyReportStatus extends UnitReportStatus {
  opensOn: string | null;
  canWrite: boolean;
  narrative: QuarterlyNarrative;
  nextQuarterPlan: NextQuarterPlan | null;
}

/** The quarter before this one in Asia/Ho_Chi_Minh (the report usually wanted). */
function lastQuarter(now = Date.now()): string {
  const d = new Date(now + 7 * 3600_000);
  const y = d.getUTCFullYear();
  const q = Math.floor(d.getUTCMonth() / 3); // 0: the current quarter is Q1, the last one Q4 of last year
  return q === 0 ? `${y - 1}-Q4` : `${y}-Q${q}`;
}

const screen: UnitReportScreen = {
  kind: 'quarterly',
  period: /^\d{4}-Q[1-4]$/,
  lastPeriod: lastQuarter,
  missing: () => m.qreport_missing(),
};

export const load: PageServerLoad = async (event) => {
  const saved = Number(event.url.searchParams.get('saved'));
  return {
    ...(await loadUnitReport<QuarterlyReportStatus>(screen, event)),
    savedRevision: Number.isInteger(saved) && saved > 0 ? saved : null,
  };
};

export const actions: Actions = {
  ...unitReportActions(screen),
  narrative: async (event) => {
    const { unitId, period } = unitReportQuery(screen, event.url);
    const form = await event.request.formData();
    const typed = {
      results: field(form, 'results'),
      difficulties: field(form, 'difficulties'),
      nextFocus: field(form, 'nextFocus'),
    };
    const baseRevision = Number(field(form, 'baseRevision'));
    const r = await api<QuarterlyNarrative>(
      event,
      'PUT',
      `/api/reports/quarterly/${encodeURIComponent(unitId)}/${period}/narrative`,
      { ...typed, baseRevision: Number.isInteger(baseRevision) && baseRevision >= 0 ? baseRevision : 0 },
    );
    if (!r.ok)
      return failWith(r.problem, {
        typed,
        conflict: r.problem.code === 'REPORT_NARRATIVE_CONFLICT',
      });
    redirect(303, `${unitReportHref('quarterly', unitId, period)}&saved=${r.data.revision}`);
  },
};
