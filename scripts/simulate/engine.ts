// The scripted year (issue 8 points 6–7): people of a sample of a province's top units go through a year of work
// on a compressed calendar — their check-ins month by month, the supervisor's verification, the period
// assessments, the year-end self-assessment and the supervisor's assessment, then the unit head's ranking,
// decided and published. Every process transition is the real workflow's Update, as the screens send it through
// the API; content (check-in values, the self-assessment draft, the ranking draft) is written by the same
// db/queries functions the API routes call. Each workflow runs on the Temporal server given (the dev server: the
// runs are visible in its Web UI) with a time warp (workflows/plan-time.ts) starting at the phase's first day, so
// the deadlines, reminders and escalations of a month play out in seconds.
//
// The rankings start as on the real 1 December (activities/year-end-rankings.ts startYearEndRankings: every top
// unit's draft and workflow, then the province's ranking of the units and their heads); the head recomputes the
// draft, decides and publishes; the notices are issued on publication and one scripted person of the first unit
// appeals, the province's organisation department deciding through the appeal workflow's Update.
// The plans in force the months report on (option `plans`): 'scripted', the plan phase first — each unit's plan and
// its people's plans through the annual-plan workflow (scripts/simulate/plan-phase.ts; the unit head's own
// personal plan, which only the head could approve, written directly); 'direct' (the default of the tests that
// start from the months), each person's plan written in force with one monthly key result (as
// test/support/check-in-plans.ts writes it). Hooks: `hooks.startRanking` and `hooks.afterPublication` replace the
// default start and appeal.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { sql } from 'kysely';
import type { AssigneeRef } from '../../activities/notifications.ts';
import { startYearEndRankings, type YearEndRankingsResult } from '../../activities/year-end-rankings.ts';
import type { Database } from '../../db/connection.ts';
import { appealInputFor } from '../../db/queries/appeal-workflow-input.ts';
import { assessmentInputFor } from '../../db/queries/assessment-workflow-input.ts';
import { calendarProfileOfProvince } from '../../db/queries/calendar.ts';
import { checkInInputFor } from '../../db/queries/check-in-workflow-input.ts';
import {
  checkInSnapshot,
  createCheckInVersion,
  lockOrCreateCheckIn,
  saveDraftValues,
  valuesOfCheckIn,
} from '../../db/queries/check-ins.ts';
import { giaoBanInputFor } from '../../db/queries/giao-ban-workflow-input.ts';
import { holdersOfRole } from '../../db/queries/org.ts';
import { unitPath } from '../../db/queries/org-tree.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import { fileAppeal, setAppealWorkflow } from '../../db/queries/ranking-notices.ts';
import {
  entriesOf,
  quotaOf,
  rankingById,
  rankingOf,
  recomputeDraft,
  selectForQuota,
  topUnitOf,
  trackRuleSet,
  unliftableGroups,
} from '../../db/queries/rankings.ts';
import { eventsOfSubject } from '../../db/queries/tasks.ts';
import { EMPTY_SELF, saveSelfDraft, yearEndById } from '../../db/queries/year-end-assessments.ts';
import { yearEndInputFor } from '../../db/queries/year-end-workflow-input.ts';
import { deadlineById } from '../../domain/calendar/plan-year.ts';
import { vnInstant } from '../../domain/calendar/vn-time.ts';
import type { CompletionLevel } from '../../domain/giao-ban/model.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import { RANK_LABELS, RANK_LEVELS, type RankLevel } from '../../domain/rulesets/types.ts';
import { appealWorkflowId, decideAppeal, getAppealState } from '../../workflows/appeal.messages.ts';
import {
  checkInWorkflowId,
  decideReopen,
  getCheckInState,
  requestReopen,
  submitCheckIn,
  verifyCheckIn,
} from '../../workflows/check-in.messages.ts';
import {
  getGiaoBanState,
  giaoBanWorkflowId,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
} from '../../workflows/giao-ban.messages.ts';
import {
  confirmAssessment,
  getAssessmentState,
  periodAssessmentWorkflowId,
} from '../../workflows/period-assessment.messages.ts';
import type { TimeWarp } from '../../workflows/plan-time.ts';
import { LONG_WORKFLOW_TASK_TIMEOUT } from '../../workflows/task-timeout.ts';
import {
  decideQuotaException,
  decideRanking,
  getRankingState,
  publishRanking,
  requestQuotaException,
} from '../../workflows/unit-ranking.messages.ts';
import {
  getYearEndState,
  submitAppraisal,
  submitSelfAssessment,
  submitSupervisorAssessment,
  yearEndAssessmentWorkflowId,
} from '../../workflows/year-end-assessment.messages.ts';
import { planPhaseOfUnit } from './plan-phase.ts';

export type TimelineKind =
  | 'plan'
  | 'check-in'
  | 'reopen'
  | 'verify'
  | 'escalation'
  | 'assessment'
  | 'year-end'
  | 'ranking'
  | 'appeal'
  | 'giao-ban'
  | 'error';

export interface TimelineEvent {
  /** The virtual day (Asia/Ho_Chi_Minh) the workflow answered for the step. */
  date: string;
  unit: string;
  kind: TimelineKind;
  text: string;
}

export interface PersonScript {
  personId: string;
  name: string;
  unitId: string;
  /** Submits the check-ins of these months only after the reminders and an escalation. */
  lateMonths: Set<string>;
  /** The supervisor returns the check-ins of these months once (a value to correct). */
  returnedMonths: Set<string>;
  /** Monthly value of the key result (the target is 120 for the year, 10 a month). */
  monthly: number;
  lateSelf: boolean;
}

export interface UnitSummary {
  unitId: string;
  unitName: string;
  people: number;
  checkIns: number;
  late: number;
  returned: number;
  escalations: number;
  assessmentsConfirmed: number;
  yearEndReady: number;
  /** Steps that failed (the person's month or year-end is left where it stood; the run goes on). */
  failures: number;
  rankingId: string | null;
  rankingStatus: string | null;
  levels: Record<string, number>;
  exception: string | null;
  /** The scripted appeal and its outcome (the first unit of the run). */
  appeal: string | null;
  /** Plans returned once in the plan phase ('scripted' plans: the unit's and its people's). */
  plansReturned?: number;
}

export interface SimulationHooks {
  /** Creates the unit's ranking and starts its workflow; default: the real 1 December start (startRealRankings). */
  startRanking?: (c: SimulationContext, unitId: string) => Promise<{ rankingId: string; workflowId: string }>;
  /** After the publication; default: the first unit's scripted person appeals and the level above decides. */
  afterPublication?: (c: SimulationContext, a: { unitId: string; rankingId: string }) => Promise<void>;
}

export interface SimulationOptions {
  db: Database;
  client: Client;
  taskQueue: string;
  provinceId: string;
  year: number;
  unitIds: string[];
  /** The months with check-ins ('YYYY-MM'); default the whole year. */
  months?: string[];
  /** Real milliseconds per virtual day (400: a month in ~12 s); undefined: real time (the time-skipping server). */
  msPerDay?: number;
  /** Deterministic choice of the late and returned people. */
  seed?: number;
  /** How many person-months (or people at the year-end) of a unit run at once (default 16). */
  concurrency?: number;
  /** Limits the people of each unit (a sample; default all). */
  peoplePerUnit?: number;
  log?: (e: TimelineEvent) => void;
  hooks?: SimulationHooks;
  /** The plans in force the months report on: 'scripted', each unit's plan and its people's plans through the
   * annual-plan workflow before the months (scripts/simulate/plan-phase.ts; the compressed calendar only: on the
   * real calendar (no msPerDay) the plans are written directly — the plan workflows on the time-skipping server
   * stopped its clock from moving in a trial); 'direct' (default), written in force directly. */
  plans?: 'scripted' | 'direct';
  /** The giao ban sessions ('YYYY-Qn', 'YYYY-year'); default Q1–Q3 of the quarters played and the year-end one. */
  giaoBanSessions?: string[];
  /** Sleeps `ms` of the server's time (the time-skipping server's env.sleep); default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The real calendar (no warp): moves the server's clock to 09:00 of `date` before a phase starts. Given, the
   * year runs on a sequential schedule (the phases one after another in date order: the clock only moves
   * forward): each month's check-ins for every person of the unit, the giao ban sessions between the months,
   * the year-end from 30 November with November's check-ins, the ranking, the year-end review session, December. */
  advanceTo?: (date: string) => Promise<void>;
  /** The real calendar: the one clock every workflow of the run gets (a speed-1 offset warp: the time-skipping
   * server's clock starts at the machine's time, the run's calendar where it starts; scripts/simulate/
   * real-calendar.ts). Absent: each workflow its own compressed warp (msPerDay), or none. */
  clock?: TimeWarp;
}

