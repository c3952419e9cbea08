// Browser journey of delegation while away (DESIGN §3; issue 5 of WOMS) in Debian's Chromium, with a real
// worker running the delegation workflow on the Temporal dev server: the demo official (Phòng Quản lý ngân
// sách, Sở Tài chính) asks to delegate to her head of division — a reversed window is refused with the
// Vietnamese message and nothing is saved — then sends a valid request; since the delegate cannot approve
// it, it goes to the director, who finds it in the inbox, follows the task to this screen and approves; the
// delegate's inbox then lists the official's open task marked "Thay mặt Nguyễn Thị Lan"; the official
// revokes and the task leaves the delegate's inbox. The screen in English comes from the catalogue. Every
// screen: no serious or critical axe violation, no sideways scrolling at 360 px.
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { todayVn } from '../../db/queries/org-tree.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { addCalendarDays } from '../../domain/calendar/vn-time.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { workflowsPath } from '../../worker/run.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, en, fill, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map(
        (e) =>
          `${e.parentElement?.className} > ${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)} "${e.textContent?.slice(0, 40)}"`,
      )
      .slice(0, 8),
  );
  expect(await hasHorizontalScroll(page), `${label} at 360px: ${wide.join(', ')}`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

describe('delegation journey: request, approve from the inbox, act on behalf, revoke', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const contexts: BrowserContext[] = [];
  let official: Page;
  let director: Page;
  let delegate: Page;
  const today = todayVn();
  const taskId = `t-${randomUUID()}`;
  const url = (p: string) => `${web.url}${p}`;
  const count = async () =>
    Number(
      (
        await database.db
          .selectFrom('delegation')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    const taskQueue = `delegation-web-${randomUUID()}`;
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
      port: await freePort(),
      delegations: { taskQueue },
    });
    web = await startWeb(api.url);
    browser = await launchBrowser();
    // an open task of the official (a plan to submit), which her delegate will see on her behalf
    const { db } = database;
    const lan = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'canbo@demo.woms.vn')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('task')
      .values({
        id: taskId,
        workflow_id: 'wf:test',
        update_name: 'submitPlan',
        kind: 'plan.submit',
        subject_type: 'plan',
        subject_id: 'plan:test',
        assignee_person_id: lan.id,
        assignee_role: null,
        assignee_unit_id: null,
        due_at: new Date(Date.now() + 5 * 86_400_000),
        logical_due_date: addCalendarDays(today, 5),
        closed_at: null,
        closed_by: null,
      })
      .execute();
    const page = async () => {
      const c = await newContext(browser);
      contexts.push(c);
      return c.newPage();
    };
    official = await page();
    director = await page();
    delegate = await page();
    await signInThroughScreen(official, web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    await signInThroughScreen(director, web.url, 'giamdoc@demo.woms.vn', DEMO_PASSWORD);
    await signInThroughScreen(delegate, web.url, 'truongphong@demo.woms.vn', DEMO_PASSWORD);
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

  async function submit(page: Page, testId: string) {
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/account/delegation')),
      page.getByTestId(testId).click(),
    ]);
    await page.waitForLoadState('networkidle');
  }

  it('the official asks for a delegation; a reversed window is refused in Vietnamese, saving nothing', async () => {
    await open(official, url('/account/delegation'));
    expect(await official.textContent('h1')).toBe(vi.delegation_title);
    await sound(official, 'delegation screen');
    const form = official.getByTestId('request-form');
    await form.locator('#delegateId').selectOption({ label: 'Trần Văn Hùng' });
    await official.fill('#from', addCalendarDays(today, 2));
    await official.fill('#to', today);
    await official.fill('#reason', 'Nghỉ phép năm');
    const before = await count();
    await submit(official, 'request-submit');
    expect(await official.getByTestId('form-error').textContent()).toBe(
      'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
    );
    // what was typed stays; nothing was saved
    expect(await official.inputValue('#reason')).toBe('Nghỉ phép năm');
    expect(await count()).toBe(before);

    await official.fill('#from', today);
    await official.fill('#to', addCalendarDays(today, 2));
    await Promise.all([
      official.waitForURL(/done=requested/),
      official.getByTestId('request-submit').click(),
    ]);
    await official.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    expect(await official.getByTestId('form-success').textContent()).toBe(vi.delegation_requested_ok);
    const mine = official.getByTestId('mine').getByTestId('delegation');
    expect(await mine.count()).toBe(1);
    expect(await mine.getAttribute('data-status')).toBe('REQUESTED');
    const text = await mine.textContent();
    expect(text).toContain(fill(vi.delegation_delegate_is, { name: 'Trần Văn Hùng' }));
    // the delegate cannot approve it: the director of the department does
    expect(text).toContain(fill(vi.delegation_approver_is, { name: 'Lê Minh Tuấn' }));
    await sound(official, 'delegation screen with a request');
  });

  it('the director finds it in the inbox, follows the task and approves', async () => {
    await open(director, url('/inbox'));
    const task = director.getByTestId('inbox-task').filter({ hasText: vi.delegation_task_approve! });
    expect(await task.count()).toBe(1);
    await Promise.all([
      director.waitForURL((u) => u.pathname === '/account/delegation'),
      task.locator('a').click(),
    ]);
    await director.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    const req = director.getByTestId('to-approve').getByTestId('delegation');
    expect(await req.getAttribute('data-status')).toBe('REQUESTED');
    expect(await req.textContent()).toContain(fill(vi.delegation_principal_is, { name: 'Nguyễn Thị Lan' }));
    await sound(director, 'delegation screen of the approver');
    await director.fill(`[data-testid="decide-form"] input[name="note"]`, 'Đồng ý');
    await Promise.all([director.waitForURL(/done=decided/), director.getByTestId('approve').click()]);
    await director.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    expect(
      await director.getByTestId('to-approve').getByTestId('delegation').getAttribute('data-status'),
    ).toBe('ACTIVE');
    // the approval task left the director's inbox
    await open(director, url('/inbox'));
    expect(
      await director.getByTestId('inbox-task').filter({ hasText: vi.delegation_task_approve! }).count(),
    ).toBe(0);
  });

  it("the delegate's inbox lists the official's task on her behalf; revoked, it is gone", async () => {
    await open(delegate, url('/inbox'));
    const row = delegate.locator(`[data-testid="inbox-task"][data-task-id="${taskId}"]`);
    expect(await row.getByTestId('on-behalf').textContent()).toBe(
      fill(vi.delegation_on_behalf, { name: 'Nguyễn Thị Lan' }),
    );
    await sound(delegate, 'inbox with a task on behalf of another');
    await open(delegate, url('/account/delegation'));
    expect(
      await delegate.getByTestId('as-delegate').getByTestId('delegation').getAttribute('data-status'),
    ).toBe('ACTIVE');

    await open(official, url('/account/delegation'));
    await Promise.all([official.waitForURL(/done=revoked/), official.getByTestId('revoke').click()]);
    await official.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    expect(await official.getByTestId('mine').getByTestId('delegation').getAttribute('data-status')).toBe(
      'REVOKED',
    );
    await open(delegate, url('/inbox'));
    expect(await delegate.locator(`[data-testid="inbox-task"][data-task-id="${taskId}"]`).count()).toBe(0);
  });

  it('the screen in English comes from the catalogue', async () => {
    await open(official, url('/account/delegation'));
    await official.getByTestId('language-switch').click();
    await official.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await official.textContent('h1')).toBe(en.delegation_title);
    expect(await official.getByTestId('mine').getByTestId('delegation-status').textContent()).toBe(
      en.delegation_status_revoked,
    );
  });
});
