// The year-end assessment of each person (DESIGN §3 evaluation timeline, issue 8 points 1–2; migration 0620).
//
// - The estimate (when the self-assessment task opens, 1/12): the engine's year score (domain/scoring
//   yearScore, ND 335: Σ scoreₚ × fₚ / Σ fₚ) of the task points of the person's CONFIRMED period assessments of
//   the year through November, plus a provisional December estimate equal to their mean (December's check-in is
//   due 5/01, after the ranking: until then the year is assumed to end as it went). No confirmed period: no
//   score, said so.
// - The self-assessment (content path: the person's draft at a revision; the Update submitSelfAssessment of the
//   workflow freezes it): completed unplanned work, recognised initiatives, certificates or confirmed
//   self-study — each with evidence ids of the evidence store — the criterion-1 rubric (domain/scoring
//   rubricLevel; the assessment-score indicator is the provisional task score in %) and the person's own
//   points for the other general criteria. Self score = task points of the year + criterion 1 from the rubric
//   + the other criteria.
// - The supervisor's assessment (process path, the Update carries it): points per general criterion within
//   the rule set's bounds and comments; supervisor score = task points of the year + Σ points; the proposed
//   level is the rule set's band of that score (domain/scoring bandFor), explained step by step in plain
//   Vietnamese and English.
// - The organisation department's appraisal (where org_unit_type.ranking_needs_org_appraisal): agrees or
//   proposes another level with a comment; then 'ready' for the ranking (another helper's).
// Every change is audited (aggregate 'year_end_assessment'); business refusals are DbRuleErrors with stable
// codes and Vietnamese + English text.
import { sql } from 'kysely';
import { formatNumber } from '../../domain/format/number.ts';
import { getRuleSet } from '../../domain/rulesets/catalogue.ts';
import { RANK_LABELS, type RankLevel } from '../../domain/rulesets/types.ts';
import { DEFAULT_RUBRIC_SHARES, type RubricLevel, rubricLevel } from '../../domain/scoring/criteria.ts';
import { dec, exact, roundForDisplay } from '../../domain/scoring/decimal.ts';
import { yearScore } from '../../domain/scoring/nd335.ts';
import { bandFor } from '../../domain/scoring/ranking.ts';
import { appendAudit } from '../audit/index.ts';
import { DbRuleError, registerDbRules } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import type { YearEndAssessmentRow, YearEndStatus } from '../schema-year-end.ts';
import './../schema-assessments.ts';
import { ASSESSMENT_RULE_SET } from './period-assessments.ts';

export interface YearEndAssessmentView {
  personId: string;
  unitId: string;
  year: number;
  status: 'self-open' | 'self-submitted' | 'supervisor-done' | 'appraised' | 'ready';
  selfScore: string | null;
  supervisorScore: string | null;
  proposedLevel: RankLevel | null;
  explanation: unknown;
  /** The organisation department's appraisal, where the unit type requires one and it was given. */
  appraisal: { agrees: boolean; level: RankLevel | null; comment: string } | null;
}

/** The year-end assessments of the people of a unit and its sub-units for a year (the ranking of a top unit reads
 *  them; each row carries the person's own unit, often a division under it). */
export async function yearEndAssessmentsOf(
  db: Executor,
  a: { unitId: string; year: number },
): Promise<YearEndAssessmentView[]> {
  const rows = await db
    .withRecursive('sub(id)', (qb) =>
      qb
        .selectFrom('org_unit')
        .select('id')
        .where('id', '=', a.unitId)
        .unionAll((u) =>
          u.selectFrom('org_unit as o').innerJoin('sub', 'sub.id', 'o.parent_id').select('o.id'),
        ),
    )
    .selectFrom('year_end_assessment')
    .selectAll()
    .where('unit_id', 'in', (eb) => eb.selectFrom('sub').select('sub.id'))
    .where('year', '=', a.year)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    unitId: r.unit_id,
    year: r.year,
    status: r.status,
    selfScore: r.self_score,
    supervisorScore: r.supervisor_score,
    proposedLevel: (r.proposed_level as RankLevel | null) ?? null,
    explanation: r.explanation,
    appraisal: (r.appraisal as YearEndAssessmentView['appraisal']) ?? null,
  }));
}

