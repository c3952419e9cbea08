// The supervisor's and the secretariat's reads of the task inbox (issue 6, point 5): the open items that are
// overdue or escalated (DESIGN §3 ladder) with what the tiered rule needs to place them — the person the item
// is about, the unit it belongs to, whether that person is a unit head — and the nudges sent today.
import { sql } from 'kysely';
import type { Executor } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-plans.ts';

export interface EscalationCandidate {
  taskId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  assigneePersonId: string | null;
  assigneeName: string | null;
  assigneeRole: string | null;
  assigneeUnitId: string | null;
  /** The person the item is about (a check-in's or a personal plan's person; else the assignee), if any. */
  personId: string | null;
  personName: string | null;
  /** The unit the item belongs to (the check-in's, the plan's, the role's, the person's employment). */
  unitId: string | null;
  /** A unit-level plan (owner_kind 'unit'). */
  unitPlan: boolean;
  period: string | null;
  dueDate: string;
  escalationLevel: number;
  /** The recipient role of the last 'escalated' event, if any. */
  escalatedTo: string | null;
  escalatedAt: Date | null;
  open: boolean;
}

/**
 * Every open task due before `day` or escalated, with its person and unit (at most `limit`, the oldest first).
 * The caller filters by the tiered rule (api/routes/escalations.ts).
 */
export async function escalationCandidates(
  executor: Executor,
  day: string,
  opts: {
    limit?: number;
    taskId?: string;
    provinceIds?: readonly string[];
    /** Keyset: only the items after this one in the order (due date, id). */
    after?: { dueDate: string; taskId: string };
  } = {},
): Promise<EscalationCandidate[]> {
  const after = opts.after
    ? sql`(i.logical_due_date, i.id) > (${opts.after.dueDate}::date, ${opts.after.taskId})`
    : sql`true`;
  // one task by id: whatever its state (the caller checks who asks before saying it is not overdue)
  const which = opts.taskId
    ? sql`t.id = ${opts.taskId}`
    : sql`t.status = 'open' AND (t.logical_due_date < ${day}::date OR t.escalation_level > 0)`;
  // only the provinces the caller holds a grant in (an empty list: none)
  const inProvinces = opts.provinceIds
    ? opts.provinceIds.length
      ? sql`iu.province_id IN (${sql.join(opts.provinceIds.map((p) => sql`${p}::uuid`))})`
      : sql`false`
    : sql`true`;
  const r = await sql<{
    id: string;
    kind: string;
    subject_type: string;
    subject_id: string;
    assignee_person_id: string | null;
    assignee_name: string | null;
    assignee_role: string | null;
    assignee_unit_id: string | null;
    person_id: string | null;
    person_name: string | null;
    unit_id: string | null;
    unit_plan: boolean;
    period: string | null;
    logical_due_date: string;
    escalation_level: number;
    escalated_to: string | null;
    escalated_at: Date | null;
    status: string;
  }>`
    WITH items AS (
      SELECT t.*, ci.unit_id AS ci_unit, ci.period AS ci_period, pl.unit_id AS plan_unit,
             (pl.owner_kind = 'unit') AS unit_plan,
             CASE WHEN t.subject_type = 'check_in' THEN ci.person_id
                  WHEN t.subject_type = 'plan' THEN pl.person_id
                  ELSE t.assignee_person_id END AS subject_person
        FROM task t
        LEFT JOIN check_in ci ON t.subject_type = 'check_in' AND ci.id::text = t.subject_id
        LEFT JOIN plan pl ON t.subject_type = 'plan' AND pl.id = t.subject_id
       WHERE ${which}
    )
    , placed AS (
      SELECT i.*, COALESCE(i.ci_unit, i.plan_unit, emp.org_unit_id, i.assignee_unit_id) AS item_unit
        FROM items i
        LEFT JOIN LATERAL (
          SELECT e.org_unit_id FROM employment e
           WHERE e.person_id = i.subject_person
           ORDER BY (e.valid_from <= ${day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${day}::date)) DESC,
                    e.is_concurrent, e.valid_from DESC
           LIMIT 1) emp ON true
    )
    SELECT i.id, i.kind, i.subject_type, i.subject_id, i.assignee_person_id, ap.full_name AS assignee_name,
           i.assignee_role, i.assignee_unit_id, i.subject_person AS person_id, sp.full_name AS person_name,
           i.item_unit AS unit_id,
           COALESCE(i.unit_plan, false) AS unit_plan, i.ci_period AS period,
           to_char(i.logical_due_date, 'YYYY-MM-DD') AS logical_due_date, i.escalation_level,
           esc.recipient_role AS escalated_to, esc.at AS escalated_at, i.status
      FROM placed i
      LEFT JOIN org_unit iu ON iu.id = i.item_unit
      LEFT JOIN person ap ON ap.id = i.assignee_person_id
      LEFT JOIN person sp ON sp.id = i.subject_person
      LEFT JOIN LATERAL (
        SELECT e.recipient_role, e.at FROM task_event e
         WHERE e.task_id = i.id AND e.kind = 'escalated'
         ORDER BY e.id DESC LIMIT 1) esc ON true
     WHERE ${inProvinces} AND ${after}
     ORDER BY i.logical_due_date, i.id
     LIMIT ${opts.limit ?? 5000}`.execute(executor);
  return r.rows.map((x) => ({
    taskId: x.id,
    kind: x.kind,
    subjectType: x.subject_type,
    subjectId: x.subject_id,
    assigneePersonId: x.assignee_person_id,
    assigneeName: x.assignee_name,
    assigneeRole: x.assignee_role,
    assigneeUnitId: x.assignee_unit_id,
    personId: x.person_id,
    personName: x.person_name,
    unitId: x.unit_id,
    unitPlan: x.unit_plan,
    period: x.period,
    dueDate: x.logical_due_date,
    escalationLevel: x.escalation_level,
    escalatedTo: x.escalated_to,
    escalatedAt: x.escalated_at,
    open: x.status === 'open',
  }));
}

