import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Spawns a Node program under this Node, prefixing its output lines with its name. */
export function spawnNode(
  name: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(line.startsWith(`[${name}]`) ? `${line}\n` : `[${name}] ${line}\n`);
    });
  }
  return child;
}

/** Resolves once a line matching `pattern` appears on the child's stdout. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const t = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(t);
      reject(new Error(`${what} exited (${code}) before it was ready`));
    };
    child.once('exit', onExit);
    rl.on('line', (line) => {
      if (pattern.test(line)) {
        clearTimeout(t);
        child.off('exit', onExit);
        rl.close();
        resolve();
      }
    });
  });
}
