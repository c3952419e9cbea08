// The province ranking of its top units (collectives) and of their heads for a year (issue 8 points 1–3,
// RULES.md "who assesses whom": the heads are ranked by the superior body, the province's standing committee —
// nobody approves their own evaluation). One ranking per province and year: one collective entry per top unit
// (the year score of its unit plan from the verified values, db/queries/unit-completion.ts; the collective gates
// from the plan's key results exceeded and the late share of the unit's confirmed period assessments; the unit's
// own discipline records and conclusions) and one individual entry per unit head (the head's year-end supervisor
// score when present, else the unit's year score — provisional, source 'unit'). Each entry is ranked by the engine
// (domain/scoring rank) under the province's rule set and frozen on decision (freezeRanking) like the unit
// ranking; the heads' quota (one group: the province, duty group 'unit_head') blocks publication unless the
// committee's decision records an approved exception (places, decision number, justification). Flags: QĐ 377's
// 70% rule for each head (unitCompletionOf), two years of "Không hoàn thành" (the previous year's published
// province ranking), quota breaches, the ranking missing near its deadline.
//
// Compiling (recompute) is content, the secretariat's; decide and publish are the province-ranking workflow's
// transitions (activities/province-ranking.ts). Every change is audited on ('province_ranking', id).
import { sql } from 'kysely';
import { getRuleSet } from '../../domain/rulesets/catalogue.ts';
import type { RankLevel } from '../../domain/rulesets/types.ts';
import {
  checkQuota,
  type FrozenRanking,
  freezeRanking,
  type QuotaCheck,
  qd377Flag,
  quotaFlags,
  type RankingResult,
  rank,
  twoYearsNotCompletedFlag,
} from '../../domain/scoring/index.ts';
import { appendAudit } from '../audit/index.ts';
import { DbRuleError } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import type {
  ProvinceRankingEntryRow,
  ProvinceRankingRow,
  ProvinceRankingScoreSource,
} from '../schema-province-rankings.ts';
import {
  defaultRankingSources,
  missingNearDeadlineFlag,
  newRankingRevision,
  quotaBlocked,
  quotaUnliftable,
  type RankingFlag,
  type RankingSources,
  rankingDecided,
  rankingNotDecided,
  rankingNotFound,
  rankingPublished,
  rankingRevisionConflict,
  ruleSetFor,
  type SelectedFrozenRanking,
  selectionEntryNotFound,
  selectionMessage,
  selectionNotExcellent,
  selectionNotFound,
} from './rankings.ts';
import { type UnitYearResult, unitCompletionOf, unitYearResultsOf } from './unit-completion.ts';
import '../schema-province-rankings.ts';
import '../schema-assessments.ts';

/** The quota group of the heads: all the province's unit heads together. */
export const HEADS_DUTY_GROUP = 'unit_head';

const rule = (status: number, code: string, vi: string, en: string) =>
  new DbRuleError({ code, status, messageVi: vi, messageEn: en, sqlState: 'P0001' });

export const provinceRankingNotProvince = () =>
  rule(
    422,
    'PROVINCE_RANKING_NOT_PROVINCE',
    'Chỉ lập bảng xếp loại các cơ quan, đơn vị và người đứng đầu cho một tỉnh.',
    'The ranking of units and their heads is kept for a province.',
  );
export const provinceRankingSelf = () =>
  rule(
    403,
    'PROVINCE_RANKING_SELF',
    'Không được tham gia quyết định xếp loại của chính mình.',
    'Nobody decides a ranking in which they are ranked.',
  );
export const provinceExceptionInvalid = () =>
  rule(
    422,
    'PROVINCE_RANKING_EXCEPTION_INVALID',
    'Ngoại lệ tỷ lệ cần số quyết định, lý do và số suất thêm (1–100).',
    'A quota exception needs its decision number, a justification and the extra places (1–100).',
  );

/** Sources of the province ranking: the unit ranking's (records, year scores, completion) and the units' year
 *  results (tests may inject their own). */
export interface ProvinceRankingSources extends RankingSources {
  unitResultsOf?: (
    executor: Executor,
    a: { unitIds: string[]; year: number },
  ) => Promise<Map<string, Pick<UnitYearResult, 'score' | 'completion' | 'keyResults'>>>;
}

