// Fault drill `postgres-restart` (issue 9 point 2): PostgreSQL stopped for a while and started again while the API
// serves. On servers of the drill's own (scripts/drills/servers.ts): a small province (the bench's loader) with
// every person's draft values saved through the API, then
//   - before the stop: some check-ins submitted (accepted);
//   - one submit caught in flight: the drill holds a row lock on the person's values (check_in_value) so the
//     read-model write of the Update (markCheckInSubmitted, a local activity inside the workflow task that took
//     the Update) waits on it; the stop then kills its connection — the write fails, and keeps failing while
//     PostgreSQL is down (each attempt bounded, each retry after a workflow timer), and must complete by its
//     retry after the start;
//   - a bounded loop through the API while PostgreSQL is stopped and after it starts: reads of "my check-in",
//     draft saves (each with a rising value), and submits resent as the screen resends them (the same
//     Idempotency-Key after Retry-After);
//   - then PostgreSQL hung instead of stopped (its processes SIGSTOPped past the request timeout, then continued):
//     the pool's connect timeout and the request timeout (API_REQUEST_TIMEOUT_MS) must answer for it;
// then checks: every answer while PostgreSQL was down or hung is 503 DEPENDENCY_UNAVAILABLE with Retry-After
// within the request timeout (API_REQUEST_TIMEOUT_MS), no answer at any time is anything else (a 500, a hang),
// /api/ready says PostgreSQL is down; after the start the same API and worker processes serve again (no restart), every
// accepted submit is present exactly once (SUBMITTED, one frozen version, one submit audit entry), no saved
// value is lost, the in-flight submit completed by activity retry, and every check-in workflow still runs.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import pg from 'pg';
import { todayVn } from '../../db/queries/org-tree.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import { localActivityOf } from '../../workflows/history-reading.ts';
import { type BenchProvince, loadBenchProvince } from '../bench/province.ts';
import { createSessions, type Session } from '../bench/sessions.ts';
import { checklist, type Drill, type DrillOptions, type DrillResult } from './drill.ts';
import { type DrillServers, startDrillServers } from './servers.ts';

const REQUEST_TIMEOUT_MS = 15_000;
/** Room past the bound for the answer's way back on a loaded machine (the bound is the API's; this is loopback). */
const SLACK_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One answer of the API as the drill saw it. */
interface Answer {
  what: 'read' | 'save' | 'submit';
  start: number;
  end: number;
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  /** details.reason of a 503 (REQUEST_TIMEOUT: the API's request bound answered). */
  reason: string | undefined;
}

export const postgresRestartDrill: Drill = {
  name: 'postgres-restart',
  title: 'PostgreSQL stopped and started again while the API serves',
  run: runPostgresRestart,
};