// ---- refusals ----
registerDbRules({
  year_end_assessment_person_year_uq: {
    code: 'YEAR_END_EXISTS',
    status: 409,
    vi: 'Người này đã có phiếu đánh giá cuối năm của năm này.',
    en: 'This person already has a year-end assessment for this year.',
  },
  year_end_assessment_supervisor_self_ck: {
    code: 'YEAR_END_SELF',
    status: 422,
    vi: 'Không được tự đánh giá thay người quản lý.',
    en: 'Nobody assesses themselves as the supervisor.',
  },
  year_end_assessment_appraiser_self_ck: {
    code: 'YEAR_END_SELF',
    status: 422,
    vi: 'Không được tự thẩm định phiếu đánh giá của mình.',
    en: 'Nobody appraises their own assessment.',
  },
});
const rule = (status: number, code: string, vi: string, en: string, cause?: unknown) =>
  new DbRuleError({ code, status, messageVi: vi, messageEn: en, sqlState: 'P0001', cause });

export const yearEndNotFound = () =>
  rule(
    404,
    'YEAR_END_NOT_FOUND',
    'Không tìm thấy phiếu đánh giá cuối năm.',
    'Year-end assessment not found.',
  );
export const yearEndNotOpen = (status: string) =>
  rule(
    409,
    'YEAR_END_SELF_CLOSED',
    `Phiếu tự đánh giá không còn mở để sửa (trạng thái: ${status}).`,
    `The self-assessment is no longer open for changes (status: ${status}).`,
  );
export const yearEndRevisionConflict = (current: number) =>
  rule(
    409,
    'YEAR_END_REVISION_CONFLICT',
    `Phiếu tự đánh giá đã được thay đổi (phiên bản hiện tại ${current}); hãy tải lại trước khi lưu.`,
    `The self-assessment has changed (current revision ${current}); reload it before saving.`,
  );
export const yearEndEvidenceRequired = (what: string) =>
  rule(
    422,
    'YEAR_END_EVIDENCE_REQUIRED',
    `Mục "${what}" cần ít nhất một tệp minh chứng.`,
    `The item "${what}" needs at least one evidence file.`,
  );
export const yearEndEvidenceUnknown = (id: string) =>
  rule(
    422,
    'YEAR_END_EVIDENCE_UNKNOWN',
    `Không tìm thấy tệp minh chứng ${id} trong kho minh chứng.`,
    `The evidence file ${id} is not in the evidence store.`,
  );
export const yearEndTitleRequired = () =>
  rule(
    422,
    'YEAR_END_TITLE_REQUIRED',
    'Mỗi mục cần có nội dung (1–500 ký tự).',
    'Each item needs a title (1–500 characters).',
  );
export const yearEndRubricInvalid = (field: string) =>
  rule(
    422,
    'YEAR_END_RUBRIC_INVALID',
    `Thang đánh giá tiêu chí 1 không hợp lệ: trường "${field}".`,
    `The criterion-1 rubric is invalid: field "${field}".`,
  );
export const yearEndRubricMissing = () =>
  rule(
    422,
    'YEAR_END_RUBRIC_MISSING',
    'Cần tự đánh giá tiêu chí 1 (lập trường tư tưởng, đạo đức, lối sống) theo thang 5 mức trước khi nộp.',
    'Rate criterion 1 (political stance, ethics, lifestyle) on the 5-level rubric before submitting.',
  );
export const yearEndCriterionUnknown = (id: string) =>
  rule(
    422,
    'YEAR_END_CRITERION_UNKNOWN',
    `Không có tiêu chí "${id}" trong bộ quy tắc.`,
    `The rule set has no criterion "${id}".`,
  );
export const yearEndCriterionMissing = (id: string) =>
  rule(
    422,
    'YEAR_END_CRITERION_MISSING',
    `Chưa chấm điểm tiêu chí "${id}".`,
    `The criterion "${id}" has no points.`,
  );
