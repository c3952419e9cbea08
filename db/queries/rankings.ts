// The ranking of a unit's people for a year (issue 8 points 2–3, RULES.md): the draft computed by the engine
// (domain/scoring rank) for each person employed in the unit during the year, with its explanation and every
// failed gate; the quota per agency and duty group (checkQuota, "vượt N" / "over by N"); quota exceptions
// requested by the unit head and approved or rejected by the competent body; the decision freezing each entry
// (rule set id + version, legal basis, parameters, input snapshot, result — freezeRanking) and the publication,
// blocked while over quota without an approved exception; the flags (QĐ 377's 70% rule for heads, two years of
// "Không hoàn thành", quota breaches, a ranking missing near its deadline).
//
// Drafting is content (the API recomputes the draft); decide, request/decide an exception and publish are the
// unit-ranking workflow's transitions (activities/unit-ranking.ts calls the functions below). Every change is
// audited on the aggregate ('unit_ranking', id).
//
// Inputs come through `RankingSources`: the year score from the year-end supervisor assessment
// (db/queries/year-end-assessments.ts yearEndAssessmentsOf) when the person has one, otherwise the mean of the
// confirmed period assessments (provisional); discipline and conclusion records, duty groups and Party membership
// from db/queries/evaluation-records.ts. Tests inject their own sources.
import { sql } from 'kysely';
import { getRuleSet } from '../../domain/rulesets/catalogue.ts';
import { RANK_LABELS, type RankLevel, type RuleSet } from '../../domain/rulesets/types.ts';
import {
  type ConclusionRecord,
  checkQuota,
  type DisciplineRecord,
  type Flag,
  type FrozenRanking,
  freezeRanking,
  type QuotaCheck,
  type QuotaException,
  qd377Flag,
  quotaFlags,
  type RankingResult,
  rank,
  twoYearsNotCompletedFlag,
  verifyFrozenRanking,
} from '../../domain/scoring/index.ts';
import { message } from '../../domain/scoring/messages.ts';
import { appendAudit } from '../audit/index.ts';
import { DbRuleError } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import type { UnitRankingEntryRow, UnitRankingExceptionRow, UnitRankingRow } from '../schema-rankings.ts';
import {
  conclusionRecordsOf,
  disciplineRecordsOf,
  dutyGroupsOf,
  partyMembersOf,
} from './evaluation-records.ts';
import { yearEndAssessmentsOf } from './year-end-assessments.ts';
import '../schema-rankings.ts';
import '../schema-assessments.ts';

const rule = (status: number, code: string, vi: string, en: string, details?: unknown) => {
  const e = new DbRuleError({ code, status, messageVi: vi, messageEn: en, sqlState: 'P0001' });
  if (details !== undefined) (e as unknown as { details: unknown }).details = details;
  return e;
};

export const rankingNotFound = () =>
  rule(404, 'RANKING_NOT_FOUND', 'Không tìm thấy bảng xếp loại.', 'Ranking not found.');
export const rankingNotTopUnit = () =>
  rule(
    422,
    'RANKING_UNIT_INVALID',
    'Chỉ xếp loại cho cơ quan, đơn vị trực thuộc tỉnh.',
    'Rankings are kept for the units directly under a province.',
  );
export const rankingDecided = () =>
  rule(
    409,
    'RANKING_DECIDED',
    'Bảng xếp loại đã được quyết định; kết quả đã đóng băng và không thay đổi.',
    'The ranking is decided; its result is frozen and does not change.',
  );
export const rankingRevisionConflict = (current: number) =>
  rule(
    409,
    'RANKING_REVISION_CONFLICT',
    `Bảng xếp loại đã được tính lại (phiên bản ${current}); vui lòng tải lại.`,
    `The ranking was recomputed (revision ${current}); reload it.`,
    { current },
  );
export const rankingNotDecided = () =>
  rule(
    409,
    'RANKING_NOT_DECIDED',
    'Bảng xếp loại chưa được quyết định.',
    'The ranking has not been decided yet.',
  );
export const rankingPublished = () =>
  rule(409, 'RANKING_PUBLISHED', 'Bảng xếp loại đã được công bố.', 'The ranking is already published.');
