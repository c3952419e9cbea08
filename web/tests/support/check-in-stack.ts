// Shared set-up of the browser tests of the check-in screens (check-in, verify, reopen, evidence, reports,
// assessments, handover): the demo database with the province and its accounts, a personal (or unit) plan in
// force seeded for a demo person, a test worker on its own task queue, the API and the web app started,
// Chromium launched and signed-in pages, the official's API session for calls through the routes, the axe +
// 360 px "sound" check, and one teardown. Each test file keeps its own period/year (they keep workflow ids
// apart on the shared dev server) and its own assertions.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { ensureDemoAccounts } from '../../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../../api/server.ts';
import type { Database } from '../../../db/connection.ts';
import { loadDemoProvince } from '../../../db/demo/index.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import { freePort } from '../../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../../domain/calendar/profiles/index.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { type SignedIn, signIn } from '../../../test/support/auth.ts';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './browser.ts';
import { DEMO_PASSWORD, signInThroughScreen } from './demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './webapp.ts';

// ---------------------------------------------------------------------------------------------- key results

const KEY_RESULT: Omit<KeyResult, 'id' | 'title'> = {
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '12000',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
};

/** A key-result builder whose defaults (a monthly KPI in "hồ sơ", target 12 000, no evidence required) are
 *  overridden first by `defaults`, then by each call's `o`. */
export function keyResults(defaults: Partial<KeyResult> = {}) {
  return (id: string, title: string, o: Partial<KeyResult> = {}): KeyResult => ({
    id,
    title,
    ...KEY_RESULT,
    ...defaults,
    ...o,
  });
}

/** The key-result builder with the plain defaults. */
export const kr = keyResults();

// ------------------------------------------------------------------------------------------------ "sound"