export const yearEndCriteriaOutOfBounds = (id: string, max: string) =>
  rule(
    422,
    'YEAR_END_CRITERIA_OUT_OF_BOUNDS',
    `Điểm tiêu chí "${id}" phải từ 0 đến ${max}.`,
    `The points of criterion "${id}" must be between 0 and ${max}.`,
  );
export const yearEndWrongStep = (expected: string, status: string) =>
  rule(
    409,
    'YEAR_END_WRONG_STEP',
    `Phiếu đánh giá cuối năm chưa ở bước này (cần: ${expected}; hiện tại: ${status}).`,
    `The year-end assessment is not at this step (expected: ${expected}; now: ${status}).`,
  );

// ---- content ----
export const CRITERION_1 = 'politicalEthics';

export interface EvidencedItem {
  title: string;
  detail?: string;
  evidenceIds: string[];
}
export interface CertificateItem extends EvidencedItem {
  kind: 'certificate' | 'self-study';
}
export interface SelfRubric {
  /** Participation in resolution study, % (0–100). */
  resolutionStudyPercent: string;
  /** Contributions to Party building / countering wrong views this year. */
  contributionsPerYear: number;
  /** Trust of colleagues and the public, % (0–100). */
  trustPercent: string;
  disciplinedForIdeology: boolean;
  /** The person's own judgement (1–5): caps the level. */
  selfLevel: RubricLevel;
}
export interface SelfContent {
  unplannedWork: EvidencedItem[];
  initiatives: EvidencedItem[];
  certificates: CertificateItem[];
  rubric: SelfRubric | null;
  /** The person's own points for the general criteria other than criterion 1. */
  points: Record<string, string>;
}
export const EMPTY_SELF: SelfContent = {
  unplannedWork: [],
  initiatives: [],
  certificates: [],
  rubric: null,
  points: {},
};

export interface Text2 {
  vi: string;
  en: string;
}
export interface ScoreStep extends Text2 {
  key: string;
  value: string | null;
}

export interface Estimate {
  ok: boolean;
  ruleSet: { id: string; version: number };
  periods: { period: string; taskPoints: string; total: string | null }[];
  /** Mean task points of the confirmed periods through November. */
  throughNovember: string | null;
  /** The provisional December estimate (= throughNovember). */
  decemberEstimate: string | null;
  /** The engine's year score of the periods plus the estimate (task part, out of taskPointsMax). */
  taskYear: string | null;
  taskPointsMax: string;
  formula: string;
  steps: ScoreStep[];
}

export interface Explained {
  score: string | null;
  steps: ScoreStep[];
}

const ruleSet = () => getRuleSet(ASSESSMENT_RULE_SET);
export const yearEndCriteria = () => ruleSet().nd335.generalCriteria;
const vn = (v: string) => formatNumber(v, 'vi', { maxFractionDigits: 2 });
const en = (v: string) => formatNumber(v, 'en', { maxFractionDigits: 2 });

