// The monthly opening of check-ins (DESIGN §3 monthly row, issue 6): one call handles one page of persons
// (by person id) employed on the opening day — in one province or all — and, for each one who has at least one
// key result due in the period in a plan in force (domain/check-in dueKeyResults over db/queries/check-ins
// plansInForceFor, as the submit route decides), creates their check_in row if missing and starts their
// check-in workflow with the input the submit route computes (db/queries/check-in-workflow-input.ts). A
// workflow already running (USE_EXISTING) or already closed (REJECT_DUPLICATE: a verified month is never
// reopened) counts as opened, so a retried call or a second run of the opening starts nothing twice.
import { Context } from '@temporalio/activity';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { sql } from 'kysely';
import type { Database } from '../db/connection.ts';
import { checkInInputFor } from '../db/queries/check-in-workflow-input.ts';
import {
  checkInsOf,
  lockOrCreateCheckIn,
  type PlanInForceRow,
  plansInForceForMany,
} from '../db/queries/check-ins.ts';
import { giaoBanInputFor } from '../db/queries/giao-ban-workflow-input.ts';
import { employmentUnitsOf } from '../db/queries/org-tree.ts';
import { type WorkflowInputMemo, workflowInputMemo } from '../db/queries/workflow-input-memo.ts';
import type { CheckInRow } from '../db/schema-check-ins.ts';
import { sessionStartedByOpening } from '../domain/giao-ban/dates.ts';
import { giaoBanWorkflowId } from '../workflows/giao-ban.messages.ts';
import '../db/schema-check-ins.ts';
import { assessmentInputFor } from '../db/queries/assessment-workflow-input.ts';
import { cadenceOf } from '../db/queries/period-assessments.ts';
import { assessmentPeriodClosedBy } from '../domain/assessment/period.ts';
import { dueKeyResults } from '../domain/check-in/due.ts';
import { EDITABLE_CHECK_IN_STATUSES } from '../domain/check-in/model.ts';
import { nextPeriod, parseMonthPeriod, previousPeriod } from '../domain/check-in/period.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import { checkInWorkflowId } from '../workflows/check-in.messages.ts';
import { periodAssessmentWorkflowId } from '../workflows/period-assessment.messages.ts';
import { LONG_WORKFLOW_TASK_TIMEOUT } from '../workflows/task-timeout.ts';
import { eagerStart } from './eager-start.ts';
import { forecastWarningsActivities } from './forecast-warnings.ts';
import { startMonthlyUnitReports } from './monthly-unit-report.ts';
import { startQuarterlyUnitReports } from './quarterly-unit-report.ts';
import { startYearEndAssessment } from './year-end-assessment.ts';
import { startYearEndRankings } from './year-end-rankings.ts';

export interface CheckInOpeningPage {
  /** 'YYYY-MM'. */
  period: string;
  /** The day employments and role holders are read on (yyyy-mm-dd, Asia/Ho_Chi_Minh): the opening's day. */
  day: string;
  provinceId?: string;
  /** Person id cursor (exclusive). */
  after?: string;
  pageSize?: number;
  /** The task queue of the check-in workflows (tests); the worker's by default. */
  taskQueue?: string;
}

export interface CheckInOpeningPageResult {
  /** Persons whose check-in workflow was started, or found running or already ended. */
  opened: number;
  /** Persons with no key result due in the period. */
  nothingDue: number;
  /** Persons left out, with the reason (no unit path, no calendar profile in their province). */
  skipped: { personId: string; reason: string }[];
  /** The cursor of the next page, null at the end. */
  next: string | null;
}

const heartbeat = (d: unknown) => {
  try {
    Context.current().heartbeat(d);
  } catch {
    // outside an activity (tests)
  }
};

export interface StartGiaoBanSessionsInput {
  /** The month the opening opened ('YYYY-MM', the month that just ended). */
  month: string;
  /** One province; absent: every province. */
  provinceId?: string;
  /** The task queue of the giao ban workflows (tests); the worker's by default. */
  taskQueue?: string;
}

