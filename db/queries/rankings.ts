// The ranking of a unit's people for a year (issue 8 points 2–3, RULES.md): the draft computed by the engine
// (domain/scoring rank) for each person employed in the unit during the year, with its explanation and every
// failed gate; the quota per agency and duty group (checkQuota, "vượt N" / "over by N"); quota exceptions
// requested by the unit head and approved or rejected by the competent body; the decision freezing each entry
// (rule set id + version, legal basis, parameters, input snapshot, result — freezeRanking) and the publication,
// blocked while over quota without an approved exception; the flags (QĐ 377's 70% rule for heads, two years of
// "Không hoàn thành", quota breaches, a ranking missing near its deadline).
//
// Two tracks (migration 0640): every person gets a 'state' entry under the unit's rule set; a Party member also
// gets a 'party' entry under the ranking's Party rule set (QĐ 366), computed by the engine's rankParty from the
// same year score, task statistics and records and capped by the state level ("the state rank feeds the Party
// one"); Party entries form one quota group per unit (the grassroots organisation, duty group 'party') with the
// Party quota of the Party rule set. Nobody approves their own evaluation: the unit's head(s) are not ranked in
// their own unit's ranking (the superior body ranks them in the province ranking) — headsOf lists them.
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
import { aggregate } from '../../domain/plan/aggregation.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
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
  type QuotaGroup,
  qd377Flag,
  quotaFlags,
  type RankingInput,
  type RankingResult,
  rank,
  rankParty,
  twoYearsNotCompletedFlag,
  verifyFrozenRanking,
} from '../../domain/scoring/index.ts';
import { type Message, message } from '../../domain/scoring/messages.ts';
import { appendAudit } from '../audit/index.ts';
import { DbRuleError } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import type {
  RankingTrack,
  UnitRankingEntryRow,
  UnitRankingExceptionRow,
  UnitRankingRow,
  UnitRankingSelectionRow,
} from '../schema-rankings.ts';
import {
  conclusionRecordsOf,
  disciplineRecordsOf,
  dutyGroupsOf,
  partyMembersOf,
} from './evaluation-records.ts';
import { yearEndAssessmentsOf } from './year-end-assessments.ts';
import '../schema-rankings.ts';
import '../schema-assessments.ts';
import '../schema-check-ins.ts';

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

/** The Party track's rule set of a ranking (QĐ 366 from cycle 2026); none before 2026 (QĐ 124, not modelled). */
export function partyRuleSetOf(
  row: Pick<UnitRankingRow, 'year' | 'party_rule_set_id' | 'party_rule_set_version'>,
): RuleSet | undefined {
  if (row.year < 2026) return undefined;
  return getRuleSet(row.party_rule_set_id, row.party_rule_set_version);
}

/** The rule set an entry of a track is computed and frozen with. */
export function trackRuleSet(row: UnitRankingRow, track: RankingTrack): RuleSet {
  if (track === 'party') {
    const rs = partyRuleSetOf(row);
    if (rs) return rs;
  }
  return getRuleSet(row.rule_set_id, row.rule_set_version);
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
  // the unit's head(s) are ranked by the superior body, never in their own unit's ranking
  return r.rows
    .filter((p) => !headIds.has(p.person_id))
    .map((p) => ({ personId: p.person_id, name: p.full_name, isHead: false }));
}