export const quotaBlocked = (check: QuotaCheck) => {
  const over = check.groups.reduce((n, g) => n + g.over, 0);
  return rule(
    409,
    'RANKING_QUOTA_BLOCKED',
    `Vượt ${over} chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ" mà chưa có ngoại lệ được phê duyệt: chưa thể công bố.`,
    `Over the "Excellent" quota by ${over} without an approved exception: publication is blocked.`,
    { over, groups: check.groups.filter((g) => g.over > 0) },
  );
};
export const exceptionNotFound = () =>
  rule(
    404,
    'RANKING_EXCEPTION_NOT_FOUND',
    'Không tìm thấy đề nghị ngoại lệ.',
    'Exception request not found.',
  );
export const exceptionDecided = () =>
  rule(
    409,
    'RANKING_EXCEPTION_DECIDED',
    'Đề nghị ngoại lệ đã được xử lý.',
    'The exception request has already been decided.',
  );
export const exceptionGroupUnknown = () =>
  rule(
    422,
    'RANKING_EXCEPTION_GROUP_UNKNOWN',
    'Không có nhóm chức trách này trong bảng xếp loại.',
    'The ranking has no such agency and duty group.',
  );

/** The year score of a person from the year-end supervisor assessment, when there is one. */
export interface RankingSources {
  yearScores?: (executor: Executor, a: { unitId: string; year: number }) => Promise<Map<string, string>>;
  disciplineRecordsOf?: (
    executor: Executor,
    a: { personIds?: string[]; unitIds?: string[]; year: number },
  ) => Promise<DisciplineRecord[]>;
  conclusionRecordsOf?: (
    executor: Executor,
    a: { personIds?: string[]; unitIds?: string[]; year: number },
  ) => Promise<ConclusionRecord[]>;
  dutyGroupsOf?: (
    executor: Executor,
    a: { personIds: string[]; asOf: string },
  ) => Promise<Map<string, string>>;
  partyMembersOf?: (executor: Executor, a: { personIds: string[]; asOf: string }) => Promise<Set<string>>;
  /** The unit's completion of the year's targets (0–1), for QĐ 377's flag on its head. */
  unitCompletionOf?: (executor: Executor, a: { unitId: string; year: number }) => Promise<string | undefined>;
  /** Task statistics per person (the QĐ 366 gates); default: from the confirmed period assessments. */
  taskStatsOf?: (
    executor: Executor,
    a: { personIds: string[]; year: number },
  ) => Promise<Map<string, { total: number; onTime: number; late: number; exceeded: number }>>;
}

/** The sources of the other year-end modules: the supervisor's year score, the records, duty groups and Party
 *  membership (a test may override any of them). */
export async function defaultRankingSources(): Promise<RankingSources> {
  return {
    yearScores: async (e, a) => {
      const m = new Map<string, string>();
      for (const v of await yearEndAssessmentsOf(e, a))
        if (v.supervisorScore !== null) m.set(v.personId, v.supervisorScore);
      return m;
    },
    disciplineRecordsOf,
    conclusionRecordsOf,
    dutyGroupsOf,
    partyMembersOf,
  };
}

/** The rule set of a unit type and cycle: Party bodies QĐ 366, others NĐ 335 from 2026, NĐ 90/48 before. */
export function ruleSetFor(unitType: { is_party: boolean }, year: number): RuleSet {
  if (year < 2026) return getRuleSet('ND90-48-legacy');
  return getRuleSet(unitType.is_party ? 'QD366-2025' : 'ND335-2025');
}

export function rankingById(executor: Executor, id: string) {
  return executor.selectFrom('unit_ranking').selectAll().where('id', '=', id).executeTakeFirst();
}

export function rankingOf(executor: Executor, unitId: string, year: number) {
  return executor
    .selectFrom('unit_ranking')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('year', '=', year)
    .executeTakeFirst();
}

