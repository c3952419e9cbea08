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

type Texts = { vi: string; en: string };

/** The names of the discipline forms (as in the web catalogue's evalRecords_form_* labels). */
export const DISCIPLINE_FORM_LABELS: Record<DisciplineForm, Texts> = {
  khienTrach: { vi: 'Khiển trách', en: 'Reprimand' },
  canhCao: { vi: 'Cảnh cáo', en: 'Warning' },
  haBac: { vi: 'Hạ bậc lương', en: 'Salary grade reduction' },
  giangChuc: { vi: 'Giáng chức', en: 'Demotion' },
  cachChuc: { vi: 'Cách chức', en: 'Removal from office' },
  buocThoiViec: { vi: 'Buộc thôi việc', en: 'Dismissal' },
  khaiTru: { vi: 'Khai trừ', en: 'Expulsion' },
  other: { vi: 'Hình thức khác', en: 'Other form' },
};

/** Why a ranking is forced to "Không hoàn thành nhiệm vụ": a discipline decision or a conclusion. */
export type ForcedReason = 'discipline' | ConclusionKind;

/** A reason's name, and its wording with the discipline form ("{form}") when there is one. */
export const FORCED_REASON_LABELS: Record<ForcedReason, { name: Texts; withForm: Texts }> = {
  discipline: {
    name: { vi: 'kỷ luật', en: 'discipline' },
    withForm: { vi: 'kỷ luật ({form})', en: 'discipline ({form})' },
  },
  degradation: {
    name: { vi: 'suy thoái', en: 'degradation' },
    withForm: { vi: 'suy thoái', en: 'degradation' },
  },
  exampleBreach: {
    name: { vi: 'vi phạm trách nhiệm nêu gương', en: 'breach of the duty to set an example' },
    withForm: { vi: 'vi phạm trách nhiệm nêu gương', en: 'breach of the duty to set an example' },
  },
  corruptionInUnit: {
    name: { vi: 'tham nhũng trong đơn vị trực tiếp quản lý', en: 'corruption in the unit directly managed' },
    withForm: {
      vi: 'tham nhũng trong đơn vị trực tiếp quản lý',
      en: 'corruption in the unit directly managed',
    },
  },
  wasteInUnit: {
    name: { vi: 'lãng phí trong đơn vị trực tiếp quản lý', en: 'waste in the unit directly managed' },
    withForm: { vi: 'lãng phí trong đơn vị trực tiếp quản lý', en: 'waste in the unit directly managed' },
  },
};

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