export function provinceRankingById(executor: Executor, id: string) {
  return executor.selectFrom('province_ranking').selectAll().where('id', '=', id).executeTakeFirst();
}

export function provinceRankingOf(executor: Executor, provinceId: string, year: number) {
  return executor
    .selectFrom('province_ranking')
    .selectAll()
    .where('province_id', '=', provinceId)
    .where('year', '=', year)
    .executeTakeFirst();
}

/** Creates the draft ranking of a province for a year (idempotent: answers the existing row). */
export async function ensureProvinceRanking(
  executor: Executor,
  a: { provinceId: string; year: number; deadline: string; by: string },
): Promise<ProvinceRankingRow> {
  const p = await executor
    .selectFrom('org_unit')
    .select(['id', 'type_code', 'province_id'])
    .where('id', '=', a.provinceId)
    .executeTakeFirst();
  if (p?.type_code !== 'province' || p.province_id !== p.id) throw provinceRankingNotProvince();
  return inTransaction(executor, async (trx) => {
    const rs = ruleSetFor({ is_party: false }, a.year);
    const inserted = await trx
      .insertInto('province_ranking')
      .values({
        province_id: a.provinceId,
        year: a.year,
        rule_set_id: rs.id,
        rule_set_version: rs.version,
        deadline: a.deadline,
      })
      .onConflict((oc) => oc.columns(['province_id', 'year']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      await appendAudit(trx, {
        aggregateType: 'province_ranking',
        aggregateId: inserted.id,
        actor: a.by,
        action: 'province-ranking.created',
        after: { provinceId: a.provinceId, year: a.year, ruleSet: { id: rs.id, version: rs.version } },
      });
      return inserted;
    }
    return (await provinceRankingOf(trx, a.provinceId, a.year))!;
  });
}

/** The province's top units (directly under it, open during the year) with their heads on `day`. */
async function unitsAndHeads(executor: Executor, provinceId: string, year: number, day: string) {
  const units = await executor
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_type as t', 't.code', 'u.type_code')
    .select(['u.id', 'u.name_vi', 'u.code', 't.is_party'])
    .where('u.parent_id', '=', provinceId)
    .where('u.id', '!=', provinceId)
    .where((eb) => eb.or([eb('u.active_to', 'is', null), eb('u.active_to', '>=', `${year}-01-01`)]))
    .orderBy('u.code')
    .execute();
  const heads = units.length
    ? await executor
        .selectFrom('role_assignment as r')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .select(['r.person_id', 'r.scope_unit_id', 'p.full_name'])
        .where('r.role_code', '=', 'unit_head')
        .where(
          'r.scope_unit_id',
          'in',
          units.map((u) => u.id),
        )
        .where('r.valid_from', '<=', day)
        .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', day)]))
        .orderBy('p.full_name')
        .execute()
    : [];
  return { units, heads };
}

/** The late share of each unit's confirmed period assessments of the year (its whole subtree): late months not
 *  waived over the key results assessed. */
async function lateShares(executor: Executor, unitIds: string[], year: number) {
  const out = new Map<string, number>();
  if (!unitIds.length) return out;
  const r = await sql<{ top: string; computed: unknown }>`
    WITH RECURSIVE sub AS (
      SELECT id, id AS top FROM org_unit WHERE id IN (${sql.join(unitIds.map((u) => sql`${u}::uuid`))})
      UNION ALL SELECT u.id, sub.top FROM org_unit u JOIN sub ON u.parent_id = sub.id
    )
    SELECT sub.top, a.computed FROM period_assessment a JOIN sub ON sub.id = a.unit_id
     WHERE a.status = 'confirmed' AND a.period LIKE ${`${year}-%`}`.execute(executor);
  const acc = new Map<string, { total: number; late: number }>();
  for (const row of r.rows) {
    const c = (row.computed ?? {}) as {
      keyResults?: unknown[];
      items?: { kind?: string; waiverId?: string | null }[];
    };
    const total = c.keyResults?.length ?? 0;
    const late = (c.items ?? []).filter((i) => i.kind === 'late' && !i.waiverId).length;
    const s = acc.get(row.top) ?? { total: 0, late: 0 };
    s.total += total;
    s.late += Math.min(late, total);
    acc.set(row.top, s);
  }
  for (const [k, s] of acc) out.set(k, s.total ? s.late / s.total : 0);
  return out;
}

/**
 * Compiles (recomputes) the draft (content path, the secretariat): one collective entry per top unit and one
 * individual entry per unit head, under the ranking's rule set. Refused once decided. Bumps the revision.
 */
export async function recomputeProvinceDraft(
  executor: Executor,
  a: { rankingId: string; by: string; sources?: ProvinceRankingSources },
): Promise<ProvinceRankingRow> {
  const sources: ProvinceRankingSources = { ...(await defaultRankingSources()), ...(a.sources ?? {}) };
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('province_ranking')
      .selectAll()
      .where('id', '=', a.rankingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw rankingNotFound();
    if (row.status !== 'draft') throw rankingDecided();
    const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
    const { units, heads } = await unitsAndHeads(trx, row.province_id, row.year, row.deadline);
    const unitIds = units.map((u) => u.id);
    const headIds = heads.map((h) => h.person_id);
    const [results, late, discipline, conclusions] = await Promise.all([
      sources.unitResultsOf
        ? sources.unitResultsOf(trx, { unitIds, year: row.year })
        : unitYearResultsOf(trx, {
            unitIds,
            year: row.year,
            ruleSet: (id) => ruleSetFor(units.find((u) => u.id === id) ?? { is_party: false }, row.year),
          }),
      lateShares(trx, unitIds, row.year),
      sources.disciplineRecordsOf
        ? sources.disciplineRecordsOf(trx, { personIds: headIds, unitIds, year: row.year })
        : Promise.resolve([]),
      sources.conclusionRecordsOf
        ? sources.conclusionRecordsOf(trx, { personIds: headIds, unitIds, year: row.year })
        : Promise.resolve([]),
    ]);
    await trx.deleteFrom('province_ranking_entry').where('ranking_id', '=', row.id).execute();
    const insert = (v: {
      kind: 'collective' | 'individual';
      subjectId: string;
      unitId: string;
      personId: string | null;
      source: ProvinceRankingScoreSource;
      result: RankingResult | null;
    }) =>
      trx
        .insertInto('province_ranking_entry')
        .values({
          ranking_id: row.id,
          subject_kind: v.kind,
          subject_id: v.subjectId,
          unit_id: v.unitId,
          person_id: v.personId,
          score: v.result ? v.result.score : null,
          score_source: v.result ? v.source : 'none',
          level: v.result ? v.result.level : null,
          result: v.result ? JSON.stringify(v.result) : null,
        })
        .execute();
    for (const u of units) {
      const res = results.get(u.id);
      const total = res?.keyResults.total ?? 0;
      const lateCount = Math.min(total, Math.round((late.get(u.id) ?? 0) * total));
      const taskStats = {
        total,
        onTime: total - lateCount,
        late: lateCount,
        exceeded: res?.keyResults.exceeded ?? 0,
      };
      const unitScore = res?.score ?? null;
      const collective =
        unitScore !== null
          ? rank(
              {
                subjectId: u.id,
                subjectKind: 'collective',
                agencyId: row.province_id,
                dutyGroup: 'unit',
                year: row.year,
                score: unitScore,
                taskStats,
                disciplineRecords: discipline.filter((d) => d.subjectId === u.id),
                conclusions: conclusions.filter((c) => c.subjectId === u.id),
              },
              ruleSet,
            )
          : null;
      await insert({
        kind: 'collective',
        subjectId: u.id,
        unitId: u.id,
        personId: null,
        source: 'plan',
        result: collective,
      });
      const supervisor = sources.yearScores
        ? await sources.yearScores(trx, { unitId: u.id, year: row.year })
        : new Map<string, string>();
      for (const h of heads.filter((x) => x.scope_unit_id === u.id)) {
        const sup = supervisor.get(h.person_id);
        const score = sup ?? unitScore;
        const result =
          score !== null
            ? rank(
                {
                  subjectId: h.person_id,
                  subjectKind: 'individual',
                  leaderOf: u.id,
                  agencyId: row.province_id,
                  dutyGroup: HEADS_DUTY_GROUP,
                  year: row.year,
                  score,
                  taskStats,
                  disciplineRecords: discipline.filter((d) => d.subjectId === h.person_id),
                  conclusions: conclusions.filter((c) => c.subjectId === h.person_id || c.subjectId === u.id),
                },
                ruleSet,
              )
            : null;
        await insert({
          kind: 'individual',
          subjectId: h.person_id,
          unitId: u.id,
          personId: h.person_id,
          source: sup !== undefined ? 'supervisor' : 'unit',
          result,
        });
      }
    }
    // the committee's selections within the heads' quota hold for the heads the engine still ranks 'excellent'
    const dropped = await trx
      .deleteFrom('province_ranking_selection as s')
      .where('s.ranking_id', '=', row.id)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('province_ranking_entry as e')
              .select('e.subject_id')
              .whereRef('e.ranking_id', '=', 's.ranking_id')
              .whereRef('e.subject_id', '=', 's.person_id')
              .where('e.subject_kind', '=', 'individual')
              .where('e.level', '=', 'excellent'),
          ),
        ),
      )
      .returning('s.person_id')
      .execute();
    return newRevision(trx, row, {
      actor: a.by,
      action: 'province-ranking.compiled',
      before: { revision: row.revision },
      after: {
        ruleSet: { id: ruleSet.id, version: ruleSet.version },
        units: units.length,
        heads: heads.length,
        ...(dropped.length ? { selectionsDropped: dropped.map((d) => d.person_id) } : {}),
      },
    });
  });
}