/** No serious or critical axe violation, and no sideways scrolling at 360 px (the viewport restored after). */
export async function sound(page: Page, label: string, opts: { axeAt360?: boolean } = {}): Promise<void> {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  if (opts.axeAt360) expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

/** sound(), and axe once more at 360 px. */
export const soundWithAxeAt360 = (page: Page, label: string) => sound(page, label, { axeAt360: true });

/** A page that is already a phone (360×740): no serious or critical axe violation, no sideways scrolling. */
export async function soundOnPhone(page: Page, label: string): Promise<void> {
  expect(page.viewportSize()).toEqual({ width: 360, height: 740 });
  expect(await seriousAxeViolations(page), label).toEqual([]);
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
}

// ------------------------------------------------------------------------------------------ dates, people

/** Last month in Hà Nội (YYYY-MM). */
export function lastMonthVn(): string {
  const vn = new Date(Date.now() + 7 * 3600_000);
  const d = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The demo accounts the check-in tests use. */
export const DEMO_EMAIL = {
  /** Nguyễn Thị Lan, an official of the Budget Management Division. */
  official: 'canbo@demo.woms.vn',
  /** Trần Văn Hùng, her division head and supervisor. */
  supervisor: 'truongphong@demo.woms.vn',
  /** Lê Minh Tuấn, Director of the Department of Finance. */
  head: 'giamdoc@demo.woms.vn',
} as const;

/** The id of the person with this e-mail. */
export async function personId(db: Database, email: string): Promise<string> {
  return (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** The unit of a person's employment (`primary`: the main one, not a concurrent post). */
export async function unitOf(
  db: Database,
  person: string,
  opts: { primary?: boolean } = {},
): Promise<string> {
  let q = db.selectFrom('employment').select('org_unit_id').where('person_id', '=', person);
  if (opts.primary) q = q.where('is_concurrent', '=', false);
  return (await q.executeTakeFirstOrThrow()).org_unit_id;
}

// -------------------------------------------------------------------------------------------- plans in force

export type PlanOwner =
  | { kind: 'person'; personId: string; unitId: string }
  | { kind: 'unit'; unitId: string };

/** Seeds an APPROVED plan of `year` (no workflow) and its version in force with these tasks. */
export async function seedPlanInForce(
  db: Database,
  p: { year: number; owner: PlanOwner; tasks: Plan['tasks'] },
): Promise<{ planId: string; versionId: string }> {
  const { year, owner } = p;
  const planId =
    owner.kind === 'person' ? `plan:${year}:person:${owner.personId}` : `plan:${year}:unit:${owner.unitId}`;
  await db
    .insertInto('plan')
    .values({
      id: planId,
      owner_kind: owner.kind,
      unit_id: owner.unitId,
      person_id: owner.kind === 'person' ? owner.personId : null,
      year,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id: planId,
    year,
    owner:
      owner.kind === 'person'
        ? { kind: 'person', personId: owner.personId }
        : { kind: 'unit', unitId: owner.unitId },
    tasks: p.tasks,
  };
  const v = await createPlanVersion(db, {
    planId,
    content: { ...content, sections: [] },
    createdBy: 'test',
  });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
  return { planId, versionId: v.id };
}

// ------------------------------------------------------------------------------------------------ the stack

/** A fresh database with the demo province and its demo accounts. */
export async function demoDatabase(): Promise<TestDatabase> {
  const database = await freshDatabase();
  await loadDemoProvince(database.db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
  await ensureDemoAccounts(database.db);
  return database;
}

export interface CheckInStack {
  database: TestDatabase;
  api: RunningApi;
  web: RunningWeb;
  browser: Browser;
  /** The test worker on its own task queue (absent when the stack was started without `taskQueue`). */
  worker: TestWorker;
  taskQueue: string;
  /** A new browser context (closed by stop()); desktop-sized unless told otherwise. */
  context(opts?: { width?: number; height?: number }): Promise<BrowserContext>;
  /** A page in a new context, signed in through the sign-in screen (its context closed by stop()). */
  signedIn(email: string, opts?: { width?: number; height?: number; totpSecret?: string }): Promise<Page>;
  /** Closes the contexts and the browser, stops the web app, the API and the worker (its workflows terminated). */
  stop(): Promise<void>;
}

/**
 * Starts, on `database` (seeded by the caller): a test worker on its own task queue `${taskQueue}-<uuid>` when
 * `taskQueue` is given (the API's plans use it), the API (`evidenceMaxBytes`: its evidence limit, and the web
 * app's), the built web app and Chromium. Whatever was started is stopped again when a later step fails.
 */
export async function startCheckInStack(
  database: TestDatabase,
  opts: { taskQueue?: string; evidenceMaxBytes?: number } = {},
): Promise<CheckInStack> {
  const taskQueue = opts.taskQueue ? `${opts.taskQueue}-${randomUUID()}` : '';
  const contexts: BrowserContext[] = [];
  let worker: TestWorker | undefined;
  let api: RunningApi | undefined;
  let web: RunningWeb | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    await worker?.stop();
  };
  try {
    [worker] = await Promise.all([
      taskQueue ? startTestWorker(database.db, { taskQueue }) : undefined,
      ensureWebBuild(),
    ]);
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      port: await freePort(),
      ...(taskQueue ? { plans: { taskQueue } } : {}),
      ...(opts.evidenceMaxBytes ? { evidence: { maxBytes: opts.evidenceMaxBytes } } : {}),
    });
    web = await startWeb(api.url, opts.evidenceMaxBytes ? { evidenceMaxBytes: opts.evidenceMaxBytes } : {});
    browser = await launchBrowser();
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  const b = browser;
  const w = web;
  const context = async (o: { width?: number; height?: number } = {}) => {
    const c = await newContext(b, o);
    contexts.push(c);
    return c;
  };
  return {
    database,
    api,
    web,
    browser,
    // Without a task queue nothing uses the worker; a stand-in keeps the type simple for the callers that do.
    worker: worker ?? noWorker,
    taskQueue,
    context,
    async signedIn(email, o = {}) {
      const page = await (await context({ width: o.width, height: o.height })).newPage();
      await signInThroughScreen(
        page,
        w.url,
        email,
        DEMO_PASSWORD,
        o.totpSecret ? { totpSecret: o.totpSecret } : {},
      );
      return page;
    },
    stop,
  };
}

const noWorker: TestWorker = {
  get client(): never {
    throw new Error('this stack was started without a worker (no taskQueue)');
  },
  taskQueue: '',
  started: [],
  async stop() {},
};

// ------------------------------------------------------------------------------------------- API sessions

export interface ApiSession extends SignedIn {
  /** A JSON request as this person; throws unless the answer's status is one of `okStatuses`. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Record<string, unknown>>;
  /** Uploads a file (multipart, the way the check-in screen sends it) to the period's evidence, attached to
   *  `keyResult` (`planId/keyResultId`) when given. The response is returned unread. */
  upload(
    period: string,
    file: { name: string; bytes: Uint8Array; type?: string },
    keyResult?: string,
  ): Promise<Response>;
}

/** Signs `email` in through the API routes (demo password) for calls the test makes through the API. */
export async function apiSession(
  apiUrl: string,
  email: string,
  opts: { okStatuses?: number[] } = {},
): Promise<ApiSession> {
  const ok = opts.okStatuses ?? [200];
  const session = await signIn(
    { request: (p: string, init?: RequestInit) => fetch(`${apiUrl}${p}`, init) },
    email,
    DEMO_PASSWORD,
  );
  return {
    ...session,
    async call(method, p, body, headers = {}) {
      const r = await fetch(`${apiUrl}${p}`, {
        method,
        headers: { ...session.headers, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await r.json()) as Record<string, unknown>;
      if (!ok.includes(r.status)) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    },
    upload(period, file, keyResult) {
      const body = new FormData();
      body.append(
        'file',
        new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/pdf' }),
        file.name,
      );
      if (keyResult) body.append('keyResult', keyResult);
      return fetch(`${apiUrl}/api/check-ins/mine/${period}/evidence`, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(session.headers).filter(([k]) => k.toLowerCase() !== 'content-type'),
        ),
        body,
      });
    },
  };
}
