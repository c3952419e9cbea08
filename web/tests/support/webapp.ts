import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from '../../../devstack/ports.ts';
import { webBodySizeLimitEnv } from '../../../domain/evidence/body-limit.ts';

export const WEB_DIR = join(import.meta.dirname, '..', '..');
const ROOT = join(WEB_DIR, '..');
const BUILD_ENTRY = join(WEB_DIR, 'build', 'index.js');

export { ensureWebBuild } from '../../../devstack/web-build.ts';

export interface RunningWeb {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the built web app (`node web/build/index.js`) on a free port, talking to `apiUrl`. `evidenceMaxBytes`:
 *  the evidence file limit the API was started with (EVIDENCE_MAX_BYTES; default 10 MiB). */
export async function startWeb(
  apiUrl: string,
  opts: { evidenceMaxBytes?: number } = {},
): Promise<RunningWeb> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const evidence = opts.evidenceMaxBytes ? { EVIDENCE_MAX_BYTES: String(opts.evidenceMaxBytes) } : {};
  const child: ChildProcess = spawn(process.execPath, [BUILD_ENTRY], {
    cwd: ROOT,
    // The body limit: the evidence limit plus room for the form around the file, at least what the bulk
    // import's workbooks of up to 5 MB need (adapter-node's default is 512K); domain/evidence/body-limit.ts.
    env: {
      BODY_SIZE_LIMIT: webBodySizeLimitEnv({ ...process.env, ...evidence }),
      ...process.env,
      ...evidence,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: url,
      API_URL: apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
  };
  try {
    await waitFor(
      `web app on ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`web app exited ${child.exitCode}: ${out}`);
        return (await fetch(`${url}/favicon.svg`)).ok;
      },
      30_000,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, output: () => out, stop };
}
