// `npm run simulate` (issue 8 point 6): a scripted year for a sample of the demo province on the Temporal dev
// server with a compressed calendar (scripts/simulate/engine.ts), printing a dated timeline and a summary table.
//
//   npm run simulate                       10 units of the demo province, the twelve months, ~0.6 s a day
//   npm run simulate -- --units 3          three units
//   npm run simulate -- --months 10,11     only October and November's check-ins (then the year-end)
//   npm run simulate -- --people all       every person of each unit (default: the first 12 by name)
//   npm run simulate -- --ms-per-day 200   faster (or slower) virtual days
//   npm run simulate -- --plans direct     the plans in force written directly (default 'scripted': each unit's
//                                          plan and its people's plans through the annual-plan workflow first,
//                                          scripts/simulate/plan-phase.ts; --real-calendar writes them directly)
//   npm run simulate -- --real-calendar    one unit's whole year on the time-skipping test server: the real
//                                          calendar (no compression), the phases one after another in date order
//                                          (scripts/simulate/real-calendar.ts; by default its first 5 people)
//
// The rankings start as on 1 December (every unit of the province, and the province's ranking of its units); one
// person of the first unit appeals and the province's organisation department decides; the giao ban sessions
// (Q1–Q3 of the months played, and the year-end review session announcing the rankings) sit with their
// conclusions. At the end the run's workflows still open (the rankings of the units outside the sample …) are
// terminated: no worker polls the run's task queue after it (scripts/simulate/open-runs.ts).
//
// Its own database: a fresh `woms_simulate` on an embedded PostgreSQL in .data/simulate (or beside DATABASE_URL).
// Temporal: the server at TEMPORAL_ADDRESS, else the dev server of a running `npm start` (127.0.0.1:7233, its Web UI
// on 8233 shows the runs), else a dev server of its own with the Web UI (SIMULATE_TEMPORAL_PORT, 7234;
// SIMULATE_TEMPORAL_UI_PORT, 8234). --real-calendar: the time-skipping test server of its own (on
// SIMULATE_TEMPORAL_PORT when set, else a free port; no Web UI).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { createActivities } from '../activities/index.ts';
import { createDb } from '../db/connection.ts';
import { loadDemoProvince } from '../db/demo/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { isListening } from '../devstack/ports.ts';
import {
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  startEmbeddedPostgres,
} from '../devstack/postgres.ts';
import { startTemporalDevServer } from '../devstack/temporal.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../domain/calendar/profiles/index.ts';
import { workflowsPath } from '../worker/run.ts';
import { stackConfig } from './config.ts';
import {
  peopleOfUnit,
  type SimulationOptions,
  simulateYear,
  summaryTable,
  type TimelineEvent,
} from './simulate/engine.ts';
import { endOpenRuns } from './simulate/open-runs.ts';
import { startRealCalendar } from './simulate/real-calendar.ts';

const { values: args } = parseArgs({
  options: {
    units: { type: 'string', default: '10' },
    year: { type: 'string', default: '2027' },
    months: { type: 'string' },
    people: { type: 'string' },
    'real-calendar': { type: 'boolean', default: false },
    'ms-per-day': { type: 'string', default: '600' },
    seed: { type: 'string', default: '2027' },
    plans: { type: 'string', default: 'scripted' },
  },
});
const year = Number(args.year);
const realCalendar = args['real-calendar'] === true;
const plans = args.plans === 'direct' || realCalendar ? 'direct' : 'scripted';
const people = args.people ?? (realCalendar ? '5' : '12');
const pad = (n: number) => String(n).padStart(2, '0');
const months = args.months
  ? args.months.split(',').map((m) => `${year}-${pad(Number(m))}`)
  : Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`);
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const cfg = stackConfig();
const stops: (() => Promise<unknown>)[] = [];
let stopping = false;
// Retries of the Temporal client still in flight when the connection closes are of no interest at the end.
process.on('uncaughtException', (e) => {
  if (stopping) return;
  console.error(`[simulate] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
const stopAll = async () => {
  if (stopping) return;
  stopping = true;
  for (const s of stops.reverse()) await s().catch(() => {});
};
const started = Date.now();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void stopAll().then(() => process.exit(130));
  });
const say = (line: string) => console.log(`[simulate] ${line}`);

