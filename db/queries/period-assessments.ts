// Period assessments (migration 0430_period_assessment; DESIGN §3, RULES.md ND 335): the facts the check-ins
// recorded for a person and period (key results due, verified values, late check-ins, returns for a major
// error), the engine's computation (domain/scoring scorePeriod) written to the draft with its explanation,
// input snapshot and rule-set parameters, the manager's general-criteria points and waivers (the content
// path), and the confirmation that freezes it (written by the period-assessment workflow's activity). Every
// change is audited in its transaction; a confirmed assessment never changes.
import { sql } from 'kysely';
import type {
  AssessmentCadence,
  PeriodAssessmentRow,
  PeriodAssessmentWaiverRow,
} from '../schema-assessments.ts';
import '../schema-check-ins.ts';
import '../schema-plans.ts';
import {
  assessmentInput,
  type KeyResultFact,
  type MonthFact,
  monthsOfAssessmentPeriod,
  type WaivableItem,
  type WaiverFact,
  waivableItems,
} from '../../domain/assessment/period.ts';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { dueKeyResults } from '../../domain/check-in/due.ts';
import { getRuleSet } from '../../domain/rulesets/catalogue.ts';
import { ScoringError } from '../../domain/scoring/errors.ts';
import { nd335Parameters, type PeriodScoreExplanation, scorePeriod } from '../../domain/scoring/nd335.ts';
import { appendAudit } from '../audit/index.ts';
import { DbRuleError } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import { plansInForceFor } from './check-ins.ts';
import { unitPath } from './org-tree.ts';

export const ASSESSMENT_RULE_SET = 'ND335-2025';

const rule = (status: number, code: string, vi: string, en: string) =>
  new DbRuleError({ code, status, messageVi: vi, messageEn: en, sqlState: 'P0001' });

export const assessmentNotFound = () =>
  rule(404, 'ASSESSMENT_NOT_FOUND', 'Không tìm thấy phiếu đánh giá.', 'Assessment not found.');
export const assessmentConfirmed = () =>
  rule(
    409,
    'ASSESSMENT_CONFIRMED',
    'Phiếu đánh giá đã được xác nhận; không thể thay đổi.',
    'The assessment is confirmed; it cannot be changed.',
  );
export const assessmentRevisionConflict = (current: number) =>
  rule(
    409,
    'ASSESSMENT_REVISION_CONFLICT',
    `Phiếu đánh giá đã được thay đổi (phiên bản hiện tại ${current}); hãy tải lại trước khi lưu.`,
    `The assessment has changed (current revision ${current}); reload it before saving.`,
  );
export const assessmentNotComputed = () =>
  rule(
    409,
    'ASSESSMENT_NOT_COMPUTED',
    'Chưa tính được điểm nhiệm vụ của kỳ này.',
    'The task points of this period have not been computed.',
  );
export const waiverTargetUnknown = (ref: string) =>
  rule(
    422,
    'ASSESSMENT_WAIVER_TARGET_UNKNOWN',
    `Không có mục trễ hạn hoặc sai sót lớn "${ref}" trong kỳ đánh giá.`,
    `There is no late item or major error "${ref}" in the period.`,
  );
export const waiverExists = () =>
  rule(
    409,
    'ASSESSMENT_WAIVER_EXISTS',
    'Mục này đã có lý do khách quan được ghi nhận.',
    'An objective cause is already recorded for this item.',
  );
export const criteriaOutOfBounds = (id: string, max: string) =>
  rule(
    422,
    'ASSESSMENT_CRITERIA_OUT_OF_BOUNDS',
    `Điểm tiêu chí "${id}" phải từ 0 đến ${max}.`,
    `The points of criterion "${id}" must be between 0 and ${max}.`,
  );
export const criterionUnknown = (id: string) =>
  rule(
    422,
    'ASSESSMENT_CRITERION_UNKNOWN',
    `Không có tiêu chí "${id}" trong bộ quy tắc.`,
    `The rule set has no criterion "${id}".`,
  );

/** The general criteria of the rule set assessments use (bounds for the manager's points). */
export const assessmentCriteria = () => getRuleSet(ASSESSMENT_RULE_SET).nd335.generalCriteria;

/** The assessment period of an agency (month unless set); given a month ('YYYY-MM'), the cadence in force for
 *  it (a change takes effect from its `effective_from`, the first month of the next quarter). */