/** The unit's head(s) on `day`: not ranked in their own unit's ranking ("xếp loại bởi cấp trên"). */
export async function headsOf(
  executor: Executor,
  unitId: string,
  day: string,
): Promise<{ personId: string; name: string }[]> {
  const rows = await executor
    .selectFrom('role_assignment as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['p.id', 'p.full_name'])
    .where('r.role_code', '=', 'unit_head')
    .where('r.scope_unit_id', '=', unitId)
    .where('r.valid_from', '<=', day)
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', day)]))
    .orderBy('p.full_name')
    .orderBy('p.id')
    .execute();
  const out = new Map<string, { personId: string; name: string }>();
  for (const r of rows) if (!out.has(r.id)) out.set(r.id, { personId: r.id, name: r.full_name });
  return [...out.values()];
}

/** The Party track's duty group: one Party quota group per unit (its grassroots Party organisation). */
export const PARTY_GROUP = 'party';

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

/**
 * Whether a key result's year value exceeds its year target (QĐ 366's "vượt"): the verified check-in values of
 * the year combined by the key result's aggregation rule, then strictly above the target ('higher') or strictly
 * below it ('lower'). A milestone, a range or a zero-tolerance key result is met or not, never exceeded.
 */
export function keyResultExceeded(kr: KeyResult, values: readonly string[]): boolean {
  if (kr.direction.kind !== 'higher' && kr.direction.kind !== 'lower') return false;
  let year: ReturnType<typeof aggregate>;
  try {
    year = aggregate(kr.aggregation, values);
  } catch {
    return false;
  }
  if (year === undefined) return false;
  return kr.direction.kind === 'higher' ? year.gt(kr.target) : year.lt(kr.target);
}

/**
 * Task statistics from the confirmed period assessments: each key result due in a month is one task (the
 * assessments' `computed.keyResults`); late = the late months not waived; exceeded = the tasks whose key result's
 * year value (this person's verified check-in values of the year, see keyResultExceeded) exceeds its target in the
 * plan version in force — so the exceeded share is counted on the same tasks as the on-time share.
 */
export async function periodTaskStats(executor: Executor, personIds: string[], year: number) {
  const out = new Map<string, { total: number; onTime: number; late: number; exceeded: number }>();
  if (personIds.length === 0) return out;
  const rows = await executor
    .selectFrom('period_assessment')
    .select(['person_id', 'computed'])
    .where('person_id', 'in', personIds)
    .where('status', '=', 'confirmed')
    .where('period', 'like', `${year}-%`)
    .execute();
  const facts = new Map<string, { planId?: string; keyResultId?: string }[]>();
  for (const r of rows) {
    const c = (r.computed ?? {}) as {
      keyResults?: { planId?: string; keyResultId?: string }[];
      items?: { kind?: string; waiverId?: string | null }[];
    };
    const total = c.keyResults?.length ?? 0;
    const late = (c.items ?? []).filter((i) => i.kind === 'late' && !i.waiverId).length;
    const s = out.get(r.person_id) ?? { total: 0, onTime: 0, late: 0, exceeded: 0 };
    s.total += total;
    s.late += Math.min(late, total);
    s.onTime += Math.max(0, total - Math.min(late, total));
    out.set(r.person_id, s);
    facts.set(r.person_id, [...(facts.get(r.person_id) ?? []), ...(c.keyResults ?? [])]);
  }
  const planIds = [
    ...new Set([...facts.values()].flat().flatMap((k) => (typeof k.planId === 'string' ? [k.planId] : []))),
  ];
  if (planIds.length === 0) return out;
  const plans = await executor
    .selectFrom('plan as p')
    .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
    .select(['p.id', 'v.content'])
    .where('p.id', 'in', planIds)
    .execute();
  const krOf = new Map<string, KeyResult>();
  for (const p of plans)
    for (const t of (p.content as unknown as Plan | null)?.tasks ?? [])
      for (const k of t.keyResults ?? []) krOf.set(`${p.id}/${k.id}`, k);
  const values = await executor
    .selectFrom('check_in_value as v')
    .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
    .select(['c.person_id', 'c.period', 'v.plan_id', 'v.key_result_id', 'v.value', 'v.done'])
    .where('c.person_id', 'in', personIds)
    .where('c.period', 'like', `${year}-%`)
    .where('v.verification', '=', 'verified')
    .orderBy('c.period')
    .execute();
  const valuesOf = new Map<string, string[]>();
  for (const v of values) {
    const value = v.value ?? (v.done === null ? null : v.done ? '1' : '0');
    if (value === null) continue;
    const k = `${v.person_id}/${v.plan_id}/${v.key_result_id}`;
    valuesOf.set(k, [...(valuesOf.get(k) ?? []), value]);
  }
  for (const [personId, list] of facts) {
    const s = out.get(personId)!;
    const exceeded = new Map<string, boolean>();
    for (const f of list) {
      const k = `${f.planId}/${f.keyResultId}`;
      if (!exceeded.has(k)) {
        const kr = krOf.get(k);
        exceeded.set(k, !!kr && keyResultExceeded(kr, valuesOf.get(`${personId}/${k}`) ?? []));
      }
      if (exceeded.get(k)) s.exceeded += 1;
    }
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
    const partyRuleSet = partyRuleSetOf(row);
    const [supervisorScores, fromPeriods, discipline, conclusions, groups, stats, members] =
      await Promise.all([
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
        partyRuleSet && sources.partyMembersOf
          ? sources.partyMembersOf(trx, { personIds: ids, asOf })
          : Promise.resolve(new Set<string>()),
      ]);
    await trx.deleteFrom('unit_ranking_entry').where('ranking_id', '=', row.id).execute();
    let partyEntries = 0;
    for (const p of people) {
      const sup = supervisorScores?.get(p.personId);
      const score = sup ?? fromPeriods.get(p.personId) ?? null;
      const source = sup !== undefined ? 'supervisor' : score !== null ? 'periods' : 'none';
      const dutyGroup = groups?.get(p.personId) ?? 'default';
      let result: RankingResult | null = null;
      const input = (group: string): RankingInput | null =>
        score === null
          ? null
          : {
              subjectId: p.personId,
              subjectKind: 'individual',
              agencyId: row.unit_id,
              dutyGroup: group,
              year: row.year,
              score,
              taskStats: stats.get(p.personId) ?? { total: 0, onTime: 0, late: 0, exceeded: 0 },
              disciplineRecords: discipline.filter((d) => d.subjectId === p.personId),
              conclusions: conclusions.filter((c) => c.subjectId === p.personId),
            };
      const stateInput = input(dutyGroup);
      if (stateInput) result = rank(stateInput, ruleSet);
      await trx
        .insertInto('unit_ranking_entry')
        .values({
          ranking_id: row.id,
          person_id: p.personId,
          track: 'state',
          agency_id: row.unit_id,
          duty_group: dutyGroup,
          is_head: false,
          score: result ? result.score : null,
          score_source: source,
          level: result ? result.level : null,
          result: result ? JSON.stringify(result) : null,
        })
        .execute();
      if (partyRuleSet && members.has(p.personId)) {
        // the Party ranking: QĐ 366 on the same inputs, never above the state level
        const partyInput = input(PARTY_GROUP);
        const party = result && partyInput ? rankParty(result, partyInput, partyRuleSet) : null;
        await trx
          .insertInto('unit_ranking_entry')
          .values({
            ranking_id: row.id,
            person_id: p.personId,
            track: 'party',
            agency_id: row.unit_id,
            duty_group: PARTY_GROUP,
            is_head: false,
            score: party ? party.score : null,
            score_source: source,
            level: party ? party.level : null,
            result: party ? JSON.stringify(party) : null,
          })
          .execute();
        partyEntries += 1;
      }
    }
    // the head's selections within the quota hold for the entries the engine still ranks 'excellent'
    const dropped = await dropStaleSelections(trx, row.id);
    return newRevision(trx, row, {
      actor: a.by,
      action: 'ranking.drafted',
      before: { revision: row.revision },
      after: {
        ruleSet: { id: ruleSet.id, version: ruleSet.version },
        entries: people.length,
        partyEntries,
        partyRuleSet: partyRuleSet ? { id: partyRuleSet.id, version: partyRuleSet.version } : null,
        ...(dropped.length ? { selectionsDropped: dropped } : {}),
      },
    });
  });
}

