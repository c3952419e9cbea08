// Browser checks of the check-in screen's loose ends (issue 6 point 4) in Debian's Chromium, against an API and
// a web app started with a small evidence limit (EVIDENCE_MAX_BYTES 200 000; the web app's body limit derived
// from it): the demo official (Nguyễn Thị Lan) attaches a file she uploaded without a key result to one, from
// the keyboard, and removes another; a file just above the evidence limit, and one above the web app's own
// body limit, each answer our message (EVIDENCE_TOO_LARGE), not SvelteKit's generic error page; and a key
// result's history lists its handover (from whom, to whom, from which month, why, who decided) in Vietnamese
// and in English. Each state: no serious or critical axe violation, no sideways scrolling at 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReassignment } from '../../db/queries/handover.ts';
import { webBodySizeLimit } from '../../domain/evidence/body-limit.ts';
import { formatBytes } from '../../domain/evidence/policy.ts';
import { pdf } from '../../domain/evidence/test-files.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import {
  apiSession,
  type CheckInStack,
  demoDatabase,
  keyResults,
  personId,
  seedPlanInForce,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { en, fill, hydrated, open, vi } from './support/demo.ts';

/** A month of a plan year no other web test uses (the demo province's ids are the same in every file's
 *  database). Nothing here starts a workflow. */
const YEAR = 2022;
const PERIOD = '2022-04';
const EVIDENCE_MAX = 200_000;

const kr = keyResults({ target: '1200' });

