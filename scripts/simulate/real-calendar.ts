// The `--real-calendar` mode of `npm run simulate` (issue 8 point 6): one unit's whole year on the Java
// time-skipping test server (devstack/time-skipping.ts), with a worker of the real activities on the run's
// database. Every workflow of the run gets ONE clock: a TimeWarp of speed 1 whose virtual epoch is the run's first
// day (the server's clock starts at the machine's time and only moves forward, so a year that began in the past
// could not be played otherwise); every timer is a real-length timer the server skips. The engine moves the
// clock with `advanceTo` (to 09:00 VN of a phase's first day) and waits with `sleep` (an hour of server time a
// poll), both skipping time on the server (env.sleep) — the schedule is sequential (scripts/simulate/engine.ts).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import type { Database } from '../../db/connection.ts';
import { startTimeSkippingServer } from '../../devstack/time-skipping.ts';
import { vnInstant } from '../../domain/calendar/vn-time.ts';
import { workflowsPath } from '../../worker/run.ts';
import type { TimeWarp } from '../../workflows/plan-time.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

export interface RealCalendar {
  env: TestWorkflowEnvironment;
  client: TestWorkflowEnvironment['client'];
  taskQueue: string;
  /** The run's one clock (every workflow's timeWarp). */
  clock: TimeWarp;
  /** The virtual instant (ms) the server's clock shows now. */
  now: () => Promise<number>;
  /** Skips the server's clock to 09:00 VN of `date` (nothing when it is already past). */
  advanceTo: (date: string) => Promise<void>;
  /** Skips `ms` of the server's time. */
  sleep: (ms: number) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Starts the time-skipping server (on `port`, else a free one) and a worker of the real activities on `db`, the
 * clock reading 09:00 VN of `startDate` now.
 */
export async function startRealCalendar(o: {
  db: Database;
  startDate: string;
  taskQueue: string;
  port?: number;
}): Promise<RealCalendar> {
  const env = await startTimeSkippingServer(o.port ? { port: o.port } : {});
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: o.taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
      activities: createActivities({ db: o.db, temporal: env.client }),
    });
    const running = worker.run();
    const clock: TimeWarp = {
      realEpoch: await env.currentTimeMs(),
      virtualEpoch: vnInstant(o.startDate) + 9 * 3_600_000,
      speed: 1,
    };
    const now = async () => clock.virtualEpoch + ((await env.currentTimeMs()) - clock.realEpoch);
    // One move at a time: the Java server's time-skipping lock does not bear concurrent sleeps ("Unbalanced
    // lock and unlock calls"). Each move reads the clock after the previous one; a sleep asked while another is
    // waiting its turn joins it (the pollers of the run share the hour).
    let queue: Promise<void> = Promise.resolve();
    const enqueue = (fn: () => Promise<void>) => {
      const next = queue.then(fn);
      queue = next.catch(() => {});
      return next;
    };
    const advanceTo = (date: string) =>
      enqueue(async () => {
        const ahead = vnInstant(date) + 9 * 3_600_000 - (await now());
        if (ahead > 0) await env.sleep(ahead);
      });
    let waiting: Promise<void> | undefined;
    const sleep = (ms: number) => {
      if (waiting) return waiting;
      const w = enqueue(async () => {
        waiting = undefined;
        await env.sleep(ms);
      });
      waiting = w;
      return w;
    };
    return {
      env,
      client: env.client,
      taskQueue: o.taskQueue,
      clock,
      now,
      advanceTo,
      sleep,
      async stop() {
        worker.shutdown();
        await running.catch(() => {});
        await env.teardown();
      },
    };
  } catch (e) {
    await env.teardown().catch(() => {});
    throw e;
  }
}
