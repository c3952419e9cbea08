// `npm run bench` (issue 9 point 1; scripts/bench/run.ts): a province at a scale on servers of its own, the
// month-end check-in storm through the API, the reads (the giao ban dossier among them) and their floors, a
// simulated year for a sample of units (history lengths, peak memory, database size), and a dated results file
// under docs/benchmarks/.
//
//   npm run bench                      scale 1: 150 units, 20,000 persons (long: the monthly opening of 20,000)
//   npm run bench -- --scale 0.01      a smoke run (2 units, 200 persons)
//   npm run bench -- --out /tmp/b      the results file elsewhere
//   npm run bench -- --year-units 2 --year-people 4 --year-months 1,2,…,12 --year-ms-per-day 600
//                                      the simulated year's sample (defaults shown; --year-units 0 skips it)
//   npm run bench -- --year-timeout-s 1200
//                                      the simulated year's wall-time bound (past it: the figures so far)
//
// Ctrl-C (SIGINT) or SIGTERM stops the bench's children and servers (worker, API, Temporal dev server, embedded
// PostgreSQL) before it exits.
//
// Servers: an embedded PostgreSQL on BENCH_PG_PORT (5436) and a Temporal dev server on BENCH_TEMPORAL_PORT
// (7236), data in .data/bench-<port> (removed at the start of the next run); the API on BENCH_API_PORT (8796).
// DATABASE_URL / TEMPORAL_ADDRESS point it at external servers instead (the results say which).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runBench, stopBench } from './bench/run.ts';
import { stackConfig } from './config.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    out: { type: 'string' },
    samples: { type: 'string', default: '50' },
    'year-units': { type: 'string', default: '2' },
    'year-people': { type: 'string', default: '4' },
    'year-months': { type: 'string' },
    'year-ms-per-day': { type: 'string', default: '600' },
    'year-timeout-s': { type: 'string', default: '1200' },
  },
});
const scale = Number(args.scale);
if (!(scale > 0 && scale <= 1)) {
  console.error('[bench] --scale must be a number in (0, 1]');
  process.exit(2);
}
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`[bench] ${signal}: stopping the bench's children and servers`);
    void stopBench().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
// Retries of the Temporal client still in flight when a stop closes its connection are of no interest then.
process.on('uncaughtException', (e) => {
  if (stopping) return;
  console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  void stopBench().finally(() => process.exit(1));
});
const yearUnits = Number(args['year-units']);
// the in-process worker of the Update floor: its state changes are of no interest
Runtime.install({ logger: new DefaultLogger('ERROR') });
const cfg = stackConfig();
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
try {
  const r = await runBench({
    scale,
    outDir: args.out ?? join(cfg.root, 'docs', 'benchmarks'),
    cfg,
    ports: {
      pg: num('BENCH_PG_PORT', 5436),
      temporal: num('BENCH_TEMPORAL_PORT', 7236),
      api: num('BENCH_API_PORT', 8796),
    },
    samples: Math.max(1, Number(args.samples)),
    year:
      yearUnits > 0
        ? {
            units: yearUnits,
            people: Math.max(2, Number(args['year-people'])),
            ...(args['year-months'] ? { months: args['year-months'].split(',').map(Number) } : {}),
            msPerDay: Number(args['year-ms-per-day']),
            timeoutMs: Number(args['year-timeout-s']) * 1000,
          }
        : false,
    log: (line) => console.log(line),
  });
  // a signal's handler exits once the stops are done
  if (stopping) await new Promise(() => {});
  if (r.exactlyOnce !== r.accepted) {
    console.error(`[bench] ${r.accepted - r.exactlyOnce} accepted check-ins are not present exactly once`);
    process.exit(1);
  }
  process.exit(0);
} catch (e) {
  // the stops of a signal's handler make the run fail: the handler exits once they are done
  if (stopping) await new Promise(() => {});
  console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
}