/** A change of a ranking draft, a unit's or the province's: its revision bumped and the change audited (`after`
 *  gets the new revision; the aggregate type is the table's name). */
export async function newRankingRevision<T extends { id: string; revision: number }>(
  trx: Executor,
  table: 'unit_ranking' | 'province_ranking',
  row: T,
  audit: { actor: string; action: string; before?: unknown; after: Record<string, unknown> },
): Promise<T> {
  const next = await trx
    .updateTable(table)
    .set({ revision: row.revision + 1, updated_at: new Date() })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    aggregateType: table,
    aggregateId: row.id,
    actor: audit.actor,
    action: audit.action,
    ...(audit.before === undefined ? {} : { before: audit.before }),
    after: { revision: next.revision, ...audit.after },
  });
  return next as unknown as T;
}

const newRevision = (trx: Executor, row: UnitRankingRow, audit: Parameters<typeof newRankingRevision>[3]) =>
  newRankingRevision(trx, 'unit_ranking', row, audit);

export function entriesOf(executor: Executor, rankingId: string): Promise<UnitRankingEntryRow[]> {
  return executor
    .selectFrom('unit_ranking_entry')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .orderBy('person_id')
    .orderBy('track', 'desc')
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

// ---- The head's selection within the quota (migration 0690, RULES.md "Quotas"): in the draft, an entry the engine
// ranked 'excellent' placed at 'good' ("xếp Hoàn thành tốt do giới hạn tỷ lệ") with a reason; undone while the
// draft stands; kept by a recompute for the entries still ranked 'excellent'; frozen on decision with the engine's
// result. Never raises a level, never touches a level a gate or a record forced (only 'excellent' is lowered).

/** What the decision freezes of a selection, beside the engine's result. */
export interface FrozenSelection {
  engineLevel: 'excellent';
  level: 'good';
  by: string;
  at: string;
  reason: string;
  /** The plain explanation (vi + en) shown after the engine's steps. */
  message: Message;
}

/** A frozen entry: the engine's frozen result, with the chosen level and the selection when the head placed it. */
export type SelectedFrozenRanking = FrozenRanking & { selection?: FrozenSelection };

const selectionKey = (personId: string, track: RankingTrack) => `${personId}/${track}`;

export function selectionsOf(executor: Executor, rankingId: string): Promise<UnitRankingSelectionRow[]> {
  return executor
    .selectFrom('unit_ranking_selection')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .orderBy('person_id')
    .orderBy('track', 'desc')
    .execute();
}

/** The plain explanation of a selection: the engine's level was Xuất sắc, the head placed the person at Tốt. */
export function selectionMessage(reason: string): Message {
  const x = RANK_LABELS.excellent;
  const g = RANK_LABELS.good;
  return {
    key: 'ranking.quotaSelection',
    params: { engineLevel: 'excellent', level: 'good', reason },
    vi: `Kết quả tính của hệ thống là "${x.vi}"; người đứng đầu xếp "${g.vi}" do giới hạn tỷ lệ "${x.vi}" (lý do: ${reason}).`,
    en: `The engine's level was "${x.en}"; the head placed the person at "${g.en}" because of the quota of "${x.en}" (reason: ${reason}).`,
  };
}

/**
 * An entry's selection within the quota as it is shown: frozen with the decision, else the draft's selection row
 * (`draft`, given only for an entry the engine ranked 'excellent'); the level shown follows it, and the engine's
 * level is the frozen one before the choice.
 */
export function entrySelection(
  engineLevel: RankLevel | null,
  frozen: SelectedFrozenRanking | null,
  draft: { selected_by: string; selected_at: Date; reason: string } | undefined,
): {
  selection: Omit<FrozenSelection, 'engineLevel' | 'level'> | null;
  level: RankLevel | null;
  engineLevel: RankLevel | null;
} {
  const selection = frozen
    ? (frozen.selection ?? null)
    : draft
      ? {
          by: draft.selected_by,
          at: draft.selected_at.toISOString(),
          reason: draft.reason,
          message: selectionMessage(draft.reason),
        }
      : null;
  return {
    selection,
    level: frozen?.level ?? (selection ? 'good' : engineLevel),
    engineLevel: frozen ? (frozen.selection?.engineLevel ?? frozen.level) : engineLevel,
  };
}

const selectionOf = (x: UnitRankingSelectionRow): FrozenSelection => ({
  engineLevel: 'excellent',
  level: 'good',
  by: x.selected_by,
  at: x.selected_at.toISOString(),
  reason: x.reason,
  message: selectionMessage(x.reason),
});

/** A frozen entry recomputes from its own snapshot to the engine's level it records (the chosen one is 'good'
 *  only with a selection over an engine's 'excellent'). */
export function verifyEntryFrozen(frozen: SelectedFrozenRanking): boolean {
  const sel = frozen.selection;
  if (!sel) return verifyFrozenRanking(frozen);
  if (frozen.level !== 'good' || sel.engineLevel !== 'excellent') return false;
  return verifyFrozenRanking({ ...frozen, level: sel.engineLevel });
}

/** Drops the selections of entries the engine no longer ranks 'excellent' (after a recompute). */
async function dropStaleSelections(executor: Executor, rankingId: string) {
  const stale = await executor
    .deleteFrom('unit_ranking_selection as s')
    .where('s.ranking_id', '=', rankingId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('unit_ranking_entry as e')
            .select('e.person_id')
            .whereRef('e.ranking_id', '=', 's.ranking_id')
            .whereRef('e.person_id', '=', 's.person_id')
            .whereRef('e.track', '=', 's.track')
            .where('e.level', '=', 'excellent'),
        ),
      ),
    )
    .returning(['s.person_id', 's.track'])
    .execute();
  return stale.map((x) => ({ personId: x.person_id, track: x.track }));
}