export interface EscalationUnitCount {
  unitId: string;
  code: string;
  name: string;
  overdue: number;
  escalated: number;
}

/**
 * The open overdue or escalated items placed by the tiered rule in SQL, over every task (no cap): each with its
 * kind, its unit's province, its top unit (the unit directly under the province; a unit head's own item is
 * placed at the unit they head) and its tier — 'internal' for an individual's item (about a person who is not a
 * unit head, below the province) or a person-less item below a top unit; else 'unit'. Mirrors the placement of
 * api/routes/escalations.ts.
 */
const classified = (day: string) => sql`
    WITH RECURSIVE items AS (
      SELECT t.id, t.kind, t.logical_due_date, t.escalation_level, t.assignee_person_id, t.assignee_unit_id,
             ci.unit_id AS ci_unit, pl.unit_id AS plan_unit,
             CASE WHEN t.subject_type = 'check_in' THEN ci.person_id
                  WHEN t.subject_type = 'plan' THEN pl.person_id
                  ELSE t.assignee_person_id END AS subject_person
        FROM task t
        LEFT JOIN check_in ci ON t.subject_type = 'check_in' AND ci.id::text = t.subject_id
        LEFT JOIN plan pl ON t.subject_type = 'plan' AND pl.id = t.subject_id
       WHERE t.status = 'open' AND (t.logical_due_date < ${day}::date OR t.escalation_level > 0)
    )
    , placed AS (
      SELECT i.*, COALESCE(i.ci_unit, i.plan_unit, emp.org_unit_id, i.assignee_unit_id) AS item_unit
        FROM items i
        LEFT JOIN LATERAL (
          SELECT e.org_unit_id FROM employment e
           WHERE e.person_id = i.subject_person
           ORDER BY (e.valid_from <= ${day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${day}::date)) DESC,
                    e.is_concurrent, e.valid_from DESC
           LIMIT 1) emp ON true
    )
    , heads AS (
      -- every top unit's head on the day (a few hundred rows; joined to the items below): filtering them by the
      -- items' persons here made the planner compare each head with every item (0.7 s at 20,000 items)
      SELECT DISTINCT ON (ra.person_id) ra.person_id, u.id AS unit_id
        FROM role_assignment ra
        JOIN org_unit u ON u.id = ra.scope_unit_id
       WHERE ra.role_code = 'unit_head' AND u.parent_id = u.province_id
         AND ra.valid_from <= ${day}::date AND (ra.valid_to IS NULL OR ra.valid_to >= ${day}::date)
       ORDER BY ra.person_id, u.code
    )
    , up AS (
      SELECT u.id AS start, u.id, u.parent_id, u.province_id
        FROM org_unit u WHERE u.id IN (SELECT item_unit FROM placed)
      UNION ALL
      SELECT up.start, p.id, p.parent_id, p.province_id
        FROM up JOIN org_unit p ON p.id = up.parent_id
       WHERE up.parent_id IS NOT NULL AND up.parent_id <> up.province_id
    )
    , tops AS (SELECT start, id AS top_id FROM up WHERE parent_id = province_id)
    , classified AS (
      SELECT p.id, p.kind, p.logical_due_date, p.escalation_level, p.subject_person, p.assignee_person_id,
             iu.province_id, COALESCE(h.unit_id, t.top_id) AS top_id,
             CASE WHEN h.unit_id IS NOT NULL THEN 'unit'
                  WHEN iu.parent_id IS NULL THEN 'unit'
                  WHEN p.subject_person IS NOT NULL THEN 'internal'
                  WHEN t.top_id IS DISTINCT FROM p.item_unit THEN 'internal'
                  ELSE 'unit' END AS tier
        FROM placed p
        JOIN org_unit iu ON iu.id = p.item_unit
        LEFT JOIN heads h ON h.person_id = p.subject_person
        LEFT JOIN tops t ON t.start = p.item_unit
    )`;