export function provinceEntriesOf(executor: Executor, rankingId: string): Promise<ProvinceRankingEntryRow[]> {
  return executor
    .selectFrom('province_ranking_entry')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .orderBy('subject_kind')
    .orderBy('subject_id')
    .execute();
}

const levelOf = (e: ProvinceRankingEntryRow, selected?: ReadonlySet<string>): RankLevel | null =>
  e.frozen
    ? (e.frozen as unknown as FrozenRanking).level
    : e.subject_kind === 'individual' && e.level === 'excellent' && selected?.has(e.subject_id)
      ? 'good'
      : e.level;

/** The committee's selections within the heads' quota (migration 0690). */
export function provinceSelectionsOf(executor: Executor, rankingId: string) {
  return executor
    .selectFrom('province_ranking_selection')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .orderBy('person_id')
    .execute();
}

/** The heads' quota: the individual entries' levels in one group, with the committee's approved exception. */
export async function provinceQuotaOf(executor: Executor, row: ProvinceRankingRow): Promise<QuotaCheck> {
  const [entries, selections] = await Promise.all([
    provinceEntriesOf(executor, row.id),
    provinceSelectionsOf(executor, row.id),
  ]);
  const selected = new Set(selections.map((x) => x.person_id));
  const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
  return checkQuota(
    entries.flatMap((e) => {
      const level = levelOf(e, selected);
      return e.subject_kind === 'individual' && level
        ? [{ subjectId: e.subject_id, agencyId: row.province_id, dutyGroup: HEADS_DUTY_GROUP, level }]
        : [];
    }),
    ruleSet.quota,
    row.exception_places !== null
      ? [
          {
            agencyId: row.province_id,
            dutyGroup: HEADS_DUTY_GROUP,
            extraPlaces: row.exception_places,
            justification: row.exception_justification ?? '',
            approvedBy: row.decided_by ?? '',
            approvalDecision: row.exception_decision_number ?? '',
            approvedOn: row.decided_on ?? '',
          },
        ]
      : [],
  );
}

