// The shapes the notice and appeal pages read from the API (api/routes/evaluation/appeals.ts).
export type Text = { vi: string; en: string };
export type Level = 'excellent' | 'good' | 'completed' | 'notCompleted';
export const LEVELS: readonly Level[] = ['excellent', 'good', 'completed', 'notCompleted'];

export interface Appeal {
  id: string;
  noticeId: string;
  status: 'filed' | 'decided';
  reason: string;
  filedOn: string;
  outcome: 'upheld' | 'changed' | null;
  newLevel: Level | null;
  decisionNumber: string | null;
  decidedOn: string | null;
  note: string | null;
}

export interface Notice {
  id: string;
  rankingKind: 'unit' | 'province';
  rankingId: string;
  track: 'state' | 'party';
  year: number;
  unit: { id: string; name: string };
  level: Level;
  label: Text;
  score: string | null;
  issuedOn: string;
  appealUntil: string;
  canAppeal: boolean;
  appeal: Appeal | null;
}

export interface QueueItem {
  appeal: Appeal;
  subject: { id: string; name: string };
  unit: { id: string; name: string };
  year: number;
  track: 'state' | 'party';
  rankingKind: 'unit' | 'province';
  level: Level;
  label: Text;
  score: string | null;
  issuedOn: string;
}

export const currentYear = () => new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
export const yearOf = (url: URL) => {
  const y = Number(url.searchParams.get('year'));
  return Number.isInteger(y) && y >= 2000 && y <= 2200 ? y : currentYear();
};
/** dd/mm/yyyy */
export const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