/** The top unit (directly under its province) and its province, or undefined for another unit. */
export async function topUnitOf(executor: Executor, unitId: string) {
  const u = await executor
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_type as t', 't.code', 'u.type_code')
    .select(['u.id', 'u.province_id', 'u.parent_id', 'u.name_vi', 't.is_party'])
    .where('u.id', '=', unitId)
    .executeTakeFirst();
  if (!u || u.parent_id === null || u.parent_id !== u.province_id) return undefined;
  return u;
}

/** Creates the draft ranking of a top unit for a year (idempotent: answers the existing row). */
export async function ensureRanking(
  executor: Executor,
  a: { unitId: string; year: number; deadline: string; by: string },
): Promise<UnitRankingRow> {
  const unit = await topUnitOf(executor, a.unitId);
  if (!unit) throw rankingNotTopUnit();
  return inTransaction(executor, async (trx) => {
    const rs = ruleSetFor(unit, a.year);
    const inserted = await trx
      .insertInto('unit_ranking')
      .values({
        unit_id: a.unitId,
        year: a.year,
        rule_set_id: rs.id,
        rule_set_version: rs.version,
        deadline: a.deadline,
      })
      .onConflict((oc) => oc.columns(['unit_id', 'year']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      await appendAudit(trx, {
        aggregateType: 'unit_ranking',
        aggregateId: inserted.id,
        actor: a.by,
        action: 'ranking.created',
        after: { unitId: a.unitId, year: a.year, ruleSet: { id: rs.id, version: rs.version } },
      });
      return inserted;
    }
    return (await rankingOf(trx, a.unitId, a.year))!;
  });
}

/** The people employed in the unit (or a unit inside it) during the year, with their unit head flag. */
async function peopleOf(executor: Executor, unitId: string, year: number, day: string) {
  const r = await sql<{ person_id: string; full_name: string }>`
    WITH RECURSIVE sub AS (
      SELECT id FROM org_unit WHERE id = ${unitId}
      UNION ALL SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id
    )
    SELECT DISTINCT e.person_id, p.full_name FROM employment e
      JOIN person p ON p.id = e.person_id
      WHERE e.org_unit_id IN (SELECT id FROM sub) AND NOT e.is_concurrent
        AND e.valid_from <= ${`${year}-12-31`}::date
        AND (e.valid_to IS NULL OR e.valid_to >= ${`${year}-01-01`}::date)
      ORDER BY p.full_name, e.person_id`.execute(executor);
  const heads = await executor
    .selectFrom('role_assignment')
    .select('person_id')
    .where('role_code', '=', 'unit_head')
    .where('scope_unit_id', '=', unitId)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
    .execute();
  const headIds = new Set(heads.map((h) => h.person_id));
  return r.rows.map((p) => ({ personId: p.person_id, name: p.full_name, isHead: headIds.has(p.person_id) }));
}

/** Mean of the confirmed period assessments' totals of the year, per person (2 decimals half-up). */
async function periodScores(executor: Executor, personIds: string[], year: number) {
  if (personIds.length === 0) return new Map<string, string>();
  const rows = await executor
    .selectFrom('period_assessment')
    .select(['person_id', sql<string>`round(avg(total), 2)::text`.as('score')])
    .where('person_id', 'in', personIds)
    .where('status', '=', 'confirmed')
    .where('total', 'is not', null)
    .where('period', 'like', `${year}-%`)
    .groupBy('person_id')
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.score]));
}

/** Task statistics from the confirmed period assessments: key results due, late months not waived. */
async function periodTaskStats(executor: Executor, personIds: string[], year: number) {
  const out = new Map<string, { total: number; onTime: number; late: number; exceeded: number }>();
  if (personIds.length === 0) return out;
  const rows = await executor
    .selectFrom('period_assessment')
    .select(['person_id', 'computed'])
    .where('person_id', 'in', personIds)
    .where('status', '=', 'confirmed')
    .where('period', 'like', `${year}-%`)
    .execute();
  for (const r of rows) {
    const c = (r.computed ?? {}) as {
      keyResults?: unknown[];
      items?: { kind?: string; waiverId?: string | null }[];
    };
    const total = c.keyResults?.length ?? 0;
    const late = (c.items ?? []).filter((i) => i.kind === 'late' && !i.waiverId).length;
    const s = out.get(r.person_id) ?? { total: 0, onTime: 0, late: 0, exceeded: 0 };
    s.total += total;
    s.late += Math.min(late, total);
    s.onTime += Math.max(0, total - Math.min(late, total));
    out.set(r.person_id, s);
  }
  return out;
}

const asDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Recomputes the draft of a ranking (content path): one entry per person with the engine's result, under the
 * ranking's rule set. Refused once decided (the decided ranking is frozen). Bumps the revision.
 */
export async function recomputeDraft(
  executor: Executor,
  a: { rankingId: string; by: string; sources?: RankingSources },
): Promise<UnitRankingRow> {
  const sources = { ...(await defaultRankingSources()), ...(a.sources ?? {}) };
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('unit_ranking')
      .selectAll()
      .where('id', '=', a.rankingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw rankingNotFound();
    if (row.status !== 'draft') throw rankingDecided();
    const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
    const asOf = row.deadline;
    const people = await peopleOf(trx, row.unit_id, row.year, asOf);
    const ids = people.map((p) => p.personId);
    const [supervisorScores, fromPeriods, discipline, conclusions, groups, stats] = await Promise.all([
      sources.yearScores ? sources.yearScores(trx, { unitId: row.unit_id, year: row.year }) : undefined,
      periodScores(trx, ids, row.year),
      sources.disciplineRecordsOf
        ? sources.disciplineRecordsOf(trx, { personIds: ids, year: row.year })
        : Promise.resolve([]),
      sources.conclusionRecordsOf
        ? sources.conclusionRecordsOf(trx, { personIds: ids, unitIds: [row.unit_id], year: row.year })
        : Promise.resolve([]),
      sources.dutyGroupsOf ? sources.dutyGroupsOf(trx, { personIds: ids, asOf }) : undefined,
      sources.taskStatsOf
        ? sources.taskStatsOf(trx, { personIds: ids, year: row.year })
        : periodTaskStats(trx, ids, row.year),
    ]);
    await trx.deleteFrom('unit_ranking_entry').where('ranking_id', '=', row.id).execute();
    for (const p of people) {
      const sup = supervisorScores?.get(p.personId);
      const score = sup ?? fromPeriods.get(p.personId) ?? null;
      const source = sup !== undefined ? 'supervisor' : score !== null ? 'periods' : 'none';
      const dutyGroup = groups?.get(p.personId) ?? 'default';
      let result: RankingResult | null = null;
      if (score !== null) {
        result = rank(
          {
            subjectId: p.personId,
            subjectKind: 'individual',
            ...(p.isHead ? { leaderOf: row.unit_id } : {}),
            agencyId: row.unit_id,
            dutyGroup,
            year: row.year,
            score,
            taskStats: stats.get(p.personId) ?? { total: 0, onTime: 0, late: 0, exceeded: 0 },
            disciplineRecords: discipline.filter((d) => d.subjectId === p.personId),
            conclusions: conclusions.filter(
              (c) => c.subjectId === p.personId || (p.isHead && c.subjectId === row.unit_id),
            ),
          },
          ruleSet,
        );
      }
      await trx
        .insertInto('unit_ranking_entry')
        .values({
          ranking_id: row.id,
          person_id: p.personId,
          agency_id: row.unit_id,
          duty_group: dutyGroup,
          is_head: p.isHead,
          score: result ? result.score : null,
          score_source: source,
          level: result ? result.level : null,
          result: result ? JSON.stringify(result) : null,
        })
        .execute();
    }
    const after = await trx
      .updateTable('unit_ranking')
      .set({ revision: row.revision + 1, updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'unit_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'ranking.drafted',
      before: { revision: row.revision },
      after: {
        revision: after.revision,
        ruleSet: { id: ruleSet.id, version: ruleSet.version },
        entries: people.length,
      },
    });
    return after;
  });
}

export function entriesOf(executor: Executor, rankingId: string): Promise<UnitRankingEntryRow[]> {
  return executor
    .selectFrom('unit_ranking_entry')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .orderBy('person_id')
    .execute();
}