export const overOf = (q: QuotaCheck) => q.groups.reduce((n, g) => n + g.over, 0);

/** The heads' group over the quota by more than the exception cap: no exception lifts it, the committee places
 *  heads at 'good' first (RANKING_QUOTA_UNLIFTABLE). */
export function provinceUnliftable(quota: QuotaCheck, row: ProvinceRankingRow) {
  const cap = getRuleSet(row.rule_set_id, row.rule_set_version).quota.exceptionCap;
  return quota.groups.flatMap((g) => {
    const over = g.excellent - g.allowed;
    return over > cap
      ? [{ track: 'state' as const, agencyId: g.agencyId, dutyGroup: g.dutyGroup, over, cap }]
      : [];
  });
}

async function provinceDraftForSelection(trx: Executor, rankingId: string) {
  const row = await trx
    .selectFrom('province_ranking')
    .selectAll()
    .where('id', '=', rankingId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw rankingNotFound();
  if (row.status !== 'draft') throw rankingDecided();
  return row;
}

/** The committee places a head the engine ranked 'excellent' at 'good' within the heads' quota (content, audited,
 *  a new revision); as rankings.ts selectForQuota. Refused to a person ranked in it (their own entry). */
export async function selectProvinceForQuota(
  executor: Executor,
  a: { rankingId: string; personId: string; reason: string; by: string },
): Promise<ProvinceRankingRow> {
  const reason = a.reason.trim();
  return inTransaction(executor, async (trx) => {
    const row = await provinceDraftForSelection(trx, a.rankingId);
    if (a.personId === a.by) throw provinceRankingSelf();
    const entry = await trx
      .selectFrom('province_ranking_entry')
      .selectAll()
      .where('ranking_id', '=', row.id)
      .where('subject_kind', '=', 'individual')
      .where('subject_id', '=', a.personId)
      .executeTakeFirst();
    if (!entry) throw selectionEntryNotFound();
    if (entry.level !== 'excellent') throw selectionNotExcellent();
    await trx
      .insertInto('province_ranking_selection')
      .values({ ranking_id: row.id, person_id: a.personId, reason, selected_by: a.by })
      .onConflict((oc) =>
        oc
          .columns(['ranking_id', 'person_id'])
          .doUpdateSet({ reason, selected_by: a.by, selected_at: new Date() }),
      )
      .execute();
    return newRevision(trx, row, {
      actor: a.by,
      action: 'province-ranking.selection.placed',
      after: {
        personId: a.personId,
        engineLevel: 'excellent',
        level: 'good',
        reason,
      },
    });
  });
}

/** The committee undoes a selection while the draft stands (audited; a new revision). */
export async function undoProvinceSelection(
  executor: Executor,
  a: { rankingId: string; personId: string; by: string },
): Promise<ProvinceRankingRow> {
  return inTransaction(executor, async (trx) => {
    const row = await provinceDraftForSelection(trx, a.rankingId);
    const gone = await trx
      .deleteFrom('province_ranking_selection')
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', a.personId)
      .returning(['reason'])
      .executeTakeFirst();
    if (!gone) throw selectionNotFound();
    return newRevision(trx, row, {
      actor: a.by,
      action: 'province-ranking.selection.undone',
      before: { personId: a.personId, level: 'good', reason: gone.reason },
      after: { personId: a.personId, level: 'excellent' },
    });
  });
}

const newRevision = (
  trx: Executor,
  row: ProvinceRankingRow,
  audit: Parameters<typeof newRankingRevision>[3],
) => newRankingRevision(trx, 'province_ranking', row, audit);

export interface ProvinceException {
  places: number;
  decisionNumber: string;
  justification: string;
}

/** The committee's decision (workflow activity): freezes every scored entry at the revision seen, with an
 *  approved quota exception when given. Refused to a person ranked in it. Idempotent for the same decider. */
export async function decideProvinceRanking(
  executor: Executor,
  a: {
    rankingId: string;
    by: string;
    revision: number;
    decidedOn: string;
    exception?: ProvinceException | null;
  },
): Promise<{ row: ProvinceRankingRow; applied: boolean; quota: QuotaCheck }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('province_ranking')
      .selectAll()
      .where('id', '=', a.rankingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw rankingNotFound();
    if (row.status !== 'draft') {
      if (row.decided_by === a.by) return { row, applied: false, quota: await provinceQuotaOf(trx, row) };
      throw rankingDecided();
    }
    if (row.revision !== a.revision) throw rankingRevisionConflict(row.revision);
    const x = a.exception ?? null;
    if (
      x &&
      (!Number.isInteger(x.places) ||
        x.places < 1 ||
        x.places > 100 ||
        !x.decisionNumber.trim() ||
        !x.justification.trim())
    )
      throw provinceExceptionInvalid();
    const entries = await provinceEntriesOf(trx, row.id);
    if (entries.some((e) => e.person_id === a.by)) throw provinceRankingSelf();
    const unliftable = provinceUnliftable(await provinceQuotaOf(trx, row), row);
    if (unliftable.length > 0) throw quotaUnliftable(unliftable);
    const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
    const selections = new Map((await provinceSelectionsOf(trx, row.id)).map((x) => [x.person_id, x]));
    for (const e of entries) {
      if (!e.result) continue;
      const engine = freezeRanking(e.result as unknown as RankingResult, ruleSet, a.decidedOn);
      const sel =
        e.subject_kind === 'individual' && e.level === 'excellent' ? selections.get(e.subject_id) : undefined;
      // the chosen level frozen together with the engine's result and the selection (who, when, reason)
      const frozen: SelectedFrozenRanking = sel
        ? {
            ...engine,
            level: 'good',
            selection: {
              engineLevel: 'excellent',
              level: 'good',
              by: sel.selected_by,
              at: sel.selected_at.toISOString(),
              reason: sel.reason,
              message: selectionMessage(sel.reason),
            },
          }
        : engine;
      await trx
        .updateTable('province_ranking_entry')
        .set({ frozen: JSON.stringify(frozen), ...(sel ? { level: 'good' as const } : {}) })
        .where('ranking_id', '=', row.id)
        .where('subject_kind', '=', e.subject_kind)
        .where('subject_id', '=', e.subject_id)
        .execute();
    }
    const after = await trx
      .updateTable('province_ranking')
      .set({
        status: 'decided',
        decided_by: a.by,
        decided_on: a.decidedOn,
        decided_at: new Date(),
        exception_places: x?.places ?? null,
        exception_decision_number: x?.decisionNumber.trim() ?? null,
        exception_justification: x?.justification.trim() ?? null,
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const quota = await provinceQuotaOf(trx, after);
    await appendAudit(trx, {
      aggregateType: 'province_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'province-ranking.decided',
      before: { status: 'draft', revision: row.revision },
      after: {
        status: 'decided',
        decidedOn: a.decidedOn,
        ruleSet: { id: ruleSet.id, version: ruleSet.version },
        exception: x,
        over: overOf(quota),
      },
    });
    return { row: after, applied: true, quota };
  });
}

/** The committee records an approved exception to the heads' quota on a decided ranking (workflow activity), e.g.
 *  after publication was refused over quota. Idempotent: the same exception again answers the row. */
export async function recordProvinceException(
  executor: Executor,
  a: { rankingId: string; by: string; exception: ProvinceException },
): Promise<{ row: ProvinceRankingRow; applied: boolean; quota: QuotaCheck }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('province_ranking')
      .selectAll()
      .where('id', '=', a.rankingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw rankingNotFound();
    const x = a.exception;
    if (
      !Number.isInteger(x.places) ||
      x.places < 1 ||
      x.places > 100 ||
      !x.decisionNumber.trim() ||
      !x.justification.trim()
    )
      throw provinceExceptionInvalid();
    if (
      row.exception_places === x.places &&
      row.exception_decision_number === x.decisionNumber.trim() &&
      row.exception_justification === x.justification.trim()
    )
      return { row, applied: false, quota: await provinceQuotaOf(trx, row) };
    if (row.status === 'published') throw rankingPublished();
    if (row.status !== 'decided') throw rankingNotDecided();
    if ((await provinceEntriesOf(trx, row.id)).some((e) => e.person_id === a.by)) throw provinceRankingSelf();
    const after = await trx
      .updateTable('province_ranking')
      .set({
        exception_places: x.places,
        exception_decision_number: x.decisionNumber.trim(),
        exception_justification: x.justification.trim(),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const quota = await provinceQuotaOf(trx, after);
    await appendAudit(trx, {
      aggregateType: 'province_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'province-ranking.exception.approved',
      before: {
        exception: row.exception_places
          ? { places: row.exception_places, decisionNumber: row.exception_decision_number }
          : null,
      },
      after: { exception: x, over: overOf(quota) },
    });
    return { row: after, applied: true, quota };
  });
}

/** Publication (workflow activity): a decided ranking within the heads' quota or with an approved exception. */
export async function publishProvinceRanking(
  executor: Executor,
  a: { rankingId: string; by: string },
): Promise<{ row: ProvinceRankingRow; applied: boolean }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('province_ranking')
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
    const quota = await provinceQuotaOf(trx, row);
    if (quota.publicationBlocked) throw quotaBlocked(quota);
    const after = await trx
      .updateTable('province_ranking')
      .set({ status: 'published', published_by: a.by, published_at: new Date(), updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'province_ranking',
      aggregateId: row.id,
      actor: a.by,
      action: 'province-ranking.published',
      before: { status: 'decided' },
      after: { status: 'published' },
    });
    return { row: after, applied: true };
  });
}

