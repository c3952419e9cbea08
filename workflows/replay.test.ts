import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowsPath } from '../worker/run.ts';
import { activitiesRun, patchesOf } from './history-reading.ts';

// Determinism gate: every recorded history (scripts/record-histories.ts) must replay on today's code.
const dir = join(import.meta.dirname, '__fixtures__', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
});
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
/** The patch ids of a recorded history's markers, in order. */
const markers = (file: string): string[] => patchesOf(load(file).events);
/** The activities a recorded history ran, in order (activity tasks and local activities). */
const activitiesOf = (file: string) => activitiesRun(load(file).events);
const typesOf = (file: string): string[] => activitiesOf(file).map((a) => a.type);
/** How many workflow tasks a recorded history completed. */
const workflowTasks = (file: string): number =>
  load(file).events.filter(
    (e: { workflowTaskCompletedEventAttributes?: unknown }) => e.workflowTaskCompletedEventAttributes,
  ).length;

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s', async (file) => {
    await expect(
      Worker.runReplayHistory({ workflowBundle, replayName: file }, load(file)),
    ).resolves.toBeUndefined();
  });

  it('has histories that take the patched branches (their markers): annual plan v3, the check-in lock after a submission', () => {
    expect(markers('annualPlan-in-force-v3-1.json')).toContain('annual-plan-in-force-phase');
    expect(markers('annualPlan-late-start-v3.json')).toContain('annual-plan-late-start-catch-up');
    expect(markers('annualPlan-monthly-can-v3.json')).toContain('annual-plan-monthly-continue-as-new');
    // the window's end deferred behind a submission being applied
    expect(markers('checkIn-lock-after-submit-v1.json')).toContain('check-in-lock-after-submit');
  });

  it('has v4 histories where the unit head’s items open with their marker and escalate to the secretariat', () => {
    // the decomposition opens in the first run (filed at submission), the Q1 decision in the fourth
    expect(markers('annualPlan-head-items-v4-1.json')).toContain('annual-plan-head-items-escalate-up');
    expect(markers('annualPlan-head-items-v4-4.json')).toContain('annual-plan-head-items-escalate-up');
    // the last run fires the escalations: the head's items to the secretariat only, the drafter's up the unit
    const escalated = load('annualPlan-head-items-v4-5.json')
      .events.filter(
        (e: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }) =>
          e.activityTaskScheduledEventAttributes?.activityType.name === 'fireRung',
      )
      .map(
        (e: { activityTaskScheduledEventAttributes: { input: { payloads: { data: string }[] } } }) =>
          JSON.parse(
            Buffer.from(e.activityTaskScheduledEventAttributes.input.payloads[0]!.data, 'base64').toString(
              'utf8',
            ),
          ).event as { kind: string; taskId: string; recipientRole: string },
      )
      .filter((ev: { kind: string }) => ev.kind === 'escalated')
      .map(
        (ev: { taskId: string; recipientRole: string }) =>
          `${ev.taskId.split(':').slice(1).join(':')} ${ev.recipientRole}`,
      );
    expect(escalated).toEqual([
      'period:2027-01:submit:1 unit-head',
      'period:2027-01:submit:1 secretariat',
      'decompose secretariat',
      'period:2027-Q1:decide:1 secretariat',
    ]);
  });

  it('has histories of the human-step workflows before and after their effects were batched (patch step-effects-batch)', () => {
    const pairs = [
      ['checkIn-moved-v3.json', 'checkIn-moved-v4.json'],
      ['periodAssessment-forwarded-v1.json', 'periodAssessment-forwarded-v2.json'],
      ['periodAssessment-moved-v2.json', 'periodAssessment-moved-v3.json'],
      ['yearEndAssessment-appraised-v1.json', 'yearEndAssessment-appraised-v2.json'],
    ];
    for (const [before, after] of pairs) {
      expect(markers(before!)).not.toContain('step-effects-batch');
      expect(typesOf(before!)).not.toContain('applyStepEffects');
      expect(markers(after!)).toContain('step-effects-batch');
      expect(typesOf(after!)).toContain('applyStepEffects');
      expect(typesOf(after!).length).toBeLessThan(typesOf(before!).length);
    }
  });

  it('has histories of the human-step workflows before and after the machinery ran its effects locally (patch step-effects-local)', () => {
    const MACHINERY = ['openTask', 'closeTask', 'fireRung', 'notify', 'applyStepEffects'];
    const pairs = [
      ['checkIn-moved-v4.json', 'checkIn-moved-v5.json'],
      ['periodAssessment-forwarded-v2.json', 'periodAssessment-forwarded-v3.json'],
      ['periodAssessment-moved-v3.json', 'periodAssessment-moved-v4.json'],
      ['yearEndAssessment-appraised-v2.json', 'yearEndAssessment-appraised-v3.json'],
    ];
    for (const [before, after] of pairs) {
      expect(markers(before!)).not.toContain('step-effects-local');
      expect(activitiesOf(before!).filter((a) => a.local)).toEqual([]);
      expect(markers(after!)).toContain('step-effects-local');
      const ran = activitiesOf(after!);
      // the machinery's effects all local, the workflow's own writes still activity tasks (but the year-end's
      // opening write, which runs with the machinery's first effects)
      expect(ran.filter((a) => MACHINERY.includes(a.type)).every((a) => a.local)).toBe(true);
      expect(
        ran
          .filter((a) => !MACHINERY.includes(a.type) && a.type !== 'openYearEndAssessment')
          .every((a) => !a.local),
      ).toBe(true);
      expect(ran.some((a) => MACHINERY.includes(a.type))).toBe(true);
      expect(workflowTasks(after!)).toBeLessThan(workflowTasks(before!));
    }
    expect(activitiesOf('yearEndAssessment-appraised-v3.json')).toContainEqual({
      type: 'openYearEndAssessment',
      local: true,
    });
  });

  it('has check-in histories before and after the Updates wrote in their own workflow task (patch check-in-update-writes-local)', () => {
    const UPDATE_WRITES = ['markCheckInSubmitted', 'recordCheckInVerification'];
    const [before, after] = ['checkIn-moved-v5.json', 'checkIn-moved-v6.json'];
    expect(markers(before!)).not.toContain('check-in-update-writes-local');
    expect(markers(after!)).toContain('check-in-update-writes-local');
    const writes = (file: string) => activitiesOf(file).filter((a) => UPDATE_WRITES.includes(a.type));
    expect(writes(before!)).toEqual([
      { type: 'markCheckInSubmitted', local: false },
      { type: 'recordCheckInVerification', local: false },
    ]);
    expect(writes(after!)).toEqual([
      { type: 'markCheckInSubmitted', local: true },
      { type: 'recordCheckInVerification', local: true },
    ]);
    // the deadline move's record is the workflow's own effect, still an activity task
    expect(activitiesOf(after!)).toContainEqual({ type: 'recordCheckInDeadlineMove', local: false });
    expect(workflowTasks(after!)).toBeLessThan(workflowTasks(before!));
  });

  it('has histories of the human-step workflows before and after the machinery acted on a stable clock (patch human-steps-stable-clock)', () => {
    const pairs = [
      ['checkIn-moved-v6.json', 'checkIn-moved-v7.json'],
      ['periodAssessment-forwarded-v3.json', 'periodAssessment-forwarded-v4.json'],
      ['periodAssessment-moved-v4.json', 'periodAssessment-moved-v5.json'],
      ['yearEndAssessment-appraised-v3.json', 'yearEndAssessment-appraised-v4.json'],
    ];
    for (const [before, after] of pairs) {
      expect(markers(before!)).not.toContain('human-steps-stable-clock');
      expect(markers(after!)).toContain('human-steps-stable-clock');
      expect(typesOf(after!)).toEqual(typesOf(before!));
    }
  });

  it('has giao ban histories before and after the run that publishes continued as new (patch giao-ban-continue-as-new)', () => {
    const last = (file: string) =>
      Object.keys(load(file).events.at(-1)).find((k) => k.endsWith('EventAttributes'));
    expect(markers('giaoBan-v1.json')).not.toContain('giao-ban-continue-as-new');
    expect(last('giaoBan-v1.json')).toBe('workflowExecutionCompletedEventAttributes');
    expect(markers('giaoBan-v2-1.json')).toContain('giao-ban-continue-as-new');
    expect(last('giaoBan-v2-1.json')).toBe('workflowExecutionContinuedAsNewEventAttributes');
    // the next run follows up from the published session and closes it
    const input =
      load('giaoBan-v2-2.json').events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    expect(JSON.parse(Buffer.from(input.data, 'base64').toString('utf8')).state.phase).toBe('PUBLISHED');
    expect(typesOf('giaoBan-v2-2.json')).toEqual([
      'reportGiaoBanDirection',
      'closeTask',
      'projectGiaoBanSession',
    ]);
    expect(last('giaoBan-v2-2.json')).toBe('workflowExecutionCompletedEventAttributes');
  });

  it('keeps the year-end history that failed its replay before the stable clock (a local activity result handed over a task later)', async () => {
    // Recorded from a CI run's dev server (scripts/simulate/full-year.test.ts under load, queries arriving): the task
    // of events 40–42 was begun by no event of its own (it follows the marker of local activity 6 recorded by the
    // task before), and in it the workflow fired a rung (local activity 7) because its Date.now() had moved on.
    // Replay hands activity 6's result in the earlier task, where the rung was not yet due. It predates the patch.
    const file = join(
      import.meta.dirname,
      '__fixtures__',
      'failed-replays',
      'yearEndAssessment-local-activity-split.json',
    );
    const history = JSON.parse(readFileSync(file, 'utf8'));
    const events: { eventId: string; eventType: string }[] = history.events;
    const at = (id: number) => events.find((e) => Number(e.eventId) === id)!.eventType;
    expect([at(38), at(39), at(40), at(43)]).toEqual([
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_MARKER_RECORDED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_MARKER_RECORDED',
    ]);
    expect(patchesOf(history.events)).not.toContain('human-steps-stable-clock');
    await expect(
      Worker.runReplayHistory({ workflowBundle, replayName: 'local activity split' }, history),
    ).rejects.toThrow(/Missing associated machine for LocalActivity\(7\)/);
  });

  it('fails on a tampered history (an activity the code never scheduled)', async () => {
    const history = load('auditAnchorWorkflow-v1.json');
    const scheduled = history.events.find(
      (e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes,
    );
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    await expect(
      Worker.runReplayHistory({ workflowBundle, replayName: 'tampered' }, history),
    ).rejects.toThrow(/[Dd]eterminism|Nondeterminism/);
  });

  it('fails on an annual-plan history whose patch marker names another change (the patched branch needs it)', async () => {
    const history = load('annualPlan-filed-v2-1.json');
    const marker = history.events.find(
      (e: { markerRecordedEventAttributes?: unknown }) => e.markerRecordedEventAttributes,
    );
    const payload = marker.markerRecordedEventAttributes.details['patch-data'].payloads[0];
    const data = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
    expect(data.id).toBe('annual-plan-filing-notifies-head');
    payload.data = Buffer.from(JSON.stringify({ ...data, id: 'some-other-change' })).toString('base64');
    await expect(
      Worker.runReplayHistory({ workflowBundle, replayName: 'tampered-annual-plan' }, history),
    ).rejects.toThrow(/[Dd]eterminism|Nondeterminism/);
  });
});
