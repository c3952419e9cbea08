// Browser journeys of the official's check-in on a phone (issue 6 points 4–5), in Debian's Chromium at 360×740:
// the demo official (Nguyễn Thị Lan) types a value the Vietnamese way, picks status, confidence and explanation,
// attaches a PDF (its name, type and size listed, downloadable only as an attachment), saves and submits; the
// same in English with numbers the English way; and a check-in her supervisor returned with a comment: she sees
// the comment, fixes the value and submits again. A real worker runs the check-in workflow. Each state: no
// serious or critical axe violation and no sideways scrolling.
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
  keyResults,
  personId,
  seedPlanInForce,
  soundOnPhone as sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { en, fill, hydrated, open, vi } from './support/demo.ts';

/** Months of a plan year no other web test uses (check-in workflow ids are period + person on the shared dev
 *  server, and the demo province's ids are the same in every file's database). */
const YEAR = 2024;
const VI_PERIOD = '2024-03';
const EN_PERIOD = '2024-04';
const RETURNED_PERIOD = '2024-05';
const KR_TITLE = 'Số hồ sơ một cửa được giải quyết đúng hạn';

const kr = keyResults({ evidenceRequired: true });

describe('checking in on a phone, with evidence', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let me = '';
  let planId = '';
  const url = (period: string) => `${stack.web.url}/check-ins?period=${period}`;

  const statusOf = async (period: string) =>
    (
      await database.db
        .selectFrom('check_in')
        .select(['id', 'status'])
        .where('person_id', '=', me)
        .where('period', '=', period)
        .executeTakeFirst()
    )?.status;
  const storedValue = async (period: string) =>
    database.db
      .selectFrom('check_in_value as v')
      .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
      .select(['v.value', 'v.input', 'v.kr_status', 'v.confidence', 'v.explanation', 'v.evidence_ids'])
      .where('c.person_id', '=', me)
      .where('c.period', '=', period)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'canbo@demo.woms.vn');
    ({ planId } = await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: me, unitId: await unitOf(db, me, { primary: true }) },
      tasks: [
        {
          id: 't1',
          title: 'Giải quyết thủ tục hành chính',
          perspective: 'citizens',
          weight: '1',
          keyResults: [kr('k-mot-cua', KR_TITLE, { ownerId: me, periodTargets: { [VI_PERIOD]: '1000' } })],
        },
      ],
    }));
    stack = await startCheckInStack(database, { taskQueue: 'check-in-evidence-web' });
    for (const p of [VI_PERIOD, EN_PERIOD, RETURNED_PERIOD])
      stack.worker.started.push(checkInWorkflowId(p, me));
    page = await stack.signedIn('canbo@demo.woms.vn', { width: 360, height: 740 });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function press(testId: string) {
    await Promise.all([page.waitForLoadState('load'), page.getByTestId(testId).click()]);
    await hydrated(page);
  }
  async function submit(period: string) {
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('checkin-submit').click()]);
    await page.waitForURL(/submitted=1/, { timeout: 60_000 }).catch(async () => {
      throw new Error(`not submitted: ${await page.locator('main').textContent()}`);
    });
    await hydrated(page);
    expect(await statusOf(period)).toBe('SUBMITTED');
  }

  it('in Vietnamese: a value typed the Vietnamese way, a PDF attached, saved and submitted', async () => {
    await open(page, url(VI_PERIOD));
    expect(await page.locator('h1').textContent()).toBe(fill(vi.checkin_title, { period: VI_PERIOD }));
    expect(await page.getByTestId('kr-k-mot-cua').textContent()).toContain('1.000 hồ sơ');
    expect(await page.getByTestId('evidence-k-mot-cua').textContent()).toContain(vi.evidence_none);
    // the file input is labelled
    expect(await page.getByLabel(vi.evidence_file_label!).count()).toBe(1);
    await sound(page, 'empty check-in (vi)');

    await page.fill('#value-0', '1.234,5');
    await page.selectOption('#status-0', 'at-risk');
    await page.fill('#confidence-0', '70');
    await page.fill('#explanation-0', 'Một số hồ sơ chờ bổ sung giấy tờ.');
    await page.setInputFiles('#file-0', {
      name: 'Biên bản kiểm tra.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Biên bản kiểm tra hồ sơ một cửa'),
    });
    await press('attach-k-mot-cua');
    expect(page.url()).toContain('attached=1');
    expect(await page.getByTestId('evidence-attached').textContent()).toBe(vi.evidence_attached);
    // what was typed was saved with the upload, and is shown the Vietnamese way
    expect(await page.inputValue('#value-0')).toBe('1.234,5');
    const file = page.getByTestId('evidence-file');
    expect(await file.count()).toBe(1);
    const size = pdf('Biên bản kiểm tra hồ sơ một cửa').byteLength;
    expect(await file.textContent()).toContain('Biên bản kiểm tra.pdf');
    expect(await file.textContent()).toContain(`PDF, ${size} B`);
    const stored = await storedValue(VI_PERIOD);
    expect(stored).toMatchObject({
      value: '1234.5',
      input: '1.234,5',
      kr_status: 'at-risk',
      confidence: 70,
      explanation: 'Một số hồ sơ chờ bổ sung giấy tờ.',
    });
    expect(stored.evidence_ids).toHaveLength(1);
    await sound(page, 'evidence attached (vi)');

    // the link downloads the file as an attachment, never inline
    const href = await file.locator('a').getAttribute('href');
    expect(href).toBe(`/api/evidence/${stored.evidence_ids[0]}`);
    const res = await page.request.get(`${stack.web.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toMatch(
      /^attachment; filename="Bien ban kiem tra.pdf"; filename\*=UTF-8''/,
    );
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['content-security-policy']).toContain('sandbox');
    expect((await res.body()).byteLength).toBe(size);

    await press('checkin-save');
    expect(page.url()).toContain('saved=1');
    await submit(VI_PERIOD);
    expect((await page.getByTestId('checkin-status').textContent())?.trim()).toBe(
      fill(vi.checkin_status_label, { status: vi.checkin_status_submitted! }),
    );
    // submitted: the file stays listed and downloadable, nothing can be attached or removed
    expect(await page.getByTestId('evidence-file').count()).toBe(1);
    expect(await page.getByTestId('attach-k-mot-cua').count()).toBe(0);
    await sound(page, 'submitted (vi)');
  }, 180_000);

  it('from the keyboard: value, status, confidence, explanation, file, attach, in order', async () => {
    await open(page, url(EN_PERIOD));
    await page.focus('#value-0');
    const order: string[] = [];
    for (let n = 0; n < 6; n++) {
      if (n > 0) await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(order).toEqual(['value-0', 'status-0', 'confidence-0', 'explanation-0', 'file-0', 'attach-0']);
  });

  it('in English: numbers the English way, an attachment refused in English, then a PDF, saved and submitted', async () => {
    await open(page, url(EN_PERIOD));
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(fill(en.checkin_title, { period: EN_PERIOD }));
    await page.fill('#value-0', '2,345.5');
    await page.selectOption('#status-0', 'on-track');
    await page.fill('#confidence-0', '90');
    // a web page named .pdf: refused, in English, on the key result; the typed values are saved
    await page.setInputFiles('#file-0', {
      name: 'report.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
    });
    await press('attach-k-mot-cua');
    const refusal = await page.getByTestId('err-file-k-mot-cua').textContent();
    expect(refusal).toContain('The content of "report.pdf" is not application/pdf');
    expect(await page.getByTestId('checkin-error').textContent()).toContain('is not application/pdf');
    expect(await page.getAttribute('#file-0', 'aria-invalid')).toBe('true');
    expect(await database.db.selectFrom('evidence_file').select('id').execute()).toHaveLength(1);
    await sound(page, 'refused file (en)');

    await page.setInputFiles('#file-0', {
      name: 'minutes.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Meeting minutes, April'),
    });
    await press('attach-k-mot-cua');
    expect(await page.getByTestId('evidence-attached').textContent()).toBe(en.evidence_attached);
    expect(await page.inputValue('#value-0')).toBe('2,345.5');
    expect(await page.getByTestId('evidence-file').textContent()).toContain('minutes.pdf');
    expect(await storedValue(EN_PERIOD)).toMatchObject({
      value: '2345.5',
      input: '2,345.5',
      kr_status: 'on-track',
    });
    await sound(page, 'evidence attached (en)');
    await press('checkin-save');
    await submit(EN_PERIOD);
    expect((await page.getByTestId('checkin-status').textContent())?.trim()).toBe(
      fill(en.checkin_status_label, { status: en.checkin_status_submitted! }),
    );
    await sound(page, 'submitted (en)');
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'vi'),
      page.getByTestId('language-switch').click(),
    ]);
  }, 180_000);

  it('a returned value: the comment shown, the value fixed and submitted again', async () => {
    // saved, evidenced and submitted through the API; the supervisor returns the value with a comment
    const official = await apiSession(stack.api.url, 'canbo@demo.woms.vn', { okStatuses: [200, 201] });
    const supervisor = await apiSession(stack.api.url, 'truongphong@demo.woms.vn', {
      okStatuses: [200, 201],
    });
    await official.call('PUT', `/api/check-ins/mine/${RETURNED_PERIOD}/values`, {
      baseRevision: 0,
      locale: 'vi',
      values: [{ planId, keyResultId: 'k-mot-cua', value: '9.999', status: 'on-track', confidence: 80 }],
    });
    const up = await official.upload(
      RETURNED_PERIOD,
      { name: 'thang-5.pdf', bytes: pdf('Tháng 5') },
      `${planId}/k-mot-cua`,
    );
    expect(up.status).toBe(201);
    const sub = await official.call(
      'POST',
      `/api/check-ins/mine/${RETURNED_PERIOD}/submit`,
      {},
      {
        'idempotency-key': `s-${randomUUID()}`,
      },
    );
    const comment = 'Số liệu không khớp sổ theo dõi: 999 hồ sơ, không phải 9.999.';
    await supervisor.call(
      'POST',
      `/api/check-ins/${sub.checkInId}/verify`,
      { values: [{ planId, keyResultId: 'k-mot-cua', verdict: 'returned', majorError: true, comment }] },
      { 'idempotency-key': `v-${randomUUID()}` },
    );
    expect(await statusOf(RETURNED_PERIOD)).toBe('RETURNED');

    await open(page, url(RETURNED_PERIOD));
    expect((await page.getByTestId('checkin-status').textContent())?.trim()).toBe(
      fill(vi.checkin_status_label, { status: vi.checkin_status_returned! }),
    );
    expect(await page.getByTestId('returned-k-mot-cua').textContent()).toContain(
      fill(vi.checkin_returned_major, { comment }),
    );
    expect(await page.inputValue('#value-0')).toBe('9.999');
    expect(await page.getByTestId('evidence-file').textContent()).toContain('thang-5.pdf');
    await sound(page, 'returned (vi)');

    await page.fill('#value-0', '999');
    await page.fill('#explanation-0', 'Đã đối chiếu lại với sổ theo dõi.');
    await press('checkin-save');
    expect(page.url()).toContain('saved=1');
    expect(await storedValue(RETURNED_PERIOD)).toMatchObject({ value: '999', input: '999' });
    await submit(RETURNED_PERIOD);
    expect((await page.getByTestId('checkin-status').textContent())?.trim()).toBe(
      fill(vi.checkin_status_label, { status: vi.checkin_status_submitted! }),
    );
    await sound(page, 'resubmitted (vi)');
  }, 180_000);
});
