// `npm run drills` (issue 9 point 2): every fault drill at full size, each on servers of its own
// (scripts/drills/servers.ts), printing each check and the figures; exits non-zero when a check fails.
// Their quick versions run in `npm test` (scripts/drills/*.test.ts).
//
//   npm run drills                     every drill
//   npm run drills -- --only worker-kill,postgres-restart
//   npm run drills -- --quick          the quick versions (as npm test runs them)
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { passed } from './drills/drill.ts';
import { DRILLS } from './drills/index.ts';

const { values: args } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
Runtime.install({ logger: new DefaultLogger('ERROR') });
const only = args.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((n) => !DRILLS.some((d) => d.name === n)) ?? [];
if (unknown.length) {
  console.error(
    `[drills] unknown drill: ${unknown.join(', ')} (known: ${DRILLS.map((d) => d.name).join(', ')})`,
  );
  process.exit(2);
}
let failed = 0;
for (const d of DRILLS.filter((d) => !only || only.includes(d.name))) {
  console.log(`\n[drills] ${d.name}: ${d.title}`);
  const t0 = Date.now();
  try {
    const r = await d.run({ quick: args.quick, log: (l) => console.log(`[drills:${d.name}] ${l}`) });
    for (const c of r.checks)
      console.log(`  ${c.ok ? '✔' : '✘'} ${c.what}${c.detail ? ` — ${c.detail}` : ''}`);
    for (const [k, v] of Object.entries(r.figures)) console.log(`    ${k}: ${v}`);
    console.log(`  ${passed(r) ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (!passed(r)) failed++;
  } catch (e) {
    failed++;
    console.error(`  ✘ the drill stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
console.log(failed ? `\n[drills] ${failed} drill(s) failed` : '\n[drills] every drill passed');
process.exit(failed ? 1 : 0);