/** The estimate from the confirmed period assessments of the year (pure). */
export function estimateOf(
  year: number,
  periods: { period: string; taskPoints: string | null; total: string | null }[],
): Estimate {
  const rs = ruleSet();
  const max = rs.nd335.taskPointsMax;
  const confirmed = periods
    // Months January–November, or quarters Q1–Q3 (Q4 ends with December, not confirmed by 1/12).
    .filter(
      (p) =>
        p.taskPoints !== null &&
        p.period.startsWith(`${year}-`) &&
        /^\d{4}-(0[1-9]|1[01]|Q[1-3])$/.test(p.period),
    )
    .map((p) => ({ period: p.period, taskPoints: p.taskPoints as string, total: p.total }));
  const base = { ruleSet: { id: rs.id, version: rs.version }, periods: confirmed, taskPointsMax: max };
  if (confirmed.length === 0)
    return {
      ...base,
      ok: false,
      throughNovember: null,
      decemberEstimate: null,
      taskYear: null,
      formula: '',
      steps: [
        {
          key: 'noPeriods',
          vi: `Chưa có kỳ đánh giá nào của năm ${year} được xác nhận: chưa tính được điểm nhiệm vụ cả năm.`,
          en: `No assessment period of ${year} is confirmed yet: the year's task points cannot be computed.`,
          value: null,
        },
      ],
    };
  const through = yearScore(
    confirmed.map((p) => ({
      periodKey: p.period,
      unitId: '',
      score: p.taskPoints,
      daysWorked: 1,
      daysInPeriod: 1,
    })),
  );
  const december = exact(through.score);
  const withDecember = yearScore([
    ...confirmed.map((p) => ({
      periodKey: p.period,
      unitId: '',
      score: p.taskPoints,
      daysWorked: 1,
      daysInPeriod: 1,
    })),
    { periodKey: `${year}-12`, unitId: '', score: december, daysWorked: 1, daysInPeriod: 1 },
  ]);
  const t = roundForDisplay(through.score);
  const y = roundForDisplay(withDecember.score);
  return {
    ...base,
    ok: true,
    throughNovember: t,
    decemberEstimate: t,
    taskYear: y,
    formula: withDecember.explanation.formula,
    steps: [
      {
        key: 'throughNovember',
        vi: `Điểm nhiệm vụ của ${confirmed.length} kỳ đã được xác nhận đến hết tháng 11: trung bình ${vn(t)} / ${vn(max)} điểm.`,
        en: `Task points of the ${confirmed.length} confirmed periods through November: mean ${en(t)} / ${en(max)} points.`,
        value: t,
      },
      {
        key: 'decemberEstimate',
        vi: `Tháng 12 chưa có số liệu (hạn báo cáo 05/01): tạm tính bằng mức trung bình trên, ${vn(t)} điểm.`,
        en: `December has no data yet (its check-in is due 5 January): estimated at the mean above, ${en(t)} points.`,
        value: t,
      },
      {
        key: 'taskYear',
        vi: `Điểm nhiệm vụ cả năm (tạm tính): ${vn(y)} / ${vn(max)} điểm.`,
        en: `Task points of the year (provisional): ${en(y)} / ${en(max)} points.`,
        value: y,
      },
    ],
  };
}

function checkPoints(points: Record<string, string>, skip: string[]): void {
  const criteria = yearEndCriteria();
  for (const [k, v] of Object.entries(points)) {
    const c = criteria.find((x) => x.id === k);
    if (!c || skip.includes(k)) throw yearEndCriterionUnknown(k);
    if (typeof v !== 'string' || !/^\d{1,3}(\.\d{1,2})?$/.test(v) || dec(v).gt(c.maxPoints))
      throw yearEndCriteriaOutOfBounds(k, c.maxPoints);
  }
}

const percentOk = (v: unknown) => typeof v === 'string' && /^\d{1,3}(\.\d{1,2})?$/.test(v) && dec(v).lte(100);

/** Checks the self content's shape and bounds (evidence existence is checked against the store separately). */
export function checkSelfContent(c: SelfContent): void {
  const lists: EvidencedItem[] = [...c.unplannedWork, ...c.initiatives, ...c.certificates];
  for (const item of lists) {
    const title = typeof item.title === 'string' ? item.title.trim() : '';
    if (title.length < 1 || title.length > 500) throw yearEndTitleRequired();
    if (!Array.isArray(item.evidenceIds) || item.evidenceIds.length === 0)
      throw yearEndEvidenceRequired(title);
  }
  for (const cert of c.certificates)
    if (cert.kind !== 'certificate' && cert.kind !== 'self-study') throw yearEndRubricInvalid('kind');
  if (c.rubric) {
    const r = c.rubric;
    if (!percentOk(r.resolutionStudyPercent)) throw yearEndRubricInvalid('resolutionStudyPercent');
    if (!percentOk(r.trustPercent)) throw yearEndRubricInvalid('trustPercent');
    if (
      !Number.isInteger(r.contributionsPerYear) ||
      r.contributionsPerYear < 0 ||
      r.contributionsPerYear > 100
    )
      throw yearEndRubricInvalid('contributionsPerYear');
    if (typeof r.disciplinedForIdeology !== 'boolean') throw yearEndRubricInvalid('disciplinedForIdeology');
    if (![1, 2, 3, 4, 5].includes(r.selfLevel)) throw yearEndRubricInvalid('selfLevel');
  }
  checkPoints(c.points, [CRITERION_1]);
}

