// The December check-in after the ranking (DESIGN §3 row "by 5/01": it never silently changes a signed ranking;
// a difference that would change a band is flagged). When a person's December period assessment is confirmed
// after their unit's ranking was decided, the year score is recomputed with December's verified data — the
// frozen score moved by what December changes in the mean of the year's confirmed period assessments (for a
// score taken from the period assessments this is the new mean; for the supervisor's year score, which used a
// December estimate, the same shift) — and ranked again by the engine under the frozen parameters and input
// snapshot (same gates, same records). If the level differs from the signed one, a ranking_difference row is
// written (once), audited, and the unit head(s) and the province's secretariat are notified in-app. The frozen
// entry is never touched. Only the state ranking is compared (a Party entry is capped by the state level).
import { sql } from 'kysely';
import type { RankLevel } from '../../domain/rulesets/types.ts';
import { RANK_LABELS } from '../../domain/rulesets/types.ts';
import { dec, type FrozenRanking, rankWith, roundForDisplay } from '../../domain/scoring/index.ts';
import { appendAudit } from '../audit/index.ts';
import { type Executor, inTransaction } from '../executor.ts';
import type { RankingDifferenceRow } from '../schema-ranking-differences.ts';
import '../schema-ranking-differences.ts';
import '../schema-assessments.ts';
import '../schema-rankings.ts';
import { holdersOfRole } from './org.ts';
import { notify } from './outbox.ts';

const SYSTEM = 'system:ranking-difference';

export interface DecemberDifferenceOutcome {
  /** 'recorded' (new row), 'exists' (recorded before), 'same' (the level holds), or why nothing was compared. */
  outcome:
    | 'recorded'
    | 'exists'
    | 'same'
    | 'not-december'
    | 'not-confirmed'
    | 'no-decided-ranking'
    | 'not-comparable';
  difference?: RankingDifferenceRow;
}

/**
 * Compares the confirmed December assessment with the person's decided ranking of that year and records a
 * difference when the level would change. Idempotent (one row per ranking and person; notifications keyed).
 */
