// A key result's history for the check-in screen: values by period, target revisions (who, when, why) and
// owner changes (handovers: from whom, to whom, from which month, why, who decided, when),
// from GET /api/key-results/{planId}/{krId}/history (the API applies the tiered rule).
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export interface KeyResultHistory {
  planId: string;
  keyResultId: string;
  title: string;
  target: string;
  periods: {
    period: string;
    value: string | null;
    done: boolean | null;
    status: string | null;
    checkInStatus: string;
    updatedAt: string;
    yearToDate: string | null;
  }[];
  targetRevisions: {
    period: string | null;
    oldTarget: string | null;
    newTarget: string | null;
    changedBy: string;
    changedAt: string;
    reason: string;
  }[];
  /** Handovers (transfers, leavers), oldest first: from whom, to whom, from which month, why, who, when. */
  ownerChanges?: {
    from: { id: string; name: string } | null;
    to: { id: string; name: string };
    effectivePeriod: string;
    reason: string;
    decidedBy: string;
    decidedAt: string;
  }[];
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const planId = event.url.searchParams.get('planId') ?? '';
  const krId = event.url.searchParams.get('krId') ?? '';
  if (!planId || !krId) error(400, m.checkin_history_missing());
  const history = await apiGet<KeyResultHistory>(
    event,
    `/api/key-results/${encodeURIComponent(planId)}/${encodeURIComponent(krId)}/history`,
  );
  return { history, locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const) };
};
