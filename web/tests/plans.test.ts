// Browser journey of the annual plan (issue 5, points 2, 6 and 7) in Debian's Chromium: the demo official
// drafts from the agency outline, edits a key result, saves and submits; the secretariat appraises; the
// standing committee returns it with a comment on that key result; the official sees the comment, fixes
// it (saving twice) and resubmits; the secretariat appraises again, seeing the diff against the returned
// version (not merely the previous one); the committee approves; the plan
// shows approved; an administrator then opens the plan's workflow history (each transition continues the
// run as new, so the plan's history is its chain of runs) and finds every Update accepted there, with the
// Temporal UI link. A real worker runs the annual-plan workflow on the Temporal dev server with its
// calendar warped (one virtual day per minute from 2/11 of the year before). Every screen: no serious or
// critical axe violation; the editor at 360 px has no sideways scrolling.
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { workflowsPath } from '../../worker/run.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, fill, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

const UI = 'http://127.0.0.1:8233';
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const YEAR = new Date().getUTCFullYear() + 1;

/** No serious or critical axe violation, at desktop width and at 360 px (no sideways scrolling there). */
async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  await page.setViewportSize(size);
}

describe('annual plan journey: draft, submit, appraise, return, fix, resubmit, approve', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const contexts: BrowserContext[] = [];
  let official: Page;
  let secretariat: Page;
  let committee: Page;
  let planUrl = '';

  beforeAll(async () => {
    const taskQueue = `plans-web-${randomUUID()}`;
    database = await freshDatabase();
    await loadDemoProvince(database.db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(database.db);
    const address = inject('temporalAddress');
    native = await NativeConnection.connect({ address });
    const [bundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath, logger: quiet }),
      ensureWebBuild(),
    ]);
    worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({ db: database.db }),
    });
    running = worker.run();
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: address,
      temporalUiUrl: UI,
      port: await freePort(),
      plans: {
        taskQueue,
        adjustInput: (i) => ({ ...i, timeWarp: warpFrom(`${YEAR - 1}-11-02`, 60_000) }),
      },
    });
    web = await startWeb(api.url);
    browser = await launchBrowser();
    const page = async () => {
      const c = await newContext(browser);
      contexts.push(c);
      return c.newPage();
    };
    official = await page();
    secretariat = await page();
    committee = await page();
    await signInThroughScreen(official, web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    await signInThroughScreen(secretariat, web.url, 'vanphong@demo.woms.vn', DEMO_PASSWORD, {
      totpSecret: DEMO_TOTP_SECRET,
    });
    await signInThroughScreen(committee, web.url, 'thuongtruc@demo.woms.vn', DEMO_PASSWORD);
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    worker?.shutdown();
    await running?.catch(() => {});
    await native?.close();
  });

  const status = (page: Page) => page.getByTestId('plan-status').getAttribute('data-status');
  async function act(page: Page, button: string, done: RegExp) {
    await Promise.all([page.waitForURL(done, { timeout: 30_000 }), page.getByTestId(button).click()]);
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
  }

  it('the official drafts from the agency outline, edits a key result, saves and submits', async () => {
    // the Department of Finance (Sở Tài chính), the agency of the official's division
    const stc = await database.db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    await open(official, `${web.url}/plans`);
    expect(await official.getAttribute('input[name="unitId"]', 'value')).toBe(stc.id);
    expect(await official.textContent('h1')).toBe(vi.plans_title);
    await sound(official, 'plans list');
    await official.fill('#plan-year', String(YEAR));
    await official.selectOption('#plan-template', 'agency');
    await Promise.all([
      official.waitForURL((u) => u.pathname.startsWith('/plans/plan'), { timeout: 30_000 }),
      official.getByTestId('create-plan').locator('button').click(),
    ]);
    await official.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    planUrl = official.url();
    expect(await status(official)).toBe('DRAFTING');
    expect(await official.getByTestId('task').count()).toBeGreaterThan(3);
    await sound(official, 'editor');
    // the outline's targets are still empty: the pre-checks flag them where they apply
    expect(await official.getByTestId('key-result').first().getByTestId('finding').count()).toBeGreaterThan(
      0,
    );
    // breakthrough items in their own colour
    const breakthrough = official.locator('[data-testid="key-result"].breakthrough').first();
    expect(await breakthrough.evaluate((e) => getComputedStyle(e).borderLeftColor)).toBe('rgb(106, 27, 154)');
    // suggestions while a task title is typed (server-side metric library)
    const title = official.locator('textarea[name^="t|"]').first();
    await title.fill('Tuyên truyền, phổ biến nghị quyết');
    await official.getByTestId('suggestions').first().waitFor({ timeout: 15_000 });
    await title.fill((await title.inputValue()).trim());
    // phone width: no sideways scrolling
    await official.setViewportSize({ width: 360, height: 740 });
    expect(await hasHorizontalScroll(official), 'editor at 360px').toBe(false);
    await sound(official, 'editor at 360px');
    await official.setViewportSize({ width: 1280, height: 800 });
    const kr = official.getByTestId('key-result').first();
    await kr.getByTestId('kr-target').fill('90');
    // move a key result of another task under the first task (a select, no retyping)
    const tasks = official.getByTestId('task');
    const firstTask = (await tasks.first().getAttribute('data-task-id'))!;
    const donor = (
      await tasks.evaluateAll((els) =>
        els.map((e) => e.querySelectorAll('[data-testid="key-result"]').length),
      )
    ).findIndex((n, i) => i > 0 && n > 0);
    const moved = tasks.nth(donor).getByTestId('key-result').first();
    const movedId = (await moved.getAttribute('data-kr-id'))!;
    await moved.locator('select[name$="|task"]').selectOption(firstTask);
    await act(official, 'save', /saved=2/);
    expect(
      await tasks
        .first()
        .getByTestId('key-result')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.krId)),
    ).toContain(movedId);
    expect(await official.getByTestId('form-success').textContent()).toBe(fill(vi.plan_saved, { n: '2' }));
    expect(await official.getByTestId('kr-target').first().inputValue()).toBe('90');
    await act(official, 'submit', /done=submitted/);
    expect(await status(official)).toBe('SUBMITTED');
    expect(await official.getByTestId('readonly').count()).toBe(1);
    await sound(official, 'submitted plan');
  });

  it('the secretariat appraises; the committee returns with a comment on the key result', async () => {
    await open(secretariat, planUrl);
    await sound(secretariat, 'appraisal screen');
    await secretariat.getByTestId('appraise-form').locator('button').click();
    await secretariat.waitForURL(/done=appraised/, { timeout: 30_000 });
    expect(await status(secretariat)).toBe('APPRAISED');
    await open(committee, planUrl);
    await sound(committee, 'decision screen');
    const krId = await committee.getByTestId('key-result').first().getAttribute('data-kr-id');
    await committee.selectOption('#item-0', krId!);
    await committee.fill('#comment-0', 'Chỉ tiêu 90 thấp, đề nghị nâng lên 100');
    await act(committee, 'return', /done=decided/);
    expect(await status(committee)).toBe('DRAFTING');
  });

  it('the official sees the comment on the item, fixes it and resubmits', async () => {
    await open(official, planUrl.split('?')[0]!);
    expect(await status(official)).toBe('DRAFTING');
    const kr = official.getByTestId('key-result').first();
    expect(await kr.getByTestId('item-comment').textContent()).toContain('đề nghị nâng lên 100');
    await sound(official, 'returned plan');
    // a second tab still on version 2
    const stale = await official.context().newPage();
    await open(stale, planUrl.split('?')[0]!);
    await kr.getByTestId('kr-target').fill('100');
    await act(official, 'save', /saved=3/);
    await stale.getByTestId('kr-target').first().fill('80');
    await stale.getByTestId('save').click();
    const conflict = await stale.getByTestId('form-error').textContent({ timeout: 15_000 });
    expect(conflict).toContain('Kế hoạch đã được lưu thành phiên bản 3');
    await stale.close();
    // a second save before resubmitting: the reviewers' diff still starts at the returned version 2
    await official.getByTestId('key-result').first().locator('input[name$="|weight"]').fill('2');
    await act(official, 'save', /saved=4/);
    await act(official, 'submit', /done=submitted/);
    expect(await status(official)).toBe('SUBMITTED');
  });

  it('appraised again (with the diff), approved by the committee; the plan shows approved', async () => {
    await open(secretariat, planUrl.split('?')[0]!);
    const diff = secretariat.getByTestId('plan-diff');
    // against the version the committee returned (2), not the version before the submitted one (3)
    expect(await diff.locator('h2').textContent()).toBe(fill(vi.plan_diff_submitted, { from: '2' }));
    expect(await diff.textContent()).toContain(
      fill(vi.plan_diff_change, { field: vi.plan_kr_target!, from: '90', to: '100' }),
    );
    expect(await diff.textContent()).toContain(
      fill(vi.plan_diff_change, { field: vi.plan_weight!, from: '1', to: '2' }),
    );
    await sound(secretariat, 'appraisal screen with diff');
    await secretariat.getByTestId('appraise-form').locator('button').click();
    await secretariat.waitForURL(/done=appraised/, { timeout: 30_000 });
    await open(committee, planUrl.split('?')[0]!);
    await act(committee, 'approve', /done=decided/);
    expect(await status(committee)).toBe('APPROVED');
    await open(official, planUrl.split('?')[0]!);
    expect(await status(official)).toBe('APPROVED');
    expect(await official.getByTestId('flag-approved').count()).toBe(1);
    // the approved plan may be shown read-only or as an amendment draft (editable): its target is 100
    const first = official.getByTestId('key-result').first();
    expect(
      (await first.getByTestId('kr-target').count())
        ? await first.getByTestId('kr-target').inputValue()
        : await first.getByTestId('kr-target-value').textContent(),
    ).toBe('100');
    expect(await official.getByTestId('submit-form').count()).toBe(0);
    await sound(official, 'approved plan');
  });

  it('an administrator opens the plan’s history: every Update accepted, with the Temporal UI link', async () => {
    // The demo administrator's grant sits at the province: it reaches the Department of Finance's runs.
    const c = await newContext(browser);
    contexts.push(c);
    const admin = await c.newPage();
    await signInThroughScreen(admin, web.url, 'quantri@demo.woms.vn', DEMO_PASSWORD, {
      totpSecret: DEMO_TOTP_SECRET,
    });
    const stc = await database.db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    const planId = decodeURIComponent(new URL(planUrl).pathname.split('/')[2]!);
    const list = `${web.url}/admin/workflows?type=annualPlanWorkflow&unitId=${stc.id}&year=${YEAR}`;
    const rows = admin.getByTestId('wf-runs').locator(`tr[data-workflow-id="${planId}"]`);
    const runsOfPlan = () =>
      rows.evaluateAll((els) =>
        els.map((e) => ({
          href: e.querySelector('a')!.getAttribute('href')!,
          status: e.querySelector('[data-status]')!.getAttribute('data-status')!,
        })),
      );
    // Temporal's visibility store can lag a moment behind the run: reload until the newest run is listed
    // as running or completed and the plan's runs stop growing (three equal reads), for at most 30 s. An
    // approved plan stays in force in its workflow (decomposition, Q1 and monthly plans, amendments), so
    // its newest run keeps running; a workflow without that phase completes on approval.
    const LAST = ['RUNNING', 'COMPLETED'];
    let runs: { href: string; status: string }[] = [];
    let stable = 0;
    for (const until = Date.now() + 30_000; ; ) {
      await open(admin, list);
      const seen = await runsOfPlan();
      stable = LAST.includes(seen[0]?.status ?? '') && seen.length === runs.length ? stable + 1 : 0;
      runs = seen;
      if (stable >= 2 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await admin.textContent('h1')).toBe(vi.wf_title);
    const newest = runs.map((r) => r.status)[0] ?? '';
    expect(LAST).toContain(newest);
    const statusText = newest === 'RUNNING' ? vi.wf_status_running : vi.wf_status_completed;
    expect(await rows.first().locator('[data-status]').textContent()).toBe(statusText);
    for (const r of runs.slice(1)) expect(r.status).toBe('CONTINUED_AS_NEW');
    await sound(admin, 'workflow list of the plan');

    // Every run's history, oldest first: the Updates of the journey, each accepted.
    const accepted: string[] = [];
    for (const [i, run] of [...runs].reverse().entries()) {
      await open(admin, `${web.url}${run.href}`);
      expect(await admin.getByTestId('wf-run').textContent()).toContain(planId);
      expect(await admin.getByTestId('wf-source').getAttribute('data-source')).toBe('temporal');
      const runId = decodeURIComponent(run.href.split('/').at(-1)!);
      expect(await admin.getByTestId('temporal-ui-link').getAttribute('href')).toBe(
        `${UI}/namespaces/default/workflows/${encodeURIComponent(planId)}/${runId}/history`,
      );
      const events = admin.getByTestId('wf-events');
      if (i === 0)
        expect(await events.textContent()).toContain(fill(vi.wf_ev_started, { name: 'annualPlanWorkflow' }));
      if (i === runs.length - 1) {
        expect(await admin.getByTestId('wf-status').textContent()).toBe(statusText);
        if (newest === 'COMPLETED') expect(await events.textContent()).toContain(vi.wf_ev_completed);
      }
      expect(await events.locator('tr[data-kind="update-rejected"]').count()).toBe(0);
      accepted.push(
        ...(await events.locator('tr[data-kind="update-accepted"] td:nth-child(3)').allTextContents()),
      );
      await sound(admin, `history of run ${i + 1}`);
    }
    const acc = (name: string) => fill(vi.wf_ev_update_accepted, { name });
    // submitted, appraised, returned, resubmitted, appraised again, approved
    expect(accepted.map((t) => t.trim())).toEqual([
      acc('submitPlan'),
      acc('appraisePlan'),
      acc('decidePlan'),
      acc('submitPlan'),
      acc('appraisePlan'),
      acc('decidePlan'),
    ]);
  }, 120_000);
});
