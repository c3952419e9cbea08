// A calendar change reaching running plan workflows (DESIGN §3, issue 5: "a date moved or a holiday added by
// an administrator reaching running workflows by an Update"). One call handles one page of a province's plans
// of one year: it recomputes each plan's calendar (domain/calendar/plan-calendar.ts, as the API did when it
// started the plan) and sends the plan's workflow the moveDeadlines Update with an update id derived from the
// change, so a retried call changes nothing twice. Plans whose dates and working days did not change are
// left alone; a plan whose workflow has ended, or refuses the move, is reported and skipped.
//
// Check-ins (issue 6): `propagateCalendarChangeToCheckIns` does the same for the running check-in workflows of
// the year's months in the province (the check_in read model: DRAFT, SUBMITTED or RETURNED), sending the
// moveCheckInDeadlines Update when the month's `check-in.<period>` or `verify.<period>` date, or the working days,
// changed. A finished run (not found) or a refusal (locked, verified, reopened) is reported and skipped.
//
// Unit reports and period assessments (issue 6, patch 'calendar-change-reports' of the workflow):
// `propagateCalendarChangeToReports` sends the moveReportDeadlines Update to the running monthly and quarterly unit
// reports of the province's units (directly under the province; a report already in the sent tables is left out)
// whose `verify.<month>` / `quarter-report.<quarter>` date, or the working days, changed, then the
// moveAssessmentDeadlines Update to the running period assessments (period_assessment drafts with a workflow) whose
// `verify.<last month>` date, or the working days, changed. Update ids are `<changeId>:<workflowId>`.
// `recordDeadlineMove` is the audit record of a move applied by a workflow (idempotent by its key).
import { Context } from '@temporalio/activity';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { sql } from 'kysely';
import type { Database } from '../db/connection.ts';
import { calendarProfileOfProvince } from '../db/queries/calendar.ts';
import { moveMap } from '../db/queries/deadline-moves.ts';
import '../db/schema-plans.ts';
import { type PlanLevel, planCalendarFor, sameDueDates } from '../domain/calendar/plan-calendar.ts';
import { computePlanYearCalendar, type PlanYearCalendar } from '../domain/calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import '../db/schema-calendar-moves.ts';
import { appendAudit } from '../db/audit/index.ts';
import { type Executor, inTransaction } from '../db/executor.ts';
import { lastMonthOf } from '../domain/assessment/period.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import { type MoveDeadlinesArgs, moveDeadlines } from '../workflows/annual-plan.messages.ts';
import { type CalendarChangeInput, calendarChangeWorkflowId } from '../workflows/calendar-change.ts';
import {
  checkInWorkflowId,
  type MoveCheckInDeadlinesArgs,
  moveCheckInDeadlines,
} from '../workflows/check-in.messages.ts';
import '../db/schema-check-ins.ts';
import '../db/schema-reports.ts';
import '../db/schema-quarterly-reports.ts';
import '../db/schema-assessments.ts';
import {
  monthlyUnitReportWorkflowId,
  moveReportDeadlines,
} from '../workflows/monthly-unit-report.messages.ts';
import { moveAssessmentDeadlines } from '../workflows/period-assessment.messages.ts';

/** The audit record of a deadline move a workflow applied (idempotent by `key`). */
export interface DeadlineMoveRecord {
  /** Idempotency key: `moved:${workflowId}:${move number}`. */
  key: string;
  aggregateType: string;
  aggregateId: string;
  /** The audit action ('report.monthly.deadlines-moved' …). */
  action: string;
  workflowId: string;
  by: string;
  reason: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** The inbox tasks re-dated. */
  redated: { taskId: string; from: string; to: string }[];
}

export interface ReportChangePageResult {
  sent: number;
  unchanged: number;
  skipped: { workflowId: string; reason: string }[];
  /** The cursor of the next page ('u:<unit id>' in the units, 'a:' / 'a:<assessment id>' in the assessments), null
   *  at the end. */
  next: string | null;
}

/** Writes a change to the outbox (in the caller's transaction, with the calendar write it carries). */
export async function recordCalendarChange(executor: Executor, input: CalendarChangeInput): Promise<void> {
  await executor
    .insertInto('calendar_change')
    .values({ id: input.changeId, province_id: input.provinceId, input: JSON.stringify(input) })
    .execute();
}