/** The self score with its explanation (pure): task part + criterion 1 (rubric) + the other criteria. */
export function selfScoreOf(estimate: Estimate | null, c: SelfContent): Explained {
  const criteria = yearEndCriteria();
  const c1 = criteria.find((x) => x.id === CRITERION_1)!;
  const steps: ScoreStep[] = [...(estimate?.steps ?? [])];
  if (!estimate?.ok || estimate.taskYear === null || !c.rubric) {
    if (!c.rubric)
      steps.push({
        key: 'rubricMissing',
        vi: 'Chưa tự đánh giá tiêu chí 1 theo thang 5 mức.',
        en: 'Criterion 1 is not rated on the 5-level rubric yet.',
        value: null,
      });
    return { score: null, steps };
  }
  const percent = dec(estimate.taskYear).div(estimate.taskPointsMax).times(100);
  const rr = rubricLevel({
    assessmentPercent: exact(percent.gt(100) ? dec(100) : percent),
    resolutionStudyPercent: c.rubric.resolutionStudyPercent,
    contributionsPerYear: c.rubric.contributionsPerYear,
    trustPercent: c.rubric.trustPercent,
    disciplinedForIdeology: c.rubric.disciplinedForIdeology,
    assessorLevel: c.rubric.selfLevel,
  });
  const c1Points = roundForDisplay(dec(DEFAULT_RUBRIC_SHARES[rr.level]).times(c1.maxPoints));
  steps.push({
    key: 'rubric',
    vi: `Tiêu chí 1 (${c1.vi}): mức ${rr.level} — ${RUBRIC_TEXT[rr.level].vi} (mức thấp nhất mà các chỉ số cho phép) → ${vn(c1Points)} / ${vn(c1.maxPoints)} điểm.`,
    en: `Criterion 1 (${c1.en}): level ${rr.level} — ${RUBRIC_TEXT[rr.level].en} (the lowest level the indicators support) → ${en(c1Points)} / ${en(c1.maxPoints)} points.`,
    value: c1Points,
  });
  let total = dec(estimate.taskYear).plus(c1Points);
  for (const k of criteria) {
    if (k.id === CRITERION_1) continue;
    const p = c.points[k.id] ?? '0';
    total = total.plus(p);
    steps.push({
      key: `criterion:${k.id}`,
      vi: `Tiêu chí "${k.vi}": tự chấm ${vn(p)} / ${vn(k.maxPoints)} điểm.`,
      en: `Criterion "${k.en}": self-rated ${en(p)} / ${en(k.maxPoints)} points.`,
      value: p,
    });
  }
  const score = roundForDisplay(total);
  steps.push({
    key: 'selfScore',
    vi: `Điểm tự đánh giá: ${vn(score)} điểm (điểm nhiệm vụ cả năm cộng điểm các tiêu chí chung).`,
    en: `Self-assessment score: ${en(score)} points (the year's task points plus the general criteria).`,
    value: score,
  });
  return { score, steps };
}

const RUBRIC_TEXT: Record<RubricLevel, Text2> = {
  5: { vi: 'Xuất sắc, tiên phong, khuôn mẫu', en: 'excellent, pioneering, exemplary' },
  4: { vi: 'Tốt, kiên định, tích cực', en: 'good, steadfast, active' },
  3: { vi: 'Trung bình, chấp hành, thụ động', en: 'average, compliant, passive' },
  2: { vi: 'Biểu hiện dao động, thiếu nhất quán', en: 'wavering, inconsistent' },
  1: { vi: 'Suy giảm, trôi lạc, vi phạm kỷ luật', en: 'declining, adrift, disciplined' },
};

export interface SupervisorInput {
  points: Record<string, string>;
  comments: string;
}