const uuidList = (ids: readonly string[]) =>
  ids.length ? sql`(${sql.join(ids.map((p) => sql`${p}::uuid`))})` : sql`(NULL::uuid)`;

/**
 * The province's view of individuals' lateness (DESIGN §1 tiered rule): per unit directly under one of
 * `provinceIds`, how many individuals' items are open and overdue and how many escalated — one GROUP BY over every
 * task, never a name. Items about or assigned to `me` are in my inbox and are not counted; `exceptTopUnits`
 * (units whose individuals the caller reads in full) are left out.
 */
export async function escalationUnitCounts(
  executor: Executor,
  day: string,
  q: { provinceIds: readonly string[]; me: string; exceptTopUnits?: readonly string[] },
): Promise<EscalationUnitCount[]> {
  if (!q.provinceIds.length) return [];
  const except = q.exceptTopUnits?.length ? sql`c.top_id NOT IN ${uuidList(q.exceptTopUnits)}` : sql`true`;
  const r = await sql<{ unit_id: string; code: string; name: string; overdue: string; escalated: string }>`
    ${classified(day)}
    SELECT c.top_id AS unit_id, u.code, u.name_vi AS name,
           count(*) FILTER (WHERE c.logical_due_date < ${day}::date) AS overdue,
           count(*) FILTER (WHERE c.escalation_level > 0) AS escalated
      FROM classified c
      JOIN org_unit u ON u.id = c.top_id
     WHERE c.tier = 'internal' AND c.province_id IN ${uuidList(q.provinceIds)} AND ${except}
       AND c.subject_person IS DISTINCT FROM ${q.me}::uuid
       AND c.assignee_person_id IS DISTINCT FROM ${q.me}::uuid
     GROUP BY c.top_id, u.code, u.name_vi`.execute(executor);
  return r.rows
    .map((x) => ({
      unitId: x.unit_id,
      code: x.code,
      name: x.name,
      overdue: Number(x.overdue),
      escalated: Number(x.escalated),
    }))
    .filter((x) => x.overdue > 0 || x.escalated > 0)
    .sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The kinds of the items a reader may list (the kind filter's choices), over every task: unit-level items in
 * `provinceIds` (the province's readers) and any item of the units `topUnitIds` (a unit's readers); never one's
 * own items.
 */
export async function escalationKinds(
  executor: Executor,
  day: string,
  q: { provinceIds: readonly string[]; topUnitIds: readonly string[]; me: string },
): Promise<string[]> {
  if (!q.provinceIds.length && !q.topUnitIds.length) return [];
  const r = await sql<{ kind: string }>`
    ${classified(day)}
    SELECT DISTINCT c.kind FROM classified c
     WHERE ((c.tier = 'unit' AND c.province_id IN ${uuidList(q.provinceIds)})
            OR c.top_id IN ${uuidList(q.topUnitIds)})
       AND c.subject_person IS DISTINCT FROM ${q.me}::uuid
       AND c.assignee_person_id IS DISTINCT FROM ${q.me}::uuid
     ORDER BY c.kind`.execute(executor);
  return r.rows.map((x) => x.kind);
}

/** Of `personIds`, those holding unit_head of a unit directly under a province on `day`, with that unit. */
export async function headsAmong(
  executor: Executor,
  personIds: readonly string[],
  day: string,
): Promise<Map<string, string>> {
  if (!personIds.length) return new Map();
  const rows = await executor
    .selectFrom('role_assignment as ra')
    .innerJoin('org_unit as u', 'u.id', 'ra.scope_unit_id')
    .select(['ra.person_id', 'u.id'])
    .where('ra.person_id', 'in', [...personIds])
    .where('ra.role_code', '=', 'unit_head')
    .whereRef('u.parent_id', '=', 'u.province_id')
    .where('ra.valid_from', '<=', day)
    .where((eb) => eb.or([eb('ra.valid_to', 'is', null), eb('ra.valid_to', '>=', day)]))
    .orderBy('u.code')
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.person_id)) out.set(r.person_id, r.id);
  return out;
}