export async function cadenceOf(
  executor: Executor,
  unitId: string,
  month?: string,
): Promise<AssessmentCadence> {
  const r = await executor
    .selectFrom('assessment_cadence')
    .select(['cadence', 'previous_cadence', 'effective_from'])
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  if (!r) return 'month';
  if (month !== undefined && r.effective_from && r.previous_cadence && month < r.effective_from)
    return r.previous_cadence;
  return r.cadence;
}

/** The first month of the quarter after the one holding `month` ('YYYY-MM'). */
export function nextQuarterStart(month: string): string {
  const y = Number(month.slice(0, 4));
  const q = Math.floor((Number(month.slice(5, 7)) - 1) / 3);
  return q === 3 ? `${y + 1}-01` : `${y}-${String(q * 3 + 4).padStart(2, '0')}`;
}

/**
 * Sets an agency's cadence from the next assessment period: the cadence in force in `month` (today's) stays
 * until the first month of the next quarter (`effectiveFrom`), so a period under way is never cut or assessed
 * twice. Without `month`, at once (rows and tests of before). Audited; answers what is in force and when the
 * new cadence starts.
 */
export async function setCadence(
  executor: Executor,
  c: { unitId: string; cadence: AssessmentCadence; by: string; month?: string },
): Promise<{ current: AssessmentCadence; cadence: AssessmentCadence; effectiveFrom: string | null }> {
  return inTransaction(executor, async (trx) => {
    const before = await cadenceOf(trx, c.unitId, c.month);
    const row = await trx
      .selectFrom('assessment_cadence')
      .select(['cadence', 'effective_from'])
      .where('unit_id', '=', c.unitId)
      .forUpdate()
      .executeTakeFirst();
    const effectiveFrom = c.month && c.cadence !== before ? nextQuarterStart(c.month) : null;
    const values = {
      cadence: c.cadence,
      previous_cadence: effectiveFrom ? before : null,
      effective_from: effectiveFrom,
      updated_by: c.by,
    };
    await trx
      .insertInto('assessment_cadence')
      .values({ unit_id: c.unitId, ...values })
      .onConflict((oc) => oc.column('unit_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
    await appendAudit(trx, {
      aggregateType: 'assessment_cadence',
      aggregateId: c.unitId,
      actor: c.by,
      action: 'assessment.cadence.set',
      before: {
        cadence: row?.cadence ?? 'month',
        inForce: before,
        effectiveFrom: row?.effective_from ?? null,
      },
      after: { cadence: c.cadence, inForce: before, effectiveFrom },
    });
    return { current: before, cadence: c.cadence, effectiveFrom };
  });
}

/** The person's assessment of the period, created (draft) if missing. */
export async function ensureAssessment(
  executor: Executor,
  a: { personId: string; unitId: string; period: string; workflowId?: string },
): Promise<PeriodAssessmentRow> {
  await executor
    .insertInto('period_assessment')
    .values({
      person_id: a.personId,
      unit_id: a.unitId,
      period: a.period,
      workflow_id: a.workflowId ?? null,
    })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  return executor
    .selectFrom('period_assessment')
    .selectAll()
    .where('person_id', '=', a.personId)
    .where('period', '=', a.period)
    .executeTakeFirstOrThrow();
}

export function assessmentById(executor: Executor, id: string) {
  return executor.selectFrom('period_assessment').selectAll().where('id', '=', id).executeTakeFirst();
}

export function waiversOf(executor: Executor, assessmentId: string): Promise<PeriodAssessmentWaiverRow[]> {
  return executor
    .selectFrom('period_assessment_waiver')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

const waiverFact = (w: PeriodAssessmentWaiverRow): WaiverFact => ({
  id: w.id,
  kind: w.target_kind,
  ref: w.target_ref,
  objectiveCause: w.objective_cause,
  evidence: w.evidence_ids,
  recordedBy: w.recorded_by,
  recordedOn: vnLocalDate(w.recorded_at.getTime()),
});

/** What the check-ins of the period recorded for the person (read from the read model). */
export async function assessmentFacts(
  executor: Executor,
  row: Pick<PeriodAssessmentRow, 'person_id' | 'unit_id' | 'period'>,
): Promise<{ months: MonthFact[]; keyResults: KeyResultFact[] }> {
  const path = ((await unitPath(executor, row.unit_id)) ?? []).map((n) => n.id);
  const months: MonthFact[] = [];
  const keyResults: KeyResultFact[] = [];
  const plansOfYear = new Map<number, Awaited<ReturnType<typeof plansInForceFor>>>();
  for (const month of monthsOfAssessmentPeriod(row.period)) {
    const year = Number(month.slice(0, 4));
    if (!plansOfYear.has(year))
      plansOfYear.set(year, await plansInForceFor(executor, row.person_id, year, path));
    const due = dueKeyResults(row.person_id, plansOfYear.get(year)!, month);
    const ci = await executor
      .selectFrom('check_in')
      .select(['id', 'status'])
      .where('person_id', '=', row.person_id)
      .where('period', '=', month)
      .executeTakeFirst();
    const values = ci
      ? await executor
          .selectFrom('check_in_value')
          .select(['plan_id', 'key_result_id', 'verification'])
          .where('check_in_id', '=', ci.id)
          .execute()
      : [];
    const submit = ci
      ? await executor
          .selectFrom('task')
          .select(['due_at', 'closed_at', 'status', 'logical_due_date'])
          .where('subject_type', '=', 'check_in')
          .where('subject_id', '=', ci.id)
          .where('kind', '=', 'check-in.submit')
          .orderBy('created_at')
          .executeTakeFirst()
      : undefined;
    const late = !!submit?.closed_at && submit.status === 'done' && submit.closed_at > submit.due_at;
    months.push({
      month,
      late,
      ...(submit ? { dueDate: submit.logical_due_date } : {}),
      ...(submit?.closed_at && submit.status === 'done'
        ? { submittedOn: vnLocalDate(submit.closed_at.getTime()) }
        : {}),
    });
    const returns = new Map<string, string[]>();
    if (ci) {
      const audits = await executor
        .selectFrom('audit_log')
        .select(['at', 'after'])
        .where('aggregate_type', '=', 'check_in')
        .where('aggregate_id', '=', ci.id)
        .where('action', '=', 'check-in.returned')
        .orderBy('seq')
        .execute();
      for (const a of audits) {
        const vals = ((a.after as { values?: unknown } | null)?.values ?? []) as {
          planId: string;
          keyResultId: string;
          majorError?: boolean;
        }[];
        for (const v of vals)
          if (v.majorError === true) {
            const k = `${v.planId}/${v.keyResultId}`;
            returns.set(k, [...(returns.get(k) ?? []), vnLocalDate(new Date(a.at).getTime())]);
          }
      }
    }
    for (const d of due) {
      const v = values.find((x) => x.plan_id === d.planId && x.key_result_id === d.keyResult.id);
      keyResults.push({
        month,
        planId: d.planId,
        keyResultId: d.keyResult.id,
        title: d.keyResult.title,
        delivered: ci?.status === 'VERIFIED' && v?.verification === 'verified',
        majorErrorReturns: returns.get(`${d.planId}/${d.keyResult.id}`) ?? [],
      });
    }
  }
  return { months, keyResults };
}

/** What is stored in `computed`: the engine's result or why it could not compute. */
export interface ComputedAssessment {
  ok: boolean;
  error?: { key: string; vi: string; en: string };
  quantity?: string;
  progress?: string;
  quality?: string;
  taskPoints?: string;
  generalPoints?: string;
  score?: string;
  explanation?: PeriodScoreExplanation;
  items: WaivableItem[];
  keyResults: KeyResultFact[];
  months: MonthFact[];
}

/** Computes the draft from the facts, its waivers and its general criteria (no write). */
export async function computeAssessment(executor: Executor, row: PeriodAssessmentRow) {
  const facts = await assessmentFacts(executor, row);
  const waivers = (await waiversOf(executor, row.id)).map(waiverFact);
  const ruleSet = getRuleSet(ASSESSMENT_RULE_SET);
  const parameters = nd335Parameters(ruleSet);
  const items = waivableItems(facts.months, facts.keyResults, waivers);
  const input = assessmentInput({
    personId: row.person_id,
    period: row.period,
    months: facts.months,
    keyResults: facts.keyResults,
    waivers,
    generalCriteria: row.general_criteria as Record<string, string>,
  });
  const base = { items, keyResults: facts.keyResults, months: facts.months };
  try {
    const s = scorePeriod(input, parameters);
    const computed: ComputedAssessment = {
      ok: true,
      quantity: s.quantity.toString(),
      progress: s.progress.toString(),
      quality: s.quality.toString(),
      taskPoints: s.display.taskPoints,
      generalPoints: s.display.generalPoints,
      score: s.display.score,
      explanation: s.explanation,
      ...base,
    };
    return {
      computed,
      parameters,
      taskPoints: s.display.taskPoints,
      generalPoints: s.display.generalPoints,
      total: s.display.score,
    };
  } catch (e) {
    if (!(e instanceof ScoringError)) throw e;
    const computed: ComputedAssessment = {
      ok: false,
      error: { key: e.code, vi: e.detail.vi, en: e.detail.en },
      ...base,
    };
    return { computed, parameters, taskPoints: null, generalPoints: null, total: null };
  }
}

/**
 * Recomputes a draft under lock and writes it (revision + 1, audited). A confirmed assessment is answered
 * unchanged. Runs in the caller's transaction when given one.
 */
export async function recomputeAssessment(
  executor: Executor,
  id: string,
  actor: string,
  why = 'period_assessment.computed',
): Promise<PeriodAssessmentRow> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('period_assessment')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw assessmentNotFound();
    if (row.status === 'confirmed') return row;
    const c = await computeAssessment(trx, row);
    const after = await trx
      .updateTable('period_assessment')
      .set({
        computed: JSON.stringify(c.computed),
        rule_set: JSON.stringify(c.parameters),
        task_points: c.taskPoints,
        general_points: c.generalPoints,
        total: c.total,
        computed_at: sql`now()`,
        revision: row.revision + 1,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'period_assessment',
      aggregateId: id,
      actor,
      action: why,
      before: { revision: row.revision, taskPoints: row.task_points, total: row.total },
      after: { revision: after.revision, taskPoints: after.task_points, total: after.total },
    });
    return after;
  });
}