/** The supervisor's score, proposed level and explanation (pure). */
export function supervisorScoreOf(
  estimate: Estimate | null,
  s: SupervisorInput,
): Explained & { proposedLevel: RankLevel | null } {
  const rs = ruleSet();
  const criteria = yearEndCriteria();
  checkPoints(s.points, []);
  for (const k of criteria) if (s.points[k.id] === undefined) throw yearEndCriterionMissing(k.id);
  const steps: ScoreStep[] = [...(estimate?.steps ?? [])];
  let general = dec(0);
  for (const k of criteria) {
    const p = s.points[k.id]!;
    general = general.plus(p);
    steps.push({
      key: `criterion:${k.id}`,
      vi: `Tiêu chí "${k.vi}": người quản lý chấm ${vn(p)} / ${vn(k.maxPoints)} điểm.`,
      en: `Criterion "${k.en}": the supervisor gives ${en(p)} / ${en(k.maxPoints)} points.`,
      value: p,
    });
  }
  if (!estimate?.ok || estimate.taskYear === null) {
    steps.push({
      key: 'noScore',
      vi: 'Chưa có điểm nhiệm vụ cả năm: chưa đề xuất được mức xếp loại.',
      en: 'No task points for the year: no level can be proposed.',
      value: null,
    });
    return { score: null, proposedLevel: null, steps };
  }
  const total = dec(estimate.taskYear).plus(general);
  const score = roundForDisplay(total);
  steps.push({
    key: 'supervisorScore',
    vi: `Tổng điểm: ${vn(estimate.taskYear)} (nhiệm vụ) + ${vn(roundForDisplay(general))} (tiêu chí chung) = ${vn(score)} điểm.`,
    en: `Total: ${en(estimate.taskYear)} (tasks) + ${en(roundForDisplay(general))} (general criteria) = ${en(score)} points.`,
    value: score,
  });
  const level = bandFor(dec(score), rs.bands);
  const b = rs.bands;
  const bound = level === 'notCompleted' ? null : b[level];
  const cmp = (inc: boolean, vi: boolean) => (inc ? (vi ? 'từ' : 'at least') : vi ? 'trên' : 'above');
  steps.push({
    key: 'proposedLevel',
    vi: bound
      ? `Mức đề xuất: ${RANK_LABELS[level].vi}, vì ${vn(score)} điểm đạt ngưỡng ${cmp(bound.inclusive, true)} ${vn(bound.min)} điểm của mức này (bộ quy tắc ${rs.id}). Các điều kiện bắt buộc và tỷ lệ sẽ được xét khi xếp loại.`
      : `Mức đề xuất: ${RANK_LABELS[level].vi}, vì ${vn(score)} điểm chưa đạt ngưỡng ${vn(b.completed.min)} điểm của mức Hoàn thành nhiệm vụ (bộ quy tắc ${rs.id}).`,
    en: bound
      ? `Proposed level: ${RANK_LABELS[level].en}, as ${en(score)} points meets the threshold of ${cmp(bound.inclusive, false)} ${en(bound.min)} points (rule set ${rs.id}). Gates and the quota are applied at the ranking.`
      : `Proposed level: ${RANK_LABELS[level].en}, as ${en(score)} points is below the ${en(b.completed.min)} points of "Completed" (rule set ${rs.id}).`,
    value: level,
  });
  return { score, proposedLevel: level, steps };
}

