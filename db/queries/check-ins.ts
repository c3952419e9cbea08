// Check-in reads and writes (DESIGN §3 monthly row, §5 content path): the plans in force a person reports
// on, the draft values (every saved change kept in check_in_value_history), the frozen versions a submission
// makes (number + sha256, like plan_version), target revisions, and the completion tracker of a unit.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { PlanInForce } from '../../domain/check-in/due.ts';
import type { CheckInValue } from '../../domain/check-in/model.ts';
import { targetChanges } from '../../domain/check-in/targets.ts';
import type { Reassignment } from '../../domain/handover/owner.ts';
import type { Plan } from '../../domain/plan/model.ts';
import { canonicalJson, toJsonValue } from '../audit/hash.ts';
import type { Executor } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-evidence.ts';
import '../schema-handover.ts';
import '../schema-plans.ts';
import type {
  CheckInRow,
  CheckInValueRow,
  CheckInVersionRow,
  KeyResultTargetRevisionRow,
} from '../schema-check-ins.ts';

/** sha256 (hex) of the canonical JSON of a check-in's frozen content: the hash a submit Update carries. */
export function checkInContentHash(content: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(toJsonValue(content)), 'utf8')
    .digest('hex');
}

export interface PlanInForceRow extends PlanInForce {
  unitId: string | null;
  ownerKind: 'unit' | 'person';
}

/** The plans of `year` whose version in force a person reports on: their personal plan and the plans of the
 *  units on their unit's path (the province left out); unit plans from the top unit down, then the personal one;
 *  then any other plan with a key result reassigned to them (DESIGN §1, a transfer or a leaver's handover).
 *  Each plan carries its reassignments (domain/handover decides the owner in a period). */
export async function plansInForceFor(
  executor: Executor,
  personId: string,
  year: number,
  unitPathIds: readonly string[],
): Promise<PlanInForceRow[]> {
  return (await plansInForceForMany(executor, [{ personId, unitPathIds }], year)).get(personId) ?? [];
}

/**
 * plansInForceFor for many persons at once (the monthly opening's page): the same plans in the same order for
 * each person, read in three queries for all of them (a unit plan read once for every person under the unit).
 * Person id → plans; a person not given is absent.
 */
export async function plansInForceForMany(
  executor: Executor,
  persons: readonly { personId: string; unitPathIds: readonly string[] }[],
  year: number,
): Promise<Map<string, PlanInForceRow[]>> {
  const out = new Map<string, PlanInForceRow[]>();
  if (!persons.length) return out;
  const personIds = [...new Set(persons.map((p) => p.personId))];
  const unitIds = [...new Set(persons.flatMap((p) => p.unitPathIds.slice(1)))];
  const assigned = await executor
    .selectFrom('key_result_assignment')
    .select(['plan_id', 'to_person_id'])
    .where('to_person_id', 'in', personIds)
    .execute();
  const assignedPlanIds = [...new Set(assigned.map((a) => a.plan_id))];
  const rows = await executor
    .selectFrom('plan as p')
    .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
    .select(['p.id', 'p.owner_kind', 'p.unit_id', 'p.person_id', 'v.id as version_id', 'v.content'])
    .where('p.year', '=', year)
    .where((eb) =>
      eb.or([
        eb.and([eb('p.owner_kind', '=', 'person'), eb('p.person_id', 'in', personIds)]),
        ...(unitIds.length
          ? [eb.and([eb('p.owner_kind', '=', 'unit'), eb('p.unit_id', 'in', unitIds)])]
          : []),
        ...(assignedPlanIds.length ? [eb('p.id', 'in', assignedPlanIds)] : []),
      ]),
    )
    .execute();
  const reassignments = await reassignmentsOf(
    executor,
    rows.map((r) => r.id),
  );
  const assignedTo = new Map<string, Set<string>>();
  for (const a of assigned) {
    const set = assignedTo.get(a.to_person_id) ?? new Set<string>();
    set.add(a.plan_id);
    assignedTo.set(a.to_person_id, set);
  }
  for (const { personId, unitPathIds } of persons) {
    const units = unitPathIds.slice(1);
    const mine = assignedTo.get(personId);
    const rank = (r: (typeof rows)[number]) => {
      if (r.owner_kind === 'person') return r.person_id === personId ? units.length : units.length + 1;
      const i = units.indexOf(r.unit_id ?? '');
      return i < 0 ? units.length + 1 : i;
    };
    out.set(
      personId,
      rows
        .filter(
          (r) =>
            (r.owner_kind === 'person' && r.person_id === personId) ||
            (r.owner_kind === 'unit' && units.includes(r.unit_id ?? '')) ||
            mine?.has(r.id) === true,
        )
        .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
        .map((r) => ({
          planId: r.id,
          planVersionId: r.version_id,
          unitId: r.unit_id,
          ownerKind: r.owner_kind,
          content: r.content as unknown as Plan,
          reassignments: reassignments.get(r.id) ?? [],
        })),
    );
  }
  return out;
}

