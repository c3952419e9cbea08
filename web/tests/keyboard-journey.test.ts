// One journey done with the keyboard only (issue 9 point 4) in Debian's Chromium: the demo commune official
// (Ngô Thị Hạnh) signs in, opens her inbox from the navigation, skips to the content, opens last month's
// check-in task, types a value the Vietnamese way, picks a status with the arrow keys, types her confidence,
// saves and submits — only Tab, Shift+Tab, Enter, Space, arrow keys and typed characters (page.keyboard), never
// a click or a fill. Every focused control shows a focus ring (:focus-visible with an outline or a shadow);
// the skip link is the first stop of each page, shows itself when focused and moves the next Tab into <main>;
// each page has no serious or critical axe violation. A real worker runs her check-in workflow. Her check-in
// period (last month) is hers alone: no other web test uses this person.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import { seriousAxeViolations } from './support/browser.ts';
import {
  type CheckInStack,
  demoDatabase,
  kr,
  lastMonthVn,
  personId,
  seedPlanInForce,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { DEMO_PASSWORD, fill, hydrated, open, vi } from './support/demo.ts';

const EMAIL = 'canboxa@demo.woms.vn';
const PERIOD = lastMonthVn();
const YEAR = Number(PERIOD.slice(0, 4));

interface Focused {
  tag: string;
  id: string;
  text: string;
  href: string | null;
  testId: string | null;
  inMain: boolean;
  /** The focused element draws a ring: an outline of at least 2 px, or a box shadow (app.css :focus-visible;
   *  a date or month field whose own part has the focus: :focus-within). */
  ring: boolean;
  describe: string;
}

/** What has the focus now, and whether its focus ring shows. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body)
      return {
        tag: 'BODY',
        id: '',
        text: '',
        href: null,
        testId: null,
        inMain: false,
        ring: false,
        describe: 'body',
      };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return {
      tag: el.tagName,
      id: el.id,
      text,
      href: el.getAttribute('href'),
      testId: el.getAttribute('data-testid'),
      inMain: !!el.closest('main'),
      ring: outline || shadow,
      describe: `${el.tagName}${el.id ? `#${el.id}` : ''}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${text}"`,
    };
  });
}

/** Presses Tab (Shift+Tab when `back`) until `want` holds for the focused element, checking every stop's
 *  focus ring on the way; fails after `max` presses, listing the stops. */
async function tabTo(
  page: Page,
  want: (f: Focused) => boolean,
  opts: { back?: boolean; max?: number } = {},
): Promise<Focused> {
  const stops: string[] = [];
  for (let n = 0; n < (opts.max ?? 60); n++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    stops.push(f.describe);
    expect(f.ring, `no visible focus ring on ${f.describe} (${page.url()})`).toBe(true);
    if (want(f)) return f;
  }
  throw new Error(`never reached the wanted element; the focus went through: ${stops.join(' → ')}`);
}

/** From the top of a freshly loaded page: the first Tab stop is the skip link, visible while focused; Enter on it
 *  moves the focus to <main>, so the next Tab lands inside the content. */
async function skipToContent(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const first = await tabTo(page, () => true, { max: 1 });
  expect(first.href).toBe('#main');
  expect(first.text).toBe(vi.skip_to_content);
  const box = await page.locator('.skip-link').boundingBox();
  expect(box, 'the focused skip link is on screen').not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  const next = await tabTo(page, () => true, { max: 1 });
  expect(next.inMain, `after the skip link the focus is in <main>, not on ${next.describe}`).toBe(true);
}

/** Presses a key that navigates, and waits for the new page to be interactive. */
async function pressAndLoad(page: Page, key: string, url: RegExp | ((u: URL) => boolean)): Promise<void> {
  await Promise.all([page.waitForURL(url, { timeout: 60_000 }), page.keyboard.press(key)]);
  await hydrated(page);
}

async function axeClean(page: Page, label: string): Promise<void> {
  expect(await seriousAxeViolations(page), label).toEqual([]);
}

describe('a check-in done with the keyboard only', () => {
  let stack: CheckInStack;
  let page: Page;
  let me = '';
  let checkInId = '';

  beforeAll(async () => {
    const database = await demoDatabase();
    const { db } = database;
    me = await personId(db, EMAIL);
    const unitId = await unitOf(db, me, { primary: true });
    await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: me, unitId },
      tasks: [
        {
          id: 't1',
          title: 'Cấp giấy chứng nhận đăng ký hộ kinh doanh',
          perspective: 'processes',
          weight: '1',
          keyResults: [
            kr('k-ho-so', 'Số hồ sơ đăng ký được giải quyết', {
              ownerId: me,
              periodTargets: { [PERIOD]: '1000' },
            }),
          ],
        },
      ],
    });
    // Her task in the inbox for last month's check-in, as the monthly opening writes it.
    const ci = await db
      .insertInto('check_in')
      .values({ person_id: me, unit_id: unitId, period: PERIOD, workflow_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    checkInId = ci.id;
    await db
      .insertInto('task')
      .values({
        id: `keyboard-journey:${PERIOD}:${me}`,
        workflow_id: checkInWorkflowId(PERIOD, me),
        update_name: 'submitCheckIn',
        kind: 'check-in.submit',
        subject_type: 'check_in',
        subject_id: ci.id,
        assignee_person_id: me,
        due_at: new Date(Date.now() + 5 * 86_400_000),
        logical_due_date: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
        details: JSON.stringify({ period: PERIOD, personId: me }),
        closed_at: null,
      })
      .execute();
    stack = await startCheckInStack(database, { taskQueue: 'keyboard-journey' });
    stack.worker.started.push(checkInWorkflowId(PERIOD, me));
    page = await (await stack.context()).newPage();
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('signs in from the keyboard', async () => {
    await open(page, `${stack.web.url}/sign-in`);
    await axeClean(page, 'sign-in');
    await skipToContent(page);
    // the skip link's next stop inside <main> is the e-mail field
    expect((await focused(page)).id).toBe('email');
    await page.keyboard.type(EMAIL);
    await tabTo(page, (f) => f.id === 'password', { max: 1 });
    await page.keyboard.type(DEMO_PASSWORD);
    // back to the e-mail and forward again: Shift+Tab works as well
    expect((await tabTo(page, (f) => f.id === 'email', { back: true, max: 1 })).id).toBe('email');
    await tabTo(page, (f) => f.id === 'password', { max: 1 });
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === vi.signin_submit, { max: 1 });
    await pressAndLoad(page, 'Enter', (u) => !u.pathname.startsWith('/sign-in'));
    expect(await page.getByTestId('signed-in-name').textContent()).toContain('Ngô Thị Hạnh');
  });

  it('opens the inbox from the navigation and the check-in task from the inbox', async () => {
    await axeClean(page, 'home');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, (f) => f.testId === 'nav-inbox');
    await pressAndLoad(page, 'Enter', /\/inbox/);
    expect(await page.locator('h1').textContent()).toBe(vi.inbox_title);
    await axeClean(page, 'inbox');
    // skip the header and the navigation; the task is a few stops into the content (the filters come first)
    await skipToContent(page);
    const link = await tabTo(page, (f) => f.href === `/check-ins?period=${PERIOD}`, { max: 15 });
    expect(link.inMain).toBe(true);
    await pressAndLoad(page, 'Enter', /\/check-ins\?period=/);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.checkin_title, { period: PERIOD }));
    await axeClean(page, 'check-in');
  });

  it('types the value, picks the status with the arrow keys, types the confidence and saves', async () => {
    await skipToContent(page);
    await tabTo(page, (f) => f.id === 'value-0', { max: 15 });
    await page.keyboard.type('1.234,5');
    await tabTo(page, (f) => f.id === 'status-0', { max: 1 });
    await page.keyboard.press('ArrowDown'); // "choose" → on track
    expect(await page.inputValue('#status-0')).toBe('on-track');
    await tabTo(page, (f) => f.id === 'confidence-0', { max: 1 });
    await page.keyboard.type('80');
    await tabTo(page, (f) => f.testId === 'checkin-save', { max: 20 });
    await pressAndLoad(page, 'Enter', /saved=1/);
    expect(await page.getByTestId('checkin-saved').textContent()).toBe(vi.checkin_saved);
    const stored = await stack.database.db
      .selectFrom('check_in_value')
      .select(['value', 'kr_status', 'confidence'])
      .where('check_in_id', '=', checkInId)
      .execute();
    expect(stored).toEqual([{ value: '1234.5', kr_status: 'on-track', confidence: 80 }]);
    await axeClean(page, 'saved');
  });

  it('submits with Space on the submit button and sees SUBMITTED', async () => {
    await skipToContent(page);
    await tabTo(page, (f) => f.testId === 'checkin-submit', { max: 30 });
    await Promise.all([
      page.waitForURL(/submitted=1/, { timeout: 60_000 }).catch(async () => {
        throw new Error(`not submitted: ${await page.locator('main').textContent()}`);
      }),
      page.keyboard.press('Space'),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('checkin-submitted').textContent()).toBe(vi.checkin_submitted);
    const row = await stack.database.db
      .selectFrom('check_in')
      .select('status')
      .where('id', '=', checkInId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('SUBMITTED');
    await axeClean(page, 'submitted');
  }, 120_000);
});