async function runPostgresRestart(o: DrillOptions): Promise<DrillResult> {
  const { checks, check } = checklist();
  const figures: DrillResult['figures'] = {};
  const outageMs = o.quick ? 8_000 : 30_000;
  const s = await startDrillServers({
    name: 'postgres-restart',
    env: { API_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    log: o.log,
  });
  let temporal: Client | undefined;
  let lock: pg.Client | undefined;
  /** Ends the request loops (also when the drill stops on an error). */
  let endLoops = () => {};
  try {
    const year = Number(todayVn(new Date()).slice(0, 4));
    const period = todayVn(new Date()).slice(0, 7);
    const shape = o.quick
      ? { units: 1, persons: 14, unitKeyResults: 4, personalKeyResults: 3, year }
      : { units: 4, persons: 60, unitKeyResults: 10, personalKeyResults: 5, year };
    const province = await loadBenchProvince(s.db, shape);
    const sessions = await createSessions(
      s.db,
      province.persons.map((p) => p.id),
    );
    temporal = new Client({ connection: await Connection.connect({ address: s.temporalAddress }) });
    o.log(`province loaded: ${province.persons.length} persons; period ${period}`);

    // The persons' parts: submitted before the stop, the one caught in flight, submitted during/after, drafting
    // (saving again and again), reading.
    const n = province.persons.length;
    const nBefore = o.quick ? 3 : 10;
    const nAfter = o.quick ? 4 : 30;
    const nDraft = o.quick ? 2 : 8;
    const before = province.persons.slice(0, nBefore);
    const inFlight = province.persons[nBefore]!;
    const after = province.persons.slice(nBefore + 1, nBefore + 1 + nAfter);
    const drafters = province.persons.slice(nBefore + 1 + nAfter, nBefore + 1 + nAfter + nDraft);
    const nHung = o.quick ? 2 : 5;
    const duringHang = province.persons.slice(
      nBefore + 1 + nAfter + nDraft,
      nBefore + 1 + nAfter + nDraft + nHung,
    );
    const readers = province.persons.slice(nBefore + 1 + nAfter + nDraft + nHung, n);
    if (!readers.length) throw new Error('the province is too small for the drill');

    const answers: Answer[] = [];
    const api = async (
      what: Answer['what'],
      session: Session,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const start = Date.now();
      let status = 0;
      let text = '';
      let retryAfter: string | null = null;
      try {
        const res = await fetch(`${s.apiUrl}${path}`, {
          method,
          headers: {
            cookie: session.cookie,
            'x-csrf-token': session.csrf,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          // never wait forever ourselves: an answer later than this is recorded as a hang (status 0)
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS + 15_000),
        });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await res.text();
      } catch {
        status = 0;
      }
      const json = (() => {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch {
          return {};
        }
      })();
      const code = typeof json.code === 'string' ? json.code : undefined;
      const details = json.details as { reason?: unknown } | undefined;
      const reason = typeof details?.reason === 'string' ? details.reason : undefined;
      answers.push({ what, start, end: Date.now(), status, code, retryAfter, reason });
      return { status, code, retryAfter, json };
    };

    const valuesOf = (p: BenchProvince['persons'][number], value: string) =>
      p.keyResultIds.map((k) => ({ planId: p.planId, keyResultId: k, value, status: 'on-track' }));
    const revision = new Map<string, number>();
    const save = async (p: BenchProvince['persons'][number], value: string) => {
      const r = await api('save', sessions.get(p.id)!, 'PUT', `/api/check-ins/mine/${period}/values`, {
        baseRevision: revision.get(p.id) ?? 0,
        locale: 'vi',
        values: valuesOf(p, value),
      });
      const checkIn = r.json.checkIn as { revision?: number } | undefined;
      if (r.status === 200 && typeof checkIn?.revision === 'number') revision.set(p.id, checkIn.revision);
      // a save answered 503 may have been committed all the same: the conflict names the revision to build on
      const details = r.json.details as { currentRevision?: number } | undefined;
      if (r.code === 'CHECK_IN_REVISION_CONFLICT' && typeof details?.currentRevision === 'number')
        revision.set(p.id, details.currentRevision);
      return r;
    };
    const submitOnce = (p: BenchProvince['persons'][number]) =>
      api('submit', sessions.get(p.id)!, 'POST', `/api/check-ins/mine/${period}/submit`, undefined, {
        'idempotency-key': `drill-pg-${p.id}`,
      });
    /** Submits as the screen does: a 503 is sent again with the same Idempotency-Key after its Retry-After. */
    const submit = async (p: BenchProvince['persons'][number], until: number) => {
      for (;;) {
        const r = await submitOnce(p);
        if (r.status !== 503 || Date.now() > until) return r;
        await sleep(Math.min(10, Math.max(1, Number(r.retryAfter ?? 1))) * 1000);
      }
    };

    // Every person's draft, saved through the API.
    for (const p of province.persons) {
      const r = await save(p, '10');
      if (r.status !== 200) throw new Error(`the draft of ${p.id} was not saved: ${r.status} ${r.code}`);
    }
    const beforeAccepted: string[] = [];
    for (const p of before) {
      const r = await submit(p, Date.now() + 60_000);
      if (r.status === 200) beforeAccepted.push(p.id);
    }
    o.log(`${beforeAccepted.length}/${before.length} submitted before the stop`);

    // The submit caught in flight: its values locked by the drill, so the read-model activity waits on the lock.
    const inFlightRow = await s.db
      .selectFrom('check_in')
      .select('id')
      .where('person_id', '=', inFlight.id)
      .where('period', '=', period)
      .executeTakeFirstOrThrow();
    lock = new pg.Client({ connectionString: s.databaseUrl });
    lock.on('error', () => {}); // the stop ends this connection: expected
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('SELECT 1 FROM check_in_value WHERE check_in_id = $1 FOR UPDATE', [inFlightRow.id]);
    const inFlightSent = Date.now();
    const inFlightFirst = submitOnce(inFlight).then((r) => ({ ...r, ms: Date.now() - inFlightSent }));
    const waiting = await waitUntil(60_000, async () => {
      const r = await sql<{ n: string }>`
        SELECT count(*) AS n FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND query ILIKE 'update "check_in_value"%'`.execute(s.db);
      return Number(r.rows[0]?.n ?? 0) > 0;
    });
    check(
      'a submit was accepted by its workflow and its read-model activity was running when PostgreSQL stopped',
      waiting,
      waiting
        ? 'markCheckInSubmitted waiting on the drill’s row lock'
        : 'the activity never reached the lock',
    );
    const inFlightHandle = temporal.workflow.getHandle(checkInWorkflowId(period, inFlight.id));

    // The loop: readers, drafters and the late submitters, bounded, while PostgreSQL stops and starts again.
    const workerPid = s.worker?.pid;
    const apiPid = s.api?.pid;
    let stopping = 0; // when the stop began
    let downFrom = Number.POSITIVE_INFINITY; // the stop done: PostgreSQL is down from here
    let upAt = Number.POSITIVE_INFINITY; // the start began
    let upDone = Number.POSITIVE_INFINITY; // the start done
    let loopEnds = Number.POSITIVE_INFINITY;
    endLoops = () => {
      loopEnds = 0;
    };
    let hangFrom = Number.POSITIVE_INFINITY; // PostgreSQL hung (SIGSTOP) from here
    let hangEnd = Number.POSITIVE_INFINITY; // … to here (SIGCONT)
    const lastAck = new Map<string, number>(); // drafter → the last value the API acknowledged
    const ackAfterStart = new Set<string>();
    let counter = 10;
    const readersLoop = readers.map(async (p) => {
      while (Date.now() < loopEnds) {
        await api('read', sessions.get(p.id)!, 'GET', `/api/check-ins/mine?period=${period}`);
        await sleep(100);
      }
    });
    const draftersLoop = drafters.map(async (p) => {
      while (Date.now() < loopEnds) {
        const value = ++counter;
        const t = Date.now();
        const r = await save(p, String(value));
        if (r.status === 200) {
          lastAck.set(p.id, value);
          if (t > upDone) ackAfterStart.add(p.id);
          await sleep(200);
        } else if (r.status === 503) await sleep(Math.min(5, Math.max(1, Number(r.retryAfter ?? 1))) * 1000);
        else await sleep(200);
      }
    });
    let afterAccepted: string[] = [];
    let afterRefused: string[] = [];
    const submittersLoop = (async () => {
      while (!stopping && Date.now() < loopEnds) await sleep(50);
      const results = await Promise.all(
        after.map(async (p) => ({ p, r: await submit(p, Date.now() + outageMs + 120_000) })),
      );
      afterAccepted = results.filter((x) => x.r.status === 200).map((x) => x.p.id);
      afterRefused = results
        .filter((x) => x.r.status !== 200)
        .map((x) => `${x.p.id}: ${x.r.status} ${x.r.code}`);
    })();
    // the in-flight submit: its first answer (the Update deadline passes while the activity retries), then resent
    const inFlightDone = (async () => {
      const first = await inFlightFirst;
      figures['in-flight submit, first answer'] = `${first.status} ${first.code ?? ''} after ${first.ms} ms`;
      if (first.status === 200) return first;
      await sleep(Math.min(10, Math.max(1, Number(first.retryAfter ?? 1))) * 1000);
      return submit(inFlight, Date.now() + outageMs + 120_000);
    })();

    await sleep(1000);
    stopping = Date.now();
    await s.stopPostgres();
    downFrom = Date.now();
    // The submission's write runs as a local activity inside the workflow task that took the Update (patch
    // 'check-in-update-writes-local'), each retry after a workflow timer (workflows/human-steps.ts
    // LOCAL_ACTIVITY_OPTIONS): while PostgreSQL is down the run has no activity task, only its attempts.
    const duringOutage = await (async () => {
      await sleep(Math.min(outageMs / 2, 4000));
      const d = await inFlightHandle.describe();
      return { activityTasks: d.raw.pendingActivities?.length ?? 0 };
    })();
    const ready = await fetch(`${s.apiUrl}/api/ready`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).then(
      async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() }),
      () => ({ status: 0, retryAfter: null, body: '' }),
    );
    await sleep(Math.max(0, downFrom + outageMs - Date.now()));
    upAt = Date.now();
    await s.startPostgres();
    upDone = Date.now();
    o.log(`PostgreSQL down for ${((upAt - downFrom) / 1000).toFixed(1)} s`);

    // Nothing saved before the stop is lost: each drafter's stored value is at least the last one acknowledged.
    const ackBeforeStop = new Map(lastAck);
    const storedAtStart = await storedValues(s, drafters, period);
    const lostAtRestart = drafters.filter(
      (p) => (storedAtStart.get(p.id) ?? 0) < (ackBeforeStop.get(p.id) ?? 10),
    );

    // The loop goes on until everyone late is through and every drafter has saved after the start (bounded).
    const readyAfter = await waitUntil(60_000, async () => (await fetch(`${s.apiUrl}/api/ready`)).ok);
    const inFlightAnswer = await inFlightDone;
    await submittersLoop;
    await waitUntil(60_000, async () => drafters.every((p) => ackAfterStart.has(p.id)));

    // Then PostgreSQL hung rather than stopped (its processes SIGSTOPped: connections accepted, nothing answered)
    // for longer than the request timeout: the API's bounds — the pool's connect timeout, the request timeout —
    // must answer instead of hanging; submits sent meanwhile go through once it answers again.
    const hungMs = REQUEST_TIMEOUT_MS + 5_000;
    const pgPids = await postgresPids(join(s.dir, 'pg'));
    hangFrom = Date.now();
    let hungSubmits: Promise<{ p: (typeof duringHang)[number]; status: number; code: string | undefined }[]>;
    try {
      for (const pid of pgPids) process.kill(pid, 'SIGSTOP');
      o.log(`PostgreSQL hung (SIGSTOP, ${pgPids.length} processes) for ${hungMs / 1000} s`);
      hungSubmits = Promise.all(
        duringHang.map(async (p) => {
          const r = await submit(p, Date.now() + hungMs + 120_000);
          return { p, status: r.status, code: r.code };
        }),
      );
      await sleep(hungMs);
    } finally {
      hangEnd = Date.now();
      // the postmaster's children may have changed while it was stopped: continue every one seen now too
      for (const pid of new Set([...pgPids, ...(await postgresPids(join(s.dir, 'pg')).catch(() => []))]))
        try {
          process.kill(pid, 'SIGCONT');
        } catch {}
    }
    o.log('PostgreSQL answers again (SIGCONT)');
    const hungResults = await hungSubmits;
    const hungAccepted = hungResults.filter((x) => x.status === 200).map((x) => x.p.id);
    const draftAckAfterHang = new Set<string>();
    const ackCountAtHangEnd = new Map(lastAck);
    await waitUntil(60_000, async () => {
      for (const p of drafters)
        if (lastAck.get(p.id) !== ackCountAtHangEnd.get(p.id)) draftAckAfterHang.add(p.id);
      return drafters.every((p) => draftAckAfterHang.has(p.id));
    });
    loopEnds = Date.now();
    await Promise.all([...readersLoop, ...draftersLoop]);

    // ---- the checks ----
    const firstOkAfter = answers
      .filter((a) => a.start >= upDone && a.status === 200)
      .reduce((m, a) => Math.min(m, a.end), Number.POSITIVE_INFINITY);
    const down = answers.filter((a) => a.start >= downFrom && a.end <= upAt);
    const good503 = (a: Answer) =>
      a.status === 503 && a.code === 'DEPENDENCY_UNAVAILABLE' && Number(a.retryAfter) >= 1;
    const downBad = down.filter((a) => !good503(a));
    const longestDown = down.reduce((m, a) => Math.max(m, a.end - a.start), 0);
    figures['outage (s)'] = ((upAt - downFrom) / 1000).toFixed(1);
    figures['answers while down'] = down.length;
    figures['longest answer while down (ms)'] = longestDown;
    figures['request timeout (ms)'] = REQUEST_TIMEOUT_MS;
    check(
      'every answer while PostgreSQL was down was 503 DEPENDENCY_UNAVAILABLE with Retry-After',
      down.length > 0 && downBad.length === 0,
      `${down.length} answers while down (${countBy(down, (a) => a.what)}), ${downBad.length} other: ${countBy(downBad, (a) => `${a.status} ${a.code ?? ''}`)}`,
    );
    check(
      'each answer while down came within the request timeout (no hang)',
      down.length > 0 && longestDown <= REQUEST_TIMEOUT_MS + SLACK_MS,
      `longest ${longestDown} ms, bound ${REQUEST_TIMEOUT_MS} ms`,
    );
    const allowed = (a: Answer) =>
      (a.status >= 200 && a.status < 300) || good503(a) || a.code === 'CHECK_IN_REVISION_CONFLICT';
    const otherAnswers = answers.filter((a) => !allowed(a));
    figures['answers in all'] = answers.length;
    figures['503 answers in all'] = answers.filter(good503).length;
    check(
      'no answer at any time was anything else (no 500, no hang, no refusal of a valid request)',
      otherAnswers.length === 0,
      otherAnswers.length
        ? countBy(otherAnswers, (a) => `${a.what} ${a.status} ${a.code ?? ''}`)
        : `${answers.length} answers: ${countBy(answers, (a) => String(a.status))}`,
    );
    const hung = answers.filter((a) => a.start >= hangFrom && a.end <= hangEnd);
    const hungBad = hung.filter((a) => !good503(a));
    const longestHung = hung.reduce((m, a) => Math.max(m, a.end - a.start), 0);
    const byTimeout = hung.filter((a) => a.reason === 'REQUEST_TIMEOUT').length;
    figures['PostgreSQL hung (s)'] = ((hangEnd - hangFrom) / 1000).toFixed(1);
    figures['answers while hung'] =
      `${hung.length} (${byTimeout} by the request timeout, ${hung.length - byTimeout} by the pool's connect timeout)`;
    figures['longest answer while hung (ms)'] = longestHung;
    check(
      'while PostgreSQL hung, every answer was 503 DEPENDENCY_UNAVAILABLE with Retry-After within the request timeout',
      hung.length > 0 && hungBad.length === 0 && longestHung <= REQUEST_TIMEOUT_MS + SLACK_MS,
      `${hung.length} answers (${countBy(hung, (a) => a.what)}), ${hungBad.length} other${hungBad.length ? `: ${countBy(hungBad, (a) => `${a.status} ${a.code ?? ''}`)}` : ''}; longest ${longestHung} ms, bound ${REQUEST_TIMEOUT_MS} ms`,
    );
    check(
      'the request timeout answered the requests PostgreSQL never answered (details.reason REQUEST_TIMEOUT)',
      byTimeout > 0,
      `${byTimeout} answered by the request timeout`,
    );
    const readyBody = (() => {
      try {
        return JSON.parse(ready.body) as { code?: string; details?: { checks?: Record<string, string> } };
      } catch {
        return {};
      }
    })();
    check(
      '/api/ready said PostgreSQL was down (503 with Retry-After)',
      ready.status === 503 && !!ready.retryAfter && readyBody.details?.checks?.postgres === 'down',
      `${ready.status} ${readyBody.code ?? ''} ${JSON.stringify(readyBody.details?.checks ?? {})}`,
    );
    const sameProcesses =
      s.worker?.pid === workerPid &&
      s.api?.pid === apiPid &&
      s.worker?.exitCode === null &&
      s.api?.exitCode === null;
    figures['first answer 200 after the start (ms after the start)'] = Number.isFinite(firstOkAfter)
      ? firstOkAfter - upDone
      : '—';
    check(
      'the API and the worker recovered by themselves (the same processes; /api/ready 200 again)',
      sameProcesses && readyAfter,
      `worker pid ${workerPid} → ${s.worker?.pid} (${s.worker?.exitCode === null ? 'running' : 'exited'}), API pid ${apiPid} → ${s.api?.pid} (${s.api?.exitCode === null ? 'running' : 'exited'})`,
    );

    const once = await exactlyOnce(s, period, [
      ...beforeAccepted,
      ...afterAccepted,
      inFlight.id,
      ...hungAccepted,
    ]);
    check(
      'every submit accepted before the stop is present exactly once',
      beforeAccepted.length === before.length && beforeAccepted.every((id) => once.has(id)),
      `${beforeAccepted.length}/${before.length} accepted, ${beforeAccepted.filter((id) => once.has(id)).length} present once`,
    );
    check(
      'every submit sent during the outage was accepted after the start and is present exactly once',
      afterAccepted.length === after.length && afterAccepted.every((id) => once.has(id)),
      `${afterAccepted.length}/${after.length} accepted, ${afterAccepted.filter((id) => once.has(id)).length} present once${afterRefused.length ? `; refused: ${afterRefused.join(', ')}` : ''}`,
    );
    check(
      'every submit sent while PostgreSQL hung was accepted once it answered and is present exactly once',
      hungAccepted.length === duringHang.length && hungAccepted.every((id) => once.has(id)),
      `${hungAccepted.length}/${duringHang.length} accepted, ${hungAccepted.filter((id) => once.has(id)).length} present once${hungResults
        .filter((x) => x.status !== 200)
        .map((x) => `; ${x.p.id}: ${x.status} ${x.code ?? ''}`)
        .join('')}`,
    );
    figures['submits accepted'] =
      `${beforeAccepted.length} before the stop, ${afterAccepted.length} after the start, ${hungAccepted.length} after the hang`;

    const storedAtEnd = await storedValues(s, drafters, period);
    const mismatched = drafters.filter((p) => storedAtEnd.get(p.id) !== lastAck.get(p.id));
    check(
      'nothing saved was lost: each draft holds its last acknowledged value, before the stop and at the end',
      lostAtRestart.length === 0 && mismatched.length === 0,
      `${drafters.length} drafters; after the start ${drafters.map((p) => `${storedAtStart.get(p.id)}≥${ackBeforeStop.get(p.id) ?? 10}`).join(', ')}; at the end ${drafters.map((p) => `${storedAtEnd.get(p.id)}=${lastAck.get(p.id)}`).join(', ')}`,
    );

    // The in-flight submit: its write failed while PostgreSQL was down and completed by retry (the local
    // activity records a marker per attempt).
    const events = (await inFlightHandle.fetchHistory()).events ?? [];
    const attempts = events.map(localActivityOf).filter((a) => a?.type === 'markCheckInSubmitted');
    const last = attempts.at(-1);
    const lastAttempt = last?.attempt ?? 0;
    // an attempt failed while PostgreSQL was down, and the one that wrote completed after its start
    const failedWhileDown = attempts.filter(
      (a) => a?.failed && a.completedAt !== undefined && a.completedAt >= stopping && a.completedAt <= upDone,
    ).length;
    const writtenAfterStart =
      !!last && !last.failed && last.completedAt !== undefined && last.completedAt >= upAt;
    const updateCompleted = events.some((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    figures['in-flight write attempts'] =
      `${lastAttempt} (${failedWhileDown} failed while PostgreSQL was down)`;
    figures['in-flight activity tasks while down'] = duringOutage.activityTasks;
    check(
      'the submit in flight at the stop: its write failed during the outage and completed by retry, the check-in present exactly once',
      inFlightAnswer.status === 200 &&
        updateCompleted &&
        lastAttempt > 1 &&
        failedWhileDown > 0 &&
        writtenAfterStart &&
        duringOutage.activityTasks === 0 &&
        once.has(inFlight.id),
      `answer ${inFlightAnswer.status}; written at attempt ${lastAttempt}${writtenAfterStart ? ' after the start' : ' (not after the start)'}, ${failedWhileDown} of ${attempts.length} recorded attempts failed while down; activity tasks while down: ${duringOutage.activityTasks}; present once: ${once.has(inFlight.id)}`,
    );

    const wids = [...beforeAccepted, ...afterAccepted, inFlight.id, ...hungAccepted];
    const statuses = await Promise.all(
      wids.map(
        async (id) =>
          (await temporal!.workflow.getHandle(checkInWorkflowId(period, id)).describe()).status.name,
      ),
    );
    check(
      'every check-in workflow still runs (none failed or ended)',
      statuses.length > 0 && statuses.every((x) => x === 'RUNNING'),
      countBy(statuses, (x) => x),
    );
    return { name: 'postgres-restart', checks, figures };
  } finally {
    endLoops();
    await lock?.end().catch(() => {});
    await temporal?.connection.close().catch(() => {});
    await s.stop();
  }
}

/** The PostgreSQL server's processes: the postmaster (postmaster.pid in its data directory) and its children. */
async function postgresPids(dataDir: string): Promise<number[]> {
  const main = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (!Number.isSafeInteger(main) || main <= 0) throw new Error(`no postmaster pid in ${dataDir}`);
  const pids = [main];
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = await readFile(`/proc/${d}/stat`, 'utf8');
      // fields after the command in parentheses: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === main) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The drafters' stored value (the first key result's), as a number. */
async function storedValues(s: DrillServers, persons: { id: string }[], period: string) {
  const rows = await waitRetry(() =>
    s.db
      .selectFrom('check_in_value as v')
      .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
      .select(['c.person_id', 'v.value'])
      .where('c.period', '=', period)
      .where(
        'c.person_id',
        'in',
        persons.map((p) => p.id),
      )
      .execute(),
  );
  const out = new Map<string, number>();
  for (const r of rows)
    out.set(r.person_id, Math.min(out.get(r.person_id) ?? Number.POSITIVE_INFINITY, Number(r.value)));
  return out;
}

/** Persons whose check-in is SUBMITTED with one frozen version and one submit audit entry. */
async function exactlyOnce(s: DrillServers, period: string, personIds: string[]): Promise<Set<string>> {
  if (!personIds.length) return new Set();
  const r = await sql<{ person_id: string }>`
    SELECT c.person_id FROM check_in c
     WHERE c.period = ${period} AND c.person_id = ANY(${personIds}::uuid[]) AND c.status = 'SUBMITTED'
       AND (SELECT count(*) FROM check_in_version v WHERE v.check_in_id = c.id) = 1
       AND (SELECT count(*) FROM audit_log a WHERE a.aggregate_type = 'check_in' AND a.aggregate_id = c.id::text
              AND a.action = 'check-in.submitted') = 1`.execute(s.db);
  return new Set(r.rows.map((x) => x.person_id));
}

/** A query of the drill's own right after the start: the pool's first connection may still meet the startup. */
async function waitRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 50) throw e;
      await sleep(200);
    }
  }
}

async function waitUntil(ms: number, probe: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

function countBy<T>(xs: T[], key: (x: T) => string): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
}
