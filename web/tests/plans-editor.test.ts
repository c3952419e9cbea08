// Browser journeys of the plan editor's structural edits and the filed path (issue 5) in Debian's Chromium:
// - a plan of the following year (its calendar warped to 24/12, 30 s a virtual day) is submitted with a
//   double click: one Update is accepted, under the Idempotency-Key the form was rendered with; not
//   decided by 25/12, it shows FILED ("Lưu tạm thời") with the in-force-provisionally flag;
// - on this year's plan the official adds a task under a section, adds a key result by keyboard, takes a
//   suggested metric ("Dùng gợi ý này") that fills a key result ready for a target, removes a key result
//   and a task after confirming, sets quarterly and monthly targets (the coverage pre-check shown next to
//   the key result) and the four perspective weights — each saved as a new version;
// - the spreadsheet import: the template downloads, an invalid workbook saves nothing and lists its row
//   errors by column, a valid one becomes a new version;
// - the editor in English, from the English catalogue;
// - on the filed plan (in force): the unit head assigns it to a sub-unit ("Giao kế hoạch", with the
//   coverage), the official submits the Q1 plan and proposes an amendment with a reason, and the unit head
//   approves the Q1 plan;
// - then January's plan is returned with a comment (an empty return is refused), shown to the official and
//   resubmitted; the amendment is endorsed by the province's secretariat and approved by the standing
//   committee (each level offered only its own decisions), after which the amended version is in force; and
//   completing the decomposition is refused, listing the coverage gap, while the division's share falls short
//   of the parent's target, and accepted once the division's draft covers it.
// Every screen: no serious or critical axe violation; at 360 px no sideways scrolling.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { PLAN_COLUMNS } from '../../api/routes/plans/import.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { metricById } from '../../domain/plan/templates/metric-library.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { workflowsPath } from '../../worker/run.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  en,
  fill,
  hydrated,
  open,
  signInThroughScreen,
  vi,
} from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
/** Plan years no other test file uses: plan workflows run on after approval and their ids are business keys
 * (plan:<year>:unit:<id>) on the dev server every test file shares, and the demo province's ids are the same
 * in every file's database, so web/tests/plans.test.ts (next year) must not meet these runs. */
const YEAR = new Date().getUTCFullYear() + 2;
/** The plan year whose calendar starts on 24/12 of the year before: filed within a minute. */
const FILED_YEAR = YEAR + 1;

async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  await page.setViewportSize(size);
}

