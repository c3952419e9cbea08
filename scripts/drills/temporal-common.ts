// What the Temporal drills (worker-kill, temporal-restart; issue 9 point 2) share: a bench province on the drill's
// servers (scripts/bench/province.ts, sessions from scripts/bench/sessions.ts), its month opened by the real
// opening workflow (as scripts/bench/run.ts runs it), drafts and the check-in storm through the API (a 503 sent
// again with the same Idempotency-Key after its Retry-After, as the screen does), deadline probes, and the checks
// every drill makes: every accepted check-in present exactly once, every check-in workflow running or done and
// settled (nothing failed or stuck).
//
// Deadline probes: the opened check-ins run on the real calendar, where the next rung is days away. A probe is the
// check-in workflow of a province person for the NEXT month (in December the month before), started by the drill (its input from
// db/queries/check-in-workflow-input.ts, as the opening computes it) with a clock offset (a TimeWarp of speed 1,
// workflows/plan-time.ts, as the simulation's warpAt gives one) so that its first rung — the D−3 reminder of its
// 'check-in.submit' task — falls due `leadMs` after its start. The rung is a durable timer in the workflow; when it
// fires, the worker writes the rung's task_event row (kind 'reminded', key `escalate:<workflow>:submit@<due>:0`)
// and its notification. Probes are staggered so that, wherever the outage ends, some rungs fall due while the
// dependency is down (they must fire after it is back) and the first one after the restart must fire then.
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import '../../db/schema-plans.ts';
import type { Database } from '../../db/connection.ts';
import { checkInInputFor } from '../../db/queries/check-in-workflow-input.ts';
import { lockOrCreateCheckIn } from '../../db/queries/check-ins.ts';
import { todayVn } from '../../db/queries/org-tree.ts';
import { deadlineById } from '../../domain/calendar/plan-year.ts';
import { nextPeriod, previousPeriod } from '../../domain/check-in/period.ts';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import { checkInWorkflowId, getCheckInState } from '../../workflows/check-in.messages.ts';
import { checkInOpeningWorkflowId } from '../../workflows/check-in-opening.ts';
import { individualRungs } from '../../workflows/human-steps.ts';
import { type BenchProvince, loadBenchProvince, shapeAt } from '../bench/province.ts';
import { createSessions, type Session } from '../bench/sessions.ts';
import { pool } from '../bench/stats.ts';
import type { DrillServers } from './servers.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Answer {
  status: number;
  text: string;
  code: string | undefined;
  retryAfter: string | null;
  ms: number;
}