export interface SimulationContext extends SimulationOptions {
  unitNames: Map<string, string>;
  timeline: TimelineEvent[];
  /** The 1 December start of every unit's ranking (once per run). */
  rankingsStart?: Promise<YearEndRankingsResult>;
}

const KR_ID = 'kr-sim';

const pad = (n: number) => String(n).padStart(2, '0');
const nextMonth = (period: string) => {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
};

export function warpAt(fromDate: string, msPerDay: number | undefined): TimeWarp | undefined {
  if (msPerDay === undefined) return undefined;
  return {
    realEpoch: Date.now(),
    virtualEpoch: vnInstant(fromDate) + 9 * 3_600_000,
    speed: 86_400_000 / msPerDay,
  };
}

/** The warp of a workflow starting on `fromDate`: the run's one clock (real calendar), else a compressed one. */
function warpFor(c: SimulationContext, fromDate: string, msPerDay: number | undefined): TimeWarp | undefined {
  if (c.msPerDay === undefined) return c.clock;
  return warpAt(fromDate, msPerDay);
}

/** A small deterministic generator (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Polls `fn` until it answers. On the real calendar a poll that waits for the calendar (a deadline, a reminder
 * rung, a window to pass: `waitsFor` 'time') skips an hour of the server's clock; one that waits for work to be
 * done (a task to open, workflows to start: 'work') waits real time, the clock standing still for 30 s — else a
 * slow start of a province's hundred workflows would skip months.
 */
async function until<T>(
  c: SimulationContext,
  what: string,
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 180_000,
  waitsFor: 'time' | 'work' = 'time',
): Promise<T> {
  const start = Date.now();
  const end = start + timeoutMs;
  for (;;) {
    // A query the busy worker did not answer in time is asked again.
    const v = await fn().catch((e: unknown) => {
      if (Date.now() > end) throw e;
      return undefined;
    });
    if (v) return v;
    if (Date.now() > end) throw new Error(`simulation: timed out waiting for ${what}`);
    // (work not done after 30 s may wait for a timer after all: the clock moves then)
    await (c.sleep && (waitsFor === 'time' || Date.now() - start > 30_000)
      ? c.sleep(c.msPerDay === undefined ? 3_600_000 : 150)
      : new Promise((r) => setTimeout(r, 150)));
  }
}