describe('the check-in screen: files without a key result, the size limit, the history', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let me = '';
  let planId = '';
  const fileIds: string[] = [];
  const names = { supervisor: 'Trần Văn Hùng', head: 'Lê Minh Tuấn', me: 'Nguyễn Thị Lan' };

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'canbo@demo.woms.vn');
    const supervisor = await personId(db, 'truongphong@demo.woms.vn');
    const head = await personId(db, 'giamdoc@demo.woms.vn');
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
            kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định', { ownerId: me }),
            kr('k-tthc', 'Thủ tục được rút gọn', { ownerId: me, target: '24' }),
          ],
        },
      ],
    }));
    // The unit head hands k-tthc over to the supervisor from July.
    await recordReassignment(db, {
      planId,
      keyResultId: 'k-tthc',
      fromPersonId: me,
      toPersonId: supervisor,
      effectivePeriod: `${YEAR}-07`,
      reason: 'Điều động sang nhiệm vụ cải cách hành chính',
      changedBy: head,
    });

    stack = await startCheckInStack(database, { evidenceMaxBytes: EVIDENCE_MAX });
    // Two files uploaded without a key result, through the API.
    const official = await apiSession(stack.api.url, 'canbo@demo.woms.vn');
    for (const [name, text] of [
      ['Biên bản họp.pdf', 'Biên bản họp giao ban tháng 4'],
      ['Bản nháp.pdf', 'Bản nháp không dùng'],
    ] as const) {
      const r = await official.upload(PERIOD, { name, bytes: pdf(text) });
      const json = (await r.json()) as { file?: { id: string } };
      if (!json.file) throw new Error(`upload ${name}: ${r.status} ${JSON.stringify(json)}`);
      fileIds.push(json.file.id);
    }
    page = await stack.signedIn('canbo@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const url = () => `${stack.web.url}/check-ins?period=${PERIOD}`;
  const stored = async () => {
    const rows = await database.db
      .selectFrom('check_in_value as v')
      .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
      .select(['v.key_result_id', 'v.evidence_ids'])
      .where('c.person_id', '=', me)
      .where('c.period', '=', PERIOD)
      .execute();
    return new Map(rows.map((r) => [r.key_result_id, r.evidence_ids]));
  };

  it('lists the files without a key result; one is attached to a key result and one removed, from the keyboard', async () => {
    await open(page, url());
    const rows = page.getByTestId('unattached-file');
    expect(await rows.count()).toBe(2);
    expect(await page.locator('#unattached-title').textContent()).toBe(vi.evidence_unattached_title);
    const first = page.locator(`[data-testid="unattached-file"][data-file="${fileIds[0]}"]`);
    expect(await first.locator('a').textContent()).toBe('Biên bản họp.pdf');
    expect(await first.locator('a').getAttribute('href')).toBe(`/api/evidence/${fileIds[0]}`);
    expect(await first.textContent()).toContain(`PDF, ${pdf('Biên bản họp giao ban tháng 4').byteLength} B`);
    await sound(page, 'unattached files');

    // Attach without choosing a key result: refused with our message, nothing attached.
    await first.getByTestId('attach-file').focus();
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.getByTestId('checkin-error').waitFor();
    expect((await page.getByTestId('checkin-error').textContent())?.trim()).toBe(
      vi.evidence_attach_to_missing,
    );
    expect([...(await stored()).values()].flat()).not.toContain(fileIds[0]);

    // Type the first key result's value, choose it for the file with the arrow key, Tab to the attach
    // button, Enter: the value is saved with the file attached (a value entered is required to attach).
    await open(page, url());
    await page.fill('#value-0', '1.234');
    const select = page.locator(`[data-testid="unattached-file"][data-file="${fileIds[0]}"] select`);
    await select.focus();
    await page.keyboard.press('ArrowDown');
    expect(await select.inputValue()).toBe('0');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'attach-file',
    );
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await hydrated(page);
    expect(await page.getByTestId('checkin-error').allTextContents()).toEqual([]);
    expect(page.url()).toMatch(/attached=1/);
    expect((await stored()).get('k-du-toan')).toEqual([fileIds[0]]);
    expect(await page.inputValue('#value-0')).toBe('1.234');
    const attached = page.getByTestId('evidence-k-du-toan').getByTestId('evidence-file');
    expect(await attached.count()).toBe(1);
    expect(await attached.locator('a').textContent()).toBe('Biên bản họp.pdf');
    expect(await page.getByTestId('unattached-file').count()).toBe(1);
    await sound(page, 'one attached');

    // Remove the other one from the keyboard: gone from the list and from the database.
    await page.getByTestId('remove-file').focus();
    await Promise.all([page.waitForURL(/removed=1/), page.keyboard.press('Enter')]);
    await hydrated(page);
    expect(await page.getByTestId('evidence-unattached').count()).toBe(0);
    const left = await database.db
      .selectFrom('evidence_file')
      .select('id')
      .where('id', '=', fileIds[1]!)
      .executeTakeFirst();
    expect(left).toBeUndefined();
    expect((await stored()).get('k-du-toan')).toEqual([fileIds[0]]);
  }, 120_000);

  it('a file just above the evidence limit, and one above the web body limit, answer our message', async () => {
    const before = await stored();
    // Just above the evidence limit: the web app passes it on, the API refuses it (EVIDENCE_TOO_LARGE).
    await open(page, url());
    const big = Buffer.concat([
      pdf('Quá lớn'),
      Buffer.alloc(EVIDENCE_MAX + 1 - pdf('Quá lớn').byteLength, 32),
    ]);
    expect(big.byteLength).toBe(EVIDENCE_MAX + 1);
    await page.setInputFiles('#file-1', { name: 'Hồ sơ lớn.pdf', mimeType: 'application/pdf', buffer: big });
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('attach-k-tthc').click()]);
    const err = page.getByTestId('err-file-k-tthc');
    await err.waitFor();
    // the API's EVIDENCE_TOO_LARGE in Vietnamese, naming the file and the limit
    const refusal = (await err.textContent()) ?? '';
    expect(refusal).toContain('Hồ sơ lớn.pdf');
    expect(refusal).toContain(`vượt quá giới hạn ${formatBytes(EVIDENCE_MAX, 'vi')} cho mỗi tệp minh chứng`);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.checkin_title, { period: PERIOD }));
    await sound(page, 'refused: above the evidence limit');

    // Above the web app's own body limit: refused before it reaches the API, still our message.
    await open(page, url());
    const huge = Buffer.alloc(webBodySizeLimit(EVIDENCE_MAX) + 1024, 32);
    huge.write('%PDF-1.4\n');
    await page.setInputFiles('#file-1', {
      name: 'Hồ sơ rất lớn.pdf',
      mimeType: 'application/pdf',
      buffer: huge,
    });
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByTestId('attach-k-tthc').click(),
    ]);
    expect(res.status()).toBe(413);
    await page.getByTestId('checkin-error').waitFor();
    expect((await page.getByTestId('checkin-error').textContent())?.trim()).toBe(
      fill(vi.evidence_too_large, { max: formatBytes(EVIDENCE_MAX, 'vi') }),
    );
    expect(await page.locator('h1').textContent()).toBe(fill(vi.checkin_title, { period: PERIOD }));
    await sound(page, 'refused: above the body limit');
    // nothing was attached
    expect((await stored()).get('k-tthc') ?? []).toEqual(before.get('k-tthc') ?? []);
    expect(
      await database.db
        .selectFrom('evidence_file')
        .select('id')
        .where('file_name', 'like', 'Hồ sơ%')
        .execute(),
    ).toEqual([]);
  }, 120_000);

  it("shows a key result's handover in its history, in Vietnamese and in English", async () => {
    await open(page, url());
    const link = page.locator(
      `a[href="/check-ins/history?planId=${encodeURIComponent(planId)}&krId=k-tthc"]`,
    );
    expect(await link.count()).toBe(1);
    await Promise.all([page.waitForURL(/\/check-ins\/history\?/), link.click()]);
    await hydrated(page);
    const change = page.getByTestId('krhistory-owner-change');
    expect(await change.count()).toBe(1);
    const text = (await change.textContent()) ?? '';
    expect(text).toContain(
      fill(vi.krhistory_owner_change, { from: names.me, to: names.supervisor, period: '07/2022' }),
    );
    expect(text).toContain(`Do ${names.head} quyết định lúc `);
    expect(text).toContain('Lý do: Điều động sang nhiệm vụ cải cách hành chính');
    await sound(page, 'history (vi)');
    // the other key result was never handed over
    await open(
      page,
      `${stack.web.url}/check-ins/history?planId=${encodeURIComponent(planId)}&krId=k-du-toan`,
    );
    expect(await page.getByTestId('krhistory-owner-change').count()).toBe(0);
    expect(await page.getByTestId('krhistory-no-owner-change').textContent()).toBe(
      vi.krhistory_no_owner_change,
    );

    await open(page, `${stack.web.url}/check-ins/history?planId=${encodeURIComponent(planId)}&krId=k-tthc`);
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('#owners-title').textContent()).toBe(en.krhistory_owners);
    const enText = (await page.getByTestId('krhistory-owner-change').textContent()) ?? '';
    expect(enText).toContain(
      fill(en.krhistory_owner_change, { from: names.me, to: names.supervisor, period: '07/2022' }),
    );
    expect(enText).toContain(`Decided by ${names.head} at `);
    expect(enText).toContain('Reason: Điều động sang nhiệm vụ cải cách hành chính');
    await sound(page, 'history (en)');
  }, 120_000);
});