/** The flags of a province ranking as of `today`: QĐ 377 per head, two years, quota, missing near deadline. */
export async function provinceFlagsOf(
  executor: Executor,
  row: ProvinceRankingRow,
  today: string,
  sources: ProvinceRankingSources = {},
): Promise<RankingFlag[]> {
  const ruleSet = getRuleSet(row.rule_set_id, row.rule_set_version);
  const entries = await provinceEntriesOf(executor, row.id);
  const completion = sources.unitCompletionOf ?? unitCompletionOf;
  const flags: RankingFlag[] = [];
  for (const h of entries.filter((e) => e.subject_kind === 'individual')) {
    const [now, before] = await Promise.all([
      completion(executor, { unitId: h.unit_id, year: row.year }),
      completion(executor, { unitId: h.unit_id, year: row.year - 1 }),
    ]);
    if (now === undefined) continue;
    const f = qd377Flag(
      {
        personId: h.subject_id,
        unitCompletion: now,
        ...(before !== undefined ? { previousYearUnitCompletion: before } : {}),
      },
      ruleSet.flags,
    );
    if (f) flags.push(f);
  }
  if (ruleSet.flags.twoYearsNotCompleted && entries.length) {
    const prev = await executor
      .selectFrom('province_ranking_entry as e')
      .innerJoin('province_ranking as r', 'r.id', 'e.ranking_id')
      .select(['e.subject_id', 'e.subject_kind', 'r.year', 'e.frozen'])
      .where('r.province_id', '=', row.province_id)
      .where('r.year', '=', row.year - 1)
      .where('r.status', '=', 'published')
      .execute();
    for (const e of entries) {
      const level = levelOf(e);
      if (!level) continue;
      const history = [
        { year: row.year, level },
        ...prev
          .filter((p) => p.subject_id === e.subject_id && p.subject_kind === e.subject_kind && p.frozen)
          .map((p) => ({ year: p.year, level: (p.frozen as unknown as FrozenRanking).level })),
      ];
      const f = twoYearsNotCompletedFlag(e.subject_id, history);
      if (f) flags.push(f);
    }
  }
  flags.push(...quotaFlags(await provinceQuotaOf(executor, row)));
  const missing = missingNearDeadlineFlag(row, row.province_id, today);
  if (missing) flags.push(missing);
  return flags;
}