async function workbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Kế hoạch');
  ws.addRow(PLAN_COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('plan editor: structure, suggestions, period targets, import, English; the filed path', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let native: NativeConnection;
  let connection: Connection;
  let temporal: Client;
  let worker: Worker;
  let running: Promise<void>;
  const contexts: BrowserContext[] = [];
  let official: Page;
  let planUrl = '';
  let filedUrl = '';

  beforeAll(async () => {
    const taskQueue = `plans-editor-web-${randomUUID()}`;
    database = await freshDatabase();
    await loadDemoProvince(database.db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(database.db);
    const address = inject('temporalAddress');
    native = await NativeConnection.connect({ address });
    connection = await Connection.connect({ address });
    temporal = new Client({ connection });
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
      plans: {
        taskQueue,
        adjustInput: (i) => ({
          ...i,
          timeWarp:
            i.year === FILED_YEAR
              ? warpFrom(`${FILED_YEAR - 1}-12-24`, 30_000)
              : warpFrom(`${YEAR - 1}-11-02`, 60_000),
        }),
      },
    });
    web = await startWeb(api.url);
    browser = await launchBrowser();
    const c = await newContext(browser);
    contexts.push(c);
    official = await c.newPage();
    await signInThroughScreen(official, web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    worker?.shutdown();
    await running?.catch(() => {});
    await native?.close();
    await connection?.close();
  });

  const status = (page: Page) => page.getByTestId('plan-status').getAttribute('data-status');
  async function act(page: Page, click: () => Promise<void>, done: RegExp) {
    await Promise.all([page.waitForURL(done, { timeout: 30_000 }), click()]);
    await hydrated(page);
  }
  async function createPlan(year: number): Promise<string> {
    await open(official, `${web.url}/plans`);
    await official.fill('#plan-year', String(year));
    await official.selectOption('#plan-template', 'agency');
    await Promise.all([
      official.waitForURL((u) => u.pathname.startsWith('/plans/plan'), { timeout: 30_000 }),
      official.getByTestId('create-plan').locator('button').click(),
    ]);
    await hydrated(official);
    return official.url().split('?')[0]!;
  }
  const task = (id: string) => official.locator(`[data-testid="task"][data-task-id="${id}"]`);
  const taskIds = () =>
    official.getByTestId('task').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.taskId!));
  const krIds = (id: string) =>
    task(id)
      .getByTestId('key-result')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.krId!));
  const focusedId = () => official.evaluate(() => document.activeElement?.getAttribute('data-focus-id'));

  /** The accepted Updates of every run of a plan's workflow (its runs continue as new), oldest first. */
  async function acceptedUpdates(planId: string) {
    const out: { name: string; updateId: string }[] = [];
    let runId: string | undefined;
    for (;;) {
      const history = await temporal.workflow.getHandle(planId, runId).fetchHistory();
      const events = history.events ?? [];
      out.unshift(
        ...events.flatMap((e) => {
          const a = e.workflowExecutionUpdateAcceptedEventAttributes;
          return a
            ? [
                {
                  name: a.acceptedRequest?.input?.name ?? '',
                  updateId: a.acceptedRequest?.meta?.updateId ?? a.protocolInstanceId ?? '',
                },
              ]
            : [];
        }),
      );
      const prev = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!prev) return out;
      runId = prev;
    }
  }

  it('a double-clicked submit is applied once, under the key the form was rendered with', async () => {
    filedUrl = await createPlan(FILED_YEAR);
    expect(await status(official)).toBe('DRAFTING');
    const key = await official.getAttribute(
      '[data-testid="submit-form"] input[name="idempotencyKey"]',
      'value',
    );
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    await act(official, () => official.getByTestId('submit').dblclick(), /done=submitted/);
    expect(await status(official)).toBe('SUBMITTED');
    expect(await official.getByTestId('form-error').count()).toBe(0);
    const planId = decodeURIComponent(new URL(filedUrl).pathname.split('/')[2]!);
    const submits = (await acceptedUpdates(planId)).filter((u) => u.name === 'submitPlan');
    expect(submits).toEqual([{ name: 'submitPlan', updateId: `submit:key:${key}` }]);
    // a new rendering of a form is a new key
    await open(official, `${web.url}/plans`);
    await open(official, filedUrl);
    expect(await official.getByTestId('submit-form').count()).toBe(0);
  }, 90_000);

  it('adds a task under a section and a key result by keyboard, each saved as a new version', async () => {
    planUrl = await createPlan(YEAR);
    expect(await status(official)).toBe('DRAFTING');
    await sound(official, 'editor');
    const before = await taskIds();
    const section = await official.locator('#new-task-where option:not([value^="perspective:"])').first();
    const sectionId = (await section.getAttribute('value'))!;
    await official.fill('#new-task-title', 'Nâng cao chất lượng công tác tư tưởng trong cơ quan');
    await official.selectOption('#new-task-where', sectionId);
    await act(official, () => official.getByTestId('add-task').click(), /saved=2/);
    expect(await official.getByTestId('form-success').textContent()).toBe(fill(vi.plan_saved, { n: '2' }));
    const added = (await taskIds()).filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    const t = added[0]!;
    expect(await task(t).locator('textarea[name$="|title"]').first().inputValue()).toBe(
      'Nâng cao chất lượng công tác tư tưởng trong cơ quan',
    );
    expect(await task(t).locator('select[name$="|section"]').inputValue()).toBe(sectionId);
    expect(await task(t).getByTestId('add-kr').locator('.hint').textContent()).toBe(
      fill(vi.plan_kr_limits, { n: '0' }),
    );
    // focus is on the new task's key-result field: type it, Tab to "Thêm mục tiêu then chốt", Enter
    expect(await focusedId()).toBe(t);
    await official.keyboard.type('Tỷ lệ cán bộ được quán triệt nghị quyết');
    await official.keyboard.press('Tab');
    expect(await official.evaluate(() => document.activeElement?.textContent)).toBe(vi.plan_add_kr);
    await act(official, () => official.keyboard.press('Enter'), /saved=3/);
    const [kr] = await krIds(t);
    expect(kr).toBeTruthy();
    expect(await official.locator(`[data-kr-id="${kr}"] textarea[name$="|title"]`).inputValue()).toBe(
      'Tỷ lệ cán bộ được quán triệt nghị quyết',
    );
    expect(await focusedId()).toBe(kr); // ready for its target
    // a single key result cannot be removed (the task keeps one)
    expect(await task(t).getByTestId('remove-kr').count()).toBe(0);
  }, 120_000);

  it('"Dùng gợi ý này" fills a key result from the metric library, ready for its target', async () => {
    const ids = await taskIds();
    // the task added above: the one whose title is the typed one
    const mine = await official
      .getByTestId('task')
      .evaluateAll((els) =>
        els
          .filter((e) =>
            (e.querySelector('textarea[name$="|title"]') as HTMLTextAreaElement | null)?.value.startsWith(
              'Nâng cao chất lượng',
            ),
          )
          .map((e) => (e as HTMLElement).dataset.taskId!),
      );
    expect(ids).toContain(mine[0]);
    const id = mine[0]!;
    const title = task(id).locator('textarea[name$="|title"]').first();
    await title.fill('Tuyên truyền, phổ biến nghị quyết');
    await task(id).getByTestId('suggestions').waitFor({ timeout: 15_000 });
    expect(await task(id).getByTestId('suggestions').textContent()).toContain(vi.plan_suggestion_hint);
    const first = task(id).getByTestId('suggestion').first();
    const metricId = (await first.getAttribute('data-metric-id'))!;
    const metric = metricById(metricId)!;
    expect(metric).toBeTruthy();
    expect(await first.getByTestId('use-suggestion').textContent()).toBe(vi.plan_use_suggestion);
    await sound(official, 'editor with suggestions');
    const before = await krIds(id);
    await act(official, () => first.getByTestId('use-suggestion').click(), /saved=4/);
    const after = await krIds(id);
    expect(after).toHaveLength(2);
    const kr = after.find((k) => !before.includes(k))!;
    const box = official.locator(`[data-kr-id="${kr}"]`);
    expect(await box.locator('textarea[name$="|title"]').inputValue()).toBe(metric.title);
    expect(await box.locator('input[name$="|unit"]').inputValue()).toBe(metric.unit);
    expect(await box.locator('select[name$="|direction"]').inputValue()).toBe(metric.direction);
    expect(await box.locator('select[name$="|aggregation"]').inputValue()).toBe(metric.aggregation);
    expect(await box.locator('select[name$="|cadence"]').inputValue()).toBe(metric.cadence);
    expect(await box.getByTestId('kr-target').inputValue()).toBe('');
    expect(await focusedId()).toBe(kr);
    // the title typed before choosing was saved with it
    expect(await title.inputValue()).toBe('Tuyên truyền, phổ biến nghị quyết');
  }, 120_000);

  it('removes a key result and a task only after confirming (Escape cancels)', async () => {
    const id = (
      await official
        .getByTestId('task')
        .evaluateAll((els) =>
          els
            .filter((e) =>
              (e.querySelector('textarea[name$="|title"]') as HTMLTextAreaElement).value.startsWith(
                'Tuyên truyền',
              ),
            )
            .map((e) => (e as HTMLElement).dataset.taskId!),
        )
    )[0]!;
    const [keep, drop] = await krIds(id);
    const dropBox = official.locator(`[data-kr-id="${drop}"]`);
    await dropBox.getByTestId('remove-kr').click();
    expect(await official.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'confirm-yes',
    );
    expect(await dropBox.getByTestId('confirm-remove').textContent()).toContain(vi.plan_remove_yes);
    await sound(official, 'editor asking to confirm a removal');
    await official.keyboard.press('Escape');
    expect(await dropBox.getByTestId('confirm-remove').count()).toBe(0);
    expect(await official.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'remove-kr',
    );
    await official.keyboard.press('Enter');
    await dropBox.getByTestId('confirm-yes').waitFor();
    expect(await official.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'confirm-yes',
    );
    await act(official, () => official.keyboard.press('Enter'), /saved=5/);
    expect(await krIds(id)).toEqual([keep]);
    // a whole task (the outline's last), with its key results
    const ids = await taskIds();
    const last = ids.at(-1)!;
    expect(last).not.toBe(id);
    await task(last).getByTestId('remove-task').click();
    await act(official, () => task(last).getByTestId('confirm-yes').click(), /saved=6/);
    expect(await taskIds()).toEqual(ids.slice(0, -1));
    const v = await database.db
      .selectFrom('plan_version')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('plan_id', '=', decodeURIComponent(new URL(planUrl).pathname.split('/')[2]!))
      .executeTakeFirstOrThrow();
    expect(Number(v.n)).toBe(6);
  }, 120_000);

  it('quarterly and monthly targets with the coverage check next to the key result; perspective weights', async () => {
    const id = (
      await official
        .getByTestId('task')
        .evaluateAll((els) =>
          els
            .filter((e) =>
              (e.querySelector('textarea[name$="|title"]') as HTMLTextAreaElement).value.startsWith(
                'Tuyên truyền',
              ),
            )
            .map((e) => (e as HTMLElement).dataset.taskId!),
        )
    )[0]!;
    const [kr] = await krIds(id);
    const box = () => official.locator(`[data-kr-id="${kr}"]`);
    const q = (n: number) => box().locator(`input[name$="|q${n}"]`);
    const month = (n: number) => box().locator(`input[name$="|m${String(n).padStart(2, '0')}"]`);
    await box().locator('select[name$="|direction"]').selectOption('higher');
    await box().locator('select[name$="|aggregation"]').selectOption('sum');
    await box().getByTestId('kr-target').fill('100');
    for (const n of [1, 2, 3, 4]) await q(n).fill('20');
    for (const [p, w] of [
      ['citizens', '40'],
      ['budget', '20'],
      ['processes', '25'],
      ['learning', '15'],
    ] as const)
      await official.fill(`#pw-${p}`, w);
    await act(official, () => official.getByTestId('save').click(), /saved=7/);
    const coverage = box().getByTestId('coverage');
    expect(await coverage.first().getAttribute('data-ok')).toBe('false');
    expect(await coverage.first().textContent()).toContain(
      vi.plan_coverage_issue!.replace('{text}', '').trim(),
    );
    // months: eight of 8 and four of 9 make 100; the fourth quarter raised to 40
    await box().getByTestId('kr-months').locator('summary').click();
    for (let n = 1; n <= 12; n++) await month(n).fill(n <= 8 ? '8' : '9');
    await q(4).fill('40');
    await act(official, () => official.getByTestId('save').click(), /saved=8/);
    expect(await box().getByTestId('coverage').textContent()).toBe(vi.plan_coverage_ok);
    expect(await box().getByTestId('coverage').getAttribute('data-ok')).toBe('true');
    expect(await month(12).inputValue()).toBe('9');
    expect(await q(4).inputValue()).toBe('40');
    expect(await official.inputValue('#pw-processes')).toBe('25');
    const planId = decodeURIComponent(new URL(planUrl).pathname.split('/')[2]!);
    const latest = await database.db
      .selectFrom('plan_version')
      .select('content')
      .where('plan_id', '=', planId)
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow();
    const content = latest.content as {
      perspectiveWeights?: Record<string, string>;
      tasks: { keyResults: { id: string; periodTargets?: Record<string, string> }[] }[];
    };
    expect(content.perspectiveWeights).toEqual({
      citizens: '40',
      budget: '20',
      processes: '25',
      learning: '15',
    });
    const targets = content.tasks.flatMap((t) => t.keyResults).find((k) => k.id === kr)!.periodTargets!;
    expect(targets[`${YEAR}-Q4`]).toBe('40');
    expect(targets[`${YEAR}-03`]).toBe('8');
    expect(Object.keys(targets)).toHaveLength(16);
    await sound(official, 'editor with period targets');
  }, 120_000);

  it('imports a workbook: the template downloads, an invalid one saves nothing, a valid one is a new version', async () => {
    await open(official, planUrl);
    await act(official, () => official.getByTestId('import-link').click(), /\/import$/);
    expect(await official.textContent('h1')).toBe(fill(vi.plan_import_title, { year: String(YEAR) }));
    const href = (await official.getByTestId('import-template').getAttribute('href'))!;
    const tpl = await official.request.get(`${web.url}${href}`);
    expect(tpl.status()).toBe(200);
    expect(tpl.headers()['content-type']).toContain('spreadsheetml');
    await sound(official, 'import screen');
    const planId = decodeURIComponent(new URL(planUrl).pathname.split('/')[2]!);
    const versions = async () =>
      Number(
        (
          await database.db
            .selectFrom('plan_version')
            .select(({ fn }) => fn.countAll<string>().as('n'))
            .where('plan_id', '=', planId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const row = (over: Record<string, string>) =>
      PLAN_COLUMNS.map(
        (c) =>
          (
            ({
              perspective: 'citizens',
              taskId: 'NV1',
              taskTitle: 'Cải cách thủ tục hành chính',
              krId: 'KR1',
              krTitle: 'Tỷ lệ hồ sơ giải quyết đúng hạn',
              unit: '%',
              target: '95',
              ...over,
            }) as Record<string, string>
          )[c.key] ?? '',
      );
    const upload = async (buf: Buffer) => {
      await official.setInputFiles('#file', {
        name: 'ke-hoach.xlsx',
        mimeType: 'application/octet-stream',
        buffer: buf,
      });
      await official.getByTestId('plan-import-submit').click();
      await official
        .getByTestId('form-error')
        .or(official.getByTestId('form-success'))
        .first()
        .waitFor({ timeout: 30_000 });
    };
    const n = await versions();
    await upload(await workbook([row({}), row({ krId: 'KR2', target: '', perspective: 'people' })]));
    await official.getByTestId('plan-import-report').waitFor();
    const errors = official.getByTestId('import-error');
    const codes = await errors.evaluateAll((els) =>
      els.map((e) => `${(e as HTMLElement).dataset.row}:${(e as HTMLElement).dataset.code}`),
    );
    expect(codes).toEqual(expect.arrayContaining(['3:REQUIRED', '3:INVALID']));
    const report = await official.getByTestId('plan-import-report').textContent();
    expect(report).toContain(vi.plan_kr_target);
    expect(report).toContain(vi.plan_import_error_REQUIRED);
    expect(report).toContain(vi.plan_field_perspective);
    expect(await versions()).toBe(n);
    await sound(official, 'import with row errors');
    await upload(
      await workbook([row({}), row({ krId: 'KR2', krTitle: 'Số thủ tục được cắt giảm', target: '10' })]),
    );
    await official.getByTestId('form-success').waitFor();
    expect(await official.getByTestId('form-success').textContent()).toBe(
      fill(vi.plan_import_done, { rows: '2', n: String(n + 1) }),
    );
    expect(await versions()).toBe(n + 1);
    await act(official, () => official.getByTestId('back-to-plan').click(), /\/plans\/plan[^/]*$/);
    expect(await official.getByTestId('task').count()).toBe(1);
    expect(await official.getByTestId('key-result').count()).toBe(2);
  }, 120_000);

  it('the editor in English, from the English catalogue', async () => {
    await open(official, planUrl);
    await Promise.all([
      official.waitForFunction(() => document.documentElement.lang === 'en'),
      official.getByTestId('language-switch').click(),
    ]);
    await hydrated(official);
    expect(new URL(official.url()).pathname).toBe(new URL(planUrl).pathname);
    expect(await official.textContent('h1')).toBe(fill(en.plan_heading, { year: String(YEAR) }));
    expect(await official.getByTestId('add-task').textContent()).toBe(en.plan_add_task);
    expect(await official.getByTestId('new-task').locator('legend').textContent()).toBe(en.plan_new_task);
    expect(await official.getByTestId('perspective-weights').locator('legend').textContent()).toBe(
      en.plan_perspective_weight,
    );
    expect(await official.getByTestId('import-link').textContent()).toBe(en.plan_import);
    expect(await official.getByTestId('add-kr-button').first().textContent()).toBe(en.plan_add_kr);
    expect(await official.getByTestId('kr-months').first().locator('summary').textContent()).toBe(
      en.plan_kr_months,
    );
    expect(await official.getByTestId('plan-status').textContent()).toBe(en.plan_status_DRAFTING);
    await official.getByTestId('remove-kr').first().click();
    expect(await official.getByTestId('confirm-yes').textContent()).toBe(en.plan_remove_yes);
    await official.keyboard.press('Escape');
    await sound(official, 'editor in English');
    await Promise.all([
      official.waitForFunction(() => document.documentElement.lang === 'vi'),
      official.getByTestId('language-switch').click(),
    ]);
  }, 60_000);

  it('the plan submitted but not decided by 25/12 shows FILED ("Lưu tạm thời") with the flag', async () => {
    let seen = '';
    for (const until = Date.now() + 120_000; Date.now() < until; ) {
      await open(official, filedUrl);
      seen = (await status(official)) ?? '';
      if (seen === 'FILED') break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect(seen).toBe('FILED');
    expect(await official.getByTestId('plan-status').textContent()).toBe(vi.plan_status_FILED);
    expect(vi.plan_status_FILED).toBe('Lưu tạm thời');
    expect(await official.getByTestId('flag-filed').textContent()).toBe(vi.plan_flag_filed);
    // filed, not approved: no submit of the annual plan from here (a change is an amendment)
    expect(await official.getByTestId('submit-form').count()).toBe(0);
    await sound(official, 'filed plan');
  }, 150_000);

  it('on the filed plan: the head assigns it to a sub-unit and a person, the official submits the Q1 plan and proposes an amendment', async () => {
    // the Director of the Department (unit head) assigns the plan to a division
    const c = await newContext(browser);
    contexts.push(c);
    const head = await c.newPage();
    await signInThroughScreen(head, web.url, 'giamdoc@demo.woms.vn', DEMO_PASSWORD);
    await open(head, filedUrl);
    const panels = head.getByTestId('in-force');
    expect(await panels.locator('h2').first().textContent()).toBe(vi.plan_inforce_heading);
    expect(await head.getByTestId('decomposition').locator('h3').textContent()).toBe(vi.plan_decomp_heading);
    expect(await head.getByTestId('children-none').textContent()).toBe(vi.plan_decomp_none);
    const qlns = await database.db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC.QLNS')
      .executeTakeFirstOrThrow();
    await head.getByTestId('child-unit').selectOption(qlns.id);
    await sound(head, 'plan in force: assignment panel');
    await act(head, () => head.getByTestId('create-child').click(), /done=child/);
    expect(await head.getByTestId('form-success').textContent()).toBe(vi.plan_decomp_created);
    const child = head.getByTestId('child');
    expect(await child.count()).toBe(1);
    expect(await child.getAttribute('data-plan-id')).toContain(qlns.id);
    expect(await head.getByTestId('coverage-summary').textContent()).toMatch(/^Độ bao phủ: \d+ /);
    await sound(head, 'plan in force with an assigned plan');

    // … and a personal plan to the division's head, picked by name from the people without a plan (no UUID)
    const hung = await database.db
      .selectFrom('person')
      .select(['id', 'full_name'])
      .where('email', '=', 'truongphong@demo.woms.vn')
      .executeTakeFirstOrThrow();
    await open(head, filedUrl); // (off ?done=child, so the next creation's redirect is awaited)
    await head.locator('input[name="kind"][value="person"]').check();
    const picker = head.getByTestId('child-person');
    expect(await picker.locator('option').count()).toBeGreaterThan(1);
    expect(await head.locator('label[for="child-person"]').textContent()).toBe(vi.plan_decomp_person_pick);
    await head.getByTestId('child-person-filter').fill('trần văn hùng');
    const shown = await picker.locator('option').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    // the filter ignores case and tones (Vietnamese names typed without diacritics still match)
    const fold = (x: string) =>
      x
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/gi, 'd')
        .toLowerCase();
    for (const t of shown) expect(fold(t)).toContain('tran van hung');
    expect(await picker.locator(`option[value="${hung.id}"]`).textContent()).toMatch(
      new RegExp(`^${hung.full_name} — .+, .+$`),
    );
    await picker.selectOption(hung.id);
    await sound(head, 'plan in force: person picker');
    await act(head, () => head.getByTestId('create-child').click(), /done=child/);
    expect(await head.getByTestId('form-success').textContent()).toBe(vi.plan_decomp_created);
    const ids = await head
      .getByTestId('child')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-plan-id')));
    expect(ids).toHaveLength(2);
    expect(ids).toContain(`plan:${FILED_YEAR}:person:${hung.id}`);
    // the person has a plan of the year now: the picker leaves them out
    await head.locator('input[name="kind"][value="person"]').check();
    expect(await head.getByTestId('child-person').locator(`option[value="${hung.id}"]`).count()).toBe(0);

    // the official submits the Q1 plan (the version in force) …
    await open(official, filedUrl);
    const q1 = official.locator(`[data-testid="period-plan"][data-period="${FILED_YEAR}-Q1"]`);
    expect(await q1.getAttribute('data-status')).toBe('open');
    await act(official, () => q1.getByTestId('period-submit').click(), /done=period-submitted/);
    expect(await official.getByTestId('form-success').textContent()).toBe(vi.plan_period_submitted);
    expect(await q1.getAttribute('data-status')).toBe('submitted');
    // … then changes a target, saves a new version and proposes it as an amendment with a reason
    expect(await official.getByTestId('amend-form').count()).toBe(0);
    await official.getByTestId('kr-target').first().fill('77');
    await act(official, () => official.getByTestId('save').click(), /saved=2/);
    await official.fill('#amend-reason', 'Điều chỉnh chỉ tiêu theo dự toán được giao bổ sung');
    await sound(official, 'plan in force: amendment form');
    await act(official, () => official.getByTestId('amend-send').click(), /done=amended/);
    expect(await official.getByTestId('form-success').textContent()).toBe(vi.plan_amend_sent);
    const amendment = official.getByTestId('amendment');
    expect(await amendment.count()).toBe(1);
    expect(await amendment.getAttribute('data-status')).toBe('open');
    expect(await amendment.textContent()).toContain('Điều chỉnh chỉ tiêu theo dự toán được giao bổ sung');
    expect(await official.getByTestId('amend-form').count()).toBe(0);
    await sound(official, 'plan in force with an open amendment');

    // the unit head approves the submitted Q1 plan
    await open(head, filedUrl);
    const q1h = head.locator(`[data-testid="period-plan"][data-period="${FILED_YEAR}-Q1"]`);
    expect(await q1h.getAttribute('data-status')).toBe('submitted');
    await act(
      head,
      () => q1h.getByTestId('period-decide-form').locator('button[value="approve"]').click(),
      /done=period-decided/,
    );
    expect(await head.getByTestId('form-success').textContent()).toBe(vi.plan_period_decided);
    expect(await q1h.getAttribute('data-status')).toBe('approved');
  }, 150_000);

  it('a month plan returned with a comment and resubmitted; the amendment reviewed through the chain into force; the decomposition completed once covered', async () => {
    const signedIn = async (email: string, totp?: boolean) => {
      const c = await newContext(browser);
      contexts.push(c);
      const p = await c.newPage();
      await signInThroughScreen(
        p,
        web.url,
        email,
        DEMO_PASSWORD,
        totp ? { totpSecret: DEMO_TOTP_SECRET } : {},
      );
      return p;
    };
    const head = await signedIn('giamdoc@demo.woms.vn');
    const planId = decodeURIComponent(new URL(filedUrl).pathname.split('/')[2]!);
    const JAN = `${FILED_YEAR}-01`;
    const month = (page: Page) => page.locator(`[data-testid="period-plan"][data-period="${JAN}"]`);

    // January's plan: the official submits it, the unit head returns it with a comment
    await open(official, filedUrl);
    expect(await month(official).getAttribute('data-status')).toBe('open');
    await act(official, () => month(official).getByTestId('period-submit').click(), /done=period-submitted/);
    expect(await month(official).getAttribute('data-status')).toBe('submitted');
    await open(head, filedUrl);
    expect(await month(head).getAttribute('data-status')).toBe('submitted');
    const returnButton = () =>
      month(head).getByTestId('period-decide-form').locator('button[value="return"]');
    // a return without a comment is refused, nothing recorded
    await returnButton().click();
    await head.getByTestId('form-error').waitFor({ timeout: 15_000 });
    expect(await head.getByTestId('form-error').textContent()).toContain(vi.plan_return_needs_comment);
    expect(await month(head).getAttribute('data-status')).toBe('submitted');
    await open(head, filedUrl);
    await head.fill(`#pd-${JAN}`, 'Bổ sung tiến độ cụ thể cho từng tuần');
    await sound(head, 'plan in force: returning a month plan');
    await act(head, () => returnButton().click(), /done=period-decided/);
    expect(await head.getByTestId('form-success').textContent()).toBe(vi.plan_period_decided);
    expect(await month(head).getAttribute('data-status')).toBe('returned');
    // the official sees it returned, with the comment, and submits it again
    await open(official, filedUrl);
    expect(await month(official).getAttribute('data-status')).toBe('returned');
    expect(await month(official).locator('span').nth(0).textContent()).toBe(vi.plan_period_status_returned);
    const comments = month(official).getByTestId('period-comments');
    expect(await comments.locator('span').textContent()).toBe(vi.plan_period_return_comments);
    expect(await comments.locator('li').allTextContents()).toEqual(['Bổ sung tiến độ cụ thể cho từng tuần']);
    await sound(official, 'plan in force with a returned month plan');
    await act(official, () => month(official).getByTestId('period-submit').click(), /done=period-submitted/);
    expect(await official.getByTestId('form-success').textContent()).toBe(vi.plan_period_submitted);
    expect(await month(official).getAttribute('data-status')).toBe('submitted');
    expect(await month(official).getByTestId('period-comments').count()).toBe(0);

    // the amendment: the version in force is still the first; the province's secretariat endorses it …
    const version2 = await database.db
      .selectFrom('plan_version')
      .select(['id', 'content'])
      .where('plan_id', '=', planId)
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    expect(await official.getByTestId('in-force-version').getAttribute('data-n')).toBe('1');
    expect(await official.getByTestId('in-force-version').textContent()).toBe(
      fill(vi.plan_inforce_version, { n: '1' }),
    );
    const review = (page: Page) => page.getByTestId('amend-review-form');
    // the unit head is no level of a unit's own plan's amendment chain: no review form
    await open(head, filedUrl);
    expect(await head.getByTestId('amendment').getAttribute('data-status')).toBe('open');
    expect(await review(head).count()).toBe(0);
    const secretariat = await signedIn('vanphong@demo.woms.vn', true);
    await open(secretariat, filedUrl);
    expect(await review(secretariat).locator('h4').textContent()).toBe(vi.plan_amend_review);
    expect(await review(secretariat).locator('button[value="approve"]').count()).toBe(0);
    expect(await review(secretariat).locator('button[value="endorse"]').textContent()).toBe(
      vi.plan_amend_endorse,
    );
    await secretariat.fill('#amend-comment', 'Đồng ý, đề nghị Thường trực phê duyệt');
    await sound(secretariat, 'plan in force: the secretariat reviewing an amendment');
    await act(
      secretariat,
      () => review(secretariat).locator('button[value="endorse"]').click(),
      /done=amend-reviewed/,
    );
    expect(await secretariat.getByTestId('form-success').textContent()).toBe(vi.plan_amend_reviewed);
    expect(await secretariat.getByTestId('amendment').getAttribute('data-status')).toBe('open');
    // the amendment has moved on to the standing committee: nothing left for the secretariat to review
    expect(await review(secretariat).count()).toBe(0);
    // … and the standing committee, the last level, approves it (it cannot merely endorse)
    const committee = await signedIn('thuongtruc@demo.woms.vn');
    await open(committee, filedUrl);
    expect(await review(committee).locator('button[value="endorse"]').count()).toBe(0);
    expect(await review(committee).locator('button[value="approve"]').textContent()).toBe(
      vi.plan_amend_approve,
    );
    await sound(committee, 'plan in force: the standing committee deciding an amendment');
    await act(
      committee,
      () => review(committee).locator('button[value="approve"]').click(),
      /done=amend-reviewed/,
    );
    expect(await committee.getByTestId('form-success').textContent()).toBe(vi.plan_amend_reviewed);
    expect(await committee.getByTestId('amendment').getAttribute('data-status')).toBe('approved');
    expect(await committee.getByTestId('amendment').textContent()).toContain(vi.plan_amend_status_approved);
    expect(await review(committee).count()).toBe(0);
    // the amended version is the one in force now
    let inForce = '';
    for (const until = Date.now() + 20_000; Date.now() < until; ) {
      await open(official, filedUrl);
      inForce = (await official.getByTestId('in-force-version').getAttribute('data-n')) ?? '';
      if (inForce === '2') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(inForce).toBe('2');
    expect(await official.getByTestId('in-force-version').textContent()).toBe(
      fill(vi.plan_inforce_version, { n: '2' }),
    );
    const row = await database.db
      .selectFrom('plan')
      .select('in_force_version_id')
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(row.in_force_version_id).toBe(version2.id);
    expect(await official.getByTestId('amend-form').count()).toBe(0);
    await sound(official, 'plan in force after an approved amendment');

    // the decomposition: the division's draft takes a share of the amended key result (target 77) but falls short
    type Kr = { id: string; target: string; direction?: { kind: string }; [k: string]: unknown };
    type Tk = { id: string; title: string; keyResults: Kr[]; [k: string]: unknown };
    const parentTasks = (version2.content as { tasks: Tk[] }).tasks;
    const parentTask = parentTasks.find((t) => t.keyResults.some((k) => k.target === '77'))!;
    const {
      cascade: _c,
      periodTargets: _p,
      ownerId: _o,
      ...parentKr
    } = parentTask.keyResults.find((k) => k.target === '77')!;
    const lower = parentKr.direction?.kind === 'lower';
    const division = await database.db
      .selectFrom('plan')
      .select('id')
      .where('parent_plan_id', '=', planId)
      .where('owner_kind', '=', 'unit')
      .executeTakeFirstOrThrow();
    const latest = await database.db
      .selectFrom('plan_version')
      .select('content')
      .where('plan_id', '=', division.id)
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow();
    const draft = latest.content as { tasks: Tk[] };
    const { sectionId: _s, keyResults: _k, ...taskRest } = parentTask;
    await createPlanVersion(database.db, {
      planId: division.id,
      createdBy: 'test',
      content: {
        ...draft,
        tasks: [
          ...draft.tasks,
          {
            ...taskRest,
            id: 't-share',
            keyResults: [
              { ...parentKr, id: 'k-share', target: lower ? '7700' : '1', parentKeyResultId: parentKr.id },
            ],
          },
        ],
      },
    });
    await open(head, filedUrl);
    const coverage = head.getByTestId('coverage-summary');
    expect(await coverage.getAttribute('data-gaps')).toBe('1');
    const gap = (await head.getByTestId('coverage-findings').locator('li').allTextContents())[0]!;
    expect(gap).toContain(parentKr.title as string);
    await sound(head, 'plan in force: a coverage gap');
    await head.getByTestId('complete-decomposition').click();
    await head.getByTestId('form-error').waitFor({ timeout: 15_000 });
    expect(await head.getByTestId('form-error').textContent()).toContain(gap);
    expect(await head.getByTestId('decomposition-status').getAttribute('data-status')).toBe('open');
    await sound(head, 'plan in force: completing the decomposition refused');
    // the division's draft (the head drafts it) raised to the parent's target: no gap, the decomposition completes
    await open(head, `${web.url}/plans/${encodeURIComponent(division.id)}`);
    await head.locator('[data-kr-id="k-share"]').getByTestId('kr-target').fill('77');
    await act(head, () => head.getByTestId('save').click(), /saved=\d+/);
    await open(head, filedUrl);
    expect(await coverage.getAttribute('data-gaps')).toBe('0');
    expect(await head.getByTestId('coverage-findings').count()).toBe(0);
    await act(head, () => head.getByTestId('complete-decomposition').click(), /done=decomposed/);
    expect(await head.getByTestId('form-success').textContent()).toBe(vi.plan_decomp_completed);
    expect(await head.getByTestId('decomposition-status').getAttribute('data-status')).toBe('done');
    expect(await head.getByTestId('decomposition-status').textContent()).toBe(vi.plan_decomp_status_done);
    expect(await head.getByTestId('create-child-form').count()).toBe(0);
    await sound(head, 'plan in force with the decomposition completed');
  }, 240_000);
});
