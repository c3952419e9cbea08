// Browser journey of the escalations screen and the verify queue (issue 6 point 5) in Debian's Chromium: the demo
// supervisor (Trần Văn Hùng) finds the overdue August 2023 check-in of his official (Nguyễn Thị Lan), escalated
// to him, with its level and working days overdue; filters by level from the keyboard; nudges her with a message
// after a confirmation; a second nudge is not offered the same day; she finds the nudge among her in-app
// notifications. The province (secretariat) sees the unit's count but not her name. The verify queue lists a
// submitted check-in waiting for him. Each screen: no serious or critical axe violation, no sideways scrolling
// at 360 px. The overdue and escalated states are seeded as task and task_event rows (the ladder itself is
// tested in workflows/check-in.test.ts); 2023 is a year no other web test uses.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayVn } from '../../db/queries/org-tree.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { workingCalendar } from '../../domain/calendar/working-days.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  soundWithAxeAt360 as sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { DEMO_TOTP_SECRET, en, fill, hydrated, open, vi } from './support/demo.ts';

const PERIOD = '2023-08';
const DUE = '2023-09-05';
const VERIFY_PERIOD = '2023-07';

describe('escalations: a supervisor handles an overdue check-in', () => {
  let stack: CheckInStack;
  const ids = { official: '', supervisor: '', unit: '', checkIn: '', submitted: '' };
  const url = (path: string) => `${stack.web.url}${path}`;
  const taskId = () => `check-in:${PERIOD}:${ids.official}:submit`;

  beforeAll(async () => {
    stack = await startCheckInStack(await demoDatabase());
    const { db } = stack.database;
    ids.official = await personId(db, 'canbo@demo.woms.vn');
    ids.supervisor = await personId(db, 'truongphong@demo.woms.vn');
    ids.unit = await unitOf(db, ids.official);
    // Her August check-in, never submitted: its task is overdue and the ladder escalated it to the supervisor.
    const ci = await db
      .insertInto('check_in')
      .values({ person_id: ids.official, unit_id: ids.unit, period: PERIOD, workflow_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.checkIn = ci.id;
    await db
      .insertInto('task')
      .values({
        id: taskId(),
        workflow_id: `check-in:${PERIOD}:${ids.official}`,
        update_name: 'submitCheckIn',
        kind: 'check-in.submit',
        subject_type: 'check_in',
        subject_id: ci.id,
        assignee_person_id: ids.official,
        due_at: new Date(`${DUE}T17:00:00Z`),
        logical_due_date: DUE,
        escalation_level: 1,
        details: JSON.stringify({ period: PERIOD, personId: ids.official }),
        closed_at: null,
      })
      .execute();
    await db
      .insertInto('task_event')
      .values({
        idempotency_key: `test:escalate:${taskId()}`,
        task_id: taskId(),
        kind: 'escalated',
        actor: 'system:check-in',
        recipient_role: 'supervisor',
        logical_date: '2023-09-07',
      })
      .execute();
    // Her July check-in, submitted and waiting for his verification.
    const sub = await db
      .insertInto('check_in')
      .values({ person_id: ids.official, unit_id: ids.unit, period: VERIFY_PERIOD, workflow_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const v = await db
      .insertInto('check_in_version')
      .values({
        check_in_id: sub.id,
        number: 1,
        content: JSON.stringify({ values: [] }),
        hash: 'b'.repeat(64),
        created_by: ids.official,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('check_in')
      .set({ status: 'SUBMITTED', submitted_version_id: v.id })
      .where('id', '=', sub.id)
      .execute();
    ids.submitted = sub.id;
    await db
      .insertInto('task')
      .values({
        id: `check-in:${VERIFY_PERIOD}:${ids.official}:verify:1`,
        workflow_id: `check-in:${VERIFY_PERIOD}:${ids.official}`,
        update_name: 'verifyCheckIn',
        kind: 'check-in.verify',
        subject_type: 'check_in',
        subject_id: sub.id,
        assignee_person_id: ids.supervisor,
        due_at: new Date('2099-01-01T17:00:00Z'),
        logical_due_date: '2099-01-01',
        details: JSON.stringify({ period: VERIFY_PERIOD, personId: ids.official }),
        closed_at: null,
      })
      .execute();
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const signedIn = (email: string, totp = false): Promise<Page> =>
    stack.signedIn(email, totp ? { totpSecret: DEMO_TOTP_SECRET } : {});

  it('the supervisor sees the escalated item, filters by level, and nudges after a confirmation', async () => {
    const page = await signedIn('truongphong@demo.woms.vn');
    await open(page, url('/'));
    await Promise.all([page.waitForURL(/\/escalations$/), page.getByTestId('nav-escalations').click()]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(vi.escalation_title);
    const row = page.locator(`[data-testid="escalation-row"][data-task-id="${taskId()}"]`);
    expect(await row.getByTestId('escalation-who').textContent()).toBe('Nguyễn Thị Lan');
    expect(await row.getAttribute('data-level')).toBe('1');
    expect((await row.getByTestId('escalation-level').textContent())?.trim()).toBe(
      fill(vi.escalation_at_level, { role: vi.escalation_role_supervisor ?? '' }),
    );
    const late = workingCalendar(DEFAULT_CALENDAR_PROFILE).workingDaysBetween(DUE, todayVn());
    expect((await row.getByTestId('escalation-late').textContent())?.trim()).toBe(
      fill(vi.escalation_days_late, { count: String(late) }),
    );
    // "act" opens the check-in as its verifiers read it
    expect(await row.getByTestId('escalation-act').getAttribute('href')).toBe(
      `/check-ins/${ids.checkIn}/verify`,
    );
    await sound(page, 'escalations');

    // Filter by level from the keyboard: the item escalated to the supervisor stays, "not escalated" empties it.
    await page.locator('#f-level').selectOption('overdue');
    await page.locator('[data-testid="escalation-filters"] button[type="submit"]').focus();
    await Promise.all([page.waitForURL(/level=overdue/), page.keyboard.press('Enter')]);
    await hydrated(page);
    expect(await row.count()).toBe(0);
    await page.locator('#f-level').selectOption('supervisor');
    await Promise.all([
      page.waitForURL(/level=supervisor/),
      page.locator('[data-testid="escalation-filters"] button[type="submit"]').click(),
    ]);
    await hydrated(page);
    expect(await row.count()).toBe(1);

    // Nudge: the button opens a confirmation with an optional message; confirming sends it once.
    const summary = row.locator('[data-testid="escalation-nudge"] summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await row.locator('textarea[name="message"]').fill('Chị nộp báo cáo tháng 8 trong hôm nay nhé.');
    await row.getByTestId('escalation-nudge-confirm').click();
    await page.getByTestId('form-success').waitFor();
    expect(await page.getByTestId('form-success').textContent()).toBe(
      fill(vi.escalation_nudge_done, { count: '1' }),
    );
    await row.getByTestId('escalation-nudged').waitFor();
    expect(await row.getByTestId('escalation-nudge').count()).toBe(0);
    await sound(page, 'nudged');
    const notes = await stack.database.db
      .selectFrom('notification')
      .select(['title_vi', 'body_vi', 'link'])
      .where('person_id', '=', ids.official)
      .where('kind', '=', 'escalation.nudge')
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body_vi).toContain('Chị nộp báo cáo tháng 8 trong hôm nay nhé.');
    expect(notes[0]?.link).toBe(`/tasks/${encodeURIComponent(taskId())}`);
  });

  it('the official finds the nudge among her notifications', async () => {
    const page = await signedIn('canbo@demo.woms.vn');
    await open(page, url('/notifications'));
    const note = page.getByTestId('notification').filter({ hasText: 'Nhắc việc quá hạn' });
    expect(await note.count()).toBe(1);
    expect(await note.textContent()).toContain('Trần Văn Hùng');
    // an official has no escalations screen in the menu
    expect(await page.getByTestId('nav-escalations').count()).toBe(0);
  });

  it('the province sees the unit counted, never her name', async () => {
    const page = await signedIn('vanphong@demo.woms.vn', true);
    await open(page, url('/escalations'));
    const counts = page.getByTestId('escalation-counts');
    await counts.waitFor();
    const stc = counts.locator('[data-testid="escalation-count"]').filter({ hasText: 'Sở Tài chính' });
    expect(await stc.count()).toBe(1);
    expect(Number(await stc.getByTestId('count-overdue').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('main').textContent()).not.toContain('Nguyễn Thị Lan');
    expect(await page.locator(`[data-task-id="${taskId()}"]`).count()).toBe(0);
    await sound(page, 'province escalations');
    // in English
    await Promise.all([page.waitForURL(/\/escalations$/), page.getByTestId('language-switch').click()]);
    await hydrated(page);
    await page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, en.escalation_title);
    expect(await page.locator('#counts-heading').textContent()).toBe(en.escalation_counts_title);
    await sound(page, 'province escalations (en)');
  });

  it('the verify queue lists the submitted check-in and links to its verify screen', async () => {
    const page = await signedIn('truongphong@demo.woms.vn');
    await open(page, url('/'));
    await Promise.all([
      page.waitForURL(/\/check-ins\/verify$/),
      page.getByTestId('nav-verify-queue').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(vi.verifyqueue_title);
    const item = page.locator(`[data-testid="verifyqueue-item"][data-check-in="${ids.submitted}"]`);
    expect(await item.count()).toBe(1);
    expect((await item.getByTestId('verifyqueue-link').textContent())?.trim()).toBe(
      fill(vi.verifyqueue_open, { name: 'Nguyễn Thị Lan', period: '07/2023' }),
    );
    expect(await item.getByTestId('verifyqueue-link').getAttribute('href')).toBe(
      `/check-ins/${ids.submitted}/verify`,
    );
    await sound(page, 'verify queue');
    // its verify screen, and back to the queue
    await Promise.all([
      page.waitForURL(new RegExp(`/check-ins/${ids.submitted}/verify$`)),
      item.getByTestId('verifyqueue-link').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(vi.verify_title);
    expect(await page.getByTestId('verify-person').textContent()).toBe('Nguyễn Thị Lan');
    await Promise.all([
      page.waitForURL(/\/check-ins\/verify$/),
      page.getByTestId('verify-back-to-queue').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('verifyqueue-item').count()).toBeGreaterThan(0);
    // an official has nothing to verify: the empty state
    const official = await signedIn('canbo@demo.woms.vn');
    await open(official, url('/check-ins/verify'));
    expect(await official.getByTestId('verifyqueue-empty').count()).toBe(1);
  });

  it('the unit head reassigns an overdue verification from the verifier’s handover screen', async () => {
    // An overdue verification of the supervisor escalated to the unit head, as the check-in workflow leaves it.
    const overdue = `check-in:${VERIFY_PERIOD}:${ids.official}:verify:late`;
    await stack.database.db
      .insertInto('task')
      .values({
        id: overdue,
        workflow_id: `check-in:${VERIFY_PERIOD}:${ids.official}`,
        update_name: 'verifyCheckIn',
        kind: 'check-in.verify',
        subject_type: 'check_in',
        subject_id: ids.submitted,
        assignee_person_id: ids.supervisor,
        due_at: new Date(`${DUE}T10:00:00Z`),
        logical_due_date: DUE,
        escalation_level: 2,
        details: JSON.stringify({ period: VERIFY_PERIOD, personId: ids.official }),
      })
      .execute();
    try {
      const page = await signedIn('giamdoc@demo.woms.vn');
      await open(page, url('/escalations'));
      const row = page.locator(`[data-testid="escalation-row"][data-task-id="${overdue}"]`);
      expect(await row.getByTestId('escalation-reassign').getAttribute('href')).toBe(
        `/handover/${ids.supervisor}`,
      );
      await Promise.all([
        page.waitForURL(new RegExp(`/handover/${ids.supervisor}$`)),
        row.getByTestId('escalation-reassign').click(),
      ]);
      await hydrated(page);
      expect(
        await page.locator('[data-testid="handover-task"][data-kind="check-in.verify"]').count(),
      ).toBeGreaterThan(0);
    } finally {
      await stack.database.db.deleteFrom('task').where('id', '=', overdue).execute();
    }
  });
});
