// The fault drill `smtp-outage` (issue 9 point 2): the SMTP server stopped while reminders fall due, then a worker
// killed while its outbox sender is in the middle of a batch.
//
// Servers of the drill's own (scripts/drills/servers.ts); a small bench province (scripts/bench/province.ts). The
// mail comes from the real path: each person's check-in workflow (workflows/check-in.ts, started as the simulate
// engine starts it, on a warped clock whose submit deadline comes within seconds) climbs its ladder — reminders,
// overdue reminders, escalations, the period lock — and every rung's notification writes outbox rows through the
// real notify activities; the worker's outbox sender (activities/mail-sender.ts) delivers them.
//
//   1. Outage: SMTP stopped, the first half of the persons' check-ins climb their whole ladder. Checks: every rung
//      fired and the period locked on time (no workflow activity failed: the activities only write the outbox),
//      the rows stay PENDING with attempts and a later next try (backoff), the API keeps answering (ready, an
//      inbox). SMTP started again: every queued message arrives exactly once (by Message-ID and by outbox key),
//      none lost.
//   2. Kill mid-batch: SMTP stopped again while the second half's ladders queue their mail, then started again
//      slow (the catcher answers each message after `delayMs`); when the sender has delivered part of its batch
//      and a message is in flight (caught, not yet answered) the worker is SIGKILLed, then started again. Checks:
//      every message arrives; only the messages in flight at the kill arrive twice, each time with the same
//      Message-ID.
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Database } from '../../db/connection.ts';
import { checkInInputFor } from '../../db/queries/check-in-workflow-input.ts';
import { lockOrCreateCheckIn } from '../../db/queries/check-ins.ts';
import { unitPath } from '../../db/queries/org-tree.ts';
import type { CaughtMail } from '../../devstack/mail-catcher.ts';
import { deadlineById } from '../../domain/calendar/plan-year.ts';
import { vnInstant, vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import { checkInWorkflowId, getCheckInState } from '../../workflows/check-in.messages.ts';
import type { TimeWarp } from '../../workflows/plan-time.ts';
import { loadBenchProvince } from '../bench/province.ts';
import { createSessions } from '../bench/sessions.ts';
import { checklist, type Drill, type DrillOptions, type DrillResult } from './drill.ts';
import { type DrillServers, startDrillServers } from './servers.ts';

/** The checks' sentences (the test finds them by these). */
export const SMTP_CHECKS = {
  ladder: 'while SMTP was down every check-in climbed its ladder to the period lock',
  noActivityFailed: 'no workflow activity failed (the activities only write the outbox)',
  queued: 'while SMTP was down the mail stayed PENDING with attempts and a later next try (backoff)',
  apiAnswered: 'while SMTP was down the API kept answering (ready, an inbox)',
  exactlyOnce: 'after SMTP started again every queued message arrived exactly once, none lost',
  killedMidBatch: 'the worker was killed while its sender was in the middle of a batch',
  afterKill:
    'after the worker restarted every message arrived; only those in flight at the kill arrived twice',
  sameMessageId: 'each message received twice carried the same Message-ID both times',
  workflowsAlive: 'every check-in workflow is still running (LOCKED, waiting for a reopen request)',
} as const;

const DAY = 86_400_000;
const PERIOD = '2026-11';
const YEAR = 2026;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`smtp-outage: timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface OutboxRow {
  id: string;
  idempotency_key: string;
  message_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  last_error: string | null;
}

const outbox = (db: Database): Promise<OutboxRow[]> =>
  db
    .selectFrom('mail_outbox')
    .select([
      'id',
      'idempotency_key',
      'message_id',
      'status',
      'attempts',
      'next_attempt_at',
      'created_at',
      'last_error',
    ])
    .orderBy('created_at')
    .execute();

/** The caught messages of some outbox rows, by the row's key (the X-WOMS-Key header the sender sets). */
function caughtByKey(caught: CaughtMail[], rows: OutboxRow[]) {
  const keys = new Set(rows.map((r) => r.idempotency_key));
  const by = new Map<string, CaughtMail[]>();
  for (const m of caught) {
    const k = m.xHeaders?.['x-woms-key'];
    if (!k || !keys.has(k)) continue;
    by.set(k, [...(by.get(k) ?? []), m]);
  }
  return by;
}

/** Starts one check-in workflow per person on a warped clock: its submit deadline D comes ~10 virtual days on. */
async function startCheckIns(
  s: DrillServers,
  client: Client,
  persons: { id: string; unitId: string }[],
  msPerDay: number,
): Promise<WorkflowHandle[]> {
  const today = vnLocalDate(Date.now());
  const handles: WorkflowHandle[] = [];
  for (const p of persons) {
    const ci = await s.db
      .transaction()
      .execute((trx) => lockOrCreateCheckIn(trx, { personId: p.id, unitId: p.unitId, period: PERIOD }));
    const path = (await unitPath(s.db, p.unitId))?.map((u) => u.id) ?? [p.unitId];
    const input = await checkInInputFor(s.db, {
      checkInId: ci.id,
      personId: p.id,
      unitId: p.unitId,
      period: PERIOD,
      day: today,
      path,
    });
    if (!input) throw new Error('smtp-outage: the province has no calendar');
    const due = deadlineById(input.calendar, `check-in.${PERIOD}`).date;
    const timeWarp: TimeWarp = {
      realEpoch: Date.now(),
      virtualEpoch: vnInstant(due, 9) - 10 * DAY,
      speed: DAY / msPerDay,
    };
    const workflowId = checkInWorkflowId(PERIOD, p.id);
    await client.workflow.start('checkInWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ ...input, timeWarp }],
    });
    handles.push(client.workflow.getHandle(workflowId));
  }
  return handles;
}

const phaseOf = async (h: WorkflowHandle) => (await h.query(getCheckInState)).phase;

/** Activity failures and timeouts in the workflows' histories, and their run states. */
async function workflowHealth(handles: WorkflowHandle[]) {
  let failures = 0;
  const states: Record<string, number> = {};
  for (const h of handles) {
    const history = await h.fetchHistory();
    for (const e of history.events ?? []) {
      if (
        e.activityTaskFailedEventAttributes ||
        e.activityTaskTimedOutEventAttributes ||
        e.workflowTaskFailedEventAttributes
      )
        failures++;
    }
    const d = await h.describe();
    states[d.status.name] = (states[d.status.name] ?? 0) + 1;
  }
  return { failures, states };
}

async function run({ quick, log }: DrillOptions): Promise<DrillResult> {
  const { checks, check } = checklist();
  const figures: DrillResult['figures'] = {};
  const s = await startDrillServers({ name: 'smtp-outage', log });
  const client = new Client({ connection: await Connection.connect({ address: s.temporalAddress }) });
  const handles: WorkflowHandle[] = [];
  try {
    // A small province: the first half of the persons for the outage, the other half for the kill.
    const province = await loadBenchProvince(s.db, {
      units: 2,
      persons: quick ? 6 : 24,
      unitKeyResults: 2,
      personalKeyResults: 2,
      year: YEAR,
    });
    const half = Math.floor(province.persons.length / 2);
    const first = province.persons.slice(0, half);
    const second = province.persons.slice(half);
    const msPerDay = quick ? 1000 : 1500;
    const ladderMs = 25 * msPerDay + 60_000;
    figures.persons = province.persons.length;
    log(`province loaded: ${province.persons.length} persons`);
    const session = (await createSessions(s.db, [first[0]!.id])).get(first[0]!.id)!;

    // 1. The outage.
    await s.stopMail();
    const outageStart = Date.now();
    handles.push(...(await startCheckIns(s, client, first, msPerDay)));
    log(
      `${first.length} check-ins started (a virtual day every ${msPerDay} ms); climbing while SMTP is down`,
    );
    let apiOk = 0;
    let apiAsked = 0;
    const apiProbe = async () => {
      for (const path of ['/api/ready', '/api/inbox']) {
        apiAsked++;
        const r = await fetch(`${s.apiUrl}${path}`, {
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
          signal: AbortSignal.timeout(15_000),
        }).catch(() => undefined);
        if (r?.status === 200) apiOk++;
        await r?.body?.cancel();
      }
    };
    const phases = await until(
      'every check-in of the outage locked',
      async () => {
        await apiProbe();
        const p = await Promise.all(handles.map(phaseOf));
        return p.every((x) => x === 'LOCKED') && p;
      },
      ladderMs,
    );
    check(SMTP_CHECKS.ladder, phases.length === first.length, `${phases.length} of ${first.length} LOCKED`);
    // Every row the ladders wrote has been tried at least once (the sender polls every 5 s).
    let queued = await until(
      'every queued message tried once',
      async () => {
        const rows = await outbox(s.db);
        return rows.length > 0 && rows.every((r) => r.attempts >= 1) && rows;
      },
      60_000,
    );
    // The full drill keeps SMTP down longer: the attempts climb the backoff (30 s, 1 min, 2 min …).
    const holdUntil = outageStart + (quick ? 0 : 150_000);
    while (Date.now() < holdUntil) {
      await apiProbe();
      await sleep(5000);
    }
    queued = await outbox(s.db);
    const pendingOk = queued.every(
      (r) =>
        r.status === 'PENDING' &&
        r.attempts >= 1 &&
        r.last_error !== null &&
        r.next_attempt_at.getTime() > r.created_at.getTime() + 20_000,
    );
    const maxAttempts = Math.max(...queued.map((r) => r.attempts));
    check(
      SMTP_CHECKS.queued,
      queued.length > 0 && pendingOk && s.caught().length === 0,
      `${queued.length} queued, ${queued.filter((r) => r.status === 'PENDING').length} PENDING, attempts up to ${maxAttempts}, ` +
        `${s.caught().length} caught while down`,
    );
    await apiProbe();
    check(
      SMTP_CHECKS.apiAnswered,
      apiAsked > 0 && apiOk === apiAsked,
      `${apiOk} of ${apiAsked} answered 200`,
    );
    figures['queued during the outage'] = queued.length;
    figures['attempts per message (max)'] = maxAttempts;

    await s.startMail();
    const outageMs = Date.now() - outageStart;
    figures['SMTP outage (s)'] = Math.round(outageMs / 1000);
    const back = Date.now();
    const lastDue = Math.max(...queued.map((r) => r.next_attempt_at.getTime()));
    await until(
      'the queued mail delivered',
      async () => (await outbox(s.db)).every((r) => r.status === 'SENT'),
      Math.max(0, lastDue - Date.now()) + 60_000,
    );
    const phase1 = await outbox(s.db);
    const delivered1 = caughtByKey(s.caught(), phase1);
    const lastArrival = Math.max(...[...delivered1.values()].flat().map((m) => Date.parse(m.receivedAt)));
    figures['time to drain after SMTP came back (s)'] = ((lastArrival - back) / 1000).toFixed(1);
    const byId1 = new Map<string, number>();
    for (const m of s.caught()) byId1.set(m.messageId ?? '', (byId1.get(m.messageId ?? '') ?? 0) + 1);
    const once = phase1.filter(
      (r) =>
        byId1.get(r.message_id) === 1 &&
        delivered1.get(r.idempotency_key)?.length === 1 &&
        delivered1.get(r.idempotency_key)![0]!.messageId === r.message_id,
    ).length;
    check(
      SMTP_CHECKS.exactlyOnce,
      once === phase1.length && s.caught().length === phase1.length,
      `${phase1.length} queued, ${once} arrived exactly once, ${s.caught().length} caught in all`,
    );

    // 2. The kill mid-batch.
    await s.stopMail();
    const known = new Set(phase1.map((r) => r.id));
    const h2 = await startCheckIns(s, client, second, msPerDay);
    handles.push(...h2);
    log(`${second.length} more check-ins started; their mail queues while SMTP is down`);
    await until(
      'every check-in of the second half locked',
      async () => (await Promise.all(h2.map(phaseOf))).every((x) => x === 'LOCKED'),
      ladderMs,
    );
    const rows2 = await until(
      'the second half’s mail tried once',
      async () => {
        const rows = (await outbox(s.db)).filter((r) => !known.has(r.id));
        return rows.length > 0 && rows.every((r) => r.attempts >= 1) && rows;
      },
      60_000,
    );
    figures['queued before the kill'] = rows2.length;
    const ids2 = new Set(rows2.map((r) => r.message_id));
    await s.startMail();
    const delayMs = 1500;
    s.mail!.delayMs = delayMs;
    log(`SMTP back, answering each message after ${delayMs} ms`);
    const lastDue2 = Math.max(...rows2.map((r) => r.next_attempt_at.getTime()));
    const caught2 = () => s.caught().filter((m) => ids2.has(m.messageId ?? ''));
    // Mid-batch: the sender has delivered some of the second half's mail and one message is in flight.
    const wanted = Math.min(3, rows2.length);
    await until(
      'a message in flight in the middle of a batch',
      async () => {
        const c = caught2();
        return c.length >= wanted && c.some((m) => !m.repliedAt);
      },
      Math.max(0, lastDue2 - Date.now()) + 60_000 + rows2.length * delayMs,
    );
    const killAt = new Date().toISOString();
    await s.killWorker('SIGKILL');
    s.mail!.delayMs = 0;
    // In flight: caught before the kill, not answered before it.
    const inFlight = new Set(
      caught2()
        .filter((m) => !m.repliedAt || m.repliedAt >= killAt)
        .map((m) => m.messageId ?? ''),
    );
    const beforeKill = caught2().length;
    const committed = (await outbox(s.db)).filter(
      (r) => ids2.has(r.message_id) && r.status === 'SENT',
    ).length;
    check(
      SMTP_CHECKS.killedMidBatch,
      beforeKill >= wanted && inFlight.size >= 1 && beforeKill < rows2.length,
      `${beforeKill} of ${rows2.length} caught before the kill, ${committed} marked SENT, ${inFlight.size} in flight`,
    );
    figures['delivered before the kill'] = beforeKill;
    figures['in flight at the kill'] = inFlight.size;
    const restart = Date.now();
    await s.startWorker();
    await until(
      'the rest delivered after the restart',
      async () => (await outbox(s.db)).every((r) => r.status === 'SENT'),
      120_000,
    );
    const rowsAfter = (await outbox(s.db)).filter((r) => !known.has(r.id));
    figures['time to drain after the restart (s)'] = ((Date.now() - restart) / 1000).toFixed(1);
    const delivered2 = caughtByKey(s.caught(), rowsAfter);
    const counts2 = new Map<string, number>();
    for (const m of caught2()) counts2.set(m.messageId ?? '', (counts2.get(m.messageId ?? '') ?? 0) + 1);
    const twice = [...counts2].filter(([, n]) => n > 1);
    const lost = rowsAfter.filter((r) => !counts2.has(r.message_id)).length;
    figures['received twice'] = twice.length;
    check(
      SMTP_CHECKS.afterKill,
      lost === 0 &&
        rowsAfter.length === rows2.length &&
        twice.every(([id, n]) => n === 2 && inFlight.has(id)) &&
        twice.length <= inFlight.size,
      `${rowsAfter.length} queued, ${lost} lost, ${twice.length} received twice ` +
        `(${twice.filter(([id]) => inFlight.has(id)).length} of them in flight at the kill)`,
    );
    // A duplicate found by its outbox key (not by its Message-ID) carries the row's Message-ID each time.
    const dupByKey = [...delivered2].filter(([, ms]) => ms.length > 1);
    const rowByKey = new Map(rowsAfter.map((r) => [r.idempotency_key, r]));
    check(
      SMTP_CHECKS.sameMessageId,
      dupByKey.length === twice.length &&
        dupByKey.every(([k, ms]) => ms.every((m) => m.messageId === rowByKey.get(k)?.message_id)),
      `${dupByKey.length} outbox key(s) received twice, each with its row's Message-ID`,
    );

    const health = await workflowHealth(handles);
    const lockedNow = (await Promise.all(handles.map(phaseOf))).filter((p) => p === 'LOCKED').length;
    check(
      SMTP_CHECKS.noActivityFailed,
      health.failures === 0,
      `${health.failures} activity/workflow-task failures in ${handles.length} histories`,
    );
    check(
      SMTP_CHECKS.workflowsAlive,
      health.states.RUNNING === handles.length && lockedNow === handles.length,
      `${JSON.stringify(health.states)}, ${lockedNow} LOCKED`,
    );
    figures.workflows = handles.length;
    figures['messages in all'] = (await outbox(s.db)).length;
    return { name: 'smtp-outage', checks, figures };
  } finally {
    await client.connection.close().catch(() => {});
    await s.stop();
  }
}

export const smtpOutageDrill: Drill = {
  name: 'smtp-outage',
  title: 'SMTP down while reminders fall due, then a worker killed in the middle of a mail batch',
  run,
};