export function exceptionsOf(executor: Executor, rankingId: string): Promise<UnitRankingExceptionRow[]> {
  return executor
    .selectFrom('unit_ranking_exception')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .orderBy('requested_at')
    .execute();
}

/** The level an entry counts with: the frozen one once decided, else the draft's. */
const levelOf = (e: UnitRankingEntryRow): RankLevel | null =>
  e.frozen ? (e.frozen as unknown as FrozenRanking).level : e.level;

/** The quota check of a ranking: its entries' levels and its approved exceptions, under its rule set. */
export async function quotaOf(executor: Executor, row: UnitRankingRow): Promise<QuotaCheck> {
  const [entries, exceptions] = await Promise.all([
    entriesOf(executor, row.id),
    exceptionsOf(executor, row.id),
  ]);
  const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
  return checkQuota(
    entries.flatMap((e) => {
      const level = levelOf(e);
      return level ? [{ subjectId: e.person_id, agencyId: e.agency_id, dutyGroup: e.duty_group, level }] : [];
    }),
    ruleSet.quota,
    exceptions
      .filter((x) => x.status === 'approved')
      .map(
        (x): QuotaException => ({
          agencyId: x.agency_id,
          dutyGroup: x.duty_group,
          extraPlaces: x.extra_places,
          justification: x.justification,
          approvedBy: x.decided_by ?? '',
          approvalDecision: x.decision_number ?? '',
          approvedOn: x.decided_on ?? '',
        }),
      ),
  );
}

/** The head's decision (workflow activity): freezes every scored entry of the draft at the revision seen. */
export async function decideRanking(
  executor: Executor,
  a: { rankingId: string; by: string; revision: number; decidedOn: string },
): Promise<{ row: UnitRankingRow; applied: boolean; quota: QuotaCheck }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('unit_ranking')
      .selectAll()
      .where('id', '=', a.rankingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw rankingNotFound();
    if (row.status !== 'draft') {
      if (row.decided_by === a.by) return { row, applied: false, quota: await quotaOf(trx, row) };
      throw rankingDecided();
    }
    if (row.revision !== a.revision) throw rankingRevisionConflict(row.revision);
    const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
    for (const e of await entriesOf(trx, row.id)) {
      if (!e.result) continue;
      const frozen = freezeRanking(e.result as unknown as RankingResult, ruleSet, a.decidedOn);
      await trx
        .updateTable('unit_ranking_entry')
        .set({ frozen: JSON.stringify(frozen) })
        .where('ranking_id', '=', row.id)
        .where('person_id', '=', e.person_id)
        .execute();
    }
    const after = await trx
      .updateTable('unit_ranking')
      .set({
        status: 'decided',
        decided_by: a.by,
        decided_on: a.decidedOn,
        decided_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const quota = await quotaOf(trx, after);
    await appendAudit(trx, {
      aggregateType: 'unit_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'ranking.decided',
      before: { status: 'draft', revision: row.revision },
      after: {
        status: 'decided',
        decidedOn: a.decidedOn,
        ruleSet: { id: ruleSet.id, version: ruleSet.version },
        over: quota.groups.reduce((n, g) => n + g.over, 0),
      },
    });
    return { row: after, applied: true, quota };
  });
}

/** The unit head's request for extra places (workflow activity); idempotent by its id. */
export async function requestException(
  executor: Executor,
  a: {
    rankingId: string;
    exceptionId: string;
    by: string;
    agencyId: string;
    dutyGroup: string;
    extraPlaces: number;
    justification: string;
  },
): Promise<UnitRankingExceptionRow> {
  return inTransaction(executor, async (trx) => {
    const existing = await trx
      .selectFrom('unit_ranking_exception')
      .selectAll()
      .where('id', '=', a.exceptionId)
      .executeTakeFirst();
    if (existing) return existing;
    const row = await rankingById(trx, a.rankingId);
    if (!row) throw rankingNotFound();
    if (row.status === 'published') throw rankingPublished();
    const group = await trx
      .selectFrom('unit_ranking_entry')
      .select('person_id')
      .where('ranking_id', '=', row.id)
      .where('agency_id', '=', a.agencyId)
      .where('duty_group', '=', a.dutyGroup)
      .executeTakeFirst();
    if (!group) throw exceptionGroupUnknown();
    const x = await trx
      .insertInto('unit_ranking_exception')
      .values({
        id: a.exceptionId,
        ranking_id: row.id,
        agency_id: a.agencyId,
        duty_group: a.dutyGroup,
        extra_places: a.extraPlaces,
        justification: a.justification,
        requested_by: a.by,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'unit_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'ranking.exception.requested',
      after: {
        exceptionId: x.id,
        agencyId: x.agency_id,
        dutyGroup: x.duty_group,
        extraPlaces: x.extra_places,
        justification: x.justification,
      },
    });
    return x;
  });
}