// ---- rows ----
export async function yearEndById(db: Executor, id: string): Promise<YearEndAssessmentRow | undefined> {
  return db.selectFrom('year_end_assessment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function yearEndOf(
  db: Executor,
  a: { personId: string; year: number },
): Promise<YearEndAssessmentRow | undefined> {
  return db
    .selectFrom('year_end_assessment')
    .selectAll()
    .where('person_id', '=', a.personId)
    .where('year', '=', a.year)
    .executeTakeFirst();
}

/** Creates the row of a person and year (idempotent: an existing row is answered as it is). */
export async function ensureYearEnd(
  db: Executor,
  a: { personId: string; unitId: string; year: number; needsAppraisal?: boolean },
): Promise<YearEndAssessmentRow> {
  await db
    .insertInto('year_end_assessment')
    .values({
      person_id: a.personId,
      unit_id: a.unitId,
      year: a.year,
      needs_appraisal: a.needsAppraisal ?? false,
    })
    .onConflict((oc) => oc.columns(['person_id', 'year']).doNothing())
    .execute();
  return (await yearEndOf(db, a))!;
}

/** Whether the unit's type requires the organisation department's appraisal. */
export async function needsAppraisal(db: Executor, unitId: string): Promise<boolean> {
  const r = await db
    .selectFrom('org_unit')
    .innerJoin('org_unit_type', 'org_unit_type.code', 'org_unit.type_code')
    .select('org_unit_type.ranking_needs_org_appraisal as needs')
    .where('org_unit.id', '=', unitId)
    .executeTakeFirst();
  return r?.needs === true;
}

async function lock(trx: Executor, id: string): Promise<YearEndAssessmentRow> {
  const row = await trx
    .selectFrom('year_end_assessment')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw yearEndNotFound();
  return row;
}

const audit = (trx: Executor, id: string, actor: string, action: string, before: unknown, after: unknown) =>
  appendAudit(trx, { aggregateType: 'year_end_assessment', aggregateId: id, actor, action, before, after });

/** Opens the self-assessment (activity, idempotent): computes the estimate once and sets the workflow id. */
export async function openYearEnd(
  db: Executor,
  a: { id: string; workflowId: string; actor: string },
): Promise<YearEndAssessmentRow> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, a.id);
    if (row.estimate !== null && row.workflow_id !== null) return row;
    const periods = await trx
      .selectFrom('period_assessment')
      .select(['period', 'task_points', 'total'])
      .where('person_id', '=', row.person_id)
      .where('status', '=', 'confirmed')
      .where('period', 'like', `${row.year}-%`)
      .orderBy('period')
      .execute();
    const estimate = estimateOf(
      row.year,
      periods.map((p) => ({ period: p.period, taskPoints: p.task_points, total: p.total })),
    );
    const self = selfScoreOf(estimate, { ...EMPTY_SELF, ...(row.self_content as Partial<SelfContent>) });
    const after = await trx
      .updateTable('year_end_assessment')
      .set({
        estimate: JSON.stringify(estimate),
        workflow_id: a.workflowId,
        self_score: self.score,
        self_explanation: JSON.stringify(self.steps),
        updated_at: sql`now()`,
      })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, a.id, a.actor, 'year_end_assessment.opened', null, {
      workflowId: a.workflowId,
      taskYear: estimate.taskYear,
    });
    return after;
  });
}

/** The person's self-assessment draft (content path) at the revision last read. */
export async function saveSelfDraft(
  db: Executor,
  a: { id: string; revision: number; content: SelfContent; by: string },
): Promise<YearEndAssessmentRow> {
  checkSelfContent(a.content);
  const ids = [
    ...new Set(
      [...a.content.unplannedWork, ...a.content.initiatives, ...a.content.certificates].flatMap(
        (i) => i.evidenceIds,
      ),
    ),
  ];
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, a.id);
    if (row.status !== 'self-open') throw yearEndNotOpen(row.status);
    if (row.revision !== a.revision) throw yearEndRevisionConflict(row.revision);
    if (ids.length) {
      const found = await trx.selectFrom('evidence_file').select('id').where('id', 'in', ids).execute();
      const have = new Set(found.map((f) => f.id));
      const missing = ids.find((i) => !have.has(i));
      if (missing) throw yearEndEvidenceUnknown(missing);
    }
    const self = selfScoreOf(row.estimate as unknown as Estimate | null, a.content);
    const after = await trx
      .updateTable('year_end_assessment')
      .set({
        self_content: JSON.stringify(a.content),
        self_score: self.score,
        self_explanation: JSON.stringify(self.steps),
        revision: row.revision + 1,
        updated_at: sql`now()`,
      })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      a.id,
      a.by,
      'year_end_assessment.self-draft',
      { revision: row.revision },
      {
        revision: after.revision,
        selfScore: after.self_score,
      },
    );
    return after;
  });
}