/** The entries of a province's ranking of a year for the reports (empty before it is compiled): collectives
 *  first, then heads, each by unit name. The level is the frozen one once decided. */
export async function provinceRankingEntriesOf(
  db: Executor,
  a: { provinceId: string; year: number },
): Promise<
  {
    subjectKind: 'collective' | 'individual';
    subjectId: string;
    unitId: string;
    unitName: string;
    personName: string | null;
    score: string | null;
    level: RankLevel | null;
    frozen: boolean;
    explanation: unknown;
  }[]
> {
  const rows = await db
    .selectFrom('province_ranking_entry as e')
    .innerJoin('province_ranking as r', 'r.id', 'e.ranking_id')
    .innerJoin('org_unit as u', 'u.id', 'e.unit_id')
    .leftJoin('person as p', 'p.id', 'e.person_id')
    .select([
      'e.subject_kind',
      'e.subject_id',
      'e.unit_id',
      'u.name_vi',
      'u.code',
      'p.full_name',
      'e.score',
      'e.level',
      'e.result',
      'e.frozen',
    ])
    .where('r.province_id', '=', a.provinceId)
    .where('r.year', '=', a.year)
    .orderBy('e.subject_kind')
    .orderBy('u.code')
    .orderBy('p.full_name')
    .execute();
  return rows.map((r) => {
    const frozen = r.frozen as unknown as FrozenRanking | null;
    const result = r.result as unknown as RankingResult | null;
    return {
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      unitId: r.unit_id,
      unitName: r.name_vi,
      personName: r.full_name ?? null,
      score: frozen?.score ?? r.score,
      level: frozen?.level ?? r.level,
      frozen: frozen !== null,
      explanation: frozen?.explanation ?? result?.explanation ?? null,
    };
  });
}