/** The competent body's approval or rejection of an exception (workflow activity); idempotent. */
export async function decideException(
  executor: Executor,
  a: {
    exceptionId: string;
    by: string;
    approve: boolean;
    decisionNumber: string | null;
    decidedOn: string;
  },
): Promise<{ exception: UnitRankingExceptionRow; quota: QuotaCheck }> {
  return inTransaction(executor, async (trx) => {
    const x = await trx
      .selectFrom('unit_ranking_exception')
      .selectAll()
      .where('id', '=', a.exceptionId)
      .forUpdate()
      .executeTakeFirst();
    if (!x) throw exceptionNotFound();
    const row = (await rankingById(trx, x.ranking_id))!;
    if (x.status !== 'requested') {
      if (x.decided_by === a.by) return { exception: x, quota: await quotaOf(trx, row) };
      throw exceptionDecided();
    }
    const after = await trx
      .updateTable('unit_ranking_exception')
      .set({
        status: a.approve ? 'approved' : 'rejected',
        decided_by: a.by,
        decision_number: a.decisionNumber,
        decided_on: a.decidedOn,
      })
      .where('id', '=', x.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'unit_ranking',
      aggregateId: x.ranking_id,
      actor: a.by,
      action: a.approve ? 'ranking.exception.approved' : 'ranking.exception.rejected',
      before: { exceptionId: x.id, status: 'requested' },
      after: {
        exceptionId: x.id,
        status: after.status,
        decisionNumber: a.decisionNumber,
        decidedOn: a.decidedOn,
      },
    });
    return { exception: after, quota: await quotaOf(trx, row) };
  });
}

/** Publication (workflow activity): a decided ranking within its quota (or with an approved exception). */
export async function publishRanking(
  executor: Executor,
  a: { rankingId: string; by: string },
): Promise<{ row: UnitRankingRow; applied: boolean }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('unit_ranking')
      .selectAll()
      .where('id', '=', a.rankingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw rankingNotFound();
    if (row.status === 'published') {
      if (row.published_by === a.by) return { row, applied: false };
      throw rankingPublished();
    }
    if (row.status !== 'decided') throw rankingNotDecided();
    const quota = await quotaOf(trx, row);
    if (quota.publicationBlocked) throw quotaBlocked(quota);
    const after = await trx
      .updateTable('unit_ranking')
      .set({ status: 'published', published_by: a.by, published_at: new Date(), updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'unit_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'ranking.published',
      before: { status: 'decided' },
      after: { status: 'published' },
    });
    return { row: after, applied: true };
  });
}

/** A flag of a ranking: the engine's (QĐ 377, two years, quota) or a ranking missing near its deadline. */
export type RankingFlag = Flag | { kind: 'missingNearDeadline'; subjectId: string; message: Flag['message'] };