/** One request to the drill's API as a signed-in person (cookie + CSRF token). */
export async function call(
  s: DrillServers,
  who: Session | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(`${s.apiUrl}${path}`, {
    method,
    headers: {
      ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    code: (/"code":"([A-Z_]+)"/.exec(text) ?? [])[1],
    retryAfter: res.headers.get('retry-after'),
    ms: performance.now() - t0,
  };
}

export interface OpenedMonth {
  province: BenchProvince;
  sessions: Map<string, Session>;
  period: string;
  day: string;
  client: Client;
  opened: number;
}

/** The bench's province at `scale`, sessions for its persons, and its month opened by the real opening workflow. */
export async function openMonth(
  s: DrillServers,
  scale: number,
  say: (l: string) => void,
): Promise<OpenedMonth> {
  const day = todayVn(new Date());
  const period = day.slice(0, 7);
  const province = await loadBenchProvince(s.db, shapeAt(scale, Number(day.slice(0, 4))));
  const sessions = await createSessions(s.db, [...province.persons.map((p) => p.id), province.readerId]);
  const client = new Client({ connection: await Connection.connect({ address: s.temporalAddress }) });
  say(`province loaded (${province.persons.length} persons); opening ${period}`);
  const r = (await client.workflow.execute('checkInOpeningWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: checkInOpeningWorkflowId(period, province.provinceId),
    args: [{ period, provinceId: province.provinceId, day }],
    workflowExecutionTimeout: '20 minutes',
  })) as { opened: number };
  say(`opened ${r.opened} check-in workflows`);
  return { province, sessions, period, day, client, opened: r.opened };
}

/** Saves the draft values of a person's check-in (the content path: the API → PostgreSQL only). */
export function saveDraft(
  s: DrillServers,
  m: OpenedMonth,
  p: BenchProvince['persons'][number],
  baseRevision = 0,
) {
  return call(s, m.sessions.get(p.id), 'PUT', `/api/check-ins/mine/${m.period}/values`, {
    baseRevision,
    locale: 'vi',
    values: p.keyResultIds.map((k) => ({
      planId: p.planId,
      keyResultId: k,
      value: '12',
      status: 'on-track',
    })),
  });
}

export async function saveDrafts(s: DrillServers, m: OpenedMonth, persons: BenchProvince['persons']) {
  await pool(persons.length, 8, async (i) => {
    const p = persons[i]!;
    const r = await saveDraft(s, m, p);
    if (r.status !== 200) throw new Error(`draft of ${p.id}: ${r.status} ${r.text.slice(0, 300)}`);
  });
}

export interface Submission {
  personId: string;
  key: string;
  attempts: number;
  /** Every 503 answer: its code, whether it had Retry-After, its time. */
  unavailable: { code: string | undefined; retryAfter: string | null; ms: number }[];
  final: Answer;
}

/**
 * A check-in submitted as the screen does: a 503 is sent again with the same Idempotency-Key after its
 * Retry-After (1–10 s), until an answer other than 503 or `until` (epoch ms).
 */
export async function submitAsScreen(
  s: DrillServers,
  m: OpenedMonth,
  personId: string,
  until: number,
  key = `drill-${personId}`,
): Promise<Submission> {
  const sub: Submission = { personId, key, attempts: 0, unavailable: [], final: undefined as never };
  for (;;) {
    sub.attempts++;
    const r = await call(
      s,
      m.sessions.get(personId),
      'POST',
      `/api/check-ins/mine/${m.period}/submit`,
      undefined,
      {
        'idempotency-key': key,
      },
    );
    sub.final = r;
    if (r.status !== 503 || Date.now() >= until) return sub;
    sub.unavailable.push({ code: r.code, retryAfter: r.retryAfter, ms: r.ms });
    const wait = Math.min(10, Math.max(1, Number(r.retryAfter ?? 1) || 1)) * 1000;
    await sleep(Math.max(0, Math.min(wait, until - Date.now())));
  }
}

/** Every accepted check-in exactly once (the bench's query): SUBMITTED, one frozen version, one submit audit entry. */
export async function presentOnce(db: Database, period: string, personIds: string[]): Promise<number> {
  if (!personIds.length) return 0;
  const once = await sql<{ n: string }>`
    SELECT count(*) AS n FROM check_in c
     WHERE c.period = ${period} AND c.person_id = ANY(${personIds}::uuid[]) AND c.status = 'SUBMITTED'
       AND (SELECT count(*) FROM check_in_version v WHERE v.check_in_id = c.id) = 1
       AND (SELECT count(*) FROM audit_log a WHERE a.aggregate_type = 'check_in' AND a.aggregate_id = c.id::text
              AND a.action = 'check-in.submitted') = 1`.execute(db);
  return Number(once.rows[0]?.n ?? 0);
}

/** Check-ins of the period (any person of the province) with more than one version or submit audit entry. */
export async function doubled(db: Database, period: string, provinceId: string): Promise<number> {
  const r = await sql<{ n: string }>`
    SELECT count(*) AS n FROM check_in c JOIN org_unit u ON u.id = c.unit_id
     WHERE c.period = ${period} AND u.province_id = ${provinceId}::uuid
       AND ((SELECT count(*) FROM check_in_version v WHERE v.check_in_id = c.id) > 1
         OR (SELECT count(*) FROM audit_log a WHERE a.aggregate_type = 'check_in' AND a.aggregate_id = c.id::text
              AND a.action = 'check-in.submitted') > 1)`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export interface WorkflowState {
  workflowId: string;
  status: string;
  phase?: string;
  pendingActivities: number;
  /** The attempt of a pending workflow task (a failing one keeps counting), 0 when none. */
  workflowTaskAttempt: number;
  lastFailure?: string;
}

/** Describes a workflow and asks its state (getCheckInState) when it runs. */
export async function describeCheckIn(client: Client, workflowId: string): Promise<WorkflowState> {
  const h = client.workflow.getHandle(workflowId);
  const d = await h.describe();
  const pending = d.raw.pendingActivities ?? [];
  const st: WorkflowState = {
    workflowId,
    status: d.status.name,
    pendingActivities: pending.length,
    workflowTaskAttempt: d.raw.pendingWorkflowTask?.attempt ?? 0,
  };
  const failure = pending.find((a) => a.lastFailure?.message)?.lastFailure?.message;
  if (failure) st.lastFailure = failure;
  if (d.status.name === 'RUNNING' || d.status.name === 'COMPLETED') {
    try {
      st.phase = (await h.query(getCheckInState)).phase;
    } catch (e) {
      st.lastFailure = `query: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return st;
}

/**
 * Waits (bounded) until every check-in workflow is running or completed, settled (no pending activity, no
 * workflow task retried), and in the phase expected of it; returns the last description of each.
 */
export async function settle(
  client: Client,
  expected: Map<string, string>,
  boundMs: number,
): Promise<{ ok: boolean; states: WorkflowState[]; bad: WorkflowState[] }> {
  const until = Date.now() + boundMs;
  let states: WorkflowState[] = [];
  let bad: WorkflowState[] = [];
  for (;;) {
    const ids = [...expected.keys()];
    states = await pool(ids.length, 8, (i) =>
      describeCheckIn(client, ids[i]!).catch(
        (e): WorkflowState => ({
          workflowId: ids[i]!,
          status: `describe failed: ${e instanceof Error ? e.message : String(e)}`,
          pendingActivities: 0,
          workflowTaskAttempt: 0,
        }),
      ),
    );
    bad = states.filter(
      (w) =>
        !(w.status === 'RUNNING' || w.status === 'COMPLETED') ||
        w.pendingActivities > 0 ||
        w.workflowTaskAttempt > 1 ||
        w.phase !== expected.get(w.workflowId),
    );
    if (!bad.length || Date.now() >= until) return { ok: bad.length === 0, states, bad };
    await sleep(2000);
  }
}

export const describeBad = (bad: WorkflowState[]) =>
  bad
    .slice(0, 5)
    .map(
      (w) =>
        `${w.workflowId}: ${w.status}, phase ${w.phase ?? '?'}, ${w.pendingActivities} pending activities` +
        `${w.workflowTaskAttempt > 1 ? `, workflow task attempt ${w.workflowTaskAttempt}` : ''}` +
        `${w.lastFailure ? ` (${w.lastFailure.slice(0, 160)})` : ''}`,
    )
    .join('; ');

export interface Probe {
  personId: string;
  period: string;
  workflowId: string;
  taskId: string;
  /** The rung's task_event key. */
  key: string;
  /** Real instant (epoch ms) the rung falls due. */
  dueAt: number;
}

/**
 * Starts a deadline probe per lead (ms after now) for the given persons (one each): their next month's check-in
 * workflow with a clock offset so that its D−3 reminder falls due `lead` after the start. Waits until each has
 * opened its task (its timer is then set).
 */
export async function startProbes(
  s: DrillServers,
  m: OpenedMonth,
  persons: BenchProvince['persons'],
  leadsMs: number[],
): Promise<Probe[]> {
  // the next month of the same plan year (in December: the month before, the plan year's calendar being known)
  const period = m.period.endsWith('-12') ? previousPeriod(m.period) : nextPeriod(m.period);
  const probes: Probe[] = [];
  for (const [i, lead] of leadsMs.entries()) {
    const p = persons[i];
    if (!p) throw new Error('not enough persons for the deadline probes');
    const row = await lockOrCreateCheckIn(s.db, { personId: p.id, unitId: p.unitId, period });
    const input = await checkInInputFor(s.db, {
      checkInId: row.id,
      personId: p.id,
      unitId: p.unitId,
      period,
      day: m.day,
      path: [m.province.provinceId, p.unitId],
    });
    if (!input) throw new Error('the drill province has no calendar profile');
    const due = deadlineById(input.calendar, `check-in.${period}`).date;
    const rung = individualRungs(input.profile, due, input.ladder, 'ladder')[0]!;
    const realEpoch = Date.now();
    const workflowId = checkInWorkflowId(period, p.id);
    await m.client.workflow.start('checkInWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ ...input, timeWarp: { realEpoch, virtualEpoch: rung.at - lead, speed: 1 } }],
    });
    probes.push({
      personId: p.id,
      period,
      workflowId,
      taskId: `${workflowId}:submit`,
      key: `escalate:${workflowId}:submit@${due}:0`,
      dueAt: realEpoch + lead,
    });
  }
  // each probe's task opened: its first workflow task ran and its timer is set
  const until = Date.now() + 60_000;
  for (;;) {
    const r = await s.db
      .selectFrom('task')
      .select('id')
      .where(
        'id',
        'in',
        probes.map((p) => p.taskId),
      )
      .execute();
    if (r.length === probes.length) break;
    if (Date.now() > until) throw new Error(`deadline probes: ${r.length}/${probes.length} tasks opened`);
    await sleep(200);
  }
  return probes;
}

/** When each probe's rung was written (null: not yet). */
export async function rungsFired(db: Database, probes: Probe[]): Promise<Map<string, Date | null>> {
  const rows = await db
    .selectFrom('task_event')
    .select(['idempotency_key', 'at'])
    .where(
      'idempotency_key',
      'in',
      probes.map((p) => p.key),
    )
    .execute();
  const at = new Map(rows.map((r) => [r.idempotency_key, new Date(r.at)]));
  return new Map(probes.map((p) => [p.key, at.get(p.key) ?? null]));
}

/** Waits (bounded) until the rungs of `probes` are written. */
export async function waitForRungs(db: Database, probes: Probe[], until: number) {
  for (;;) {
    const fired = await rungsFired(db, probes);
    if ([...fired.values()].every((d) => d !== null) || Date.now() >= until) return fired;
    await sleep(500);
  }
}

/**
 * The deadline checks after an outage of [downAt, upAt]: every probe whose rung fell due during it fired once the
 * dependency was back, and the first probe due after `upAt` fired — the workflow met its next deadline. Waits for
 * them (bounded: `graceMs` after the later of `upAt` and the rung).
 */
export async function deadlineChecks(
  db: Database,
  probes: Probe[],
  downAt: number,
  upAt: number,
  graceMs: number,
): Promise<{
  fellDueWhileDown: Probe[];
  firedLate: number;
  next: Probe | undefined;
  nextFired: Date | null;
  nextLagMs: number | null;
}> {
  const fellDueWhileDown = probes.filter((p) => p.dueAt > downAt && p.dueAt <= upAt);
  const next = probes.filter((p) => p.dueAt > upAt).sort((a, b) => a.dueAt - b.dueAt)[0];
  const wanted = [...fellDueWhileDown, ...(next ? [next] : [])];
  const until = Math.max(upAt, ...wanted.map((p) => p.dueAt)) + graceMs;
  const fired = await waitForRungs(db, wanted, until);
  const nextFired = next ? (fired.get(next.key) ?? null) : null;
  return {
    fellDueWhileDown,
    // fired, and not before the outage ended (nothing could write it while the dependency was down)
    firedLate: fellDueWhileDown.filter((p) => {
      const at = fired.get(p.key);
      return at != null && at.getTime() >= downAt;
    }).length,
    next,
    nextFired,
    nextLagMs: next && nextFired ? nextFired.getTime() - next.dueAt : null,
  };
}

/**
 * What both Temporal drills check once the dependency is back: every check-in workflow of the month (and every
 * probe) running, settled and in the phase its read model says, the reminders that fell due during the outage
 * [downAt, upAt] fired after it, and the first one due after it on time. The drill names its own checks (`texts`).
 */
export async function recoveryChecks(o: {
  db: Database;
  m: OpenedMonth;
  persons: readonly { id: string }[];
  acceptedIds: readonly string[];
  probes: Probe[];
  downAt: number;
  upAt: number;
  quick: boolean;
  check: (what: string, ok: boolean, detail?: string) => boolean;
  figures: Record<string, string | number>;
  texts: { resumed: string; remindersFired: string; remindersFigure: string };
}) {
  const expected = new Map<string, string>([
    ...o.persons.map((p): [string, string] => [
      checkInWorkflowId(o.m.period, p.id),
      o.acceptedIds.includes(p.id) ? 'SUBMITTED' : 'OPEN',
    ]),
    ...o.probes.map((p): [string, string] => [p.workflowId, 'OPEN']),
  ]);
  const settled = await settle(o.m.client, expected, o.quick ? 150_000 : 300_000);
  o.check(
    o.texts.resumed,
    settled.ok,
    settled.ok ? `${settled.states.length} workflows` : describeBad(settled.bad),
  );

  const d = await deadlineChecks(o.db, o.probes, o.downAt, o.upAt, 60_000);
  o.figures[o.texts.remindersFigure] = d.fellDueWhileDown.length;
  o.figures['lag of the next reminder after the restart (ms)'] = d.nextLagMs ?? '—';
  o.check(
    o.texts.remindersFired,
    d.fellDueWhileDown.length > 0 && d.firedLate === d.fellDueWhileDown.length,
    `${d.firedLate} of ${d.fellDueWhileDown.length} fired`,
  );
  o.check(
    'the first reminder due after the restart fired: the workflows met their next deadline',
    d.next !== undefined && d.nextFired !== null,
    d.next
      ? d.nextFired
        ? `due ${new Date(d.next.dueAt).toISOString()}, written ${d.nextFired.toISOString()}`
        : `due ${new Date(d.next.dueAt).toISOString()}, not written`
      : 'no probe due after the restart (the restart took longer than the probes)',
  );
}