/**
 * Starts the workflow of every change not started yet (of one province, or all), oldest first, and marks it
 * started; a workflow already running for a change counts as started. Answers the workflow ids started.
 */
export async function startPendingCalendarChanges(
  db: Database,
  client: Client,
  opts: { provinceId?: string; taskQueue?: string } = {},
): Promise<string[]> {
  let q = db
    .selectFrom('calendar_change')
    .select(['id', 'input'])
    .where('started_at', 'is', null)
    .orderBy('created_at')
    .limit(100);
  if (opts.provinceId) q = q.where('province_id', '=', opts.provinceId);
  const started: string[] = [];
  for (const row of await q.execute()) {
    const workflowId = calendarChangeWorkflowId(row.id);
    try {
      await client.workflow.start('calendarChangeWorkflow', {
        taskQueue: opts.taskQueue ?? TASK_QUEUE,
        workflowId,
        args: [row.input as CalendarChangeInput],
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
    await db
      .updateTable('calendar_change')
      .set({ started_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    started.push(workflowId);
  }
  return started;
}

export interface CalendarChangePage {
  /** The change's stable id (part of every update id). */
  changeId: string;
  provinceId: string;
  year: number;
  by: string;
  reason: string;
  /** The calendar inputs before the change: plans whose calendar is the same under both are skipped. */
  before: { profile: CalendarProfile; moves: Record<string, LocalDate> };
  /** Plan id cursor (exclusive). */
  after?: string;
  pageSize?: number;
}

export interface CalendarChangePageResult {
  sent: number;
  unchanged: number;
  skipped: { planId: string; reason: string }[];
  /** The cursor of the next page, null at the end. */
  next: string | null;
}

export interface CheckInChangePageResult {
  sent: number;
  unchanged: number;
  skipped: { checkInId: string; reason: string }[];
  /** The cursor of the next page (a check-in id), null at the end. */
  next: string | null;
}

/** The check-in deadlines of a month under a calendar: what a running check-in workflow is told about. */
const checkInDates = (c: PlanYearCalendar, period: string) =>
  JSON.stringify(
    c.deadlines
      .filter((d) => d.id === `check-in.${period}` || d.id === `verify.${period}`)
      .map((d) => d.date),
  );

/** The dates of a deadline under a calendar (absent: undefined). */
const dateOf = (c: PlanYearCalendar, id: string) => c.deadlines.find((d) => d.id === id)?.date;

const heartbeat = (d: unknown) => {
  try {
    Context.current().heartbeat(d);
  } catch {
    // outside an activity (tests)
  }
};

/** Holidays and make-up days of the span a plan year's calendar covers (July Y-1 to June Y+1). */
function workingDaysOfYear(p: CalendarProfile, year: number): string {
  const from = `${year - 1}-07-01`;
  const to = `${year + 1}-06-30`;
  const inSpan = (d: string) => d >= from && d <= to;
  return JSON.stringify([
    [...p.weekendDays].sort(),
    p.holidays
      .map((h) => h.date)
      .filter(inSpan)
      .sort(),
    p.makeUpWorkingDays.filter(inSpan).sort(),
  ]);
}

export function calendarChangeActivities({ db, temporal }: { db: Database; temporal?: Client }) {
  return {
    /** The daily sweep: changes saved while Temporal was unreachable, not started by a later write. */
    async startPendingCalendarChanges(): Promise<{ started: number }> {
      if (!temporal) throw new Error('startPendingCalendarChanges needs the worker’s Temporal client');
      return { started: (await startPendingCalendarChanges(db, temporal)).length };
    },
    async propagateCalendarChange(page: CalendarChangePage): Promise<CalendarChangePageResult> {
      if (!temporal) throw new Error('propagateCalendarChange needs the worker’s Temporal client');
      const stored = await calendarProfileOfProvince(db, page.provinceId);
      if (!stored) return { sent: 0, unchanged: 0, skipped: [], next: null };
      const moves = await moveMap(db, stored.profile.id, page.year);
      const sameWorkingDays =
        workingDaysOfYear(page.before.profile, page.year) === workingDaysOfYear(stored.profile, page.year);
      const size = page.pageSize ?? 50;
      const plans = await sql<{
        id: string;
        workflow_id: string;
        owner_kind: string;
        parent_id: string | null;
      }>`
        SELECT pl.id, pl.workflow_id, pl.owner_kind, u.parent_id
          FROM plan pl JOIN org_unit u ON u.id = pl.unit_id
         WHERE u.province_id = ${page.provinceId} AND pl.year = ${page.year}
           AND pl.workflow_id IS NOT NULL AND pl.status <> 'CLOSED'
           ${page.after ? sql`AND pl.id > ${page.after}` : sql``}
         ORDER BY pl.id LIMIT ${size}`.execute(db);
      const out: CalendarChangePageResult = { sent: 0, unchanged: 0, skipped: [], next: null };
      // a plan's calendar depends only on its level: computed once per level, not once per plan
      const byLevel = new Map<PlanLevel, { calendar: PlanYearCalendar; unchanged: boolean }>();
      const calendarsOf = (level: PlanLevel) => {
        let c = byLevel.get(level);
        if (!c) {
          const calendar = planCalendarFor(stored.profile, page.year, level, moves);
          const was = planCalendarFor(page.before.profile, page.year, level, page.before.moves);
          c = { calendar, unchanged: sameWorkingDays && sameDueDates(was, calendar) };
          byLevel.set(level, c);
        }
        return c;
      };
      for (const p of plans.rows) {
        const level: PlanLevel =
          p.owner_kind === 'person' ? 'person' : p.parent_id === page.provinceId ? 'unit' : 'department';
        const { calendar, unchanged } = calendarsOf(level);
        if (unchanged) {
          out.unchanged++;
          continue;
        }
        const args: MoveDeadlinesArgs = {
          calendar,
          ...(sameWorkingDays ? {} : { profile: stored.profile }),
          by: page.by,
          reason: page.reason,
        };
        try {
          await temporal.workflow
            .getHandle(p.workflow_id)
            .executeUpdate(moveDeadlines, { args: [args], updateId: `${page.changeId}:${p.id}` });
          out.sent++;
        } catch (e) {
          if (e instanceof WorkflowNotFoundError) out.skipped.push({ planId: p.id, reason: 'not-running' });
          else if (e instanceof WorkflowUpdateFailedError)
            out.skipped.push({ planId: p.id, reason: (e.cause as Error | undefined)?.message ?? e.message });
          else throw e;
        }
        heartbeat({ planId: p.id });
      }
      out.next = plans.rows.length === size ? (plans.rows.at(-1)?.id ?? null) : null;
      return out;
    },

    /**
     * One page of the province's running check-ins of the year's months (check_in id cursor): each whose month's
     * check-in or verify date (or the working days) changed gets the moveCheckInDeadlines Update, with an update
     * id derived from the change (a retried call changes nothing twice).
     */
    async propagateCalendarChangeToCheckIns(page: CalendarChangePage): Promise<CheckInChangePageResult> {
      if (!temporal) throw new Error('propagateCalendarChangeToCheckIns needs the worker’s Temporal client');
      const stored = await calendarProfileOfProvince(db, page.provinceId);
      if (!stored) return { sent: 0, unchanged: 0, skipped: [], next: null };
      const moves = await moveMap(db, stored.profile.id, page.year);
      const sameWorkingDays =
        workingDaysOfYear(page.before.profile, page.year) === workingDaysOfYear(stored.profile, page.year);
      let calendar: PlanYearCalendar;
      let was: PlanYearCalendar;
      try {
        calendar = computePlanYearCalendar(stored.profile, page.year, undefined, moves);
        was = computePlanYearCalendar(page.before.profile, page.year, undefined, page.before.moves);
      } catch (e) {
        if (e instanceof RangeError) return { sent: 0, unchanged: 0, skipped: [], next: null };
        throw e;
      }
      const size = page.pageSize ?? 100;
      const rows = await sql<{ id: string; person_id: string; period: string }>`
        SELECT ci.id, ci.person_id, ci.period
          FROM check_in ci JOIN org_unit u ON u.id = ci.unit_id
         WHERE u.province_id = ${page.provinceId} AND ci.period LIKE ${`${page.year}-%`}
           AND ci.status IN ('DRAFT', 'SUBMITTED', 'RETURNED')
           ${page.after ? sql`AND ci.id > ${page.after}` : sql``}
         ORDER BY ci.id LIMIT ${size}`.execute(db);
      const out: CheckInChangePageResult = { sent: 0, unchanged: 0, skipped: [], next: null };
      for (const r of rows.rows) {
        if (sameWorkingDays && checkInDates(calendar, r.period) === checkInDates(was, r.period)) {
          out.unchanged++;
          continue;
        }
        const args: MoveCheckInDeadlinesArgs = {
          calendar,
          ...(sameWorkingDays ? {} : { profile: stored.profile }),
          by: page.by,
          reason: page.reason,
        };
        try {
          await temporal.workflow
            .getHandle(checkInWorkflowId(r.period, r.person_id))
            .executeUpdate(moveCheckInDeadlines, { args: [args], updateId: `${page.changeId}:${r.id}` });
          out.sent++;
        } catch (e) {
          if (e instanceof WorkflowNotFoundError)
            out.skipped.push({ checkInId: r.id, reason: 'not-running' });
          else if (e instanceof WorkflowUpdateFailedError)
            out.skipped.push({
              checkInId: r.id,
              reason: (e.cause as Error | undefined)?.message ?? e.message,
            });
          else throw e;
        }
        heartbeat({ checkInId: r.id });
      }
      out.next = rows.rows.length === size ? (rows.rows.at(-1)?.id ?? null) : null;
      return out;
    },

    /** Audits a deadline move a workflow applied, once per key. */
    async recordDeadlineMove(m: DeadlineMoveRecord): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${m.key}))`.execute(trx);
        const done = await trx
          .selectFrom('audit_log')
          .select('id')
          .where('aggregate_type', '=', m.aggregateType)
          .where('aggregate_id', '=', m.aggregateId)
          .where('action', '=', m.action)
          .where(sql<boolean>`"after"->>'key' = ${m.key}`)
          .executeTakeFirst();
        if (done) return { applied: false };
        await appendAudit(trx, {
          aggregateType: m.aggregateType,
          aggregateId: m.aggregateId,
          actor: m.by,
          action: m.action,
          before: m.before,
          after: { key: m.key, workflowId: m.workflowId, reason: m.reason, ...m.after, redated: m.redated },
        });
        return { applied: true };
      });
    },

    /**
     * One page of the province's running unit reports (its units, a unit id cursor 'u:<id>'), then of its running
     * period assessments (cursor 'a:' / 'a:<id>'), of the year: each whose dates (or the working days) changed gets
     * its move Update with the update id `<changeId>:<workflowId>` (a retried call changes nothing twice).
     */
    async propagateCalendarChangeToReports(page: CalendarChangePage): Promise<ReportChangePageResult> {
      if (!temporal) throw new Error('propagateCalendarChangeToReports needs the worker’s Temporal client');
      const empty: ReportChangePageResult = { sent: 0, unchanged: 0, skipped: [], next: null };
      const stored = await calendarProfileOfProvince(db, page.provinceId);
      if (!stored) return empty;
      const moves = await moveMap(db, stored.profile.id, page.year);
      const sameWorkingDays =
        workingDaysOfYear(page.before.profile, page.year) === workingDaysOfYear(stored.profile, page.year);
      let calendar: PlanYearCalendar;
      let was: PlanYearCalendar;
      try {
        calendar = computePlanYearCalendar(stored.profile, page.year, undefined, moves);
        was = computePlanYearCalendar(page.before.profile, page.year, undefined, page.before.moves);
      } catch (e) {
        if (e instanceof RangeError) return empty;
        throw e;
      }
      const changed = (id: string) => !sameWorkingDays || dateOf(calendar, id) !== dateOf(was, id);
      const args = {
        calendar,
        ...(sameWorkingDays ? {} : { profile: stored.profile }),
        by: page.by,
        reason: page.reason,
      };
      const out: ReportChangePageResult = { sent: 0, unchanged: 0, skipped: [], next: null };
      /** `guessed`: a unit report's id built from its unit and period (no read-model row says it runs): one that is
       *  not running is no news, neither counted nor reported. */
      const send = async (
        workflowId: string,
        update: typeof moveReportDeadlines | typeof moveAssessmentDeadlines,
        guessed = false,
      ) => {
        try {
          await temporal.workflow.getHandle(workflowId).executeUpdate(update as typeof moveReportDeadlines, {
            args: [args],
            updateId: `${page.changeId}:${workflowId}`,
          });
          out.sent++;
        } catch (e) {
          if (e instanceof WorkflowNotFoundError) {
            if (!guessed) out.skipped.push({ workflowId, reason: 'not-running' });
          } else if (e instanceof WorkflowUpdateFailedError)
            out.skipped.push({ workflowId, reason: (e.cause as Error | undefined)?.message ?? e.message });
          else throw e;
        }
        heartbeat({ workflowId });
      };

      if (!page.after?.startsWith('a:')) {
        // The unit reports: monthly (opening after `verify.<month>`) and quarterly (due `quarter-report.<quarter>`).
        const size = page.pageSize ?? 20;
        const after = page.after?.startsWith('u:') ? page.after.slice(2) : undefined;
        const units = await sql<{ id: string }>`
          SELECT u.id FROM org_unit u
           WHERE u.parent_id = ${page.provinceId}
             ${after ? sql`AND u.id > ${after}` : sql``}
           ORDER BY u.id LIMIT ${size}`.execute(db);
        const periods = calendar.deadlines
          .map((d) => /^(?:verify|quarter-report)\.(\d{4}-(?:\d{2}|Q[1-4]))$/.exec(d.id))
          .filter((m): m is RegExpExecArray => m !== null && m[1]!.startsWith(`${page.year}-`))
          .map((m) => ({ id: m[0], period: m[1]! }));
        const ids = units.rows.map((u) => u.id);
        const sent = new Set<string>();
        if (ids.length) {
          const m = await db
            .selectFrom('monthly_unit_report')
            .select(['unit_id', 'period'])
            .where('unit_id', 'in', ids)
            .where('period', 'like', `${page.year}-%`)
            .execute();
          const q = await db
            .selectFrom('quarterly_unit_report')
            .select(['unit_id', 'period'])
            .where('unit_id', 'in', ids)
            .where('period', 'like', `${page.year}-%`)
            .execute();
          for (const r of [...m, ...q]) sent.add(`${r.unit_id}:${r.period}`);
        }
        // Only the reports whose dates changed are tried; one whose dates did not change is not counted (whether it
        // runs is not known without asking).
        for (const u of units.rows)
          for (const p of periods) {
            if (sent.has(`${u.id}:${p.period}`) || !changed(p.id)) continue;
            await send(monthlyUnitReportWorkflowId(p.period, u.id), moveReportDeadlines, true);
          }
        out.next = units.rows.length === size ? `u:${units.rows.at(-1)!.id}` : 'a:';
        return out;
      }

      // The period assessments (the task opens the working day after `verify.<last month>`).
      const size = page.pageSize ?? 100;
      const after = page.after.slice(2);
      const rows = await sql<{ id: string; period: string; workflow_id: string }>`
        SELECT pa.id, pa.period, pa.workflow_id
          FROM period_assessment pa JOIN org_unit u ON u.id = pa.unit_id
         WHERE u.province_id = ${page.provinceId} AND pa.period LIKE ${`${page.year}-%`}
           AND pa.status = 'draft' AND pa.workflow_id IS NOT NULL
           ${after ? sql`AND pa.id > ${after}` : sql``}
         ORDER BY pa.id LIMIT ${size}`.execute(db);
      for (const r of rows.rows) {
        if (!changed(`verify.${lastMonthOf(r.period)}`)) {
          out.unchanged++;
          continue;
        }
        await send(r.workflow_id, moveAssessmentDeadlines);
      }
      out.next = rows.rows.length === size ? `a:${rows.rows.at(-1)!.id}` : null;
      return out;
    },
  };
}
