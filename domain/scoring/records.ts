// Discipline decisions and conclusions are structured records, never free text (RULES.md).

export type DisciplineForm =
  | 'khienTrach'
  | 'canhCao'
  | 'haBac'
  | 'giangChuc'
  | 'cachChuc'
  | 'buocThoiViec'
  | 'khaiTru'
  | 'other';

export interface DisciplineRecord {
  /** The person or unit disciplined. */
  subjectId: string;
  /** Party or state discipline. */
  type: 'party' | 'state';
  form: DisciplineForm;
  decisionNumber: string;
  /** yyyy-mm-dd. */
  date: string;
  issuer: string;
}

export type ConclusionKind =
  /** Suy thoái về tư tưởng chính trị, đạo đức, lối sống. */
  | 'degradation'
  /** Breach of the duty to set an example. */
  | 'exampleBreach'
  /** A corruption case in the unit (for its leader). */
  | 'corruptionInUnit'
  /** A waste case in the unit (for its leader). */
  | 'wasteInUnit';

export interface ConclusionRecord {
  kind: ConclusionKind;
  /** Person concluded about, or the unit for corruption / waste cases. */
  subjectId: string;
  decisionNumber: string;
  date: string;
  issuer: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The first missing or malformed required field, if any. */
export function invalidField(r: DisciplineRecord | ConclusionRecord): string | undefined {
  for (const f of ['subjectId', 'decisionNumber', 'date', 'issuer'] as const) {
    if (!r[f]?.trim()) return f;
  }
  if ('form' in r && !r.form) return 'form';
  if (!DATE.test(r.date)) return 'date';
  return undefined;
}

export function inYear(r: { date: string }, year: number): boolean {
  return r.date.startsWith(`${year}-`);
}
