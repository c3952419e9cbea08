// The giao ban's documents as plain values (issue 7 point 2, DESIGN §3): the session key, the completion levels
// the standing committee concludes, the agenda, each unit's dossier and the minutes. Built by
// db/queries/giao-ban-dossier.ts, frozen as jsonb by the workflow's activities and rendered to PDF by
// activities/reports/giao-ban-pdf.ts. Numbers are decimal strings (domain/plan/model.ts), dates 'YYYY-MM-DD' in
// Asia/Ho_Chi_Minh, instants ISO strings.

/** '2027-Q1' reviews a quarter (the Q4 one sits in January of the next year); '2027-year' is the December
 * year-end review session (hội nghị tổng kết). */
export type GiaoBanSessionKey = string;

const SESSION_KEY = /^(\d{4})-(Q[1-4]|year)$/;

export function parseSessionKey(key: string): { year: number; quarter: 1 | 2 | 3 | 4 | null } {
  const m = SESSION_KEY.exec(key);
  if (!m) throw new RangeError(`not a giao ban session key (YYYY-Qn or YYYY-year): ${key}`);
  return { year: Number(m[1]), quarter: m[2] === 'year' ? null : (Number(m[2]!.slice(1)) as 1 | 2 | 3 | 4) };
}

export function isSessionKey(key: string): boolean {
  return SESSION_KEY.test(key);
}

/** Mức độ hoàn thành the conclusion gives a unit: xuất sắc, tốt, hoàn thành, không hoàn thành. */
export const COMPLETION_LEVELS = ['excellent', 'good', 'fulfilled', 'not-fulfilled'] as const;
export type CompletionLevel = (typeof COMPLETION_LEVELS)[number];

export const DIRECTION_STATUSES = ['open', 'in-progress', 'done'] as const;
export type DirectionStatus = (typeof DIRECTION_STATUSES)[number];

export type GiaoBanPhase = 'REPORTING' | 'DOSSIERS_SENT' | 'IN_SESSION' | 'PUBLISHED' | 'CLOSED';

/** A direction of an earlier session to the unit, with the status the unit reported. */
export interface DirectionFollowUp {
  id: string;
  session: GiaoBanSessionKey;
  text: string;
  dueDate: string | null;
  status: DirectionStatus;
  note: string | null;
}

export interface UnitDossier {
  provinceId: string;
  session: GiaoBanSessionKey;
  /** The instant the dossier was built. */
  builtAt: string;
  unit: { id: string; name: string; typeCode: string };
  /** The unit's quarterly report: sent (when, whether after its due date) or missing when the dossier was built.
   * For the year-end session: the Q3 report (the last one due before it). */
  report: {
    period: string;
    status: 'sent' | 'late' | 'missing';
    sentAt: string | null;
    dueDate: string | null;
  };
  /** Scores 0–100 as decimal strings, per perspective and overall, from verified values (null: nothing verified). */
  scorecard: {
    overall: string | null;
    perspectives: { perspective: 'citizens' | 'budget' | 'processes' | 'learning'; score: string | null }[];
  };
  /** Key results needing the session's attention, with why. */
  redFlags: {
    keyResultId: string;
    title: string;
    reason: 'forecast-miss' | 'behind-target' | 'returned' | 'not-reported';
    detail: string;
  }[];
  /** Overdue items as the tiered rule allows the province to see them: a count of the unit's individual items,
   * and the unit-level items themselves. */
  overdue: {
    individualCount: number;
    unitLevel: { kind: string; title: string; dueDate: string; escalationLevel: number }[];
  };
  /** Year-end projection per key result (domain/forecast). */
  forecast: {
    keyResultId: string;
    title: string;
    target: string;
    p10: string;
    p50: string;
    p90: string;
    missProbability: string;
  }[];
  /** Directions of earlier sessions to the unit and their status (the follow-up). */
  previousDirections: DirectionFollowUp[];
  /** Only in the dossiers of the year-end review session ('YYYY-year'): the year's results of every unit on the
   * agenda and the rankings announced (when decided). */
  yearReview?: YearReview;
}

/** A unit's year scorecard (0–100 decimal strings, the dashboards' scoring), for the year-end review. */
export interface YearResult {
  unitId: string;
  unitName: string;
  overall: string | null;
  perspectives: { perspective: 'citizens' | 'budget' | 'processes' | 'learning'; score: string | null }[];
}

/** A published year-end ranking (db/queries/rankings.ts publishedRankingsOf), with its subject's name. */
export interface YearRanking {
  subjectId: string;
  subjectKind: 'individual' | 'collective';
  subjectName: string;
  unitId: string;
  unitName: string;
  level: 'excellent' | 'good' | 'completed' | 'notCompleted';
  decidedOn: string;
}

export interface YearReview {
  year: number;
  /** The last month the results count ('YYYY-MM'). */
  through: string;
  results: YearResult[];
  /** 'not-decided' while no ranking of the year is published (or rankings are not available yet). */
  rankings: { status: 'published'; items: YearRanking[] } | { status: 'not-decided' };
}

export interface GiaoBanAgenda {
  provinceId: string;
  provinceName: string;
  session: GiaoBanSessionKey;
  sessionDate: string;
  builtAt: string;
  items: { order: number; unitId: string; unitName: string; reportStatus: 'sent' | 'late' | 'missing' }[];
}

export interface GiaoBanMinutes {
  provinceId: string;
  provinceName: string;
  session: GiaoBanSessionKey;
  sessionDate: string;
  publishedOn: string;
  publishedBy: string;
  conclusions: {
    unitId: string;
    unitName: string;
    completionLevel: CompletionLevel;
    summary: string;
    planDecision: 'approved' | 'adjusted' | null;
    planNote: string | null;
    directions: { ordinal: number; text: string; dueDate: string | null }[];
  }[];
}