async function lockDraft(executor: Executor, id: string, revision: number | undefined) {
  const row = await executor
    .selectFrom('period_assessment')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw assessmentNotFound();
  if (row.status === 'confirmed') throw assessmentConfirmed();
  if (revision !== undefined && row.revision !== revision) throw assessmentRevisionConflict(row.revision);
  return row;
}

/** The manager's general-criteria points (content path), checked against the rule set's bounds. */
export async function setGeneralCriteria(
  executor: Executor,
  c: { id: string; revision: number; points: Record<string, string>; by: string },
): Promise<PeriodAssessmentRow> {
  const criteria = assessmentCriteria();
  for (const [k, v] of Object.entries(c.points)) {
    const crit = criteria.find((x) => x.id === k);
    if (!crit) throw criterionUnknown(k);
    const n = Number(v);
    if (!/^\d+(\.\d{1,2})?$/.test(v) || n < 0 || n > Number(crit.maxPoints))
      throw criteriaOutOfBounds(k, crit.maxPoints);
  }
  return inTransaction(executor, async (trx) => {
    const row = await lockDraft(trx, c.id, c.revision);
    await trx
      .updateTable('period_assessment')
      .set({ general_criteria: JSON.stringify(c.points), updated_at: sql`now()` })
      .where('id', '=', c.id)
      .execute();
    await appendAudit(trx, {
      aggregateType: 'period_assessment',
      aggregateId: c.id,
      actor: c.by,
      action: 'period_assessment.general-criteria',
      before: { generalCriteria: row.general_criteria },
      after: { generalCriteria: c.points },
    });
    return recomputeAssessment(trx, c.id, c.by);
  });
}

