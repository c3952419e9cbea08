// The index of the year's unit rankings (issue 8): the rankings the person may read, as the API's tiered rule
// decides (GET /api/ranking-index: the province's levels every unit with its status, deadline, flags and December
// differences; a unit's head, administrators and auditors their own), with a year selector.
import { redirect } from '@sveltejs/kit';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export type IndexStatus = 'none' | 'draft' | 'decided' | 'published';
export interface RankingIndexDto {
  year: number;
  provinceWide: boolean;
  units: {
    unitId: string;
    unitName: string;
    provinceId: string;
    rankingId: string | null;
    status: IndexStatus;
    deadline: string | null;
    entries: number;
    flags: number;
    differences: number;
    decidedOn: string | null;
    publishedAt: string | null;
  }[];
}

/** The year asked for, else the current one in Viet Nam (January still shows the year just ended). */
function yearOf(url: URL): number {
  const asked = Number(url.searchParams.get('year'));
  if (Number.isInteger(asked) && asked >= 2000 && asked <= 2200) return asked;
  const vn = new Date(Date.now() + 7 * 3_600_000);
  return vn.getUTCMonth() === 0 ? vn.getUTCFullYear() - 1 : vn.getUTCFullYear();
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const year = yearOf(event.url);
  return { year, index: await apiGet<RankingIndexDto>(event, `/api/ranking-index?year=${year}`) };
};
