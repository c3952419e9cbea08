// Browser journey of the supervisor's verify/return screen (issue 6 point 5) in Debian's Chromium: the demo
// official (Nguyễn Thị Lan) submits a check-in of June 2025 through the API (a real worker runs the check-in
// workflow); her supervisor (Trần Văn Hùng) opens the verify task from the inbox, sees each value the
// Vietnamese way with its target of the period, returns one value without a reason (refused, nothing
// changed), then returns it with a reason and as a major error: the check-in is RETURNED. Each state: no
// serious or critical axe violation, and no sideways scrolling at 360 px.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdf } from '../../domain/evidence/test-files.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import {
  apiSession,
  type CheckInStack,
  demoDatabase,
  kr,
  personId,
  seedPlanInForce,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { fill, hydrated, open, vi } from './support/demo.ts';

/** A month of a plan year no other web test uses (check-in workflow ids are period + person on the shared
 *  dev server, and the demo province's ids are the same in every file's database). */
const PERIOD = '2025-06';
const EVIDENCE_NAME = 'Biên bản thẩm định.pdf';
const EVIDENCE_PDF = pdf('Biên bản thẩm định dự toán tháng 6');
const YEAR = 2025;

describe('the verify/return screen', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let me = '';
  let planId = '';
  let checkInId = '';

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'canbo@demo.woms.vn');
    ({ planId } = await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: me, unitId: await unitOf(db, me) },
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
    }));
    stack = await startCheckInStack(database, { taskQueue: 'check-in-verify-web' });
    stack.worker.started.push(checkInWorkflowId(PERIOD, me));
    // The official saves and submits through the API routes.
    const official = await apiSession(stack.api.url, 'canbo@demo.woms.vn');
    await official.call('PUT', `/api/check-ins/mine/${PERIOD}/values`, {
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
    const up = await official.upload(
      PERIOD,
      { name: EVIDENCE_NAME, bytes: EVIDENCE_PDF },
      `${planId}/k-du-toan`,
    );
    if (up.status !== 201 && up.status !== 200) throw new Error(`upload: ${up.status} ${await up.text()}`);
    // (an empty JSON body: the submit route reads an optional one, onBehalfOf, when the type is JSON)
    const sub = await official.call(
      'POST',
      `/api/check-ins/mine/${PERIOD}/submit`,
      {},
      {
        'idempotency-key': `s-${randomUUID()}`,
      },
    );
    checkInId = sub.checkInId as string;
    page = await stack.signedIn('truongphong@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
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
    await open(page, `${stack.web.url}/inbox`);
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
    const res = await page.request.get(`${stack.web.url}${href}`);
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