/** The idempotency-key prefix of the in-app notifications of a nudge about a task on a day. */
export const nudgeKeyPrefix = (day: string, taskId: string) => `nudge:${day}:${taskId}:`;

/** Of `taskIds`, those nudged on `day` (a nudge notification exists). */
export async function nudgedOn(
  executor: Executor,
  day: string,
  taskIds: readonly string[],
): Promise<Set<string>> {
  if (!taskIds.length) return new Set();
  const prefix = `nudge:${day}:`;
  const rows = await executor
    .selectFrom('notification')
    .select('idempotency_key')
    .where('idempotency_key', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    .execute();
  const wanted = new Set(taskIds);
  const out = new Set<string>();
  for (const r of rows) {
    // key = nudge:{day}:{taskId}:{personId (36 chars)}
    const id = r.idempotency_key?.slice(prefix.length, -37);
    if (id && wanted.has(id)) out.add(id);
  }
  return out;
}

/** Whether a task was nudged on `day` (after taking the transaction's lock on the task's nudges). */
export async function lockAndCheckNudged(executor: Executor, day: string, taskId: string): Promise<boolean> {
  const prefix = nudgeKeyPrefix(day, taskId);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${prefix}, 0))`.execute(executor);
  const row = await executor
    .selectFrom('notification')
    .select('id')
    .where('idempotency_key', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface VerifyQueueCheckIn {
  id: string;
  personId: string;
  personName: string;
  unitId: string;
  unitName: string;
  period: string;
  status: string;
  submittedAt: Date | null;
}

/** The check-ins of the given ids with their person, unit and the time of their latest submitted version. */
export async function checkInsForQueue(
  executor: Executor,
  ids: readonly string[],
): Promise<Map<string, VerifyQueueCheckIn>> {
  const uuids = ids.filter((i) => /^[0-9a-f-]{36}$/i.test(i));
  if (!uuids.length) return new Map();
  const rows = await executor
    .selectFrom('check_in as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .innerJoin('org_unit as u', 'u.id', 'c.unit_id')
    .leftJoin('check_in_version as v', 'v.id', 'c.submitted_version_id')
    .select([
      'c.id',
      'c.person_id',
      'p.full_name',
      'c.unit_id',
      'u.name_vi',
      'c.period',
      'c.status',
      'v.created_at as submitted_at',
    ])
    .where('c.id', 'in', uuids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        personId: r.person_id,
        personName: r.full_name,
        unitId: r.unit_id,
        unitName: r.name_vi,
        period: r.period,
        status: r.status,
        submittedAt: r.submitted_at,
      },
    ]),
  );
}