export async function recordDecemberDifference(
  executor: Executor,
  a: { assessmentId: string; day: string },
): Promise<DecemberDifferenceOutcome> {
  const pa = await executor
    .selectFrom('period_assessment')
    .select(['id', 'person_id', 'period', 'status'])
    .where('id', '=', a.assessmentId)
    .executeTakeFirst();
  if (!pa?.period.endsWith('-12')) return { outcome: 'not-december' };
  if (pa.status !== 'confirmed') return { outcome: 'not-confirmed' };
  const year = Number(pa.period.slice(0, 4));
  const entries = await executor
    .selectFrom('unit_ranking_entry as e')
    .innerJoin('unit_ranking as r', 'r.id', 'e.ranking_id')
    .select(['r.id as ranking_id', 'r.unit_id', 'e.frozen', 'e.score_source'])
    .where('e.person_id', '=', pa.person_id)
    .where('r.year', '=', year)
    .where('r.status', 'in', ['decided', 'published'])
    .where('e.frozen', 'is not', null)
    .where('e.track', '=', 'state')
    .execute();
  const entry = entries.find(
    (e) => (e.frozen as unknown as FrozenRanking).explanation.stateLevel === undefined,
  );
  if (!entry) return { outcome: 'no-decided-ranking' };
  const frozen = entry.frozen as unknown as FrozenRanking;
  const existing = await differenceOf(executor, entry.ranking_id, pa.person_id);
  if (existing) return { outcome: 'exists', difference: existing };

  const means = await executor
    .selectFrom('period_assessment')
    .select([
      sql<string | null>`avg(total)::text`.as('with_december'),
      sql<string | null>`(avg(total) FILTER (WHERE period <> ${pa.period}))::text`.as('without_december'),
    ])
    .where('person_id', '=', pa.person_id)
    .where('status', '=', 'confirmed')
    .where('total', 'is not', null)
    .where('period', 'like', `${year}-%`)
    .executeTakeFirstOrThrow();
  if (means.with_december === null) return { outcome: 'same' };
  const shift =
    means.without_december === null
      ? dec(means.with_december).minus(dec(frozen.score))
      : dec(means.with_december).minus(dec(means.without_december));
  const newScore = roundForDisplay(dec(frozen.score).plus(shift));
  let again: ReturnType<typeof rankWith>;
  try {
    again = rankWith({ ...frozen.explanation.input, score: newScore }, frozen.explanation.parameters);
  } catch {
    // a snapshot the engine no longer reads: nothing to compare (the confirmation itself is never held up)
    return { outcome: 'not-comparable' };
  }
  if (again.level === frozen.level) return { outcome: 'same' };
  // the head placed the engine's "Xuất sắc" at "Tốt" within the quota (rankings.ts selectForQuota): the engine's
  // level again is no difference, the quota's choice stands
  const selection = (frozen as { selection?: { engineLevel?: string } }).selection;
  if (selection && again.level === selection.engineLevel) return { outcome: 'same' };

  return inTransaction(executor, async (trx) => {
    const inserted = await trx
      .insertInto('ranking_difference')
      .values({
        ranking_id: entry.ranking_id,
        person_id: pa.person_id,
        period_assessment_id: pa.id,
        frozen_level: frozen.level,
        frozen_score: frozen.score,
        new_level: again.level,
        new_score: again.score,
        detail: JSON.stringify({
          scoreSource: entry.score_source,
          meanWithDecember: means.with_december,
          meanWithoutDecember: means.without_december,
          steps: again.explanation.steps,
        }),
      })
      .onConflict((oc) => oc.columns(['ranking_id', 'person_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const row = await differenceOf(trx, entry.ranking_id, pa.person_id);
      return row ? { outcome: 'exists', difference: row } : { outcome: 'same' };
    }
    await appendAudit(trx, {
      aggregateType: 'unit_ranking',
      aggregateId: entry.ranking_id,
      actor: SYSTEM,
      action: 'ranking.difference.recorded',
      after: {
        personId: pa.person_id,
        periodAssessmentId: pa.id,
        frozen: { level: frozen.level, score: frozen.score },
        december: { level: again.level, score: again.score },
      },
    });
    const unit = await trx
      .selectFrom('org_unit')
      .select(['province_id', 'name_vi'])
      .where('id', '=', entry.unit_id)
      .executeTakeFirstOrThrow();
    const person = await trx
      .selectFrom('person')
      .select('full_name')
      .where('id', '=', pa.person_id)
      .executeTakeFirstOrThrow();
    const recipients = [
      ...(await holdersOfRole(trx, 'unit_head', entry.unit_id, a.day)),
      ...(await holdersOfRole(trx, 'secretariat', unit.province_id, a.day)),
    ];
    const from = RANK_LABELS[frozen.level];
    const to = RANK_LABELS[again.level];
    for (const r of new Map(recipients.map((p) => [p.id, p])).values())
      await notify(trx, {
        personId: r.id,
        kind: 'ranking.difference',
        titleVi: `Kết quả tháng 12 làm thay đổi mức xếp loại của ${person.full_name}`,
        titleEn: `December's result would change the ranking of ${person.full_name}`,
        bodyVi: `${unit.name_vi}, năm ${year}: đã xếp loại "${from.vi}" (${frozen.score} điểm); với kết quả tháng 12 là "${to.vi}" (${again.score} điểm). Bảng xếp loại đã ký không thay đổi; chênh lệch được ghi nhận.`,
        bodyEn: `${unit.name_vi}, ${year}: ranked "${from.en}" (${frozen.score} points); with December's result "${to.en}" (${again.score} points). The signed ranking is unchanged; the difference is recorded.`,
        link: `/evaluation/ranking/${entry.unit_id}/${year}`,
        idempotencyKey: `ranking-difference:${inserted.id}:${r.id}`,
      });
    return { outcome: 'recorded', difference: inserted };
  });
}

export function differenceOf(executor: Executor, rankingId: string, personId: string) {
  return executor
    .selectFrom('ranking_difference')
    .selectAll()
    .where('ranking_id', '=', rankingId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export interface RankingDifferenceView {
  rankingId: string;
  personId: string;
  personName: string;
  frozenLevel: RankLevel;
  frozenLabel: { vi: string; en: string };
  frozenScore: string;
  newLevel: RankLevel;
  newLabel: { vi: string; en: string };
  newScore: string;
  recordedAt: string;
}

/** The differences recorded on rankings, oldest first. */
export async function differencesOf(
  executor: Executor,
  rankingIds: string[],
): Promise<RankingDifferenceView[]> {
  if (rankingIds.length === 0) return [];
  const rows = await executor
    .selectFrom('ranking_difference as d')
    .innerJoin('person as p', 'p.id', 'd.person_id')
    .select([
      'd.ranking_id',
      'd.person_id',
      'p.full_name',
      'd.frozen_level',
      'd.frozen_score',
      'd.new_level',
      'd.new_score',
      'd.recorded_at',
    ])
    .where('d.ranking_id', 'in', rankingIds)
    .orderBy('d.recorded_at')
    .orderBy('p.full_name')
    .execute();
  return rows.map((r) => ({
    rankingId: r.ranking_id,
    personId: r.person_id,
    personName: r.full_name,
    frozenLevel: r.frozen_level,
    frozenLabel: RANK_LABELS[r.frozen_level],
    frozenScore: r.frozen_score,
    newLevel: r.new_level,
    newLabel: RANK_LABELS[r.new_level],
    newScore: r.new_score,
    recordedAt: r.recorded_at.toISOString(),
  }));
}
