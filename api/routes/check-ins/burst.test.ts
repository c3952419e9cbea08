// A burst of month-end submissions with the worker killed in the middle (issue 6 point 7; DESIGN §5): twelve
// officials submit their check-ins through the API at once; after the first answers the worker PROCESS is
// killed (SIGKILL, a real kill: it runs as `node worker/main.ts` on a task queue of its own, with its outbox
// mail sender talking to a real SMTP server) and started again. Submissions the API could not finish while it
// was down answer 503 DEPENDENCY_UNAVAILABLE and are sent again with the same Idempotency-Key, as the screen
// does. At the end: every check-in is SUBMITTED exactly once (one frozen version, one submit audit entry, one
// verify task), every outbox row is sent, and no e-mail arrives twice except the one in flight at the kill,
// which carries the same Message-ID.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import { type MailCatcher, startMailCatcher } from '../../../devstack/mail-catcher.ts';
import type { KeyResult } from '../../../domain/plan/model.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { createTestPerson, type SignedIn, signIn } from '../../../test/support/auth.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import {
  buildOrg,
  employ,
  grant,
  type OrgFixture,
  PASSWORD,
  requestAs,
} from '../../../test/support/org-fixture.ts';
import { checkInWorkflowId } from '../../../workflows/check-in.messages.ts';
import { createApp } from '../../app.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PEOPLE = 12;
const PERIOD = '2026-03';
const { db, url } = await freshDatabase();
const taskQueue = `checkins-burst-${randomUUID()}`;
const address = inject('temporalAddress');
let client: Client;
// Tuesday 10 March 2026, 10:00 in Hà Nội (people sign in on the real clock first).
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.resolve(client),
  version: 'test',
  clock: () => now,
  // a short bound on waiting for the workflow: while the worker is down the API answers 503 quickly
  plans: { taskQueue, updateDeadlineMs: 3000 },
});
let f: OrgFixture;
let catcher: MailCatcher;
const people: { id: string; session: SignedIn; planId: string }[] = [];

