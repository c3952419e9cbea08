// `npm run bench` (issue 9 point 1; scripts/bench/run.ts): a province at a scale on servers of its own, the
// month-end check-in storm through the API, the floors, and a dated results file under docs/benchmarks/.
//
//   npm run bench                      scale 1: 150 units, 20,000 persons (long: the monthly opening of 20,000)
//   npm run bench -- --scale 0.01      a smoke run (2 units, 200 persons)
//   npm run bench -- --out /tmp/b      the results file elsewhere
//
// Servers: an embedded PostgreSQL on BENCH_PG_PORT (5436) and a Temporal dev server on BENCH_TEMPORAL_PORT
// (7236), data in .data/bench-<port> (removed at the start of the next run); the API on BENCH_API_PORT (8796).
// DATABASE_URL / TEMPORAL_ADDRESS point it at external servers instead (the results say which).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runBench } from './bench/run.ts';
import { stackConfig } from './config.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    out: { type: 'string' },
    samples: { type: 'string', default: '50' },
  },
});
const scale = Number(args.scale);
if (!(scale > 0 && scale <= 1)) {
  console.error('[bench] --scale must be a number in (0, 1]');
  process.exit(2);
}
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
    log: (line) => console.log(line),
  });
  if (r.exactlyOnce !== r.accepted) {
    console.error(`[bench] ${r.accepted - r.exactlyOnce} accepted check-ins are not present exactly once`);
    process.exit(1);
  }
  process.exit(0);
} catch (e) {
  console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
}
