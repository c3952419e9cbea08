// The province-ranking workflow (issue 8: the superior body's ranking of the province's top units and their heads)
// on the dev server with a compressed calendar: started by startProvinceRanking (idempotent: the draft compiled
// once, one run), the standing committee's 'year-end.province-ranking' task climbs the ladder while the ranking is
// missing (reminders, then escalation past the `year-end.ranking` deadline), the Updates are validated (publish
// before the decision, a committee member who is ranked in it) and the decision with an approved exception to the
// heads' quota freezes every entry and lets the committee publish; the run ends PUBLISHED. Real PostgreSQL; the
// units' year results are injected (the plan scoring is exercised by the API test).
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvinceRanking } from '../activities/province-ranking.ts';
import { createApp } from '../api/app.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import {
  type ProvinceRankingSources,
  provinceEntriesOf,
  provinceRankingOf,
} from '../db/queries/province-rankings.ts';
import { tasksOfSubject } from '../db/queries/tasks.ts';
import { TEST_PROFILE, warpFrom } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, grant, type OrgFixture } from '../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../test/support/test-worker.ts';
import {
  decideProvinceRanking,
  getProvinceRankingState,
  provinceRankingWorkflowId,
  publishProvinceRanking,
} from './province-ranking.messages.ts';

const { db } = await freshDatabase();
const YEAR = 2027;
const taskQueue = `province-ranking-wf-${randomUUID()}`;
let w: TestWorker;
let f: OrgFixture;
const app = createApp({ db, temporal: () => Promise.resolve(w.client), version: 'test' });
const sources = (): ProvinceRankingSources => ({
  unitResultsOf: async (_e, a) =>
    new Map(
      a.unitIds.map((u) => [
        u,
        {
          score: u === f.unit.A ? '92' : u === f.unit.B ? '75' : '60',
          completion: '0.8',
          keyResults: { total: 4, met: 3, exceeded: 1 },
        },
      ]),
    ),
  // the heads: A's supervisor score 96 (Xuất sắc), B's 88 (Tốt) → 1 Tốt allows no Xuất sắc: over by 1
  yearScores: async (_e, a) =>
    a.unitId === f.unit.A
      ? new Map([[f.person.headA!, '96']])
      : a.unitId === f.unit.B
        ? new Map([[f.person.headB!, '88']])
        : new Map(),
  unitCompletionOf: async () => '0.8',
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(async () => {
  await w?.stop();
});

describe('province-ranking workflow', () => {
  const wid = () => provinceRankingWorkflowId(YEAR, f.unit.P);

  it('starts once, and the committee’s task climbs the ladder while the ranking is missing', async () => {
    // 1/12/2027 at 300 ms per virtual day: the deadline (14/12) passes after ≈ 4 s
    const warp = warpFrom(`${YEAR}-12-01`, 300);
    const start = () =>
      startProvinceRanking(db, w.client, {
        provinceId: f.unit.P,
        year: YEAR,
        day: `${YEAR}-12-01`,
        taskQueue,
        sources: sources(),
        adjust: (i) => ({ ...i, timeWarp: warp }),
      });
    expect(await start()).toBe(true);
    w.started.push(wid());
    const runId = (await w.client.workflow.getHandle(wid()).describe()).runId;
    expect(await start()).toBe(true);
    expect((await w.client.workflow.getHandle(wid()).describe()).runId).toBe(runId);
    const row = (await provinceRankingOf(db, f.unit.P, YEAR))!;
    expect(row).toMatchObject({ revision: 1, status: 'draft', workflow_id: wid() });
    expect(await provinceEntriesOf(db, row.id)).toHaveLength(6);

    const task = await until('the committee task', async () =>
      (await tasksOfSubject(db, 'province_ranking', row.id)).find((t) => t.status === 'open'),
    );
    expect(task).toMatchObject({
      kind: 'year-end.province-ranking',
      assignee_role: 'standing_committee',
      assignee_unit_id: f.unit.P,
    });
    // past the deadline: the ladder escalates (the item's escalation level rises)
    await until(
      'the escalation',
      async () =>
        ((await tasksOfSubject(db, 'province_ranking', row.id)).find((t) => t.id === task.id)
          ?.escalation_level ?? 0) > 0,
    );
    const events = await db.selectFrom('task_event').select('kind').where('task_id', '=', task.id).execute();
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['opened', 'reminded']));
  });

  it('refuses publishing before the decision and a ranked member’s decision', async () => {
    const h = w.client.workflow.getHandle(wid());
    await expect(
      h.executeUpdate(publishProvinceRanking, { args: [{ by: f.person.standingP! }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    // the head of A also sits on the standing committee: never decides a ranking that ranks them
    await grant(db, f.person.headA!, 'standing_committee', f.unit.P);
    const self = await h
      .executeUpdate(decideProvinceRanking, { args: [{ by: f.person.headA!, revision: 1 }] })
      .catch((e: unknown) => e);
    expect(self).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(JSON.stringify((self as WorkflowUpdateFailedError).cause)).toContain('PROVINCE_RANKING_SELF');
    expect((await h.query(getProvinceRankingState)).phase).toBe('DRAFT');
    // an exception without its decision number is refused by the validator
    await expect(
      h.executeUpdate(decideProvinceRanking, {
        args: [
          {
            by: f.person.standingP!,
            revision: 1,
            exception: { places: 1, decisionNumber: ' ', justification: 'Thành tích' },
          },
        ],
      }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
  });

  it('decides with an approved exception, freezing every entry, then publishes and ends', async () => {
    const h = w.client.workflow.getHandle(wid());
    const d = await h.executeUpdate(decideProvinceRanking, {
      args: [
        {
          by: f.person.standingP!,
          revision: 1,
          exception: { places: 1, decisionNumber: '15-QĐ/TU', justification: 'Thành tích đột xuất' },
        },
      ],
    });
    expect(d).toMatchObject({ phase: 'DECIDED', publicationBlocked: false, over: 0 });
    const row = (await provinceRankingOf(db, f.unit.P, YEAR))!;
    expect(row).toMatchObject({ status: 'decided', decided_by: f.person.standingP, exception_places: 1 });
    const entries = await provinceEntriesOf(db, row.id);
    expect(entries.filter((e) => e.score !== null).every((e) => e.frozen !== null)).toBe(true);
    const heads = entries.filter((e) => e.subject_kind === 'individual');
    expect(heads.map((e) => e.level).sort()).toEqual(['excellent', 'good']);
    expect((await tasksOfSubject(db, 'province_ranking', row.id)).every((t) => t.status !== 'open')).toBe(
      true,
    );
    const p = await h.executeUpdate(publishProvinceRanking, { args: [{ by: f.person.standingP! }] });
    expect(p.phase).toBe('PUBLISHED');
    expect((await h.result()).phase).toBe('PUBLISHED');
    expect((await provinceRankingOf(db, f.unit.P, YEAR))!.status).toBe('published');
  });
});