/** The worker as the system runs it: its own process, the outbox sender included. */
function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['worker/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TZ: 'UTC',
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: address,
      WORKER_TASK_QUEUE: taskQueue,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(catcher.smtpPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('[worker] polling')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before polling: ${out}`));
    });
  });
}
const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

const kr = (id: string): KeyResult => ({
  id,
  title: `Hồ sơ ${id} được giải quyết`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
});

let worker: ChildProcess | undefined;

beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address }) });
  catcher = await startMailCatcher({ smtpPort: 0 });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  for (let i = 0; i < PEOPLE; i++) {
    const email = `burst${i}-${randomUUID().slice(0, 6)}@test.woms.vn`;
    const id = await createTestPerson(db, {
      email,
      password: PASSWORD,
      employInTestAgency: false,
      fullName: `Cán bộ ${i}`,
    });
    await employ(db, id, f.unit.AD1);
    await grant(db, id, 'official', f.unit.AD1);
    const planId = `plan:2026:person:${id}`;
    await db
      .insertInto('plan')
      .values({
        id: planId,
        owner_kind: 'person',
        unit_id: f.unit.AD1,
        person_id: id,
        year: 2026,
        status: 'APPROVED',
        workflow_id: null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
      })
      .execute();
    const v = await createPlanVersion(db, {
      planId,
      createdBy: 'test',
      content: {
        id: planId,
        year: 2026,
        owner: { kind: 'person', personId: id },
        sections: [],
        tasks: [
          {
            id: 't1',
            title: 'Giải quyết hồ sơ',
            perspective: 'citizens',
            weight: '1',
            keyResults: [kr('k1')],
          },
        ],
      },
    });
    await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
    people.push({ id, session: await signIn(app, email, PASSWORD), planId });
  }
  now = NOW;
  for (const p of people) {
    const r = await requestAs(app, p.session, 'PUT', `/api/check-ins/mine/${PERIOD}/values`, {
      baseRevision: 0,
      locale: 'vi',
      values: [{ planId: p.planId, keyResultId: 'k1', value: '12', status: 'on-track' }],
    });
    expect(r.status).toBe(200);
  }
  worker = await startWorkerProcess();
}, 240_000);

afterAll(async () => {
  for (const p of people)
    await client.workflow
      .getHandle(checkInWorkflowId(PERIOD, p.id))
      .terminate('test over')
      .catch(() => {});
  if (worker && worker.exitCode === null) await killed(worker);
  await catcher?.stop();
  await client?.connection.close();
});

describe('a burst of submissions with the worker killed in the middle', () => {
  it('keeps every accepted check-in exactly once and sends no e-mail twice but the one in flight', async () => {
    const keys = people.map(() => `submit-${randomUUID()}`);
    const submit = async (i: number) => {
      const res = await requestAs(
        app,
        people[i]!.session,
        'POST',
        `/api/check-ins/mine/${PERIOD}/submit`,
        undefined,
        {
          'idempotency-key': keys[i]!,
        },
      );
      return {
        i,
        status: res.status,
        body: (await res.json().catch(() => null)) as { code?: string } | null,
      };
    };
    // The burst: everybody at once; the worker dies as soon as the first submissions are answered.
    const answers: { i: number; status: number; body: { code?: string } | null }[] = [];
    let firstAnswers!: () => void;
    const someAnswered = new Promise<void>((r) => {
      firstAnswers = r;
    });
    // Staggered by 150 ms, so that the kill falls in the middle: some answered, some in flight, some to come.
    const burst = Promise.all(
      people.map((_, i) =>
        new Promise((r) => setTimeout(r, i * 150))
          .then(() => submit(i))
          .then((a) => {
            answers.push(a);
            if (answers.filter((x) => x.status === 200).length >= 3) firstAnswers();
            return a;
          }),
      ),
    );
    await someAnswered;
    await killed(worker!);
    const first = await burst;
    const accepted = first.filter((a) => a.status === 200).map((a) => a.i);
    const refused = first.filter((a) => a.status !== 200);
    // Whatever was not finished was refused as an outage (never a 500, never a silent loss).
    for (const a of refused)
      expect([a.status, a.body?.code], JSON.stringify(a)).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThanOrEqual(1);

    worker = await startWorkerProcess();
    // The screen sends a refused submission again with the same Idempotency-Key. An activity the killed
    // worker had started is retried only when its start-to-close timeout (1 minute) expires: until then the
    // API keeps answering 503.
    const retryUntil = Date.now() + 180_000;
    for (const a of refused) {
      let r = await submit(a.i);
      while (r.status === 503 && Date.now() < retryUntil) {
        await new Promise((res) => setTimeout(res, 1000));
        r = await submit(a.i);
      }
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }

    for (const p of people) {
      const row = await db
        .selectFrom('check_in')
        .selectAll()
        .where('person_id', '=', p.id)
        .where('period', '=', PERIOD)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('SUBMITTED');
      const versions = await db
        .selectFrom('check_in_version')
        .select('id')
        .where('check_in_id', '=', row.id)
        .execute();
      expect(versions).toHaveLength(1);
      const submitted = await db
        .selectFrom('audit_log')
        .select('id')
        .where('aggregate_type', '=', 'check_in')
        .where('aggregate_id', '=', row.id)
        .where('action', '=', 'check-in.submitted')
        .execute();
      expect(submitted).toHaveLength(1);
      const verify = await db
        .selectFrom('task')
        .select(['id', 'assignee_person_id'])
        .where('subject_type', '=', 'check_in')
        .where('subject_id', '=', row.id)
        .where('kind', '=', 'check-in.verify')
        .execute();
      expect(verify.map((t) => t.assignee_person_id)).toEqual([f.person.supervisorA]);
    }

    // Every outbox row is sent by the restarted worker's sender (it polls every 5 s).
    const deadline = Date.now() + 60_000;
    let rows = await db.selectFrom('mail_outbox').select(['message_id', 'status']).execute();
    while (rows.some((r) => r.status !== 'SENT') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      rows = await db.selectFrom('mail_outbox').select(['message_id', 'status']).execute();
    }
    expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
    // one "new task" e-mail to the supervisor per submission, at least
    expect(rows.length).toBeGreaterThanOrEqual(PEOPLE);
    const received = new Map<string, number>();
    for (const m of catcher.messages)
      received.set(m.messageId ?? '', (received.get(m.messageId ?? '') ?? 0) + 1);
    for (const r of rows) expect(received.get(r.message_id) ?? 0, r.message_id).toBeGreaterThanOrEqual(1);
    const twice = [...received.entries()].filter(([, n]) => n > 1);
    expect(twice.length, JSON.stringify(twice)).toBeLessThanOrEqual(1);
    for (const [, n] of twice) expect(n).toBe(2);
  }, 420_000);
});