/** Days before the deadline from which an undecided ranking is flagged. */
export const MISSING_FLAG_DAYS = 3;

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The flags of a ranking as of `today` (yyyy-mm-dd). */
export async function flagsOf(
  executor: Executor,
  row: UnitRankingRow,
  today: string,
  sources: RankingSources = {},
): Promise<RankingFlag[]> {
  const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
  const entries = await entriesOf(executor, row.id);
  const flags: RankingFlag[] = [];
  const head = entries.find((e) => e.is_head);
  if (head && sources.unitCompletionOf) {
    const [now, before] = await Promise.all([
      sources.unitCompletionOf(executor, { unitId: row.unit_id, year: row.year }),
      sources.unitCompletionOf(executor, { unitId: row.unit_id, year: row.year - 1 }),
    ]);
    if (now !== undefined) {
      const f = qd377Flag(
        {
          personId: head.person_id,
          unitCompletion: now,
          ...(before !== undefined ? { previousYearUnitCompletion: before } : {}),
        },
        ruleSet.flags,
      );
      if (f) flags.push(f);
    }
  }
  if (ruleSet.flags.twoYearsNotCompleted) {
    const prev = await executor
      .selectFrom('unit_ranking_entry as e')
      .innerJoin('unit_ranking as r', 'r.id', 'e.ranking_id')
      .select(['e.person_id', 'r.year', 'e.frozen'])
      .where('e.person_id', 'in', entries.length ? entries.map((e) => e.person_id) : [''])
      .where('r.year', '=', row.year - 1)
      .where('r.status', '=', 'published')
      .execute()
      .catch(() => []);
    for (const e of entries) {
      const level = levelOf(e);
      if (!level) continue;
      const history = [
        { year: row.year, level },
        ...prev
          .filter((p) => p.person_id === e.person_id && p.frozen)
          .map((p) => ({ year: p.year, level: (p.frozen as unknown as FrozenRanking).level })),
      ];
      const f = twoYearsNotCompletedFlag(e.person_id, history);
      if (f) flags.push(f);
    }
  }
  flags.push(...quotaFlags(await quotaOf(executor, row)));
  if (row.status === 'draft' && daysBetween(today, row.deadline) <= MISSING_FLAG_DAYS) {
    const days = daysBetween(today, row.deadline);
    const d = row.deadline;
    const dmy = `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
    flags.push({
      kind: 'missingNearDeadline',
      subjectId: row.unit_id,
      message: {
        key: 'flag.rankingMissing',
        params: { deadline: d, days },
        vi:
          days >= 0
            ? `Chưa quyết định xếp loại; hạn ${dmy} còn ${days} ngày`
            : `Chưa quyết định xếp loại; đã quá hạn ${dmy} ${-days} ngày`,
        en:
          days >= 0
            ? `Ranking not decided; due ${dmy}, ${days} days left`
            : `Ranking not decided; ${-days} days past the deadline ${dmy}`,
      },
    });
  }
  return flags;
}

/** Every frozen entry of a decided ranking recomputes from its own snapshot to its signed level. */
export async function verifyRanking(executor: Executor, rankingId: string): Promise<boolean> {
  const entries = await entriesOf(executor, rankingId);
  return entries.every((e) => !e.frozen || verifyFrozenRanking(e.frozen as unknown as FrozenRanking));
}

/** The label of a level in Vietnamese and English. */
export const levelLabel = (l: RankLevel) => RANK_LABELS[l];

/** Re-exported so callers build messages the engine's way. */
export { message };

/** The published rankings of a province's units for a year (the year-end review session, reports). */
export async function publishedRankingsOf(
  db: Executor,
  a: { provinceId: string; year: number },
): Promise<
  {
    subjectId: string;
    subjectKind: 'individual' | 'collective';
    unitId: string;
    level: RankLevel;
    decidedOn: string;
  }[]
> {
  const rows = await db
    .selectFrom('unit_ranking_entry as e')
    .innerJoin('unit_ranking as r', 'r.id', 'e.ranking_id')
    .innerJoin('org_unit as u', 'u.id', 'r.unit_id')
    .select(['e.person_id', 'r.unit_id', 'e.frozen', 'r.decided_on'])
    .where('u.province_id', '=', a.provinceId)
    .where('r.year', '=', a.year)
    .where('r.status', '=', 'published')
    .where('e.frozen', 'is not', null)
    .orderBy('r.unit_id')
    .orderBy('e.person_id')
    .execute();
  return rows.map((r) => ({
    subjectId: r.person_id,
    subjectKind: 'individual' as const,
    unitId: r.unit_id,
    level: (r.frozen as unknown as FrozenRanking).level,
    decidedOn: r.decided_on ?? (r.frozen as unknown as FrozenRanking).decidedOn,
  }));
}

export { asDay };