export const selectionNotExcellent = () =>
  rule(
    422,
    'RANKING_SELECTION_NOT_EXCELLENT',
    'Chỉ xếp "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ cho người được hệ thống xếp "Hoàn thành xuất sắc nhiệm vụ"; không nâng mức và không thay đổi mức do điều kiện bắt buộc.',
    'Only an entry the engine ranked "Excellent" can be placed at "Good" for the quota; a level is never raised and a forced level never changed.',
  );
export const selectionEntryNotFound = () =>
  rule(
    404,
    'RANKING_ENTRY_NOT_FOUND',
    'Không có người này trong bảng xếp loại.',
    'This person is not in the ranking.',
  );
export const selectionNotFound = () =>
  rule(
    404,
    'RANKING_SELECTION_NOT_FOUND',
    'Người này chưa được xếp "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ.',
    'This person was not placed at "Good" for the quota.',
  );

/** A quota group whose excess over the quota no exception can lift (over > the track's exception cap). */
export interface UnliftableGroup {
  track: RankingTrack;
  agencyId: string;
  dutyGroup: string;
  /** Places over the quota before any exception. */
  over: number;
  cap: number;
}

/** The groups over the quota by more than the exception cap of their track: a decision on them is refused. */
export function unliftableGroups(quota: RankingQuota, row: UnitRankingRow): UnliftableGroup[] {
  return quota.groups.flatMap((g) => {
    const cap = trackRuleSet(row, g.track).quota.exceptionCap;
    const over = g.excellent - g.allowed;
    return over > cap ? [{ track: g.track, agencyId: g.agencyId, dutyGroup: g.dutyGroup, over, cap }] : [];
  });
}

