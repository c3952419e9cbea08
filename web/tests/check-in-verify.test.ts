// Browser journey of the supervisor's verify/return screen (issue 6 point 5) in Debian's Chromium: the demo
// official (Nguyễn Thị Lan) submits a check-in of June 2025 through the API (a real worker runs the check-in
// workflow); her supervisor (Trần Văn Hùng) opens the verify task from the inbox, sees each value the
// Vietnamese way with its target of the period, returns one value without a reason (refused, nothing
// changed), then returns it with a reason and as a major error: the check-in is RETURNED. Each state: no
// serious or critical axe violation, and no sideways scrolling at 360 px.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { pdf } from '../../domain/evidence/test-files.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import { signIn } from '../../test/support/auth.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, fill, hydrated, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

/** A month of a plan year no other web test uses (check-in workflow ids are period + person on the shared
 *  dev server, and the demo province's ids are the same in every file's database). */
const PERIOD = '2025-06';
const EVIDENCE_NAME = 'Biên bản thẩm định.pdf';
const EVIDENCE_PDF = pdf('Biên bản thẩm định dự toán tháng 6');
const YEAR = 2025;

const kr = (id: string, title: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '12000',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  await page.setViewportSize(size);
}

describe('the verify/return screen', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let worker: TestWorker;
  let context: BrowserContext;
  let page: Page;
  let me = '';
  let planId = '';
  let checkInId = '';

  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(db);
    const person = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'canbo@demo.woms.vn')
      .executeTakeFirstOrThrow();
    me = person.id;
    const job = await db
      .selectFrom('employment')
      .select('org_unit_id')
      .where('person_id', '=', me)
      .executeTakeFirstOrThrow();
    planId = `plan:${YEAR}:person:${me}`;
    await db
      .insertInto('plan')
      .values({
        id: planId,
        owner_kind: 'person',
        unit_id: job.org_unit_id,
        person_id: me,
        year: YEAR,
        status: 'APPROVED',
        workflow_id: null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
      })
      .execute();
    const content: Plan = {
      id: planId,
      year: YEAR,
      owner: { kind: 'person', personId: me },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [
            kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định', {
              ownerId: me,
              periodTargets: { [PERIOD]: '1000' },
            }),
            kr('k-tthc', 'Thủ tục được rút gọn', { ownerId: me, target: '24' }),
          ],
        },
      ],
    };
    const v = await createPlanVersion(db, {
      planId,
      content: { ...content, sections: [] },
      createdBy: 'test',
    });
    await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();

    const taskQueue = `check-in-verify-web-${randomUUID()}`;
    [worker] = await Promise.all([startTestWorker(db, { taskQueue }), ensureWebBuild()]);
    worker.started.push(checkInWorkflowId(PERIOD, me));
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      port: await freePort(),
      plans: { taskQueue },
    });
    // The official saves and submits through the API routes.
    const http = { request: (p: string, init?: RequestInit) => fetch(`${api.url}${p}`, init) };
    const official = await signIn(http, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${api.url}${p}`, {
        method,
        headers: { ...official.headers, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await r.json()) as Record<string, unknown>;
      if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    await call('PUT', `/api/check-ins/mine/${PERIOD}/values`, {
      baseRevision: 0,
      locale: 'vi',
      values: [
        { planId, keyResultId: 'k-du-toan', value: '1234,5', status: 'on-track', confidence: 4 },
        {
          planId,
          keyResultId: 'k-tthc',
          value: '3',
          status: 'off-track',
          confidence: 2,
          explanation: 'Chờ văn bản hướng dẫn',
        },
      ],
    });
    // A PDF attached to the first value (multipart upload, the way the check-in screen sends it).
    const upload = new FormData();
    upload.append(
      'file',
      new Blob([new Uint8Array(EVIDENCE_PDF)], { type: 'application/pdf' }),
      EVIDENCE_NAME,
    );
    upload.append('keyResult', `${planId}/k-du-toan`);
    const up = await fetch(`${api.url}/api/check-ins/mine/${PERIOD}/evidence`, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(official.headers as Record<string, string>).filter(
          ([k]) => k.toLowerCase() !== 'content-type',
        ),
      ),
      body: upload,
    });
    if (up.status !== 201 && up.status !== 200) throw new Error(`upload: ${up.status} ${await up.text()}`);
    // (an empty JSON body: the submit route reads an optional one, onBehalfOf, when the type is JSON)
    const sub = await call(
      'POST',
      `/api/check-ins/mine/${PERIOD}/submit`,
      {},
      {
        'idempotency-key': `s-${randomUUID()}`,
      },
    );
    checkInId = sub.checkInId as string;
    web = await startWeb(api.url);
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signInThroughScreen(page, web.url, 'truongphong@demo.woms.vn', DEMO_PASSWORD);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    await worker?.stop();
  });

  const statusOf = async () =>
    (
      await database.db
        .selectFrom('check_in')
        .select('status')
        .where('id', '=', checkInId)
        .executeTakeFirstOrThrow()
    ).status;
  const valueBox = (krId: string) => page.locator(`[data-testid="verify-value"][data-kr="${krId}"]`);

  it('opens from the inbox, refuses a return without a reason, then returns a value as a major error', async () => {
    await open(page, `${web.url}/inbox`);
    const link = page.locator(`a[href="/check-ins/${checkInId}/verify"]`);
    expect(await link.count()).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/\/verify$/), link.first().click()]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(vi.verify_title);
    expect(await page.getByTestId('verify-person').textContent()).toBe('Nguyễn Thị Lan');
    expect(await page.getByTestId('verify-status').getAttribute('data-status')).toBe('SUBMITTED');
    // Numbers the Vietnamese way.
    expect((await valueBox('k-du-toan').getByTestId('value-number').textContent())?.trim()).toBe(
      '1.234,5 hồ sơ',
    );
    expect(await valueBox('k-du-toan').textContent()).toContain('1.000');
    expect(await valueBox('k-tthc').textContent()).toContain('Chờ văn bản hướng dẫn');
    // The official's PDF: its name as a download link, its type and its size; none on the other value.
    const file = valueBox('k-du-toan').getByTestId('verify-evidence-file');
    expect(await file.count()).toBe(1);
    expect((await file.locator('a').textContent())?.trim()).toBe(EVIDENCE_NAME);
    expect(await file.textContent()).toContain(`PDF, ${EVIDENCE_PDF.byteLength} B`);
    expect(await valueBox('k-tthc').getByTestId('verify-evidence-file').count()).toBe(0);
    expect(await valueBox('k-tthc').getByTestId('verify-no-evidence').count()).toBe(1);
    await sound(page, 'submitted');
    // The supervisor downloads it: an attachment (never shown inline), the same bytes.
    const [download] = await Promise.all([page.waitForEvent('download'), file.locator('a').click()]);
    expect(download.suggestedFilename()).toBe(EVIDENCE_NAME);
    const href = (await file.locator('a').getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/evidence\/[0-9a-f-]{36}$/);
    const res = await page.request.get(`${web.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="Bien ban tham dinh.pdf"; /);
    expect(Buffer.from(await res.body()).equals(Buffer.from(EVIDENCE_PDF))).toBe(true);

    // Return k-tthc by keyboard, without a reason: refused, nothing changed.
    const ret = valueBox('k-tthc').getByTestId('verdict-returned');
    await ret.focus();
    await page.keyboard.press('Space');
    expect(await ret.isChecked()).toBe(true);
    await page.getByTestId('verify-submit').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toBe(
      fill(vi.verify_comment_required, { title: 'Thủ tục được rút gọn' }),
    );
    expect(await statusOf()).toBe('SUBMITTED');
    await sound(page, 'refused');

    // With a reason and as a major error: RETURNED.
    await valueBox('k-tthc').getByTestId('verdict-comment').fill('Thiếu văn bản chứng minh');
    await valueBox('k-tthc').getByTestId('verdict-major').check();
    await page.getByTestId('verify-submit').click();
    await page.getByTestId('form-success').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('form-success').textContent()).toBe(
      fill(vi.verify_done, { status: vi.verify_status_RETURNED! }),
    );
    expect(await statusOf()).toBe('RETURNED');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="verify-status"]')?.getAttribute('data-status') === 'RETURNED',
    );
    const values = await database.db
      .selectFrom('check_in_value')
      .select(['key_result_id', 'verification', 'major_error', 'verifier_comment'])
      .where('check_in_id', '=', checkInId)
      .orderBy('key_result_id')
      .execute();
    expect(values.map((v) => [v.key_result_id, v.verification, v.major_error, v.verifier_comment])).toEqual([
      ['k-du-toan', 'verified', null, null],
      ['k-tthc', 'returned', true, 'Thiếu văn bản chứng minh'],
    ]);
    expect(await valueBox('k-tthc').getByTestId('value-verdict').getAttribute('data-verdict')).toBe(
      'returned',
    );
    expect(await page.getByTestId('verify-submit').count()).toBe(0);
    await sound(page, 'returned');
  });
});
