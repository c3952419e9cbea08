import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDemoAccounts } from '../api/auth/demo-accounts.ts';
import { parseSecretKey } from '../api/auth/secret-box.ts';
import { createDb } from '../db/connection.ts';
import { prepareDemoGiaoBanInBackground } from '../db/demo/giao-ban.ts';
import { DEMO_ROSTER, loadDemoProvince } from '../db/demo/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startMailCatcher } from '../devstack/mail-catcher.ts';
import { isListening, waitFor } from '../devstack/ports.ts';
import {
  ensureDatabase,
  externalPostgres,
  type RunningPostgres,
  startEmbeddedPostgres,
} from '../devstack/postgres.ts';
import { startTemporalDevServer, stopChild } from '../devstack/temporal.ts';
import { ensureWebBuild } from '../devstack/web-build.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../domain/calendar/profiles/index.ts';
import { webBodySizeLimitEnv } from '../domain/evidence/body-limit.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import { spawnNode, waitForLine } from './children.ts';
import type { StackConfig } from './config.ts';
import { localSecretKey } from './secret-key.ts';

export interface RunningStack {
  urls: { web: string; api: string; temporalUi?: string; mail: string; database: string };
  roster: typeof DEMO_ROSTER;
  stop(): Promise<void>;
  /** Resolves with the name of the first service that exits on its own. */
  crashed: Promise<string>;
}

/** Starts the whole system on the embedded default (DESIGN §6), each service ready before the next. */
export async function startStack(cfg: StackConfig): Promise<RunningStack> {
  const wanted: [string, number][] = [
    ['SMTP', cfg.smtpPort],
    ['mail view', cfg.mailUiPort],
    ['API', cfg.apiPort],
    ['web', cfg.webPort],
  ];
  if (!cfg.databaseUrl) wanted.push(['PostgreSQL', cfg.pgPort]);
  if (!cfg.temporalAddress) wanted.push(['Temporal', cfg.temporalPort], ['Temporal UI', cfg.temporalUiPort]);
  for (const [what, port] of wanted) {
    if (await isListening(port))
      throw new Error(
        `port ${port} (${what}) is already in use: is WOMS already running? Set the matching *_PORT variable to use another.`,
      );
  }

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error('[start] stop failed:', e));
    stops.length = 0;
  };
  try {
    await mkdir(cfg.dataDir, { recursive: true });
    await chmod(cfg.dataDir, 0o755); // the embedded server runs as the postgres user when we are root

    const pg: RunningPostgres = cfg.databaseUrl
      ? externalPostgres(cfg.databaseUrl)
      : await startEmbeddedPostgres({ dataDir: join(cfg.dataDir, 'pg'), port: cfg.pgPort, persistent: true });
    stops.push(() => pg.stop());
    const databaseUrl = cfg.databaseUrl ?? pg.urlFor(cfg.database);
    if (!cfg.databaseUrl) await ensureDatabase(pg.adminUrl, cfg.database);
    const secretKey = process.env.AUTH_SECRET_KEY ?? (await localSecretKey(cfg.dataDir));
    const db = createDb(databaseUrl, { max: 2 });
    try {
      await migrateToLatest(db);
      await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
      await ensureDemoAccounts(db, { secretKey: parseSecretKey(secretKey) });
    } finally {
      await db.destroy();
    }

    let temporalAddress = cfg.temporalAddress;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      const temporal = await startTemporalDevServer({
        cli: cfg.temporalCli,
        port: cfg.temporalPort,
        uiPort: cfg.temporalUiPort,
        dbFile: join(cfg.dataDir, 'temporal.sqlite'),
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl;
    }

    const mail = await startMailCatcher({ smtpPort: cfg.smtpPort, webPort: cfg.mailUiPort, host: cfg.host });
    stops.push(() => mail.stop());

    const env = {
      ...process.env,
      TZ: 'UTC',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      ...(temporalUi ? { TEMPORAL_UI_URL: temporalUi } : {}),
      SMTP_HOST: cfg.host,
      SMTP_PORT: String(cfg.smtpPort),
      API_HOST: cfg.host,
      API_PORT: String(cfg.apiPort),
      // The API sits behind the web app, which forwards the client's address (per-client sign-in throttling).
      AUTH_TRUST_PROXY: process.env.AUTH_TRUST_PROXY ?? 'true',
      AUTH_SECRET_KEY: secretKey,
    };
    const children: [string, ChildProcess][] = [];
    const startChild = (name: string, child: ChildProcess) => {
      children.push([name, child]);
      stops.push(() => stopChild(child));
      return child;
    };

    const worker = startChild(
      'worker',
      spawnNode('worker', [join(cfg.root, 'worker', 'main.ts')], { cwd: cfg.root, env }),
    );
    await waitForLine(worker, /\[worker\] polling/, 'the worker', 180_000);
    // The demo province's giao ban sessions, through the real workflow (db/demo/giao-ban.ts), in the background.
    const demoGiaoBan = prepareDemoGiaoBanInBackground({
      databaseUrl,
      temporalAddress,
      taskQueue: process.env.WORKER_TASK_QUEUE ?? TASK_QUEUE,
      log: (line) => console.log(line),
    });
    stops.push(() => demoGiaoBan.stop());

    const api = startChild(
      'api',
      spawnNode('api', [join(cfg.root, 'api', 'main.ts')], { cwd: cfg.root, env }),
    );
    const apiUrl = `http://${cfg.host}:${cfg.apiPort}`;
    await readyOrExited(
      api,
      'the API',
      waitFor('the API', async () => (await fetch(`${apiUrl}/api/ready`)).ok, 60_000),
    );

    await ensureWebBuild({
      onBuild: () => console.log('[start] building the web app (first start or changed sources)…'),
    });
    const webUrl = `http://${cfg.host}:${cfg.webPort}`;
    const web = startChild(
      'web',
      spawnNode('web', [join(cfg.root, 'web', 'build', 'index.js')], {
        cwd: join(cfg.root, 'web'),
        env: {
          ...env,
          HOST: cfg.host,
          PORT: String(cfg.webPort),
          ORIGIN: webUrl,
          API_URL: apiUrl,
          // the evidence limit (EVIDENCE_MAX_BYTES, the API's too) plus room for the form around the file
          BODY_SIZE_LIMIT: webBodySizeLimitEnv(env),
        },
      }),
    );
    await readyOrExited(
      web,
      'the web app',
      waitFor('the web app', async () => (await fetch(webUrl)).ok, 60_000),
    );

    const crashed = new Promise<string>((resolve) => {
      for (const [name, child] of children) child.once('exit', () => resolve(name));
    });
    const safeDbUrl = new URL(databaseUrl);
    safeDbUrl.password = '***';
    return {
      urls: {
        web: webUrl,
        api: `${apiUrl}/api/health`,
        temporalUi,
        mail: mail.webUrl!,
        database: safeDbUrl.toString(),
      },
      roster: DEMO_ROSTER,
      stop: stopAll,
      crashed,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Waits for `ready`, failing at once (not after the readiness timeout) when the service exits first. */
function readyOrExited(child: ChildProcess, what: string, ready: Promise<unknown>): Promise<unknown> {
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`))),
  );
  exited.catch(() => {});
  return Promise.race([ready, exited]);
}
