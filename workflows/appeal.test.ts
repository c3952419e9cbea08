// The appeal workflow on the dev server with a compressed calendar (issue 8 point 4): the organisation
// department's task opens due two working days after the filing (Monday 20/12/2027 → Wednesday 22/12), climbs
// the ladder (reminders, then the escalation to the standing committee at D+2), refuses the appellant deciding
// their own appeal, and on decideAppeal records the changed level through the activity, closes the task and
// ends. Real PostgreSQL and a real worker.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import { fileAppeal, issueRankingNotices } from '../db/queries/ranking-notices.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { TEST_PROFILE, warpFrom } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../test/support/test-worker.ts';
import { type AppealInput, appealWorkflowId, decideAppeal, getAppealState } from './appeal.messages.ts';

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
let w: TestWorker;
let f: OrgFixture;

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue: `appeal-wf-${randomUUID()}` });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(async () => {
  await w?.stop();
});

describe('appealWorkflow', () => {
  it('opens the deciding level’s task, escalates a late decision, and records the decision', async () => {
    const entries = [
      {
        subjectId: f.person.staffA,
        track: 'state' as const,
        level: 'completed' as const,
        score: '71.00',
        unitId: f.unit.A,
      },
    ];
    const rankingId = randomUUID();
    expect(
      await issueRankingNotices(db, {
        rankingKind: 'province',
        rankingId,
        issuedOn: '2027-12-16',
        entries,
        year: 2027,
        provinceId: f.unit.P,
      }),
    ).toBe(1);
    // idempotent
    expect(
      await issueRankingNotices(db, {
        rankingKind: 'province',
        rankingId,
        issuedOn: '2027-12-16',
        entries,
        year: 2027,
        provinceId: f.unit.P,
      }),
    ).toBe(0);
    const notice = await db
      .selectFrom('ranking_notice')
      .selectAll()
      .where('ranking_id', '=', rankingId)
      .executeTakeFirstOrThrow();
    // default window: 10 working days (no setting in the profile)
    expect(notice.appeal_until).toBe('2027-12-30');
    const { appeal } = await fileAppeal(db, {
      noticeId: notice.id,
      by: f.person.staffA,
      reason: 'Đề nghị xem xét lại',
      filedOn: '2027-12-20',
    });
    const input: AppealInput = {
      appealId: appeal.id,
      noticeId: notice.id,
      subjectId: f.person.staffA,
      subjectName: 'Nhân viên A',
      year: 2027,
      level: 'completed',
      filedOn: '2027-12-20',
      decisionWorkingDays: 2,
      profile: TEST_PROFILE,
      parties: {
        decider: { personId: f.person.orgdeptP },
        escalation: { role: 'standing_committee', unitId: f.unit.P },
      },
      timeWarp: warpFrom('2027-12-20', 400),
    };
    const wid = appealWorkflowId(notice.id);
    w.started.push(wid);
    const handle = await w.client.workflow.start('appealWorkflow', {
      taskQueue: w.taskQueue,
      workflowId: wid,
      args: [input],
    });
    const state = await handle.query(getAppealState);
    expect(state).toMatchObject({ phase: 'OPEN', dueDate: '2027-12-22' });
    const task = await until(
      'the task',
      async () => (await tasksOfSubject(db, 'ranking_appeal', appeal.id))[0],
    );
    expect(task).toMatchObject({
      kind: 'year-end.appeal',
      status: 'open',
      assignee_person_id: f.person.orgdeptP,
    });
    // overdue: the ladder escalates to the standing committee
    const escalated = await until('the escalation', async () =>
      (await eventsOfSubject(db, 'ranking_appeal', appeal.id)).find((e) => e.kind === 'escalated'),
    );
    expect(escalated).toBeDefined();
    const toCommittee = await until('the committee told', () =>
      db
        .selectFrom('notification')
        .select(['title_vi'])
        .where('person_id', '=', f.person.standingP)
        .where('kind', '=', 'appeal.escalated')
        .executeTakeFirst(),
    );
    expect(toCommittee.title_vi).toContain('Giải quyết kiến nghị về kết quả xếp loại năm 2027 — Nhân viên A');

    // the appellant cannot decide their own appeal
    await expect(
      handle.executeUpdate(decideAppeal, {
        args: [{ by: f.person.staffA, outcome: 'upheld', decisionNumber: '1' }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(
      handle.executeUpdate(decideAppeal, {
        args: [{ by: f.person.orgdeptP, outcome: 'changed', newLevel: 'completed', decisionNumber: '2' }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const r = await handle.executeUpdate(decideAppeal, {
      args: [{ by: f.person.orgdeptP, outcome: 'changed', newLevel: 'good', decisionNumber: '30-QĐ/TU' }],
      updateId: 'decide-1',
    });
    expect(r).toMatchObject({
      phase: 'DECIDED',
      outcome: 'changed',
      newLevel: 'good',
      by: f.person.orgdeptP,
    });
    const view = await handle.result();
    expect(view.phase).toBe('DECIDED');
    const row = await db
      .selectFrom('ranking_appeal')
      .selectAll()
      .where('id', '=', appeal.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'decided',
      outcome: 'changed',
      new_level: 'good',
      decision_number: '30-QĐ/TU',
    });
    expect((await tasksOfSubject(db, 'ranking_appeal', appeal.id)).every((t) => t.status !== 'open')).toBe(
      true,
    );
  });
});
