import { banner } from './banner.ts';
import { stackConfig } from './config.ts';
import { startStack } from './stack.ts';

// `npm start`: the whole system on its embedded default, with demo data; Ctrl-C stops everything.
const cfg = stackConfig();
console.log('[start] starting WOMS…');
let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack(cfg);
} catch (e) {
  console.error(`[start] could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
console.log(banner(stack, cfg));

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('[start] stopping…');
  await stack.stop();
  console.log('[start] stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
stack.crashed.then((name) => {
  if (stopping) return;
  console.error(`[start] ${name} exited unexpectedly; stopping everything`);
  void stop(1);
});