export const quotaUnliftable = (groups: UnliftableGroup[]) => {
  const g = groups.reduce((a, b) => (b.over - b.cap > a.over - a.cap ? b : a));
  return rule(
    409,
    'RANKING_QUOTA_UNLIFTABLE',
    `Vượt ${g.over} chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ", ngoại lệ tối đa ${g.cap}: chọn người xếp Hoàn thành tốt trước khi quyết định.`,
    `Over the "Excellent" quota by ${g.over}, exceptions at most ${g.cap}: choose who is placed at "Good" before deciding.`,
    { groups },
  );
};

/** The draft ranking for a selection: locked, still a draft. */
async function draftForSelection(trx: Executor, rankingId: string) {
  const row = await trx
    .selectFrom('unit_ranking')
    .selectAll()
    .where('id', '=', rankingId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw rankingNotFound();
  if (row.status !== 'draft') throw rankingDecided();
  return row;
}

/**
 * The head places an entry the engine ranked 'excellent' at 'good' within the quota (content path, audited; a new
 * revision: the decision names the draft the head saw). Idempotent for the same entry (the reason is updated).
 * 409 RANKING_DECIDED once decided; 422 for an entry not ranked 'excellent'.
 */
export async function selectForQuota(
  executor: Executor,
  a: { rankingId: string; personId: string; track?: RankingTrack; reason: string; by: string },
): Promise<UnitRankingRow> {
  const track = a.track ?? 'state';
  const reason = a.reason.trim();
  return inTransaction(executor, async (trx) => {
    const row = await draftForSelection(trx, a.rankingId);
    const entry = await trx
      .selectFrom('unit_ranking_entry')
      .selectAll()
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', a.personId)
      .where('track', '=', track)
      .executeTakeFirst();
    if (!entry) throw selectionEntryNotFound();
    if (entry.level !== 'excellent') throw selectionNotExcellent();
    const before = await trx
      .selectFrom('unit_ranking_selection')
      .select(['reason'])
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', a.personId)
      .where('track', '=', track)
      .executeTakeFirst();
    await trx
      .insertInto('unit_ranking_selection')
      .values({ ranking_id: row.id, person_id: a.personId, track, reason, selected_by: a.by })
      .onConflict((oc) =>
        oc
          .columns(['ranking_id', 'person_id', 'track'])
          .doUpdateSet({ reason, selected_by: a.by, selected_at: new Date() }),
      )
      .execute();
    return newRevision(trx, row, {
      actor: a.by,
      action: 'ranking.selection.placed',
      before: before ? { personId: a.personId, track, reason: before.reason } : null,
      after: {
        personId: a.personId,
        track,
        engineLevel: 'excellent',
        level: 'good',
        reason,
      },
    });
  });
}

/** The head undoes a selection while the draft stands (audited; a new revision). 404 when there is none. */
export async function undoSelection(
  executor: Executor,
  a: { rankingId: string; personId: string; track?: RankingTrack; by: string },
): Promise<UnitRankingRow> {
  const track = a.track ?? 'state';
  return inTransaction(executor, async (trx) => {
    const row = await draftForSelection(trx, a.rankingId);
    const gone = await trx
      .deleteFrom('unit_ranking_selection')
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', a.personId)
      .where('track', '=', track)
      .returning(['reason'])
      .executeTakeFirst();
    if (!gone) throw selectionNotFound();
    return newRevision(trx, row, {
      actor: a.by,
      action: 'ranking.selection.undone',
      before: { personId: a.personId, track, level: 'good', reason: gone.reason },
      after: { personId: a.personId, track, level: 'excellent' },
    });
  });
}

/** The level an entry counts with: the frozen one once decided, else the draft's (the head's selection within
 *  the quota when there is one: 'good' for an entry the engine ranked 'excellent'). */
const levelOf = (e: UnitRankingEntryRow, selected?: ReadonlySet<string>): RankLevel | null =>
  e.frozen
    ? (e.frozen as unknown as FrozenRanking).level
    : e.level === 'excellent' && selected?.has(selectionKey(e.person_id, e.track))
      ? 'good'
      : e.level;

/** A quota group of one track. */
export interface TrackQuotaGroup extends QuotaGroup {
  track: RankingTrack;
}
/** The quota of a ranking: each track checked separately (state: the rule set's quota per agency and duty group;
 *  Party: the Party rule set's quota per unit); publication is blocked when either is over. */
export interface RankingQuota extends QuotaCheck {
  groups: TrackQuotaGroup[];
  /** The Party quota's formula, when the ranking has Party entries. */
  partyFormula: string | null;
}

/** The quota check of a ranking: its entries' levels and its approved exceptions, per track. */
export async function quotaOf(executor: Executor, row: UnitRankingRow): Promise<RankingQuota> {
  const [entries, exceptions, selections] = await Promise.all([
    entriesOf(executor, row.id),
    exceptionsOf(executor, row.id),
    selectionsOf(executor, row.id),
  ]);
  const selected = new Set(selections.map((x) => selectionKey(x.person_id, x.track)));
  const check = (track: RankingTrack) =>
    checkQuota(
      entries.flatMap((e) => {
        const level = e.track === track ? levelOf(e, selected) : null;
        return level
          ? [{ subjectId: e.person_id, agencyId: e.agency_id, dutyGroup: e.duty_group, level }]
          : [];
      }),
      trackRuleSet(row, track).quota,
      exceptions
        .filter((x) => x.status === 'approved' && x.track === track)
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
  const state = check('state');
  const hasParty = entries.some((e) => e.track === 'party');
  const party = hasParty ? check('party') : undefined;
  return {
    groups: [
      ...state.groups.map((g) => ({ ...g, track: 'state' as const })),
      ...(party?.groups ?? []).map((g) => ({ ...g, track: 'party' as const })),
    ],
    warnings: [...state.warnings, ...(party?.warnings ?? [])],
    publicationBlocked: state.publicationBlocked || (party?.publicationBlocked ?? false),
    formula: state.formula,
    partyFormula: party?.formula ?? null,
  };
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
    const unliftable = unliftableGroups(await quotaOf(trx, row), row);
    if (unliftable.length > 0) throw quotaUnliftable(unliftable);
    const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
    const selections = new Map(
      (await selectionsOf(trx, row.id)).map((x) => [selectionKey(x.person_id, x.track), x] as const),
    );
    let frozenParty = 0;
    let selected = 0;
    for (const e of await entriesOf(trx, row.id)) {
      if (!e.result) continue;
      const engine = freezeRanking(
        e.result as unknown as RankingResult,
        trackRuleSet(row, e.track),
        a.decidedOn,
      );
      const x = e.level === 'excellent' ? selections.get(selectionKey(e.person_id, e.track)) : undefined;
      // the chosen level is frozen together with the engine's result and the selection (who, when, reason)
      const frozen: SelectedFrozenRanking = x
        ? { ...engine, level: 'good', selection: selectionOf(x) }
        : engine;
      if (e.track === 'party') frozenParty += 1;
      if (x) selected += 1;
      await trx
        .updateTable('unit_ranking_entry')
        .set({ frozen: JSON.stringify(frozen), ...(x ? { level: 'good' as const } : {}) })
        .where('ranking_id', '=', row.id)
        .where('person_id', '=', e.person_id)
        .where('track', '=', e.track)
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
        frozenParty,
        selected,
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
    /** The track whose quota it lifts (default 'state'). */
    track?: RankingTrack;
  },
): Promise<UnitRankingExceptionRow> {
  const track = a.track ?? 'state';
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
      .where('track', '=', track)
      .executeTakeFirst();
    if (!group) throw exceptionGroupUnknown();
    const x = await trx
      .insertInto('unit_ranking_exception')
      .values({
        id: a.exceptionId,
        ranking_id: row.id,
        track,
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
        track: x.track,
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

/** The flag of a ranking (a unit's or the province's) still undecided within MISSING_FLAG_DAYS of its deadline. */
export function missingNearDeadlineFlag(
  row: { status: string; deadline: string },
  subjectId: string,
  today: string,
): RankingFlag | undefined {
  const days = daysBetween(today, row.deadline);
  if (row.status !== 'draft' || days > MISSING_FLAG_DAYS) return undefined;
  const d = row.deadline;
  const dmy = `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  return {
    kind: 'missingNearDeadline',
    subjectId,
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
  };
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
  // the head is not ranked here (the superior body ranks them) but QĐ 377's flag on them is still shown
  const head = (await headsOf(executor, row.unit_id, row.deadline)).map((h) => ({
    person_id: h.personId,
  }))[0];
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
      .where('e.track', '=', 'state')
      .execute()
      .catch(() => []);
    // the state track (a Party level is capped by it, so two Party years follow two state years)
    for (const e of entries.filter((x) => x.track === 'state')) {
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
  const missing = missingNearDeadlineFlag(row, row.unit_id, today);
  if (missing) flags.push(missing);
  return flags;
}

/** Every frozen entry of a decided ranking recomputes from its own snapshot to its signed level (the engine's
 *  level, for an entry the head placed at 'good' within the quota). */
export async function verifyRanking(executor: Executor, rankingId: string): Promise<boolean> {
  const entries = await entriesOf(executor, rankingId);
  return entries.every((e) => !e.frozen || verifyEntryFrozen(e.frozen as unknown as SelectedFrozenRanking));
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
    /** 'state', or 'party' for a Party member's Party ranking (a second row for the same person). Always set
     *  here; optional in the type so a reader injected in its place (giao ban tests) may leave it out (= state). */
    track?: RankingTrack;
    level: RankLevel;
    decidedOn: string;
  }[]
> {
  const rows = await db
    .selectFrom('unit_ranking_entry as e')
    .innerJoin('unit_ranking as r', 'r.id', 'e.ranking_id')
    .innerJoin('org_unit as u', 'u.id', 'r.unit_id')
    .select(['e.person_id', 'e.track', 'r.unit_id', 'e.frozen', 'r.decided_on'])
    .where('u.province_id', '=', a.provinceId)
    .where('r.year', '=', a.year)
    .where('r.status', '=', 'published')
    .where('e.frozen', 'is not', null)
    .orderBy('r.unit_id')
    .orderBy('e.person_id')
    .orderBy('e.track', 'desc')
    .execute();
  return rows.map((r) => ({
    subjectId: r.person_id,
    subjectKind: 'individual' as const,
    unitId: r.unit_id,
    track: r.track,
    level: (r.frozen as unknown as FrozenRanking).level,
    decidedOn: r.decided_on ?? (r.frozen as unknown as FrozenRanking).decidedOn,
  }));
}

export { asDay };