try {
  // The database: fresh each run.
  const pg = cfg.databaseUrl
    ? externalPostgres(cfg.databaseUrl)
    : await startEmbeddedPostgres({
        dataDir: join(cfg.dataDir, 'simulate', 'pg'),
        port: Number(process.env.SIMULATE_PG_PORT ?? 5434),
        persistent: false,
      });
  stops.push(() => pg.stop());
  await dropDatabase(pg.adminUrl, 'woms_simulate').catch(() => {});
  await ensureDatabase(pg.adminUrl, 'woms_simulate');
  const db = createDb(pg.urlFor('woms_simulate'), { max: 10 });
  stops.push(() => db.destroy());
  await migrateToLatest(db);
  const { provinceId } = await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });

  // The Temporal server and a worker of the simulation's own on its own task queue (this database's activities).
  let ui: string | undefined;
  let client: Client;
  const taskQueue = `woms-simulate-${started}`;
  let clockOptions: Pick<SimulationOptions, 'clock' | 'sleep' | 'advanceTo'> = {};
  if (realCalendar) {
    // One unit's year on the time-skipping server: its clock starts at the real calendar's 1 January.
    const rc = await startRealCalendar({
      db,
      startDate: `${year}-01-01`,
      taskQueue,
      ...(process.env.SIMULATE_TEMPORAL_PORT ? { port: Number(process.env.SIMULATE_TEMPORAL_PORT) } : {}),
    });
    stops.push(() => rc.stop());
    client = rc.client;
    clockOptions = { clock: rc.clock, sleep: rc.sleep, advanceTo: rc.advanceTo };
  } else {
    let address = cfg.temporalAddress;
    if (!address && (await isListening(cfg.temporalPort))) {
      address = `127.0.0.1:${cfg.temporalPort}`;
      ui = `http://127.0.0.1:${cfg.temporalUiPort}`;
    }
    if (!address) {
      const uiPort = Number(process.env.SIMULATE_TEMPORAL_UI_PORT ?? 8234);
      const t = await startTemporalDevServer({
        cli: cfg.temporalCli,
        port: Number(process.env.SIMULATE_TEMPORAL_PORT ?? 7234),
        uiPort,
      });
      stops.push(() => t.stop());
      address = t.address;
      ui = t.uiUrl;
    }
    const c = new Client({ connection: await Connection.connect({ address }) });
    client = c;
    stops.push(() => c.connection.close());
    const native = await NativeConnection.connect({ address });
    stops.push(() => native.close());
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
      activities: createActivities({ db, temporal: c }),
    });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running.catch(() => {});
    });
  }

  // The sample: the first units directly under the province (by code) with a unit head and people.
  const candidates = await sql<{ id: string; name_vi: string }>`
    SELECT u.id, u.name_vi FROM org_unit u
     WHERE u.parent_id = ${provinceId}::uuid
       AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.scope_unit_id = u.id AND r.role_code = 'unit_head'
                     AND r.valid_to IS NULL)
     ORDER BY u.code`.execute(db);
  const wanted = realCalendar ? 1 : Number(args.units);
  const unitIds: string[] = [];
  for (const u of candidates.rows) {
    if (unitIds.length >= wanted) break;
    if ((await peopleOfUnit(db, u.id, year)).length >= 2) unitIds.push(u.id);
  }
  say(
    `${unitIds.length} units, year ${year}, months ${months.join(' ')}, task queue ${taskQueue}${realCalendar ? ', the real calendar on the time-skipping server' : ''}`,
  );
  if (ui) say(`Temporal Web UI: ${ui} (the runs of this simulation: task queue ${taskQueue})`);

  const line = (e: TimelineEvent) =>
    `${e.date.split('-').reverse().join('/')}  ${e.kind.padEnd(10)} ${e.unit.slice(0, 32).padEnd(32)}  ${e.text}`;
  const { units, timeline, giaoBan } = await simulateYear({
    db,
    client,
    taskQueue,
    provinceId,
    year,
    unitIds,
    months,
    ...(realCalendar ? clockOptions : { msPerDay: Number(args['ms-per-day']) }),
    seed: Number(args.seed),
    plans,
    ...(people !== 'all' ? { peoplePerUnit: Number(people) } : {}),
    log: (e) => {
      if (['ranking', 'escalation', 'appeal', 'giao-ban', 'error'].includes(e.kind)) say(line(e));
    },
  });
  console.log('\nDòng thời gian (timeline)\n');
  for (const e of timeline) console.log(line(e));
  console.log('\nTổng hợp (summary)\n');
  console.log(summaryTable(units));
  for (const g of giaoBan)
    console.log(
      `giao ban ${g.session}: ${g.units} đơn vị, ${g.directions} chỉ đạo, công bố ${g.publishedOn}`,
    );
  if (!realCalendar) {
    // Nobody polls the run's task queue once it stops: its workflows still open end here (histories kept).
    const ended = await endOpenRuns(client, taskQueue);
    if (ended)
      say(`${ended} workflows of this run still open terminated (their histories stay in the Web UI)`);
  }
  say(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  await stopAll();
  process.exit(0);
} catch (e) {
  const cause = (e as { cause?: { message?: string } })?.cause?.message;
  console.error(
    `[simulate] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}${cause ? `\ncaused by: ${cause}` : ''}`,
  );
  await stopAll();
  process.exit(1);
}