export function checkInOpeningActivities({ db, temporal }: { db: Database; temporal?: Client }) {
  return {
    /**
     * Starts the giao ban workflow (issue 7 point 2) of each province for the session the opening's month starts:
     * the quarter just ended on the openings of 01/04/07/10, the year-end review session on 1 December
     * (domain/giao-ban/dates.ts sessionStartedByOpening); nothing on other months. Idempotent: a running session
     * is found (USE_EXISTING), a closed one is never started again (REJECT_DUPLICATE). A province without a
     * calendar profile is skipped.
     */
    async startGiaoBanSessions(
      q: StartGiaoBanSessionsInput,
    ): Promise<{ session: string | null; started: number; skipped: string[] }> {
      if (!temporal) throw new Error('startGiaoBanSessions needs the worker’s Temporal client');
      const session = sessionStartedByOpening(q.month);
      if (!session) return { session: null, started: 0, skipped: [] };
      let provinces = db.selectFrom('org_unit').select('id').where('parent_id', 'is', null).orderBy('id');
      if (q.provinceId) provinces = provinces.where('id', '=', q.provinceId);
      let started = 0;
      const skipped: string[] = [];
      for (const { id } of await provinces.execute()) {
        heartbeat({ provinceId: id });
        const input = await giaoBanInputFor(db, { provinceId: id, session });
        if (!input) {
          skipped.push(id);
          continue;
        }
        try {
          await temporal.workflow.start('giaoBanWorkflow', {
            taskQueue: q.taskQueue ?? TASK_QUEUE,
            workflowId: giaoBanWorkflowId(id, session),
            args: [input],
            workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          });
        } catch (e) {
          if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        }
        started++;
      }
      return { session, started, skipped };
    },

    async openCheckInPage(page: CheckInOpeningPage): Promise<CheckInOpeningPageResult> {
      if (!temporal) throw new Error('openCheckInPage needs the worker’s Temporal client');
      const size = page.pageSize ?? 200;
      const { year } = parseMonthPeriod(page.period);
      const persons = await sql<{ person_id: string }>`
        SELECT DISTINCT e.person_id
          FROM employment e JOIN org_unit u ON u.id = e.org_unit_id
         WHERE e.valid_from <= ${page.day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${page.day}::date)
           ${page.provinceId ? sql`AND u.province_id = ${page.provinceId}::uuid` : sql``}
           ${page.after ? sql`AND e.person_id > ${page.after}::uuid` : sql``}
         ORDER BY e.person_id LIMIT ${size}`.execute(db);
      const out: CheckInOpeningPageResult = { opened: 0, nothingDue: 0, skipped: [], next: null };
      const reportUnits = new Set<string>();
      // The page's reads in a few batched queries (the employing units, the plans in force, the check-ins there
      // are) and, per page, the reads many persons share (unit paths, the province calendar, role holders,
      // cadences: db/queries/workflow-input-memo.ts); then the persons OPENING_CONCURRENCY at once — each person's
      // writes and workflow starts are idempotent, the page's result is counted in person order as before.
      const memo = workflowInputMemo(db);
      const personIds = persons.rows.map((r) => r.person_id);
      const unitOf = await employmentUnitsOf(db, personIds, page.day);
      const placed: { personId: string; unitId: string; path: string[] }[] = [];
      const outcome = new Map<string, PersonOutcome>();
      for (const personId of personIds) {
        const unitId = unitOf.get(personId);
        const path = unitId ? (await memo.unitPath(unitId))?.map((n) => n.id) : undefined;
        if (!unitId || !path?.length) {
          outcome.set(personId, { kind: 'skipped', reason: 'no-unit' });
          continue;
        }
        // A person of another province through a concurrent post is opened by their main unit's province.
        if (page.provinceId && path[0] !== page.provinceId) {
          outcome.set(personId, { kind: 'other-province' });
          continue;
        }
        placed.push({ personId, unitId, path });
      }
      const plansOf = await plansInForceForMany(
        db,
        placed.map((p) => ({ personId: p.personId, unitPathIds: p.path })),
        year,
      );
      const checkIns = await checkInsOf(
        db,
        placed.map((p) => p.personId),
        page.period,
      );
      await eachBounded(placed, OPENING_CONCURRENCY, async ({ personId, unitId, path }) => {
        heartbeat({ personId });
        outcome.set(
          personId,
          await openPerson(db, temporal, memo, page, {
            personId,
            unitId,
            path,
            year,
            plans: plansOf.get(personId) ?? [],
            existing: checkIns.get(personId),
          }),
        );
      });
      for (const personId of personIds) {
        const o = outcome.get(personId);
        if (!o || o.kind === 'other-province') continue;
        if (o.reportUnit) reportUnits.add(o.reportUnit);
        if (o.kind === 'opened') out.opened++;
        else if (o.kind === 'nothing-due') out.nothingDue++;
        else out.skipped.push({ personId, reason: o.reason });
      }
      // The monthly unit report of each unit with persons reporting (issue 6 point 6; idempotent: a running or
      // closed report workflow is left alone).
      await startMonthlyUnitReports(db, temporal, {
        period: page.period,
        day: page.day,
        unitIds: reportUnits,
        ...(page.taskQueue ? { taskQueue: page.taskQueue } : {}),
      });
      // The quarterly unit report (issue 7 point 1) when the month after a quarter opens (01/04/07/10): the
      // opening of `page.period` is the opening of the month after it.
      await startQuarterlyUnitReports(db, temporal, {
        month: nextPeriod(page.period),
        day: page.day,
        unitIds: reportUnits,
        ...(page.taskQueue ? { taskQueue: page.taskQueue } : {}),
      });
      // The forecast and early warning (issue 7 point 3, activities/forecast-warnings.ts) after the month whose
      // verification window has closed (the one before the opened month: due the 5th, verified within 3 working
      // days), once per unit and month (forecast_run), whichever page reaches the unit first.
      await forecastWarningsActivities({ db }).raiseForecastWarningsForUnits({
        unitIds: [...reportUnits],
        period: previousPeriod(page.period),
        day: page.day,
      });
      // The rankings of the year start on the same opening (issue 8 point 1, activities/year-end-rankings.ts,
      // idempotent): on the first page, for the province opened (or each province).
      if (page.period.endsWith('-11') && !page.after) {
        let provinces = db.selectFrom('org_unit').select('id').where('parent_id', 'is', null).orderBy('id');
        if (page.provinceId) provinces = provinces.where('id', '=', page.provinceId);
        for (const { id } of await provinces.execute())
          await startYearEndRankings(db, temporal, {
            provinceId: id,
            year,
            day: page.day,
            ...(page.taskQueue ? { taskQueue: page.taskQueue } : {}),
          });
      }
      out.next = persons.rows.length === size ? (persons.rows.at(-1)?.person_id ?? null) : null;
      return out;
    },
  };
}

