// The December differences recorded on a unit's decided ranking (issue 8, DESIGN §3 "by 5/01"), for the ranking
// screen's RankingDifferences component: GET /api/ranking-differences. An API refusal shows nothing (the screen
// itself answers the reader's right to see the ranking).
import { api } from '#lib/server/api.ts';

type Level = 'excellent' | 'good' | 'completed' | 'notCompleted';
export interface RankingDifferenceDto {
  personId: string;
  personName: string;
  frozenLevel: Level;
  frozenLabel: { vi: string; en: string };
  frozenScore: string;
  newLevel: Level;
  newLabel: { vi: string; en: string };
  newScore: string;
  recordedAt: string;
}

export async function loadRankingDifferences(
  event: Parameters<typeof api>[0],
  unitId: string,
  year: number,
): Promise<RankingDifferenceDto[]> {
  const r = await api<{ differences: RankingDifferenceDto[] }>(
    event,
    'GET',
    `/api/ranking-differences?unitId=${encodeURIComponent(unitId)}&year=${year}`,
  );
  return r.ok ? r.data.differences : [];
}