/** Records a waiver (content path) for a late month or a major-error return of the draft, then recomputes. */
export async function recordWaiver(
  executor: Executor,
  w: {
    id: string;
    /** The waiver's id when its evidence files were stored first (their subject id). */
    waiverId?: string;
    revision?: number;
    kind: 'late' | 'major-error';
    ref: string;
    objectiveCause: string;
    evidenceIds: string[];
    by: string;
  },
): Promise<{ assessment: PeriodAssessmentRow; waiver: PeriodAssessmentWaiverRow }> {
  return inTransaction(executor, async (trx) => {
    const row = await lockDraft(trx, w.id, w.revision);
    const facts = await assessmentFacts(trx, row);
    const items = waivableItems(facts.months, facts.keyResults, []);
    if (!items.some((i) => i.kind === w.kind && i.ref === w.ref)) throw waiverTargetUnknown(w.ref);
    const waiver = await trx
      .insertInto('period_assessment_waiver')
      .values({
        ...(w.waiverId ? { id: w.waiverId } : {}),
        assessment_id: w.id,
        target_kind: w.kind,
        target_ref: w.ref,
        objective_cause: w.objectiveCause,
        evidence_ids: w.evidenceIds,
        recorded_by: w.by,
      })
      .onConflict((oc) => oc.columns(['assessment_id', 'target_kind', 'target_ref']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!waiver) throw waiverExists();
    await appendAudit(trx, {
      aggregateType: 'period_assessment',
      aggregateId: w.id,
      actor: w.by,
      action: 'period_assessment.waiver.recorded',
      after: {
        waiverId: waiver.id,
        kind: w.kind,
        ref: w.ref,
        objectiveCause: w.objectiveCause,
        evidenceIds: w.evidenceIds,
      },
    });
    const assessment = await recomputeAssessment(trx, w.id, w.by);
    return { assessment, waiver };
  });
}

/** Removes a waiver of a draft (audited) and recomputes. */
export async function deleteWaiver(
  executor: Executor,
  d: { id: string; waiverId: string; by: string },
): Promise<PeriodAssessmentRow> {
  return inTransaction(executor, async (trx) => {
    await lockDraft(trx, d.id, undefined);
    const gone = await trx
      .deleteFrom('period_assessment_waiver')
      .where('id', '=', d.waiverId)
      .where('assessment_id', '=', d.id)
      .returningAll()
      .executeTakeFirst();
    if (!gone)
      throw rule(404, 'ASSESSMENT_WAIVER_NOT_FOUND', 'Không tìm thấy lý do khách quan.', 'Waiver not found.');
    await appendAudit(trx, {
      aggregateType: 'period_assessment',
      aggregateId: d.id,
      actor: d.by,
      action: 'period_assessment.waiver.deleted',
      before: {
        waiverId: gone.id,
        kind: gone.target_kind,
        ref: gone.target_ref,
        evidenceIds: gone.evidence_ids,
      },
    });
    return recomputeAssessment(trx, d.id, d.by);
  });
}

/**
 * Freezes the draft (the workflow's activity): status confirmed with the confirmer, at the revision the
 * manager saw. Idempotent: already confirmed by the same person → answered unchanged (applied false).
 */
export async function confirmAssessmentRow(
  executor: Executor,
  c: { id: string; by: string; onBehalfOf?: string; revision: number },
): Promise<{ applied: boolean; row: PeriodAssessmentRow }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('period_assessment')
      .selectAll()
      .where('id', '=', c.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw assessmentNotFound();
    const confirmer = c.onBehalfOf ?? c.by;
    if (row.status === 'confirmed') {
      if (row.confirmed_by === confirmer) return { applied: false, row };
      throw assessmentConfirmed();
    }
    if (row.revision !== c.revision) throw assessmentRevisionConflict(row.revision);
    if (!(row.computed as { ok?: boolean } | null)?.ok) throw assessmentNotComputed();
    const after = await trx
      .updateTable('period_assessment')
      .set({ status: 'confirmed', confirmed_by: confirmer, confirmed_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'period_assessment',
      aggregateId: c.id,
      actor: c.by,
      action: 'period_assessment.confirmed',
      before: { status: row.status, revision: row.revision },
      after: {
        status: 'confirmed',
        revision: row.revision,
        taskPoints: row.task_points,
        generalPoints: row.general_points,
        total: row.total,
        ...(c.onBehalfOf ? { onBehalfOf: c.onBehalfOf } : {}),
      },
    });
    return { applied: true, row: after };
  });
}

export interface AssessmentListRow {
  id: string;
  personId: string;
  personName: string;
  period: string;
  status: string;
  revision: number;
  taskPoints: string | null;
  generalPoints: string | null;
  total: string | null;
}

/** The assessments of a unit's people (persons whose assessment unit is `unitId` or under it) for a period. */
export async function assessmentsOfUnit(
  executor: Executor,
  unitId: string,
  period: string,
): Promise<AssessmentListRow[]> {
  const rows = await executor
    .selectFrom('period_assessment as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select([
      'a.id',
      'a.person_id',
      'p.full_name',
      'a.period',
      'a.status',
      'a.revision',
      'a.task_points',
      'a.general_points',
      'a.total',
    ])
    .where('a.period', '=', period)
    .where(
      'a.unit_id',
      'in',
      sql<string>`(WITH RECURSIVE sub(id) AS (SELECT ${unitId}::uuid UNION ALL SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub)`,
    )
    .orderBy('p.full_name')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    personName: r.full_name,
    period: r.period,
    status: r.status,
    revision: r.revision,
    taskPoints: r.task_points,
    generalPoints: r.general_points,
    total: r.total,
  }));
}
