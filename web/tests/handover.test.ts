// Browser journey of the handover screen (issue 6 point 2; DESIGN §1 transfers and leavers) in Debian's
// Chromium: the official Nguyễn Thị Lan moves on; the Director of the Department of Finance hands one of her
// next-year key results to her division head from January, with a reason. Choosing nobody is refused with a
// message and saves nothing. Each state: no serious or critical axe violation, no sideways scrolling at 360 px;
// the screen in English too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayVn } from '../../db/queries/org-tree.ts';
import {
  type CheckInStack,
  demoDatabase,
  keyResults,
  personId,
  seedPlanInForce,
  soundWithAxeAt360 as sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { en, fill, open, vi } from './support/demo.ts';

const kr = keyResults({ target: '120' });

describe('handing key results over', () => {
  let stack: CheckInStack;
  let page: Page;
  let lan = '';
  let hung = '';
  // next year's plans: no workflow is started here, the plan row and its version in force are seeded
  const YEAR = Number(todayVn().slice(0, 4)) + 1;
  const url = (path: string) => `${stack.web.url}${path}`;

  beforeAll(async () => {
    stack = await startCheckInStack(await demoDatabase());
    const { db } = stack.database;
    lan = await personId(db, 'canbo@demo.woms.vn');
    hung = await personId(db, 'truongphong@demo.woms.vn');
    await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: lan, unitId: await unitOf(db, lan) },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [
            kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định'),
            kr('k-quyet-toan', 'Số hồ sơ quyết toán được xét duyệt'),
          ],
        },
      ],
    });
    page = await stack.signedIn('giamdoc@demo.woms.vn');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists her key results with who may take each over', async () => {
    await open(page, url(`/handover/${lan}?period=${YEAR}-01`));
    expect(await page.textContent('h1')).toBe(fill(vi.handover_title, { name: 'Nguyễn Thị Lan' }));
    const rows = page.getByTestId('handover-row');
    expect(await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kr))).toEqual([
      'k-du-toan',
      'k-quyet-toan',
    ]);
    const options = await rows.first().locator('select option').allTextContents();
    expect(options).toContain('Trần Văn Hùng');
    expect(options).not.toContain('Nguyễn Thị Lan');
    await sound(page, 'handover');
  });

  it('refuses a handover naming nobody, saving nothing', async () => {
    await page.fill('#h-reason', 'Chuyển công tác sang Sở Nội vụ');
    await page.fill('#h-period', `${YEAR}-01`);
    await Promise.all([page.waitForLoadState('networkidle'), page.getByTestId('handover-submit').click()]);
    expect(await page.textContent('main')).toContain(vi.handover_none_chosen);
    expect(await stack.database.db.selectFrom('key_result_assignment').selectAll().execute()).toEqual([]);
    await sound(page, 'handover refused');
  });

  it('hands one key result to the division head from January', async () => {
    await page
      .getByLabel(fill(vi.handover_to_label, { title: 'Số hồ sơ dự toán được thẩm định' }))
      .selectOption(hung);
    await page.fill('#h-reason', 'Chuyển công tác sang Sở Nội vụ');
    await page.fill('#h-period', `${YEAR}-01`);
    await Promise.all([page.waitForURL(/done=1/), page.getByTestId('handover-submit').click()]);
    expect(await page.textContent('main')).toContain(fill(vi.handover_done, { count: '1' }));
    const rows = await stack.database.db.selectFrom('key_result_assignment').selectAll().execute();
    expect(
      rows.map((r) => [r.key_result_id, r.from_person_id, r.to_person_id, r.effective_period, r.reason]),
    ).toEqual([['k-du-toan', lan, hung, `${YEAR}-01`, 'Chuyển công tác sang Sở Nội vụ']]);
    // the list is of the key results she still reports in January
    await open(page, url(`/handover/${lan}?period=${YEAR}-01`));
    expect(
      await page
        .getByTestId('handover-row')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kr)),
    ).toEqual(['k-quyet-toan']);
  });

  it('reads in English', async () => {
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('h1')).toBe(fill(en.handover_title, { name: 'Nguyễn Thị Lan' }));
    await sound(page, 'handover (en)');
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
  });
});