/**
 * Starts the person's period-assessment workflow of the assessment period the opened month closes (issue 6,
 * point 2): every month for a unit on the monthly cadence, the quarter's last month for one on the quarterly
 * cadence (the cadence of the person's agency, the top unit of their path). Idempotent like the check-in start.
 */
async function startPeriodAssessment(
  db: Database,
  temporal: Client,
  c: { personId: string; unitId: string; path: readonly string[]; page: CheckInOpeningPage },
  memo?: WorkflowInputMemo,
): Promise<void> {
  const cadenceUnitId = c.path[1] ?? c.unitId;
  const period = assessmentPeriodClosedBy(
    c.page.period,
    memo
      ? await memo.cadenceOf(cadenceUnitId, c.page.period)
      : await cadenceOf(db, cadenceUnitId, c.page.period),
  );
  if (!period) return;
  const input = await assessmentInputFor(
    db,
    { personId: c.personId, unitId: c.unitId, path: c.path, period, day: c.page.day },
    memo,
  );
  if (!input) return;
  try {
    await temporal.workflow.start('periodAssessmentWorkflow', {
      taskQueue: c.page.taskQueue ?? TASK_QUEUE,
      workflowId: periodAssessmentWorkflowId(period, c.personId),
      args: [input],
      workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...eagerStart(temporal),
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

/** How many persons of a page are opened at once: their reads, writes and workflow starts are round trips to
 *  PostgreSQL and Temporal, overlapped instead of waited for one by one; well under the worker's pool of
 *  PostgreSQL connections (db/connection.ts, 10), which the check-in workflows just started share. */
export const OPENING_CONCURRENCY = 6;

type PersonOutcome =
  | { kind: 'opened'; reportUnit?: string }
  | { kind: 'nothing-due'; reportUnit?: undefined }
  | { kind: 'skipped'; reason: string; reportUnit?: string }
  | { kind: 'other-province'; reportUnit?: undefined };

/** Runs `work` on every item, at most `limit` at once; rejects with the first failure once all have settled. */
async function eachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { e: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (e) {
        failure ??= { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.e;
}

/** One person of the page (what the opening did person by person): the year-end assessment on the opening of
 *  1 December, then — with a key result due — the check-in row and workflow, and the period assessment. */
async function openPerson(
  db: Database,
  temporal: Client,
  memo: WorkflowInputMemo,
  page: CheckInOpeningPage,
  c: {
    personId: string;
    unitId: string;
    path: string[];
    year: number;
    plans: readonly PlanInForceRow[];
    existing: CheckInRow | undefined;
  },
): Promise<PersonOutcome> {
  const { personId, unitId, path, year, plans } = c;
  // The opening of 1 December (it opens November) starts the year-end assessment of every person with a plan
  // in force that year (issue 8 point 1; activities/year-end-assessment.ts, idempotent). Here, not in the
  // opening workflow: its commands are unchanged and its recorded histories replay.
  if (plans.length > 0 && page.period.endsWith('-11'))
    await startYearEndAssessment(
      db,
      temporal,
      {
        personId,
        unitId,
        path,
        year,
        day: page.day,
        ...(page.taskQueue ? { taskQueue: page.taskQueue } : {}),
      },
      memo,
    );
  if (!dueKeyResults(personId, plans, page.period).length) return { kind: 'nothing-due' };
  // The unit (directly under the province) has persons reporting: its monthly report workflow is started.
  const reportUnit = path[1];
  const reported = reportUnit ? { reportUnit } : {};
  if (c.existing && !EDITABLE_CHECK_IN_STATUSES.has(c.existing.status)) {
    // Submitted or verified: the submit route started its workflow.
    await startPeriodAssessment(db, temporal, { personId, unitId, path, page }, memo);
    return { kind: 'opened', ...reported };
  }
  const row = c.existing ?? (await lockOrCreateCheckIn(db, { personId, unitId, period: page.period }));
  const input = await checkInInputFor(
    db,
    { checkInId: row.id, personId, unitId, period: page.period, day: page.day, path },
    memo,
  );
  if (!input) return { kind: 'skipped', reason: 'calendar-missing', ...reported };
  try {
    await temporal.workflow.start('checkInWorkflow', {
      taskQueue: page.taskQueue ?? TASK_QUEUE,
      workflowId: checkInWorkflowId(page.period, personId),
      args: [input],
      workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...eagerStart(temporal),
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
  await startPeriodAssessment(db, temporal, { personId, unitId, path, page }, memo);
  return { kind: 'opened', ...reported };
}
