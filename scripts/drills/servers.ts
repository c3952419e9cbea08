// The fault drills' servers (issue 9 point 2): servers of the drill's own, never the ones the other tests share —
// an embedded PostgreSQL (persistent, so it can be stopped and started again on its data), a Temporal dev server
// on a SQLite file (persisted: a restart keeps every workflow), a mail catcher on a fixed port (stopped and
// started again), and the worker and the API as `npm start` runs them (worker/main.ts, api/main.ts as child
// processes on loopback), each of which a drill can kill and start again.
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createDb, type Database } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { type MailCatcher, startMailCatcher } from '../../devstack/mail-catcher.ts';
import { freePort, waitFor } from '../../devstack/ports.ts';
import { ensureDatabase, type RunningPostgres, startEmbeddedPostgres } from '../../devstack/postgres.ts';
import { type RunningTemporal, startTemporalDevServer, stopChild } from '../../devstack/temporal.ts';
import { spawnNode, waitForLine } from '../children.ts';
import { stackConfig } from '../config.ts';

export interface DrillServers {
  /** The drill's data directory (removed by stop()). */
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  apiUrl: string;
  smtpPort: number;
  /** A small pool for the drill's own checks (reconnects after a PostgreSQL restart). */
  db: Database;
  /** The mail catcher while it runs (null while stopped); every message it caught, across restarts. */
  mail: MailCatcher | null;
  caught(): MailCatcher['messages'];
  /** The environment the worker and the API run with (extra variables merged in at start). */
  env: NodeJS.ProcessEnv;
  worker: ChildProcess | null;
  api: ChildProcess | null;
  startWorker(): Promise<void>;
  /** SIGKILL by default: a crash, not an orderly stop. */
  killWorker(signal?: NodeJS.Signals): Promise<void>;
  startApi(): Promise<void>;
  stopApi(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopMail(): Promise<void>;
  startMail(): Promise<void>;
  stop(): Promise<void>;
}

export interface DrillServerOptions {
  /** A short name: the data directory is .data/drills/<name>-<pid>. */
  name: string;
  /** Extra environment of the worker and the API (e.g. API_REQUEST_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** Start the worker and the API (default true). */
  processes?: boolean;
  log?: (line: string) => void;
}

const exited = (c: ChildProcess | null) => !c || c.exitCode !== null || c.signalCode !== null;

export async function startDrillServers(o: DrillServerOptions): Promise<DrillServers> {
  const cfg = stackConfig();
  const say = o.log ?? (() => {});
  const dir = join(cfg.dataDir, 'drills', `${o.name}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // the embedded server runs as the postgres user when we are root (as scripts/stack.ts)
  for (const d of [cfg.dataDir, join(cfg.dataDir, 'drills'), dir]) await chmod(d, 0o755);
  const [pgPort, temporalPort, apiPort, smtpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];

  const startPg = () => startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort, persistent: true });
  let pg: RunningPostgres | null = await startPg();
  await ensureDatabase(pg.adminUrl, 'woms_drill');
  const databaseUrl = pg.urlFor('woms_drill');
  const db = createDb(databaseUrl, { max: 4 });
  await migrateToLatest(db);

  const startTemporal = () =>
    startTemporalDevServer({
      cli: cfg.temporalCli,
      port: temporalPort,
      dbFile: join(dir, 'temporal.sqlite'),
    });
  let temporal: RunningTemporal | null = await startTemporal();
  const caught: MailCatcher['messages'] = [];
  const startMail = async () => {
    const m = await startMailCatcher({ smtpPort });
    // one list across restarts: a message caught before a stop still counts when duplicates are checked
    m.messages.splice(0, 0, ...caught.splice(0));
    return m;
  };
  let mail: MailCatcher | null = await startMail();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TZ: 'UTC',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    AUTH_SECRET_KEY: process.env.AUTH_SECRET_KEY ?? Buffer.alloc(32, 9).toString('base64'),
    ...o.env,
  };
  delete env.WORKER_TASK_QUEUE;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  let started = false;

  const s: DrillServers = {
    dir,
    databaseUrl,
    temporalAddress: temporal.address,
    apiUrl,
    smtpPort,
    db,
    get mail() {
      return mail;
    },
    caught: () => (mail ? mail.messages : caught),
    env,
    worker: null,
    api: null,
    async startWorker() {
      if (!exited(s.worker)) return;
      const w = spawnNode('worker', [join(cfg.root, 'worker', 'main.ts')], { cwd: cfg.root, env });
      s.worker = w;
      await waitForLine(w, /\[worker\] polling/, 'the worker', 180_000);
      say('worker polling');
    },
    async killWorker(signal = 'SIGKILL') {
      const w = s.worker;
      if (exited(w)) return;
      await new Promise<void>((resolve) => {
        w!.once('exit', () => resolve());
        w!.kill(signal);
      });
      say(`worker killed (${signal})`);
    },
    async startApi() {
      if (!exited(s.api)) return;
      for (let attempt = 1; ; attempt++) {
        const a = spawnNode('api', [join(cfg.root, 'api', 'main.ts')], { cwd: cfg.root, env });
        s.api = a;
        try {
          await waitForLine(a, /\[api\] listening/, 'the API', 120_000);
          break;
        } catch (e) {
          // The port was free when chosen, but tests running beside this one may take it before the API listens
          // (the worker starts first). Only on the first start: a restart keeps its port, which it held till then.
          if (started || attempt === 3) throw e;
          const port = await freePort();
          env.API_PORT = String(port);
          s.apiUrl = `http://127.0.0.1:${port}`;
          say(`the API's port was taken: trying ${port}`);
        }
      }
      started = true;
      say(`API listening on ${s.apiUrl}`);
    },
    async stopApi() {
      if (!exited(s.api)) await stopChild(s.api!);
    },
    async stopPostgres() {
      await pg?.stop();
      pg = null;
      say('PostgreSQL stopped');
    },
    async startPostgres() {
      if (pg) return;
      pg = await startPg();
      say('PostgreSQL started again');
    },
    async stopTemporal() {
      await temporal?.stop();
      temporal = null;
      say('Temporal dev server stopped');
    },
    async startTemporal() {
      if (temporal) return;
      temporal = await startTemporal();
      say('Temporal dev server started again on its SQLite file');
    },
    async stopMail() {
      if (!mail) return;
      caught.splice(0, caught.length, ...mail.messages);
      await mail.stop();
      mail = null;
      say('SMTP server stopped');
    },
    async startMail() {
      if (mail) return;
      mail = await startMail();
      say('SMTP server started again');
    },
    async stop() {
      await s.stopApi().catch(() => {});
      if (!exited(s.worker)) await stopChild(s.worker!).catch(() => {});
      await db.destroy().catch(() => {});
      await mail?.stop().catch(() => {});
      await temporal?.stop().catch(() => {});
      await pg?.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
  try {
    if (o.processes !== false) {
      await s.startWorker();
      await s.startApi();
      await waitFor('the API', async () => (await fetch(`${s.apiUrl}/api/ready`)).ok, 60_000);
    }
  } catch (e) {
    await s.stop();
    throw e;
  }
  return s;
}
