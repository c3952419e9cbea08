// Browser journey of the official's monthly check-in screen (issue 6 point 4) in Debian's Chromium: the demo
// official (Nguyễn Thị Lan) has a personal plan in force whose key results she owns; last month is open.
// She types "1.234,5" the Vietnamese way, saves, reloads and sees "1.234,5" (stored as 1234.5); "off track"
// without an explanation is refused with the Vietnamese message on the key result and nothing is saved; then
// she submits (a real worker runs the check-in workflow) and sees SUBMITTED. Each state: no serious or critical
// axe violation, and no sideways scrolling at 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valuesOfCheckIn } from '../../db/queries/check-ins.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import {
  type CheckInStack,
  demoDatabase,
  kr,
  lastMonthVn,
  personId,
  seedPlanInForce,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { fill, hydrated, open, vi } from './support/demo.ts';

/** Last month in Hà Nội: started, so the API lets values be entered; no other web test reports it. */
const PERIOD = lastMonthVn();
const YEAR = Number(PERIOD.slice(0, 4));

describe('the monthly check-in screen', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let me = '';
  const url = () => `${stack.web.url}/check-ins?period=${PERIOD}`;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'canbo@demo.woms.vn');
    await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: me, unitId: await unitOf(db, me, { primary: true }) },
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
          ],
        },
        {
          id: 't2',
          title: 'Cải cách thủ tục hành chính',
          perspective: 'processes',
          weight: '1',
          keyResults: [kr('k-tthc', 'Thủ tục được rút gọn', { ownerId: me, target: '24' })],
        },
      ],
    });
    stack = await startCheckInStack(database, { taskQueue: 'check-in-web' });
    stack.worker.started.push(checkInWorkflowId(PERIOD, me));
    page = await stack.signedIn('canbo@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const fieldsOf = (krId: string) => page.getByTestId(`kr-${krId}`);
  async function save() {
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('checkin-save').click()]);
    await hydrated(page);
  }

  it('shows my key results grouped by task, with the period target, and is sound', async () => {
    await open(page, url());
    expect(await page.locator('h1').textContent()).toBe(fill(vi.checkin_title, { period: PERIOD }));
    expect(await page.locator('h2').allTextContents()).toEqual([
      'Thẩm định dự toán ngân sách',
      'Cải cách thủ tục hành chính',
    ]);
    expect(await fieldsOf('k-du-toan').textContent()).toContain('1.000 hồ sơ');
    expect((await page.getByTestId('checkin-status').textContent())?.trim()).toBe(
      fill(vi.checkin_status_label, { status: vi.checkin_status_draft! }),
    );
    expect(await page.getByTestId('nav-check-ins').textContent()).toBe(vi.checkin_nav);
    await sound(page, 'empty check-in');
  });

  it('saves "1.234,5" typed the Vietnamese way and shows it so after a reload', async () => {
    await page.fill('#value-0', '1.234,5');
    await page.selectOption('#status-0', 'on-track');
    await page.fill('#confidence-0', '80');
    await save();
    expect(page.url()).toContain('saved=1');
    expect(await page.getByTestId('checkin-saved').textContent()).toBe(vi.checkin_saved);
    await open(page, url());
    expect(await page.inputValue('#value-0')).toBe('1.234,5');
    expect(await page.inputValue('#confidence-0')).toBe('80');
    const stored = await database.db
      .selectFrom('check_in_value')
      .select(['value', 'kr_status'])
      .where('key_result_id', '=', 'k-du-toan')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ value: '1234.5', kr_status: 'on-track' });
    await sound(page, 'saved draft');
  });

  it('refuses off track without an explanation, in Vietnamese, on the key result, saving nothing', async () => {
    const before = await database.db.selectFrom('check_in_value').selectAll().execute();
    await page.fill('#value-0', '900');
    await page.selectOption('#status-0', 'off-track');
    await page.fill('#explanation-0', '');
    await save();
    const message = fill('"{title}" chậm tiến độ: cần ghi rõ lý do và hướng khắc phục.', {
      title: 'Số hồ sơ dự toán được thẩm định',
    });
    expect(await page.getByTestId('err-explanation-k-du-toan').textContent()).toContain(message);
    expect(await page.getByTestId('checkin-error').textContent()).toContain(message);
    // The refused field names its error; what was typed stays in the form.
    const described = await page.getAttribute('#explanation-0', 'aria-describedby');
    expect(described).toBe('err-explanation-0');
    expect(await page.getAttribute('#explanation-0', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#value-0')).toBe('900');
    expect(await database.db.selectFrom('check_in_value').selectAll().execute()).toEqual(before);
    await sound(page, 'refused save');
  });

  it('says so when the draft was saved elsewhere after this page was opened, keeping the newer values', async () => {
    const other = await page.context().newPage();
    await open(other, url());
    await open(page, url());
    await page.fill('#confidence-0', '85');
    await save();
    expect(page.url()).toContain('saved=1');
    await other.fill('#confidence-0', '70');
    await Promise.all([other.waitForLoadState('load'), other.getByTestId('checkin-save').click()]);
    await hydrated(other);
    expect(await other.getByTestId('checkin-error').textContent()).toContain(
      'Giá trị của bạn chưa được lưu; hãy tải lại và nhập lại.',
    );
    const stored = await database.db
      .selectFrom('check_in_value')
      .select('confidence')
      .where('key_result_id', '=', 'k-du-toan')
      .executeTakeFirstOrThrow();
    expect(stored.confidence).toBe(85);
    await other.close();
  });

  it('is usable from the keyboard: value, status, confidence, explanation, evidence, history in order', async () => {
    await open(page, url());
    await page.focus('#value-0');
    const order: string[] = [];
    for (let n = 0; n < 7; n++) {
      if (n > 0) await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ''),
      );
    }
    expect(order).toEqual([
      'value-0',
      'status-0',
      'confidence-0',
      'explanation-0',
      'file-0',
      'attach-0',
      'A',
    ]);
    // The focused link is the key result's history: values by period, the Vietnamese way.
    await Promise.all([page.waitForURL(/\/check-ins\/history/), page.keyboard.press('Enter')]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(
      fill(vi.checkin_history_title, { title: 'Số hồ sơ dự toán được thẩm định' }),
    );
    const row = page.locator('tbody tr').first();
    expect(await row.textContent()).toContain(PERIOD);
    expect(await row.textContent()).toContain('1.234,5');
    await sound(page, 'key result history');
  });

  it('submits once the draft is complete and shows SUBMITTED', async () => {
    await open(page, url());
    // Submitting with a key result left empty is refused, listed per key result.
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('checkin-submit').click()]);
    await hydrated(page);
    expect(await page.getByTestId('checkin-error').textContent()).toContain('Thủ tục được rút gọn');
    await sound(page, 'refused submit');

    await page.fill('#value-1', '2');
    await page.selectOption('#status-1', 'at-risk');
    await page.fill('#confidence-1', '60');
    await page.fill('#explanation-1', 'Đang chờ ý kiến của các sở.');
    await save();
    expect(page.url()).toContain('saved=1');
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('checkin-submit').click()]);
    await page.waitForURL(/submitted=1/, { timeout: 60_000 }).catch(async () => {
      throw new Error(`not submitted: ${await page.locator('main').textContent()}`);
    });
    await hydrated(page);
    expect(await page.getByTestId('checkin-submitted').textContent()).toBe(vi.checkin_submitted);
    expect((await page.getByTestId('checkin-status').textContent())?.trim()).toBe(
      fill(vi.checkin_status_label, { status: vi.checkin_status_submitted! }),
    );
    const row = await database.db
      .selectFrom('check_in')
      .select(['id', 'status'])
      .where('person_id', '=', me)
      .where('period', '=', PERIOD)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('SUBMITTED');
    expect((await valuesOfCheckIn(database.db, row.id)).length).toBe(2);
    // Submitted: nothing left to save or submit.
    expect(await page.getByTestId('checkin-save').count()).toBe(0);
    expect(await page.getByTestId('checkin-submit').count()).toBe(0);
    await sound(page, 'submitted');
  }, 120_000);
});