async function pool<T>(items: readonly T[], size: number, fn: (t: T) => Promise<void>) {
  let i = 0;
  const run = async () => {
    while (i < items.length) {
      const item = items[i++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, run));
}

async function startWorkflow(c: SimulationContext, type: string, workflowId: string, input: unknown) {
  try {
    await c.client.workflow.start(type, {
      taskQueue: c.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
  return c.client.workflow.getHandle(workflowId);
}

/** The person acting for an assignee reference: the person, or the first holder of the role on `day`. */
async function actorOf(c: SimulationContext, ref: AssigneeRef, day: string, not?: string): Promise<string> {
  if ('personId' in ref && ref.personId) return ref.personId;
  const r = ref as { role: string; unitId: string };
  const holders = (await holdersOfRole(c.db, r.role as never, r.unitId, day)).filter((h) => h.id !== not);
  if (!holders[0]) throw new Error(`simulation: nobody holds ${r.role} at ${r.unitId} on ${day}`);
  return holders[0].id;
}

function emit(c: SimulationContext, unitId: string, kind: TimelineKind, date: string, text: string) {
  const e: TimelineEvent = { date, unit: c.unitNames.get(unitId) ?? unitId, kind, text };
  c.timeline.push(e);
  c.log?.(e);
}

/** The people of a top unit on 1 January (its own staff and its sub-units'), by name. */
export async function peopleOfUnit(db: Database, unitId: string, year: number) {
  const day = `${year}-01-01`;
  const r = await sql<{ person_id: string; full_name: string; unit_id: string }>`
    WITH RECURSIVE sub AS (
      SELECT id FROM org_unit WHERE id = ${unitId}::uuid
      UNION ALL SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id)
    SELECT DISTINCT ON (e.person_id) e.person_id, p.full_name, e.org_unit_id AS unit_id
      FROM employment e JOIN sub ON sub.id = e.org_unit_id JOIN person p ON p.id = e.person_id
     WHERE e.valid_from <= ${day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${`${year}-12-31`}::date)
     ORDER BY e.person_id, e.valid_from DESC`.execute(db);
  return r.rows.sort((a, b) => a.full_name.localeCompare(b.full_name, 'vi'));
}

/** The smallest unit directly under the province with a head and at least `minPeople` people (the year tests'
 *  sample), or undefined. */
export async function smallestUnitWith(
  db: Database,
  a: { provinceId: string; year: number; minPeople: number },
): Promise<string | undefined> {
  const r = await sql<{ id: string }>`
    SELECT u.id FROM org_unit u
     WHERE u.parent_id = ${a.provinceId}::uuid
       AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.scope_unit_id = u.id AND r.role_code = 'unit_head'
                     AND r.valid_to IS NULL)
     ORDER BY (SELECT count(*) FROM employment e JOIN org_unit s ON s.id = e.org_unit_id
                WHERE (s.id = u.id OR s.parent_id = u.id) AND e.valid_to IS NULL) ASC, u.code
     LIMIT 20`.execute(db);
  for (const row of r.rows) if ((await peopleOfUnit(db, row.id, a.year)).length >= a.minPeople) return row.id;
  return undefined;
}

/** A person's plan in force: its id, the version in force, the key result the check-ins report on. */
export interface PersonalPlan {
  planId: string;
  versionId: string;
  keyResultId: string;
}

/** The person's plan written in force with one monthly key result, not through the plan workflow: the 'direct'
 *  plans, and on 'scripted' a person the plan phase left without one (scripts/simulate/plan-phase.ts). */
async function ensurePersonalPlan(c: SimulationContext, p: PersonScript): Promise<PersonalPlan> {
  const planId = `plan:${c.year}:person:${p.personId}`;
  const found = await c.db
    .selectFrom('plan')
    .select('in_force_version_id')
    .where('id', '=', planId)
    .executeTakeFirst();
  if (found?.in_force_version_id) return { planId, versionId: found.in_force_version_id, keyResultId: KR_ID };
  await c.db
    .insertInto('plan')
    .values({
      id: planId,
      owner_kind: 'person',
      unit_id: p.unitId,
      person_id: p.personId,
      year: c.year,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const kr: KeyResult = {
    id: KR_ID,
    title: 'Hồ sơ thủ tục hành chính giải quyết đúng hạn',
    type: 'KPI',
    breakthrough: false,
    unit: 'hồ sơ',
    direction: { kind: 'higher' },
    target: '120',
    weight: '1',
    cadence: 'month',
    aggregation: 'sum',
    evidenceRequired: false,
    ownerId: p.personId,
  };
  const content: Plan = {
    id: planId,
    year: c.year,
    owner: { kind: 'person', personId: p.personId },
    tasks: [
      {
        id: 't1',
        title: 'Giải quyết thủ tục hành chính',
        perspective: 'citizens',
        weight: '1',
        keyResults: [kr],
      },
    ],
  };
  const v = await createPlanVersion(c.db, {
    planId,
    content: { ...content, sections: [] },
    createdBy: 'system:simulation',
  });
  await c.db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
  return { planId, versionId: v.id, keyResultId: KR_ID };
}

/** The person's draft values and their frozen version, as PUT /api/check-ins/… and the submit route write them. */
async function freezeCheckIn(
  c: SimulationContext,
  p: PersonScript,
  period: string,
  plan: PersonalPlan,
  value: number,
) {
  return c.db.transaction().execute(async (trx) => {
    const row = await lockOrCreateCheckIn(trx, { personId: p.personId, unitId: p.unitId, period });
    await saveDraftValues(trx, {
      checkIn: row,
      by: p.personId,
      values: [
        {
          planId: plan.planId,
          planVersionId: plan.versionId,
          keyResultId: plan.keyResultId,
          value: String(value),
          done: null,
          input: String(value),
          status: 'on-track',
          confidence: null,
          explanation: null,
          evidenceIds: [],
        },
      ],
    });
    const locked = await lockOrCreateCheckIn(trx, { personId: p.personId, unitId: p.unitId, period });
    const content = checkInSnapshot(locked, await valuesOfCheckIn(trx, locked.id));
    const v = await createCheckInVersion(trx, { checkInId: locked.id, content, createdBy: p.personId });
    return { checkInId: locked.id, versionId: v.id, hash: v.hash };
  });
}

async function monthOf(
  c: SimulationContext,
  s: UnitSummary,
  p: PersonScript,
  path: string[],
  plan: PersonalPlan,
  period: string,
) {
  const open = `${nextMonth(period)}-01`;
  await c.advanceTo?.(open);
  const late = p.lateMonths.has(period);
  const first = await freezeCheckIn(c, p, period, plan, p.monthly);
  const input = await checkInInputFor(c.db, {
    checkInId: first.checkInId,
    personId: p.personId,
    unitId: p.unitId,
    period,
    day: open,
    path,
  });
  if (!input) throw new Error('simulation: the province has no calendar profile');
  // A late person’s month runs on a slower clock (at least 4 s a day): the escalation is seen and the submission
  // sent well before the period locks (5 working days after the deadline), whatever the machine's load.
  const warp = warpFor(
    c,
    open,
    late && c.msPerDay !== undefined ? Math.max(c.msPerDay * 10, 4000) : c.msPerDay,
  );
  const handle = await startWorkflow(c, 'checkInWorkflow', checkInWorkflowId(period, p.personId), {
    ...input,
    personName: p.name,
    ...(warp ? { timeWarp: warp } : {}),
  });
  const reopenIfLocked = async () => {
    if ((await handle.query(getCheckInState)).phase !== 'LOCKED') return;
    // Too late: the period locked. The person asks to reopen it, the unit head approves, then the person submits.
    await handle.executeUpdate(requestReopen, {
      args: [{ by: p.personId, reason: 'Xin mở lại kỳ báo cáo để nộp bổ sung do đi công tác.' }],
      updateId: `sim:reopen:${first.checkInId}:${Date.now()}`,
    });
    const head = await actorOf(c, input.parties.unitHead, open, p.personId);
    const r = await handle.executeUpdate(decideReopen, {
      args: [{ by: head, decision: 'approve', comment: 'Đồng ý mở lại.' }],
      updateId: `sim:reopen-decision:${first.checkInId}:${Date.now()}`,
    });
    emit(c, s.unitId, 'reopen', r.date, `${p.name}: kỳ ${period} đã khóa, người đứng đầu đồng ý mở lại`);
  };
  // The submission; a period locked meanwhile (the machine slower than the virtual clock) is reopened first.
  const submit = async (v: { versionId: string; hash: string }) => {
    await reopenIfLocked();
    const send = () =>
      handle.executeUpdate(submitCheckIn, {
        args: [{ by: p.personId, versionId: v.versionId, hash: v.hash }],
        updateId: `sim:submit:${v.versionId}`,
      });
    try {
      return await send();
    } catch (e) {
      const phase = (await handle.query(getCheckInState)).phase;
      // Applied after all (an answer lost to the load): the submission stands.
      if (phase === 'SUBMITTED' || phase === 'VERIFIED') return { phase, round: 0, date: open };
      if (phase !== 'LOCKED')
        throw new Error(`simulation: ${p.name}'s check-in ${period} is ${phase}`, { cause: e });
      await reopenIfLocked();
      return send();
    }
  };
  await until(
    c,
    `the check-in task of ${p.name} ${period}`,
    async () => (await handle.query(getCheckInState)).items.length > 0,
    undefined,
    'work',
  );
  if (late) {
    // Late: the person waits until the reminders have climbed to an escalation, then submits.
    const esc = await until(c, `the escalation of ${p.name}'s check-in ${period}`, async () =>
      (await eventsOfSubject(c.db, 'check_in', first.checkInId)).find((e) => e.kind === 'escalated'),
    );
    s.escalations++;
    emit(
      c,
      s.unitId,
      'escalation',
      esc.logical_date ?? period,
      `${p.name}: báo cáo tháng ${period} quá hạn, chuyển cấp trên (${esc.recipient_role})`,
    );
  }
  const submitted = await submit(first);
  s.checkIns++;
  if (late) s.late++;
  emit(
    c,
    s.unitId,
    'check-in',
    submitted.date,
    `${p.name} nộp báo cáo tháng ${period}${late ? ' (muộn)' : ''}`,
  );
  // The verifier: the open verify item's party (the supervisor, or the unit head once forwarded after a miss).
  const verifierOf = async () => {
    const item = (await handle.query(getCheckInState)).items.find((i) => i.kind === 'verify');
    return actorOf(
      c,
      item?.partyRole === 'unit-head' ? input.parties.unitHead : input.parties.supervisor,
      open,
      p.personId,
    );
  };
  // Verified (or returned) by whoever holds the item when the Update arrives: the supervisor, or the unit head
  // once a missed verification was forwarded (a forward may land meanwhile: the next candidate tries again).
  const verifyAs = async (
    verdicts: { planId: string; keyResultId: string; verdict: 'verified' | 'returned'; comment?: string }[],
    after: 'VERIFIED' | 'RETURNED',
  ): Promise<{ date: string }> => {
    const maybe = (f: () => Promise<string>) => f().catch(() => undefined);
    const candidates = [
      ...new Set(
        [
          await maybe(verifierOf),
          await maybe(() => actorOf(c, input.parties.supervisor, open, p.personId)),
          await maybe(() => actorOf(c, input.parties.unitHead, open, p.personId)),
        ].filter((x): x is string => x !== undefined),
      ),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        return await handle.executeUpdate(verifyCheckIn, {
          args: [
            {
              by: attempt === 0 ? candidates[0]! : candidates[attempt % candidates.length]!,
              values: verdicts,
            },
          ],
          updateId: `sim:${after}:${p.personId}:${period}:${attempt}`,
        });
      } catch (e) {
        if ((await handle.query(getCheckInState)).phase === after) return { date: open };
        if (attempt >= 5) throw e;
        await new Promise((res) => setTimeout(res, 200));
      }
    }
  };
  const values = [{ planId: plan.planId, keyResultId: plan.keyResultId }];
  if (p.returnedMonths.has(period)) {
    const r = await verifyAs(
      values.map((v) => ({ ...v, verdict: 'returned' as const, comment: 'Bổ sung số liệu đúng kỳ' })),
      'RETURNED',
    );
    s.returned++;
    emit(c, s.unitId, 'verify', r.date, `${p.name}: báo cáo tháng ${period} bị trả lại để sửa`);
    const again = await freezeCheckIn(c, p, period, plan, p.monthly + 1);
    await submit(again);
  }
  const verified = await verifyAs(
    values.map((v) => ({ ...v, verdict: 'verified' as const })),
    'VERIFIED',
  );
  emit(c, s.unitId, 'verify', verified.date, `${p.name}: báo cáo tháng ${period} đã xác nhận`);

  // The month's assessment: opens the working day after the verification window, the manager confirms.
  const ai = await assessmentInputFor(c.db, {
    personId: p.personId,
    unitId: p.unitId,
    period,
    day: open,
    path,
  });
  if (!ai) return;
  const verifyDay = deadlineById(ai.calendar, `verify.${period}`).date;
  const aWarp = warpFor(c, verifyDay, c.msPerDay);
  const ah = await startWorkflow(
    c,
    'periodAssessmentWorkflow',
    periodAssessmentWorkflowId(period, p.personId),
    {
      ...ai,
      personName: p.name,
      ...(aWarp ? { timeWarp: aWarp } : {}),
    },
  );
  await until(
    c,
    `the assessment of ${p.name} ${period}`,
    async () => (await ah.query(getAssessmentState)).phase !== 'WAITING',
  );
  const row = await c.db
    .selectFrom('period_assessment')
    .select(['revision', 'status'])
    .where('id', '=', ai.assessmentId)
    .executeTakeFirstOrThrow();
  // Confirmed by the manager, or by the unit head once the item was forwarded after a miss (try again when a
  // forward lands between the look and the Update).
  let r: { date: string; total: string | null } | undefined;
  for (let attempt = 0; !r; attempt++) {
    const st = await ah.query(getAssessmentState);
    if (st.phase === 'CONFIRMED' && st.confirmed) {
      r = st.confirmed;
      break;
    }
    const forwarded = st.items.some((i) => i.forwarded);
    const confirmer = await actorOf(
      c,
      forwarded ? ai.parties.unitHead : ai.parties.supervisor,
      open,
      p.personId,
    );
    try {
      r = await ah.executeUpdate(confirmAssessment, {
        args: [{ by: confirmer, revision: row.revision }],
        updateId: `sim:confirm:${ai.assessmentId}:${attempt}`,
      });
    } catch (e) {
      if (attempt >= 4) throw e;
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  s.assessmentsConfirmed++;
  emit(c, s.unitId, 'assessment', r.date, `${p.name}: đánh giá tháng ${period} — ${r.total ?? '—'} điểm`);
}

async function yearEndOf(c: SimulationContext, s: UnitSummary, p: PersonScript, path: string[]) {
  const day = `${c.year}-11-30`;
  await c.advanceTo?.(day);
  const input = await yearEndInputFor(c.db, {
    personId: p.personId,
    unitId: p.unitId,
    year: c.year,
    day,
    path,
  });
  if (!input) return;
  const warp = warpFor(c, day, c.msPerDay);
  const h = await startWorkflow(
    c,
    'yearEndAssessmentWorkflow',
    yearEndAssessmentWorkflowId(c.year, p.personId),
    {
      ...input,
      personName: p.name,
      ...(warp ? { timeWarp: warp } : {}),
    },
  );
  await until(
    c,
    `the self-assessment of ${p.name}`,
    async () => (await h.query(getYearEndState)).phase === 'SELF',
  );
  if (p.lateSelf) {
    await until(c, `the late self-assessment of ${p.name}`, async () =>
      (await h.query(getYearEndState)).items.find((i) => i.kind === 'self' && i.escalation >= 1),
    );
    s.escalations++;
  }
  const row = (await yearEndById(c.db, input.assessmentId))!;
  const saved = await saveSelfDraft(c.db, {
    id: input.assessmentId,
    revision: row.revision,
    by: p.personId,
    content: {
      ...EMPTY_SELF,
      rubric: {
        resolutionStudyPercent: '100',
        contributionsPerYear: 2,
        trustPercent: '90',
        disciplinedForIdeology: false,
        selfLevel: 4,
      },
      points: { disciplineStyle: '5', initiatives: '3', capabilityGrowth: '4' },
    },
  });
  const self = await h.executeUpdate(submitSelfAssessment, {
    args: [{ by: p.personId, revision: saved.revision }],
    updateId: `sim:self:${input.assessmentId}`,
  });
  emit(
    c,
    s.unitId,
    'year-end',
    self.date,
    `${p.name} nộp tự đánh giá năm${p.lateSelf ? ' (muộn)' : ''} — ${saved.self_score ?? '—'} điểm`,
  );
  const fwd = (await h.query(getYearEndState)).items.some((i) => i.kind === 'supervisor' && i.forwarded);
  const supervisor = await actorOf(
    c,
    fwd ? input.parties.unitHead : input.parties.supervisor,
    day,
    p.personId,
  );
  const sup = await h.executeUpdate(submitSupervisorAssessment, {
    args: [
      {
        by: supervisor,
        points: {
          politicalEthics: p.monthly >= 11 ? '14' : '12',
          disciplineStyle: '5',
          initiatives: '3',
          capabilityGrowth: '4',
        },
        comments: 'Hoàn thành nhiệm vụ được giao.',
      },
    ],
    updateId: `sim:supervisor:${input.assessmentId}`,
  });
  emit(
    c,
    s.unitId,
    'year-end',
    sup.date,
    `Cấp trên đánh giá ${p.name}: ${sup.supervisorScore ?? '—'} điểm, đề xuất ${sup.proposedLevel ?? '—'}`,
  );
  const st = await h.query(getYearEndState);
  if (st.phase === 'APPRAISAL' && input.appraiser) {
    const by = await actorOf(c, input.appraiser as AssigneeRef, day, p.personId);
    await h.executeUpdate(submitAppraisal, {
      args: [{ by, agrees: true, comment: 'Thống nhất' }],
      updateId: `sim:appraisal:${input.assessmentId}`,
    });
  }
  await until(
    c,
    `${p.name} ready for the ranking`,
    async () => (await h.query(getYearEndState)).phase === 'READY',
  );
  s.yearEndReady++;
}

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const dmy = (d: string) => d.split('-').reverse().join('/');

/**
 * The real 1 December start (activities/year-end-rankings.ts startYearEndRankings, as the opening of 1 December
 * calls it): every top unit of the province gets its draft ranking and its unit-ranking workflow, then the
 * province's ranking of its units and their heads starts. Started once for the run, in the background (the
 * province has many units); the units of the sample share a time warp from 1 December at the moment of the start,
 * the others run on the real clock (their tasks wait, due on the real calendar's far deadline).
 */
export function startYearEndOfProvince(c: SimulationContext): Promise<YearEndRankingsResult> {
  c.rankingsStart ??= (async () => {
    const day = `${c.year}-12-01`;
    await c.advanceTo?.(day);
    const sample = new Set(c.unitIds);
    // One clock for the sample, from the moment of the start (as the year-end assessments' clocks): a unit whose
    // draft comes later in the province's order opens its task later on the same calendar.
    const warp = warpFor(c, day, c.msPerDay);
    const r = await startYearEndRankings(c.db, c.client, {
      provinceId: c.provinceId,
      year: c.year,
      day,
      taskQueue: c.taskQueue,
      adjustInput: (i) => {
        // (the real calendar: every unit on the run's one clock)
        if (!sample.has(i.unitId)) return c.clock ? { ...i, timeWarp: c.clock } : i;
        emit(
          c,
          i.unitId,
          'ranking',
          day,
          `Mở xếp loại năm ${c.year}: dự thảo và nhiệm vụ của người đứng đầu, hạn ${dmy(i.deadline)}`,
        );
        return warp ? { ...i, timeWarp: warp } : i;
      },
    });
    if (r.province)
      emit(
        c,
        c.provinceId,
        'ranking',
        day,
        `Mở xếp loại các đơn vị và người đứng đầu của tỉnh (${r.started.length} đơn vị)`,
      );
    return r;
  })();
  return c.rankingsStart;
}

/** The default `startRanking`: the unit's ranking as the 1 December start left it (waits for its workflow). */
export async function startRealRankings(c: SimulationContext, unitId: string) {
  const all = startYearEndOfProvince(c);
  let done: YearEndRankingsResult | undefined;
  let failed: unknown;
  void all.then(
    (r) => {
      done = r;
    },
    (e: unknown) => {
      failed = e ?? new Error('failed');
    },
  );
  // (the real calendar: the clock stands still while the province's workflows start)
  if (c.advanceTo) await all.catch(() => {});
  const got = await until(
    c,
    `the 1 December start of ${unitId}`,
    async () => {
      const r = await rankingOf(c.db, unitId, c.year);
      if (r?.workflow_id) return { row: { id: r.id, workflowId: r.workflow_id } };
      if (failed) return { error: `the 1 December start failed: ${(failed as Error)?.message ?? failed}` };
      const skipped = done?.skipped.find((x) => x.unitId === unitId);
      if (skipped) return { error: `the ranking of ${unitId} was not started (${skipped.reason})` };
      if (done) return { error: `the ranking of ${unitId} has no workflow` };
      return undefined;
    },
    600_000,
    'work',
  );
  const row = got.row;
  if (!row) throw new Error(`simulation: ${got.error}`);
  return { rankingId: row.id, workflowId: row.workflowId };
}

/**
 * The scripted appeal (issue 8 point 4): the appellant files against their notice (issued on the publication,
 * db/queries/ranking-notices.ts) as POST /api/ranking-notices/{id}/appeal does — the row, then appealWorkflow
 * with the deciding level's task —, and the province's organisation department decides through the Update
 * decideAppeal (as POST /api/ranking-appeals/{id}/decision sends it): a level below "Hoàn thành tốt" is raised
 * one band, a higher one upheld. The notice is dated by the workflow's day of publication, so the appeal is filed
 * on that day, within its window, and its workflow's warp starts there. The appeal's input is the route's
 * (db/queries/appeal-workflow-input.ts).
 */
export async function appealOnce(
  c: SimulationContext,
  s: UnitSummary,
  a: { unitId: string; rankingId: string; publishedOn: string; appellants: PersonScript[] },
) {
  const notices = await c.db
    .selectFrom('ranking_notice')
    .selectAll()
    .where('ranking_kind', '=', 'unit')
    .where('ranking_id', '=', a.rankingId)
    .where('track', '=', 'state')
    .execute();
  const p = a.appellants.find((x) => notices.some((n) => n.subject_id === x.personId));
  if (!p) throw new Error('simulation: nobody of the script has a ranking notice to appeal');
  const notice = notices.find((n) => n.subject_id === p.personId)!;
  const stored = await calendarProfileOfProvince(c.db, notice.province_id);
  if (!stored) throw new Error('simulation: the province has no calendar profile');
  const { appeal } = await fileAppeal(c.db, {
    noticeId: notice.id,
    by: p.personId,
    reason:
      'Đề nghị xem xét lại mức xếp loại: kết quả thực hiện nhiệm vụ các tháng cuối năm chưa được tính đủ.',
    filedOn: notice.issued_on,
  });
  const input = await appealInputFor(c.db, { appeal, notice, profile: stored.profile });
  const warp = warpFor(c, appeal.filed_on, c.msPerDay);
  const h = await startWorkflow(c, 'appealWorkflow', appealWorkflowId(notice.id), {
    ...input,
    ...(warp ? { timeWarp: warp } : {}),
  });
  await setAppealWorkflow(c.db, appeal.id, appealWorkflowId(notice.id));
  // The notice's own dates (the publication's real day) told on the run's virtual calendar.
  const onVirtual = (d: string) => addDays(a.publishedOn, Math.max(0, daysBetween(notice.issued_on, d)));
  emit(
    c,
    a.unitId,
    'appeal',
    a.publishedOn,
    `${p.name} kiến nghị về mức "${RANK_LABELS[notice.level].vi}" (hạn kiến nghị ${dmy(onVirtual(notice.appeal_until))})`,
  );
  await until(
    c,
    `the appeal task of ${p.name}`,
    async () => (await h.query(getAppealState)).items.length > 0,
    undefined,
    'work',
  );
  const decider = await actorOf(
    c,
    { role: 'organisation_department', unitId: notice.province_id },
    appeal.filed_on,
    p.personId,
  );
  const rank = RANK_LEVELS.indexOf(notice.level);
  const newLevel: RankLevel | undefined = rank >= 2 ? RANK_LEVELS[rank - 1] : undefined;
  const decisionNumber = `${String(c.year % 100).padStart(2, '0')}/QĐ-BTC`;
  const r = await h.executeUpdate(decideAppeal, {
    args: [
      {
        by: decider,
        outcome: newLevel ? 'changed' : 'upheld',
        ...(newLevel ? { newLevel } : {}),
        decisionNumber,
        note: newLevel
          ? 'Bổ sung kết quả tháng 11 đã được xác nhận.'
          : 'Kết quả xếp loại phù hợp với điểm đánh giá.',
      },
    ],
    updateId: `sim:appeal-decision:${appeal.id}`,
  });
  s.appeal = `${p.name}: ${r.outcome === 'changed' && r.newLevel ? `→ ${r.newLevel}` : 'giữ nguyên'}`;
  emit(
    c,
    a.unitId,
    'appeal',
    onVirtual(r.date),
    `Ban Tổ chức (cấp trên) giải quyết kiến nghị của ${p.name}: ${
      r.outcome === 'changed' && r.newLevel
        ? `thay đổi thành "${RANK_LABELS[r.newLevel].vi}"`
        : `giữ nguyên mức "${RANK_LABELS[notice.level].vi}"`
    } (QĐ số ${decisionNumber})`,
  );
  return { appealId: appeal.id, personId: p.personId, outcome: r.outcome, newLevel: r.newLevel };
}

async function rankingOfUnit(
  c: SimulationContext,
  s: UnitSummary,
  unitId: string,
  appellants: PersonScript[] | undefined,
) {
  const started = await (c.hooks?.startRanking ?? startRealRankings)(c, unitId);
  s.rankingId = started.rankingId;
  const h = c.client.workflow.getHandle(started.workflowId);
  const day = `${c.year}-12-01`;
  const head = await actorOf(c, { role: 'unit_head', unitId }, day);
  await until(
    c,
    'the ranking task',
    async () => (await h.query(getRankingState)).items.length > 0,
    undefined,
    'work',
  );
  // The head recomputes the draft once the supervisors' year scores are in (content: POST /api/rankings/{id}/recompute).
  let row = (await rankingById(c.db, started.rankingId))!;
  if (row.status === 'draft') row = await recomputeDraft(c.db, { rankingId: row.id, by: head });
  const selected: string[] = [];
  if (row.status === 'draft') {
    // Over the quota by more than an exception can lift (the rule set's cap): the head places the lowest-scored
    // "Xuất sắc" people of the group at "Tốt" in the draft (content: PUT /api/rankings/{id}/selections/{personId},
    // the same db function), (over − cap) of them, before deciding.
    const unliftable = unliftableGroups(await quotaOf(c.db, row), row);
    if (unliftable.length > 0) {
      const entries = await entriesOf(c.db, row.id);
      for (const g of unliftable) {
        const lowest = entries
          .filter(
            (e) =>
              e.track === g.track &&
              e.agency_id === g.agencyId &&
              e.duty_group === g.dutyGroup &&
              e.level === 'excellent',
          )
          .sort(
            (a, b) => Number(a.score ?? 0) - Number(b.score ?? 0) || a.person_id.localeCompare(b.person_id),
          )
          .slice(0, g.over - g.cap);
        for (const e of lowest)
          row = await selectForQuota(c.db, {
            rankingId: row.id,
            personId: e.person_id,
            track: g.track,
            reason: `Vượt ${g.over} chỉ tiêu, ngoại lệ tối đa ${g.cap}: xếp Hoàn thành tốt do giới hạn tỷ lệ (điểm ${e.score}).`,
            by: head,
          });
        selected.push(
          `Người đứng đầu xếp ${lowest.length} người "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ (vượt ${g.over}, ngoại lệ tối đa ${g.cap})`,
        );
      }
    }
  }
  const decided = await h.executeUpdate(decideRanking, {
    args: [{ by: head, revision: row.revision }],
    updateId: `sim:decide:${row.id}:${row.revision}`,
  });
  for (const text of selected) emit(c, unitId, 'ranking', decided.date, text);
  emit(c, unitId, 'ranking', decided.date, `Người đứng đầu quyết định xếp loại (phiên bản ${row.revision})`);
  if (decided.publicationBlocked) {
    // Still over the quota of "Hoàn thành xuất sắc nhiệm vụ" (within the cap): the head asks the standing
    // committee for an exception of at most `cap` places per group (state and Party quotas alike).
    const decidedRow = (await rankingById(c.db, row.id))!;
    const quota = await quotaOf(c.db, decidedRow);
    const unit = await topUnitOf(c.db, unitId);
    const committee = await actorOf(c, { role: 'standing_committee', unitId: unit!.province_id }, day);
    const places: number[] = [];
    for (const g of quota.groups.filter((x) => x.over > 0)) {
      const extra = Math.min(g.over, trackRuleSet(decidedRow, g.track).quota.exceptionCap);
      // (a uuid, as POST /api/rankings/{id}/exceptions makes it: the exception row's key)
      const exceptionId = randomUUID();
      await h.executeUpdate(requestQuotaException, {
        args: [
          {
            by: head,
            exceptionId,
            agencyId: g.agencyId,
            dutyGroup: g.dutyGroup,
            extraPlaces: extra,
            justification: 'Đơn vị có thành tích nổi bật được Ủy ban nhân dân tỉnh khen thưởng trong năm.',
            ...(g.track === 'party' ? { track: 'party' as const } : {}),
          },
        ],
        updateId: `sim:exception:${exceptionId}`,
      });
      const r = await h.executeUpdate(decideQuotaException, {
        args: [{ by: committee, exceptionId, approve: true, decisionNumber: `${c.year % 100}/QĐ-UBND` }],
        updateId: `sim:exception-decision:${exceptionId}`,
      });
      places.push(extra);
      emit(c, unitId, 'ranking', r.date, `Thường trực phê duyệt ngoại lệ tỷ lệ: thêm ${extra} suất`);
    }
    s.exception = `${places.reduce((n, x) => n + x, 0)} suất`;
  }
  const published = await h.executeUpdate(publishRanking, {
    args: [{ by: head }],
    updateId: `sim:publish:${row.id}`,
  });
  const after = (await rankingById(c.db, row.id))!;
  s.rankingStatus = after.status;
  for (const e of await entriesOf(c.db, row.id)) {
    if (((e as { track?: string }).track ?? 'state') !== 'state') continue;
    const level = (e as { level?: string | null }).level ?? '—';
    s.levels[level] = (s.levels[level] ?? 0) + 1;
  }
  emit(
    c,
    unitId,
    'ranking',
    published.date,
    `Công bố xếp loại: ${Object.entries(s.levels)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  // The appeal of one scripted person against their published level (the first unit of the run), or the hook.
  if (c.hooks?.afterPublication) await c.hooks.afterPublication(c, { unitId, rankingId: row.id });
  else if (appellants)
    await appealOnce(c, s, { unitId, rankingId: row.id, publishedOn: published.date, appellants });
}

const LEVEL_VI: Record<CompletionLevel, string> = {
  excellent: 'hoàn thành xuất sắc',
  good: 'hoàn thành tốt',
  fulfilled: 'hoàn thành',
  'not-fulfilled': 'chưa hoàn thành',
};

/**
 * A giao ban session of the province (issue 7 point 2) through the real workflow (workflows/giao-ban.ts, as
 * db/demo/giao-ban.ts drives one): started on a warp from the day before its dossier day, the agenda and the
 * dossiers are frozen, the session sits, the secretariat records a conclusion for every unit on the agenda
 * (Update recordGiaoBanConclusion; the units of the sample in words drawn from their year so far — late
 * check-ins bring a direction —, the others a general one) and publishes them (publishGiaoBanConclusions).
 * Sessions: 'YYYY-Qn' (Q1–Q3) and 'YYYY-year' (the year-end review session, announcing the rankings).
 */
export async function startGiaoBan(c: SimulationContext, session: string, from?: string) {
  const input = await giaoBanInputFor(c.db, { provinceId: c.provinceId, session });
  if (!input) throw new Error(`simulation: no calendar for the giao ban session ${session}`);
  const day = from ?? addDays(input.dates.dossierDate, -1);
  await c.advanceTo?.(day);
  // A clock four times slower than the months': the secretariat records a conclusion for each of the province's
  // units (over a hundred Updates) within days of the session, not weeks.
  const warp = warpFor(c, day, c.msPerDay === undefined ? undefined : c.msPerDay * 4);
  const wid = giaoBanWorkflowId(c.provinceId, session);
  const h = await startWorkflow(c, 'giaoBanWorkflow', wid, { ...input, ...(warp ? { timeWarp: warp } : {}) });
  return { input, h };
}

export async function giaoBanOf(
  c: SimulationContext,
  session: string,
  units: readonly UnitSummary[],
  started?: Promise<Awaited<ReturnType<typeof startGiaoBan>>>,
) {
  const { input, h } = await (started ?? startGiaoBan(c, session));
  const d = input.dates;
  const yearSession = session.endsWith('-year');
  const label = yearSession
    ? `tổng kết năm ${session.slice(0, 4)}`
    : `quý ${session.slice(6)}/${session.slice(0, 4)}`;
  const st = await until(
    c,
    `the giao ban ${session} in session`,
    async () => {
      const v = await h.query(getGiaoBanState);
      return v.phase === 'IN_SESSION' || v.phase === 'PUBLISHED' ? v : undefined;
    },
    600_000,
  );
  emit(
    c,
    c.provinceId,
    'giao-ban',
    d.dossierDate,
    `Giao ban ${label}: gửi tài liệu của ${st.agenda.length} đơn vị, họp ngày ${dmy(d.sessionDate)}`,
  );
  const secretariat = await actorOf(c, input.parties.secretariat, d.sessionDate);
  const byUnit = new Map(units.map((u) => [u.unitId, u]));
  const concluded = new Set(st.concluded.map((x) => x.unitId));
  await pool(
    st.agenda.filter((u) => !concluded.has(u.unitId)),
    6,
    async (u) => {
      const s = byUnit.get(u.unitId);
      let level: CompletionLevel = 'fulfilled';
      let summary = 'Đơn vị hoàn thành nhiệm vụ trong kỳ; tiếp tục triển khai kế hoạch theo đúng tiến độ.';
      const directions: { text: string; dueDate: string | null }[] = [];
      if (s) {
        // (people outside the sample have no year-end data: unranked, '—')
        const ranked = Object.entries(s.levels)
          .filter(([k]) => k !== '—')
          .map(([k, v]) => `${v} ${RANK_LABELS[k as RankLevel]?.vi ?? k}`)
          .join(', ');
        level = s.late === 0 ? 'good' : 'fulfilled';
        summary =
          yearSession && ranked
            ? `Đơn vị ${LEVEL_VI[level]} nhiệm vụ năm; xếp loại cá nhân đã công bố: ${ranked}.`
            : `Đơn vị ${LEVEL_VI[level]} nhiệm vụ; tính đến nay ${s.checkIns} báo cáo tháng đã xác nhận, ${s.late} nộp muộn, ${s.returned} trả lại để sửa.`;
        if (s.late > 0)
          directions.push({
            text: 'Chấn chỉnh việc báo cáo kết quả thực hiện nhiệm vụ đúng hạn hằng tháng',
            dueDate: null,
          });
      }
      await h.executeUpdate(recordGiaoBanConclusion, {
        args: [
          {
            unitId: u.unitId,
            completionLevel: level,
            summary,
            directions,
            planDecision: null,
            planNote: null,
            by: secretariat,
          },
        ],
        updateId: `sim:giaoban:${session}:${u.unitId}`,
      });
      if (s)
        emit(
          c,
          u.unitId,
          'giao-ban',
          d.sessionDate,
          `Kết luận giao ban ${label}: ${LEVEL_VI[level]} — ${summary}${directions.length ? ` Chỉ đạo: ${directions.map((x) => x.text).join('; ')}.` : ''}`,
        );
    },
  );
  const r = await h.executeUpdate(publishGiaoBanConclusions, {
    args: [{ by: secretariat }],
    updateId: `sim:giaoban-publish:${session}`,
  });
  emit(
    c,
    c.provinceId,
    'giao-ban',
    r.publishedOn,
    `Công bố kết luận giao ban ${label}: ${st.agenda.length} đơn vị, ${r.directions} chỉ đạo`,
  );
  return { session, units: st.agenda.length, directions: r.directions, publishedOn: r.publishedOn };
}

/** A unit of the run prepared: its scripted people, their units' paths and plans in force, the appellants. */
interface PreparedUnit {
  s: UnitSummary;
  scripts: PersonScript[];
  paths: Map<string, string[]>;
  plans: Map<string, PersonalPlan>;
  appellants: PersonScript[] | undefined;
}

/** Runs the scripted year for the units; answers one summary row per unit (the timeline is in `ctx.timeline`). */
export async function simulateYear(o: SimulationOptions): Promise<{
  units: UnitSummary[];
  timeline: TimelineEvent[];
  giaoBan: { session: string; units: number; directions: number; publishedOn: string }[];
}> {
  const c: SimulationContext = { ...o, unitNames: new Map(), timeline: [] };
  const months = o.months ?? Array.from({ length: 12 }, (_, i) => `${o.year}-${pad(i + 1)}`);
  const rnd = prng(o.seed ?? 2027);
  const units: UnitSummary[] = [];
  await Promise.all(
    o.unitIds.map(async (unitId) => {
      const unit = await c.db
        .selectFrom('org_unit')
        .select('name_vi')
        .where('id', '=', unitId)
        .executeTakeFirstOrThrow();
      c.unitNames.set(unitId, unit.name_vi);
    }),
  );
  const province = await c.db
    .selectFrom('org_unit')
    .select('name_vi')
    .where('id', '=', o.provinceId)
    .executeTakeFirst();
  c.unitNames.set(o.provinceId, province?.name_vi ?? o.provinceId);
  for (const unitId of o.unitIds) {
    const s: UnitSummary = {
      unitId,
      unitName: c.unitNames.get(unitId)!,
      people: 0,
      checkIns: 0,
      late: 0,
      returned: 0,
      escalations: 0,
      assessmentsConfirmed: 0,
      yearEndReady: 0,
      failures: 0,
      rankingId: null,
      rankingStatus: null,
      levels: {},
      exception: null,
      appeal: null,
      plansReturned: 0,
    };
    units.push(s);
  }
  const prepared: PreparedUnit[] = [];
  for (const s of units) {
    let people = await peopleOfUnit(c.db, s.unitId, c.year);
    if (o.peoplePerUnit) people = people.slice(0, o.peoplePerUnit);
    s.people = people.length;
    const scripts: PersonScript[] = people.map((p, i) => ({
      personId: p.person_id,
      name: p.full_name,
      unitId: p.unit_id,
      // The first person is late with the last month's check-in, the third has the first month's returned, the
      // second is late with the self-assessment; of the others about one in five is late one month and one in
      // six has a check-in returned.
      lateMonths: new Set(
        i === 0 ? [months.at(-1)!] : rnd() < 0.2 ? [months[Math.floor(rnd() * months.length)]!] : [],
      ),
      returnedMonths: new Set(
        i === Math.min(2, people.length - 1) && i !== 0
          ? [months[0]!]
          : rnd() < 0.17
            ? [months[Math.floor(rnd() * months.length)]!]
            : [],
      ),
      monthly: 8 + Math.floor(rnd() * 6),
      lateSelf: i === 1,
    }));
    // A late month is not also returned: the correction would come after the period locks.
    for (const p of scripts) for (const m of p.lateMonths) p.returnedMonths.delete(m);
    const paths = new Map<string, string[]>();
    for (const p of scripts) {
      if (!paths.has(p.unitId))
        paths.set(
          p.unitId,
          ((await unitPath(c.db, p.unitId)) ?? []).map((n) => n.id),
        );
    }
    // The first unit of the run has the scripted appeal: its fourth person (or the last), else the next with a
    // notice (the unit's heads are ranked by the superior body, not in their unit's ranking).
    const k = Math.min(3, scripts.length - 1);
    const appellants = s.unitId === o.unitIds[0] ? [...scripts.slice(k), ...scripts.slice(0, k)] : undefined;
    prepared.push({ s, scripts, paths, plans: new Map(), appellants });
  }
  // 'scripted': the plan phase, each unit's plan and its people's plans through the annual-plan workflow (its own
  // seeded choice of the plans returned once: the first unit's plan and about one in three of the others, one
  // personal plan of each unit). A unit whose plan phase failed keeps what it reached; the rest below.
  if (o.plans === 'scripted' && o.msPerDay === undefined)
    emit(
      c,
      o.provinceId,
      'plan',
      `${c.year}-01-01`,
      'Lịch thực: kế hoạch được ghi trực tiếp (không chạy quy trình)',
    );
  else if (o.plans === 'scripted') {
    const pick = prng((o.seed ?? 2027) + 1);
    const msPerDay = o.msPerDay!;
    await pool(prepared, 4, async (u) => {
      const returnUnitPlan = u.s.unitId === o.unitIds[0] || pick() < 0.34;
      const k = u.scripts.length > 1 ? 1 + Math.floor(pick() * (u.scripts.length - 1)) : 0;
      try {
        const r = await planPhaseOfUnit({
          db: c.db,
          client: c.client,
          taskQueue: c.taskQueue,
          year: c.year,
          unitId: u.s.unitId,
          unitName: u.s.unitName,
          people: u.scripts.map((p) => ({ personId: p.personId, name: p.name, unitId: p.unitId })),
          returnUnitPlan,
          returnPersonId: u.scripts[k]?.personId,
          msPerDay: msPerDay * 4,
          emit: (date, text) => emit(c, u.s.unitId, 'plan', date, text),
        });
        for (const [personId, plan] of r.plans) u.plans.set(personId, plan);
        u.s.plansReturned = r.returned;
      } catch (e) {
        u.s.failures++;
        const cause = (e as { cause?: { message?: string } })?.cause?.message;
        emit(
          c,
          u.s.unitId,
          'error',
          `${c.year - 1}-12-31`,
          `kế hoạch: ${(e as Error)?.message ?? e}${cause ? ` (${cause})` : ''}`,
        );
      }
    });
  }
  // The plans in force of every person ('direct': written in force, the precondition of the months; 'scripted':
  // a person the plan phase left without one).
  for (const u of prepared) {
    let direct = 0;
    for (const p of u.scripts)
      if (!u.plans.has(p.personId)) {
        u.plans.set(p.personId, await ensurePersonalPlan(c, p));
        direct++;
      }
    if (direct)
      emit(
        c,
        u.s.unitId,
        'plan',
        `${c.year}-01-01`,
        `${direct} kế hoạch cá nhân có hiệu lực (ghi trực tiếp)`,
      );
  }
  const guarded = (s: UnitSummary, what: string, fn: () => Promise<void>) =>
    fn().catch((e: unknown) => {
      s.failures++;
      const cause = (e as { cause?: { message?: string } })?.cause?.message;
      emit(
        c,
        s.unitId,
        'error',
        `${c.year}-12-31`,
        `${what}: ${(e as Error)?.message ?? e}${cause ? ` (${cause})` : ''}`,
      );
    });
  const monthOfUnit = (u: PreparedUnit, period: string, size: number) =>
    pool(u.scripts, size, (p) =>
      guarded(u.s, `${p.name} ${period}`, () =>
        monthOf(c, u.s, p, u.paths.get(p.unitId)!, u.plans.get(p.personId)!, period),
      ),
    );
  const yearEndOfUnit = (u: PreparedUnit) =>
    pool(u.scripts, o.concurrency ?? 16, (p) =>
      guarded(u.s, `${p.name} year-end`, () => yearEndOf(c, u.s, p, u.paths.get(p.unitId)!)),
    );
  // The giao ban sessions: Q1–Q3 of the quarters whose months were played, and the year-end review session.
  const sessions = o.giaoBanSessions ?? [
    ...[1, 2, 3]
      .filter((q) => [0, 1, 2].every((k) => months.includes(`${o.year}-${pad((q - 1) * 3 + k + 1)}`)))
      .map((q) => `${o.year}-Q${q}`),
    `${o.year}-year`,
  ];
  const held: Awaited<ReturnType<typeof giaoBanOf>>[] = [];
  const giaoBan = async (session: string) => {
    try {
      held.push(await giaoBanOf(c, session, units));
    } catch (e) {
      emit(c, o.provinceId, 'error', `${o.year}-12-31`, `giao ban ${session}: ${(e as Error)?.message ?? e}`);
    }
  };
  const rankingsStarted = async () => {
    if (c.rankingsStart)
      await c.rankingsStart.catch((e: unknown) => {
        emit(c, o.provinceId, 'error', `${o.year}-12-31`, `1/12 start: ${(e as Error)?.message ?? e}`);
      });
  };
  const december = months.filter((m) => m.endsWith('-12'));
  const november = months.filter((m) => m.endsWith('-11'));

  if (o.advanceTo) {
    // The real calendar: one clock that only moves forward, so the phases run one after another in date order.
    // Each month (January–October): every person of every unit at once (their check-ins open on the 1st of
    // the next month and are due on the same day), the month over when the last assessment is confirmed; a
    // quarter's giao ban session after the quarter's last month (its dossier day comes after the month's
    // assessments). Then from 30 November the year-end assessments together with November's check-ins (due
    // 3 December) and the rankings started on 1 December; the head decides and publishes; the year-end review
    // session; December's check-ins (due 5 January).
    const quarterOf = (period: string) =>
      `${period.slice(0, 4)}-Q${Math.ceil(Number(period.slice(5, 7)) / 3)}`;
    const pending = sessions.filter((x) => !x.endsWith('-year'));
    for (const period of months.filter((m) => !m.endsWith('-11') && !m.endsWith('-12'))) {
      await Promise.all(prepared.map((u) => monthOfUnit(u, period, u.scripts.length)));
      const q = quarterOf(period);
      if (period.endsWith('-03') || period.endsWith('-06') || period.endsWith('-09'))
        for (const session of pending.filter((x) => x === q)) await giaoBan(session);
    }
    for (const session of pending.filter((x) => !held.some((h) => h.session === x))) await giaoBan(session);
    await o.advanceTo(`${o.year}-11-30`);
    if (!o.hooks?.startRanking) void startYearEndOfProvince(c).catch(() => {});
    await Promise.all(
      prepared.map(async (u) => {
        await Promise.all([
          yearEndOfUnit(u),
          ...november.map((period) => monthOfUnit(u, period, u.scripts.length)),
        ]);
        await guarded(u.s, 'ranking', () => rankingOfUnit(c, u.s, u.s.unitId, u.appellants));
      }),
    );
    await rankingsStarted();
    for (const session of sessions.filter((x) => x.endsWith('-year'))) await giaoBan(session);
    for (const period of december)
      await Promise.all(prepared.map((u) => monthOfUnit(u, period, u.scripts.length)));
  } else {
    // The compressed calendar: each workflow has its own warp, so nothing in one month waits for another.
    // The months of every person at once, at most `concurrency` person-months of a unit at a time. December's
    // check-in comes after the ranking (due 5 January): run after the publication.
    const rest = await Promise.all(
      prepared.map(async (u) => {
        const personMonths = months
          .filter((m) => !m.endsWith('-12'))
          .flatMap((period) => u.scripts.map((p) => ({ p, period })));
        await pool(personMonths, o.concurrency ?? 16, ({ p, period }) =>
          guarded(u.s, `${p.name} ${period}`, () =>
            monthOf(c, u.s, p, u.paths.get(p.unitId)!, u.plans.get(p.personId)!, period),
          ),
        );
        return async () => {
          await yearEndOfUnit(u);
          await guarded(u.s, 'ranking', () => rankingOfUnit(c, u.s, u.s.unitId, u.appellants));
          for (const period of december) await monthOfUnit(u, period, o.concurrency ?? 16);
        };
      }),
    );
    // 1 December, once every unit's months through November are done: the year-end assessments open and every
    // unit's ranking starts (in the background, on clocks from the same moment); each head recomputes the draft
    // once the unit's people are ready, decides and publishes.
    // The quarterly giao ban sessions (Q1–Q3 of the quarters whose months were played) sit meanwhile; the
    // year-end review session after the rankings are published (it announces them).
    if (!o.hooks?.startRanking) void startYearEndOfProvince(c).catch(() => {});
    const quarterly = (async () => {
      for (const session of sessions.filter((x) => !x.endsWith('-year'))) await giaoBan(session);
    })();
    await Promise.all(rest.map((next) => next()));
    await quarterly;
    for (const session of sessions.filter((x) => x.endsWith('-year'))) await giaoBan(session);
    await rankingsStarted();
  }
  c.timeline.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { units, timeline: c.timeline, giaoBan: held };
}

/** The summary table (fixed-width text). */
export function summaryTable(units: readonly UnitSummary[]): string {
  const head = [
    'Đơn vị',
    'Người',
    'Báo cáo',
    'Muộn',
    'Trả lại',
    'Leo thang',
    'Đánh giá',
    'Sẵn sàng',
    'Lỗi',
    'Xếp loại',
    'Mức',
    'Kiến nghị',
    'KH trả lại',
  ];
  const rows = units.map((u) => [
    u.unitName.slice(0, 40),
    String(u.people),
    String(u.checkIns),
    String(u.late),
    String(u.returned),
    String(u.escalations),
    String(u.assessmentsConfirmed),
    String(u.yearEndReady),
    String(u.failures),
    u.rankingStatus ?? '—',
    Object.entries(u.levels)
      .map(([k, v]) => `${k}:${v}`)
      .join(' ') + (u.exception ? ` (ngoại lệ ${u.exception})` : ''),
    u.appeal ?? '—',
    String(u.plansReturned ?? 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i]!)).join(' │ ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}
