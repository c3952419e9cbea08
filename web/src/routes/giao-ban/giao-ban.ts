// The giao ban screens' shared shapes (the API of api/routes/giao-ban.ts, per the giao ban contract) and words
// (from the catalogues: whole sentences, never concatenated fragments).
import { m } from '#lib/paraglide/messages.js';

export type Phase = 'REPORTING' | 'DOSSIERS_SENT' | 'IN_SESSION' | 'PUBLISHED' | 'CLOSED';
export type CompletionLevel = 'excellent' | 'good' | 'fulfilled' | 'not-fulfilled';
export type DirectionStatus = 'open' | 'in-progress' | 'done';
export const COMPLETION_LEVELS: CompletionLevel[] = ['excellent', 'good', 'fulfilled', 'not-fulfilled'];

export interface SessionSummary {
  session: string;
  sessionDate: string | null;
  dossierDate: string | null;
  conclusionsDue: string | null;
  phase: Phase | null;
  unitCount: number;
  reportedCount: number;
  concludedCount: number;
}

export interface UnitDirection {
  id: string;
  unitName?: string;
  ordinal: number;
  text: string;
  dueDate: string | null;
  status: DirectionStatus;
  note: string | null;
}

export interface UnitRow {
  unitId: string;
  unitName: string;
  report: { status: 'sent' | 'late' | 'missing'; sentAt: string | null; dueDate: string | null };
  dossierUrl: string | null;
  conclusion: {
    completionLevel: CompletionLevel;
    summary: string;
    planDecision: 'approved' | 'adjusted' | null;
    planNote: string | null;
    directions: { text: string; dueDate: string | null }[];
    revision: number;
  } | null;
  directions: UnitDirection[];
}

export interface SessionDetail {
  session: string;
  provinceId: string;
  provinceName: string;
  phase: Phase | null;
  sessionDate: string | null;
  dossierDate: string | null;
  conclusionsDue: string | null;
  dossiersSentAt: string | null;
  publishedAt: string | null;
  canConclude: boolean;
  /** The caller may publish in this phase (the API refuses while a conclusion is missing). */
  canPublish: boolean;
  /** For whoever may publish: the units with no conclusion yet. */
  missingConclusions?: string[];
  /** Conclusions decide the next quarter's draft plans (Q1–Q3 sessions). */
  planDecisions?: boolean;
  minutesUrl: string | null;
  units: UnitRow[];
}

/** What the conclusion form sent, given back when the API refused it (the form shows it again). */
export interface ConclusionDraft {
  unitId: string;
  completionLevel: string;
  summary: string;
  directions: { text: string; dueDate: string | null }[];
  planDecision: 'approved' | 'adjusted' | null;
  planNote: string | null;
}

/** A direction as the unit's list shows it (all sessions). */
export interface DirectionItem extends UnitDirection {
  session: string;
  unitId?: string;
  unitName?: string;
  canReport?: boolean;
}

export const SESSION_KEY = /^(\d{4})-(Q[1-4]|year)$/;

/** "Giao ban quý II năm 2019" / "Hội nghị tổng kết năm 2019". */
export function sessionLabel(key: string): string {
  const k = SESSION_KEY.exec(key);
  if (!k) return key;
  if (k[2] === 'year') return m.giaoBan_session_year({ year: k[1]! });
  const q = Number(k[2]!.slice(1));
  return m.giaoBan_session_quarter({ quarter: ['I', 'II', 'III', 'IV'][q - 1]!, year: k[1]! });
}

const PHASES: Record<Phase, () => string> = {
  REPORTING: m.giaoBan_phase_reporting,
  DOSSIERS_SENT: m.giaoBan_phase_dossiers_sent,
  IN_SESSION: m.giaoBan_phase_in_session,
  PUBLISHED: m.giaoBan_phase_published,
  CLOSED: m.giaoBan_phase_closed,
};
export const phaseLabel = (p: Phase | null): string => (p ? (PHASES[p]?.() ?? p) : m.giaoBan_phase_none());

const LEVELS: Record<CompletionLevel, () => string> = {
  excellent: m.giaoBan_level_excellent,
  good: m.giaoBan_level_good,
  fulfilled: m.giaoBan_level_fulfilled,
  'not-fulfilled': m.giaoBan_level_not_fulfilled,
};
export const levelLabel = (l: CompletionLevel): string => LEVELS[l]?.() ?? l;

const STATUSES: Record<DirectionStatus, () => string> = {
  open: m.giaoBan_status_open,
  'in-progress': m.giaoBan_status_in_progress,
  done: m.giaoBan_status_done,
};
export const statusLabel = (s: DirectionStatus): string => STATUSES[s]?.() ?? s;

/** 'yyyy-mm-dd' as dd/mm/yyyy. */
export const dmy = (d: string | null | undefined): string =>
  d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : '';

/** An instant as the reader's locale writes it, in Asia/Ho_Chi_Minh. */
export const when = (iso: string, locale: 'vi' | 'en'): string =>
  new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });

/** The day of an instant in Asia/Ho_Chi_Minh, as dd/mm/yyyy. */
export const dayOf = (iso: string | null): string =>
  iso ? dmy(new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 10)) : '';