/** Freezes the self-assessment at the revision the person saw (activity; a repeat answers the row). */
export async function submitSelfRow(
  db: Executor,
  a: { id: string; revision: number; by: string; late?: boolean },
): Promise<{ row: YearEndAssessmentRow; applied: boolean }> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, a.id);
    if (row.status !== 'self-open') return { row, applied: false };
    if (row.revision !== a.revision) throw yearEndRevisionConflict(row.revision);
    if (!(row.self_content as Partial<SelfContent>).rubric) throw yearEndRubricMissing();
    const after = await trx
      .updateTable('year_end_assessment')
      .set({
        status: 'self-submitted',
        self_submitted_by: a.by,
        self_submitted_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      a.id,
      a.by,
      'year_end_assessment.self-submitted',
      { status: row.status },
      {
        status: after.status,
        revision: row.revision,
        selfScore: row.self_score,
        ...(a.late ? { late: true } : {}),
      },
    );
    return { row: after, applied: true };
  });
}

/** Records the supervisor's assessment (activity; a repeat answers the row). */
export async function supervisorRow(
  db: Executor,
  a: { id: string; by: string; points: Record<string, string>; comments: string },
): Promise<{ row: YearEndAssessmentRow; applied: boolean }> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, a.id);
    if (row.status !== 'self-submitted') {
      if (row.supervisor_by !== null) return { row, applied: false };
      throw yearEndWrongStep('self-submitted', row.status);
    }
    const r = supervisorScoreOf(row.estimate as unknown as Estimate | null, a);
    const after = await trx
      .updateTable('year_end_assessment')
      .set({
        status: 'supervisor-done',
        supervisor_content: JSON.stringify({ points: a.points, comments: a.comments }),
        supervisor_score: r.score,
        proposed_level: r.proposedLevel,
        explanation: JSON.stringify({
          steps: r.steps,
          ruleSet: (row.estimate as unknown as Estimate | null)?.ruleSet ?? null,
        }),
        supervisor_by: a.by,
        supervisor_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      a.id,
      a.by,
      'year_end_assessment.supervisor',
      { status: row.status },
      {
        status: after.status,
        points: a.points,
        supervisorScore: r.score,
        proposedLevel: r.proposedLevel,
      },
    );
    return { row: after, applied: true };
  });
}

export interface AppraisalInput {
  by: string;
  agrees: boolean;
  level?: RankLevel;
  comment: string;
}

/** Records the organisation department's appraisal (activity; a repeat answers the row). */
export async function appraiseRow(
  db: Executor,
  a: AppraisalInput,
  id: string,
): Promise<{ row: YearEndAssessmentRow; applied: boolean }> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, id);
    if (row.status !== 'supervisor-done') {
      if (row.appraised_by !== null) return { row, applied: false };
      throw yearEndWrongStep('supervisor-done', row.status);
    }
    const after = await trx
      .updateTable('year_end_assessment')
      .set({
        status: 'appraised',
        appraisal: JSON.stringify({ agrees: a.agrees, level: a.level ?? null, comment: a.comment }),
        appraised_by: a.by,
        appraised_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      id,
      a.by,
      'year_end_assessment.appraised',
      { status: row.status },
      {
        status: after.status,
        agrees: a.agrees,
        level: a.level ?? null,
      },
    );
    return { row: after, applied: true };
  });
}

/** Marks the assessment ready for the ranking (activity; idempotent). */
export async function markReadyRow(
  db: Executor,
  a: { id: string; actor: string },
): Promise<YearEndAssessmentRow> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, a.id);
    if (row.status === 'ready') return row;
    const expected: YearEndStatus = row.needs_appraisal ? 'appraised' : 'supervisor-done';
    if (row.status !== expected) throw yearEndWrongStep(expected, row.status);
    const after = await trx
      .updateTable('year_end_assessment')
      .set({ status: 'ready', updated_at: sql`now()` })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, a.id, a.actor, 'year_end_assessment.ready', { status: row.status }, { status: 'ready' });
    return after;
  });
}
