// The giao ban continues as new in the middle of its session (workflows/giao-ban.ts, patch
// 'giao-ban-continue-as-new'): a dev server of this file's own with a low suggestContinueAsNew threshold, a province
// of three units whose conclusions are recorded and revised, one after another and all at once. The session moves
// to new runs at its quiet moments and goes on where it was: every revision counted once, a resent Update answered
// with its first answer, one conclude task whose ladder reaches the standing committee once, the publication of all
// conclusions; and every run of the chain replays against the workflow code.
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { giaoBanActivities } from '../activities/giao-ban.ts';
import { createActivities } from '../activities/index.ts';
import { giaoBanInputFor } from '../db/queries/giao-ban-workflow-input.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import type { GiaoBanMinutes } from '../domain/giao-ban/model.ts';
import { warpFrom } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { conclusion, giaoBanTestDocs, seedGiaoBanProvince } from '../test/support/giao-ban.ts';
import { devServerSuggestingContinueAsNew } from '../test/support/own-dev-server.ts';
import { until } from '../test/support/poll.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  getGiaoBanState,
  giaoBanWorkflow,
  giaoBanWorkflowId,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
} from './giao-ban.ts';

const { db } = await freshDatabase();
const server = devServerSuggestingContinueAsNew(40);

describe('giao ban workflow: continue-as-new in session', () => {
  it('rolls over between conclusions and carries the session, its answers and its ladder', {
    timeout: 180_000,
  }, async () => {
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address: server.address });
    const { p, units } = await seedGiaoBanProvince(db);
    const session = '2027-Q2';
    const built = await giaoBanInputFor(db, { provinceId: p.provinceId, session });
    if (!built) throw new Error('no giao ban input');
    // From 19/7 (the dossier day 16/7 has passed: frozen at once), 1.5 s a virtual day: in session on 20/7, the
    // conclusions due 22/7 (Thursday), the standing committee told two working days after (Monday 26/7).
    const input = { ...built, timeWarp: warpFrom('2027-07-19', 1500) };
    const workflowId = giaoBanWorkflowId(p.provinceId, session);
    const taskQueue = `giao-ban-can-${workflowId}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle,
      activities: {
        ...createActivities({ db, temporal: client }),
        ...giaoBanActivities({ db, docs: await giaoBanTestDocs() }),
      },
    });
    try {
      await worker.runUntil(async () => {
        const started = await client.workflow.start(giaoBanWorkflow, {
          taskQueue,
          workflowId,
          args: [input],
        });
        const firstRun = started.firstExecutionRunId;
        const handle = client.workflow.getHandle(workflowId);
        await until('in session', async () => (await handle.query(getGiaoBanState)).phase === 'IN_SESSION');

        // Four rounds of conclusions, each unit's revised every round: the first two one Update after another, the
        // last two all units at once (Updates admitted while a run hands over are answered by the next one).
        const ids = [units.snv, units.syt, units.stc];
        const conclude = async (round: number, unitId: string) =>
          expect(
            await handle.executeUpdate(recordGiaoBanConclusion, {
              args: [conclusion(unitId, p.secretary, { summary: `Kết luận lần ${round}.` })],
              updateId: `conclude:${round}:${unitId}`,
            }),
          ).toEqual({ unitId, revision: round });
        for (const round of [1, 2]) for (const unitId of ids) await conclude(round, unitId);
        for (const round of [3, 4]) await Promise.all(ids.map((unitId) => conclude(round, unitId)));
        const inSession = await handle.describe();
        expect(inSession.runId).not.toBe(firstRun);
        expect((await client.workflow.getHandle(workflowId, firstRun).describe()).status.name).toBe(
          'CONTINUED_AS_NEW',
        );
        const view = await handle.query(getGiaoBanState);
        expect(view.phase).toBe('IN_SESSION');
        expect(view.agenda.map((u) => u.unitId).sort()).toEqual([...ids].sort());
        expect(view.concluded.map((c) => [c.unitId, c.revision]).sort()).toEqual(
          ids.map((u) => [u, 4]).sort(),
        );
        // The first Update, resent after the roll-over: its first answer, no fifth revision.
        expect(
          await handle.executeUpdate(recordGiaoBanConclusion, {
            args: [conclusion(units.snv, p.secretary, { summary: 'Kết luận lần 1.' })],
            updateId: `conclude:1:${units.snv}`,
          }),
        ).toEqual({ unitId: units.snv, revision: 1 });
        const snv = await db
          .selectFrom('giao_ban_conclusion')
          .select(['revision', 'summary'])
          .where('province_id', '=', p.provinceId)
          .where('session', '=', session)
          .where('unit_id', '=', units.snv)
          .executeTakeFirstOrThrow();
        expect(snv).toEqual({ revision: 4, summary: 'Kết luận lần 4.' });

        // Nobody publishes by 22/7: the ladder goes on in the later runs and reaches the standing committee.
        await until('escalation', async () => (await handle.query(getGiaoBanState)).escalation > 0, 60_000);
        const pub = await handle.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p.secretary }] });
        expect(pub.directions).toBe(0);
        const row = await db
          .selectFrom('giao_ban_session')
          .select(['phase', 'minutes'])
          .where('province_id', '=', p.provinceId)
          .where('session', '=', session)
          .executeTakeFirstOrThrow();
        expect(row.phase).toBe('PUBLISHED');
        expect(
          (row.minutes as unknown as GiaoBanMinutes).conclusions.map((c) => [c.unitId, c.summary]).sort(),
        ).toEqual(ids.map((u) => [u, 'Kết luận lần 4.']).sort());

        const subject = `${p.provinceId}:${session}`;
        const tasks = await tasksOfSubject(db, 'giao_ban_session', subject);
        expect(tasks.map((t) => t.status)).toEqual(['done']);
        const escalated = (await eventsOfSubject(db, 'giao_ban_session', subject)).filter(
          (e) => e.kind === 'escalated',
        );
        expect(escalated.map((e) => [e.recipient_role, e.logical_date])).toEqual([
          ['standing-committee', '2027-07-26'],
        ]);

        // Every run of the chain replays against the workflow code.
        const runs: string[] = [];
        for await (const w of client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
          runs.push(w.runId);
        expect(runs.length).toBeGreaterThanOrEqual(3);
        for (const runId of runs) {
          const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
          await Worker.runReplayHistory({ workflowBundle, replayName: runId }, history);
        }
        await handle.terminate('test over');
      });
    } finally {
      await connection.close();
      await native.close();
    }
  });
});