/** The key-result reassignments of the given plans (migration 0460), by plan, in recording order. */
export async function reassignmentsOf(
  executor: Executor,
  planIds: readonly string[],
): Promise<Map<string, Reassignment[]>> {
  const out = new Map<string, Reassignment[]>();
  if (!planIds.length) return out;
  const rows = await executor
    .selectFrom('key_result_assignment')
    .select(['id', 'plan_id', 'key_result_id', 'to_person_id', 'effective_period'])
    .where('plan_id', 'in', [...new Set(planIds)])
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.plan_id) ?? [];
    list.push({
      keyResultId: r.key_result_id,
      toPersonId: r.to_person_id,
      effectivePeriod: r.effective_period,
      seq: Number(r.id),
    });
    out.set(r.plan_id, list);
  }
  return out;
}

/** Of the given evidence file ids, those a person may attach to their values: files they uploaded, or files kept
 *  by a unit on their path (migration 0400_evidence). */
export async function attachableEvidence(
  executor: Executor,
  ids: readonly string[],
  personId: string,
  unitIds: readonly string[],
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await executor
    .selectFrom('evidence_file')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where((eb) =>
      eb.or([eb('uploaded_by', '=', personId), ...(unitIds.length ? [eb('unit_id', 'in', unitIds)] : [])]),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}

export function checkInOf(
  executor: Executor,
  personId: string,
  period: string,
): Promise<CheckInRow | undefined> {
  return executor
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', '=', personId)
    .where('period', '=', period)
    .executeTakeFirst();
}

/** checkInOf for many persons at once (the monthly opening's page): person id → their check-in of the period. */
export async function checkInsOf(
  executor: Executor,
  personIds: readonly string[],
  period: string,
): Promise<Map<string, CheckInRow>> {
  const out = new Map<string, CheckInRow>();
  if (!personIds.length) return out;
  const rows = await executor
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', 'in', [...new Set(personIds)])
    .where('period', '=', period)
    .execute();
  for (const r of rows) out.set(r.person_id, r);
  return out;
}

/** The person's check-in of the period, locked for the save; created (DRAFT, revision 0) when missing. */
export async function lockOrCreateCheckIn(
  executor: Executor,
  c: { personId: string; unitId: string; period: string },
): Promise<CheckInRow> {
  await executor
    .insertInto('check_in')
    .values({ person_id: c.personId, unit_id: c.unitId, period: c.period, workflow_id: null })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  return executor
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', '=', c.personId)
    .where('period', '=', c.period)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function valuesOfCheckIn(executor: Executor, checkInId: string): Promise<CheckInValueRow[]> {
  return executor
    .selectFrom('check_in_value')
    .selectAll()
    .where('check_in_id', '=', checkInId)
    .orderBy('plan_id')
    .orderBy('key_result_id')
    .execute();
}

/** The stored view of a value (what the history keeps as old → new). */
export const valueView = (v: Pick<CheckInValue, Exclude<keyof CheckInValue, 'planId' | 'keyResultId'>>) => ({
  value: v.value,
  done: v.done,
  input: v.input,
  status: v.status,
  confidence: v.confidence,
  explanation: v.explanation,
  evidenceIds: [...v.evidenceIds],
});
export const rowView = (r: CheckInValueRow) =>
  valueView({
    value: r.value,
    done: r.done,
    input: r.input,
    status: r.kr_status,
    confidence: r.confidence,
    explanation: r.explanation,
    evidenceIds: r.evidence_ids,
  });

export interface SavedChange {
  planId: string;
  keyResultId: string;
  revision: number;
  old: ReturnType<typeof valueView> | null;
  new: ReturnType<typeof valueView>;
}

/**
 * Writes draft values into a locked check-in: a new or changed value is written with its revision + 1 and a
 * history row (who, when, old → new); an unchanged one is left alone. Bumps the check-in's revision when
 * anything changed. Answers the changes. The new values go in one INSERT and the history rows in another (a
 * month's check-in of ten values was twenty round trips); a changed value is its own UPDATE. `existing`: the
 * check-in's values when the caller has just read them.
 */
export async function saveDraftValues(
  executor: Executor,
  s: {
    checkIn: CheckInRow;
    values: readonly (CheckInValue & { planVersionId: string })[];
    by: string;
    existing?: readonly CheckInValueRow[];
  },
): Promise<{ changes: SavedChange[]; revision: number }> {
  const keyOf = (planId: string, keyResultId: string) => `${planId}\u0000${keyResultId}`;
  const existing = new Map(
    (s.existing ?? (await valuesOfCheckIn(executor, s.checkIn.id))).map((r) => [
      keyOf(r.plan_id, r.key_result_id),
      r,
    ]),
  );
  const changed: {
    v: CheckInValue & { planVersionId: string };
    before: CheckInValueRow | undefined;
    old: ReturnType<typeof valueView> | null;
    next: ReturnType<typeof valueView>;
  }[] = [];
  for (const v of s.values) {
    const before = existing.get(keyOf(v.planId, v.keyResultId));
    const next = valueView(v);
    const old = before ? rowView(before) : null;
    if (old && canonicalJson(toJsonValue(old)) === canonicalJson(toJsonValue(next))) continue;
    changed.push({ v, before, old, next });
  }
  if (!changed.length) return { changes: [], revision: s.checkIn.revision };
  const cols = (v: CheckInValue & { planVersionId: string }) => ({
    plan_version_id: v.planVersionId,
    value: v.value,
    done: v.done,
    input: v.input,
    kr_status: v.status,
    confidence: v.confidence,
    explanation: v.explanation,
    evidence_ids: [...v.evidenceIds],
    updated_by: s.by,
    updated_at: sql<Date>`now()`,
  });
  const written = new Map<string, { id: string; revision: number }>();
  const fresh = changed.filter((c) => !c.before);
  if (fresh.length)
    for (const r of await executor
      .insertInto('check_in_value')
      .values(
        fresh.map(({ v }) => ({
          ...cols(v),
          check_in_id: s.checkIn.id,
          plan_id: v.planId,
          key_result_id: v.keyResultId,
        })),
      )
      .returning(['id', 'revision', 'plan_id', 'key_result_id'])
      .execute())
      written.set(keyOf(r.plan_id, r.key_result_id), r);
  for (const { v, before } of changed) {
    if (!before) continue;
    written.set(
      keyOf(v.planId, v.keyResultId),
      await executor
        .updateTable('check_in_value')
        .set({ ...cols(v), revision: before.revision + 1 })
        .where('id', '=', before.id)
        .returning(['id', 'revision'])
        .executeTakeFirstOrThrow(),
    );
  }
  const saved = changed.map((c) => {
    const row = written.get(keyOf(c.v.planId, c.v.keyResultId));
    if (!row) throw new Error(`check-in value ${c.v.planId}/${c.v.keyResultId} was not written`);
    return { ...c, row };
  });
  const changes: SavedChange[] = saved.map(({ v, old, next, row }) => ({
    planId: v.planId,
    keyResultId: v.keyResultId,
    revision: row.revision,
    old,
    new: next,
  }));
  const history = saved.map(({ v, old, next, row }) => ({
    check_in_value_id: row.id,
    check_in_id: s.checkIn.id,
    plan_id: v.planId,
    key_result_id: v.keyResultId,
    period: s.checkIn.period,
    revision: row.revision,
    old_value: old === null ? null : JSON.stringify(old),
    new_value: JSON.stringify(next),
    changed_by: s.by,
  }));
  await executor.insertInto('check_in_value_history').values(history).execute();
  const r = await executor
    .updateTable('check_in')
    .set({ revision: sql<number>`revision + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', s.checkIn.id)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return { changes, revision: r.revision };
}

/** The frozen content of a check-in as a submission records it: its period, person and values in key order. */
export function checkInSnapshot(checkIn: CheckInRow, values: readonly CheckInValueRow[]) {
  return {
    checkInId: checkIn.id,
    personId: checkIn.person_id,
    unitId: checkIn.unit_id,
    period: checkIn.period,
    revision: checkIn.revision,
    values: [...values]
      .sort((a, b) =>
        a.plan_id === b.plan_id
          ? a.key_result_id < b.key_result_id
            ? -1
            : 1
          : a.plan_id < b.plan_id
            ? -1
            : 1,
      )
      .map((v) => ({
        planId: v.plan_id,
        planVersionId: v.plan_version_id,
        keyResultId: v.key_result_id,
        ...rowView(v),
      })),
  };
}

/** Appends an immutable version of a check-in (number = last + 1) with its hash: what a submission freezes. */
export async function createCheckInVersion(
  executor: Executor,
  v: { checkInId: string; content: unknown; createdBy: string },
): Promise<CheckInVersionRow> {
  return executor
    .insertInto('check_in_version')
    .values({
      check_in_id: v.checkInId,
      number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM check_in_version WHERE check_in_id = ${v.checkInId}::uuid)`,
      content: JSON.stringify(toJsonValue(v.content)),
      hash: checkInContentHash(v.content),
      created_by: v.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records the target changes between two versions of a plan (who, why, the version they came with). */
export async function recordTargetRevisions(
  executor: Executor,
  r: {
    planId: string;
    from: Pick<Plan, 'tasks'>;
    to: Pick<Plan, 'tasks'>;
    planVersionId: string | null;
    by: string;
    reason: string;
  },
): Promise<number> {
  const changes = targetChanges(r.from, r.to);
  if (!changes.length) return 0;
  await executor
    .insertInto('key_result_target_revision')
    .values(
      changes.map((c) => ({
        plan_id: r.planId,
        key_result_id: c.keyResultId,
        period: c.period,
        old_target: c.oldTarget,
        new_target: c.newTarget,
        plan_version_id: r.planVersionId,
        changed_by: r.by,
        reason: r.reason,
      })),
    )
    .execute();
  return changes.length;
}

export interface PeriodValueRow {
  period: string;
  planId: string;
  keyResultId: string;
  value: string | null;
  done: boolean | null;
  status: string | null;
  checkInStatus: string;
  personId: string;
  updatedBy: string;
  updatedAt: Date;
  revision: number;
}

/** The values of key results of a plan in the periods of a year (every person's check-in), period order. */
export async function periodValuesOf(
  executor: Executor,
  planId: string,
  keyResultIds: readonly string[],
  year?: number,
): Promise<PeriodValueRow[]> {
  if (!keyResultIds.length) return [];
  let q = executor
    .selectFrom('check_in_value as v')
    .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
    .select([
      'c.period',
      'v.plan_id',
      'v.key_result_id',
      'v.value',
      'v.done',
      'v.kr_status',
      'c.status',
      'c.person_id',
      'v.updated_by',
      'v.updated_at',
      'v.revision',
    ])
    .where('v.plan_id', '=', planId)
    .where('v.key_result_id', 'in', keyResultIds);
  if (year !== undefined) q = q.where('c.period', 'like', `${year}-%`);
  const rows = await q.orderBy('c.period').orderBy('v.updated_at').execute();
  return rows.map((r) => ({
    period: r.period,
    planId: r.plan_id,
    keyResultId: r.key_result_id,
    value: r.value,
    done: r.done,
    status: r.kr_status,
    checkInStatus: r.status,
    personId: r.person_id,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
    revision: r.revision,
  }));
}

export function valueHistoryOf(executor: Executor, planId: string, keyResultId: string) {
  return executor
    .selectFrom('check_in_value_history as h')
    .innerJoin('person as p', 'p.id', 'h.changed_by')
    .select([
      'h.period',
      'h.revision',
      'h.old_value',
      'h.new_value',
      'h.changed_by',
      'p.full_name',
      'h.changed_at',
    ])
    .where('h.plan_id', '=', planId)
    .where('h.key_result_id', '=', keyResultId)
    .orderBy('h.period')
    .orderBy('h.id')
    .limit(5000)
    .execute();
}

export function targetRevisionsOf(
  executor: Executor,
  planId: string,
  keyResultId: string,
): Promise<KeyResultTargetRevisionRow[]> {
  return executor
    .selectFrom('key_result_target_revision')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('key_result_id', '=', keyResultId)
    .orderBy('id')
    .execute();
}

export interface TrackerRow {
  personId: string;
  fullName: string;
  unitId: string;
  checkInId: string | null;
  status: string | null;
  revision: number;
  valueCount: number;
  updatedAt: Date | null;
}

/** The people employed on `day` in a unit or below it, with their check-in of the period (if any). */
export async function trackerOf(
  executor: Executor,
  unitId: string,
  period: string,
  day: string,
): Promise<TrackerRow[]> {
  const r = await sql<{
    person_id: string;
    full_name: string;
    unit_id: string;
    check_in_id: string | null;
    status: string | null;
    revision: number | null;
    value_count: string;
    updated_at: Date | null;
  }>`
    WITH RECURSIVE down AS (
      SELECT id, 0 AS depth FROM org_unit WHERE id = ${unitId}::uuid
      UNION ALL
      SELECT u.id, down.depth + 1 FROM org_unit u JOIN down ON u.parent_id = down.id WHERE down.depth < 64
    ), staff AS (
      SELECT DISTINCT ON (e.person_id) e.person_id, e.org_unit_id
        FROM employment e JOIN down ON down.id = e.org_unit_id
       WHERE e.valid_from <= ${day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${day}::date)
       ORDER BY e.person_id, e.is_concurrent, e.valid_from DESC
    )
    SELECT s.person_id, p.full_name, s.org_unit_id AS unit_id, c.id AS check_in_id, c.status, c.revision,
           (SELECT count(*) FROM check_in_value v WHERE v.check_in_id = c.id) AS value_count, c.updated_at
      FROM staff s
      JOIN person p ON p.id = s.person_id
      LEFT JOIN check_in c ON c.person_id = s.person_id AND c.period = ${period}
     ORDER BY p.full_name, s.person_id
     LIMIT 10000`.execute(executor);
  return r.rows.map((x) => ({
    personId: x.person_id,
    fullName: x.full_name,
    unitId: x.unit_id,
    checkInId: x.check_in_id,
    status: x.status,
    revision: x.revision ?? 0,
    valueCount: Number(x.value_count),
    updatedAt: x.updated_at,
  }));
}
