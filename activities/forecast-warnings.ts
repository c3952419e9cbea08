// The forecast and early warning (issue 7 point 3; the method: docs/forecast.md). After a verified month, every
// key result of the plans in force of a unit (with its sub-units) and of its people is projected to year end from
// its verified values (domain/forecast); the forecast is stored (key_result_forecast) and, when the target is
// projected to be missed (P(miss) ≥ 0.8; a milestone past its due date undone; a zero-tolerance occurrence), a
// 'forecast.warning' inbox task goes to the key result's owner and to the unit head, with the projection, the
// band and the target in its details and a link to the key result's check-in history. One open task per key
// result and recipient: opened once, updated by each later month's forecast that still misses, closed (done) by
// the first that no longer does. Warnings are raised from the forecasts after months 1–11 (so from September's at
// the latest, at least three months before year end); the forecast after December closes what is left open.
// Idempotent: running a month again writes the same forecasts and changes no task.
// raiseForecastWarningsForUnits: what the monthly opening (activities/check-in-opening.ts) calls, once per unit
// and month (forecast_run).
import { Context } from '@temporalio/activity';
import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { inTransaction } from '../db/executor.ts';
import {
  FORECAST_SUBJECT_TYPE,
  FORECAST_TASK_KIND,
  forecastPlansOfUnit,
  forecastRunOf,
  keyResultSubjectId,
  openWarningTasksOf,
  recordForecastRun,
  upsertForecasts,
  verifiedValuesOf,
} from '../db/queries/forecasts.ts';
import { holdersOfRole } from '../db/queries/org.ts';
import { addCalendarDays, endOfVnDay } from '../domain/calendar/vn-time.ts';
import { parseMonthPeriod } from '../domain/check-in/period.ts';
import { forecastKeyResult, type KeyResultForecast } from '../domain/forecast/forecast.ts';
import { formatNumber } from '../domain/format/number.ts';
import { ownerInPeriod } from '../domain/handover/owner.ts';
import type { KeyResult } from '../domain/plan/model.ts';
import type { AssigneeRef } from './notifications.ts';
import { taskActivities } from './tasks.ts';

/** The last forecast month that raises warnings (the forecast after December only closes them). */
export const LAST_WARNING_MONTH = 11;
export const FORECAST_ACTOR = 'system:forecast';

export interface ForecastWarningsInput {
  /** The unit; its sub-units' plans and its people's personal plans are included. */
  unitId: string;
  /** The verified month the forecasts are made after ('YYYY-MM'). */
  period: string;
  /** The day role holders and employments are read on and the warnings are dated (yyyy-mm-dd, Vietnam). */
  day: string;
}

export interface ForecastWarningsResult {
  plans: number;
  forecasts: number;
  /** Key results projected to miss. */
  warnings: number;
  opened: number;
  updated: number;
  closed: number;
}

/** The last day of the month of `day` (the warning asks for a response before the next month's forecast). */
const endOfMonth = (day: string): string => {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addCalendarDays(next, -1);
};

const heartbeat = (d: unknown) => {
  try {
    Context.current().heartbeat(d);
  } catch {
    // outside an activity (tests)
  }
};

const historyLink = (planId: string, krId: string) =>
  `/check-ins/history?planId=${encodeURIComponent(planId)}&krId=${encodeURIComponent(krId)}`;

/** JSON with keys sorted (jsonb does not keep key order). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

const refKey = (r: AssigneeRef) => r.personId ?? `role:${r.role}:${r.unitId}`;

/** What the task carries: enough for the inbox and for a reader of the audit trail. */
function taskDetails(
  planId: string,
  kr: KeyResult,
  f: Exclude<KeyResultForecast, { kind: 'none' }>,
): Record<string, unknown> {
  const base = {
    period: f.through,
    planId,
    keyResultId: kr.id,
    keyResultTitle: kr.title,
    unitOfMeasure: kr.unit,
    aggregation: kr.aggregation,
    direction: kr.direction.kind,
  };
  if (f.kind === 'projection')
    return {
      ...base,
      projected: f.projected,
      low: f.low,
      high: f.high,
      target: f.target,
      pMiss: f.pMiss,
      method: f.method,
      observations: f.observations,
    };
  if (f.kind === 'milestone') return { ...base, done: f.done, dueDate: f.dueDate };
  return { ...base, occurrences: f.occurrences };
}

function message(kr: KeyResult, f: Exclude<KeyResultForecast, { kind: 'none' }>) {
  const [y, m] = f.through.split('-');
  const month = `${m}/${y}`;
  const num = (v: string, locale: 'vi' | 'en') => formatNumber(v, locale, { maxFractionDigits: 2 });
  const title = {
    vi: `Cảnh báo sớm: “${kr.title}” có nguy cơ không đạt chỉ tiêu năm`,
    en: `Early warning: “${kr.title}” is projected to miss its annual target`,
  };
  let body: { vi: string; en: string };
  if (f.kind === 'projection') {
    const range = f.target.includes('–');
    const tv = range ? f.target : num(f.target, 'vi');
    const te = range ? f.target : num(f.target, 'en');
    body = {
      vi: `Dự báo sau tháng ${month}: cuối năm ước đạt ${num(f.projected, 'vi')} (khoảng 80%: ${num(f.low, 'vi')} – ${num(f.high, 'vi')}), chỉ tiêu ${tv}; xác suất không đạt ${num(String(Number(f.pMiss) * 100), 'vi')}%.`,
      en: `Forecast after ${month}: year-end value about ${num(f.projected, 'en')} (80% band ${num(f.low, 'en')} – ${num(f.high, 'en')}), target ${te}; probability of missing ${num(String(Number(f.pMiss) * 100), 'en')}%.`,
    };
  } else if (f.kind === 'milestone') {
    const due = f.dueDate.split('-').reverse().join('/');
    body = { vi: `Mốc hạn ${due} chưa hoàn thành.`, en: `The milestone due ${due} is not done.` };
  } else {
    body = {
      vi: `Đã có ${num(f.occurrences, 'vi')} trường hợp xảy ra (chỉ tiêu: không để xảy ra).`,
      en: `${num(f.occurrences, 'en')} occurrence(s) recorded (target: none).`,
    };
  }
  return { title, body };
}

export function forecastWarningsActivities({ db, mailDomain }: { db: Database; mailDomain?: string }) {
  const tasks = taskActivities({ db, ...(mailDomain ? { mailDomain } : {}) });

  async function raiseForecastWarnings(input: ForecastWarningsInput): Promise<ForecastWarningsResult> {
    const { year, month } = parseMonthPeriod(input.period);
    const out: ForecastWarningsResult = {
      plans: 0,
      forecasts: 0,
      warnings: 0,
      opened: 0,
      updated: 0,
      closed: 0,
    };
    const plans = await forecastPlansOfUnit(db, { unitId: input.unitId, year, day: input.day });
    out.plans = plans.length;
    const values = await verifiedValuesOf(db, {
      planIds: plans.map((p) => p.planId),
      year,
      through: input.period,
    });
    const heads = await holdersOfRole(db, 'unit_head', input.unitId, input.day);
    const headRefs: AssigneeRef[] = heads.length
      ? heads.map((h) => ({ personId: h.id }))
      : [{ role: 'unit_head', unitId: input.unitId }];
    const dueDate = endOfMonth(input.day);
    const valuesOf = new Map<string, typeof values>();
    for (const v of values) {
      const key = keyResultSubjectId(v.planId, v.keyResultId);
      valuesOf.set(key, [...(valuesOf.get(key) ?? []), v]);
    }
    const openTasks = await openWarningTasksOf(
      db,
      plans.map((p) => p.planId),
    );
    // Every key result's forecast first (pure), stored a few hundred rows a statement; then the warning tasks.
    const forecasts = plans.flatMap((plan) =>
      plan.content.tasks.flatMap((task) =>
        task.keyResults.map((kr) => ({
          plan,
          kr,
          forecast: forecastKeyResult({
            keyResult: kr,
            values: valuesOf.get(keyResultSubjectId(plan.planId, kr.id)) ?? [],
            through: input.period,
          }),
        })),
      ),
    );
    heartbeat({ unitId: input.unitId, forecasts: forecasts.length });
    await upsertForecasts(
      db,
      forecasts.map((f) => ({ planId: f.plan.planId, keyResultId: f.kr.id, forecast: f.forecast })),
    );
    let lastPlan: string | undefined;
    for (const { plan, kr, forecast } of forecasts) {
      if (plan.planId !== lastPlan) {
        heartbeat({ unitId: input.unitId, planId: plan.planId });
        lastPlan = plan.planId;
      }
      out.forecasts++;
      if (forecast.kind === 'none') continue; // nothing to say yet: open warnings stay as they are
      const open = openTasks.get(keyResultSubjectId(plan.planId, kr.id)) ?? new Map();
      const warn = forecast.warning && month <= LAST_WARNING_MONTH;
      if (forecast.warning) out.warnings++;
      if (!warn) {
        for (const t of open.values()) {
          const r = await tasks.closeTask({
            id: t.id,
            status: 'done',
            by: FORECAST_ACTOR,
            reason: forecast.warning ? 'year-ended' : `forecast-no-longer-misses:${input.period}`,
          });
          if (r.closed) out.closed++;
        }
        continue;
      }
      const owner = ownerInPeriod(plan.content, kr.id, kr.ownerId, plan.reassignments, input.period);
      const recipients = new Map<string, AssigneeRef>();
      if (owner) recipients.set(owner, { personId: owner });
      for (const h of headRefs) recipients.set(refKey(h), h);
      const details = taskDetails(plan.planId, kr, forecast);
      const text = message(kr, forecast);
      for (const [key, ref] of recipients) {
        const existing = open.get(key);
        if (existing) {
          if (await updateWarning(existing.id, plan.planId, kr.id, details, dueDate)) out.updated++;
          continue;
        }
        const id = `${FORECAST_TASK_KIND}:${keyResultSubjectId(plan.planId, kr.id)}:${key}:${input.period}`;
        const r = await tasks.openTask({
          id,
          workflowId: `forecast:${input.unitId}`,
          kind: FORECAST_TASK_KIND,
          subjectType: FORECAST_SUBJECT_TYPE,
          subjectId: keyResultSubjectId(plan.planId, kr.id),
          assignee: ref,
          dueAt: endOfVnDay(dueDate),
          logicalDueDate: dueDate,
          details,
          actor: FORECAST_ACTOR,
          notify: {
            key: `forecast-warning:${id}`,
            recipients: [ref],
            kind: FORECAST_TASK_KIND,
            titleVi: text.title.vi,
            titleEn: text.title.en,
            bodyVi: text.body.vi,
            bodyEn: text.body.en,
            link: historyLink(plan.planId, kr.id),
            logicalDate: input.day,
          },
        });
        if (r.created) out.opened++;
      }
      // A recipient no longer concerned (the key result changed hands): their warning is withdrawn.
      for (const [key, t] of open)
        if (!recipients.has(key)) {
          const r = await tasks.closeTask({
            id: t.id,
            status: 'cancelled',
            by: FORECAST_ACTOR,
            reason: 'recipient-changed',
          });
          if (r.closed) out.closed++;
        }
    }
    return out;
  }

  /** A later month's forecast on an open warning: new details and due date, audited; unchanged → nothing. */
  function updateWarning(
    id: string,
    planId: string,
    krId: string,
    details: Record<string, unknown>,
    dueDate: string,
  ): Promise<boolean> {
    return inTransaction(db, async (trx) => {
      const row = await trx
        .selectFrom('task')
        .select(['details', 'logical_due_date', 'status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (row?.status !== 'open') return false;
      if (canonical(row.details) === canonical(details) && row.logical_due_date === dueDate) return false;
      await trx
        .updateTable('task')
        .set({
          details: JSON.stringify(details),
          due_at: new Date(endOfVnDay(dueDate)),
          logical_due_date: dueDate,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
      await appendAudit(trx, {
        aggregateType: FORECAST_SUBJECT_TYPE,
        aggregateId: keyResultSubjectId(planId, krId),
        actor: FORECAST_ACTOR,
        action: 'forecast.warning.updated',
        before: { taskId: id, details: row.details, dueDate: row.logical_due_date },
        after: { taskId: id, details, dueDate },
      });
      return true;
    });
  }

  return {
    raiseForecastWarnings,

    /** The monthly opening's call: each unit's forecast for the month once (a unit already done is skipped). */
    async raiseForecastWarningsForUnits(q: {
      unitIds: readonly string[];
      period: string;
      day: string;
    }): Promise<ForecastWarningsResult> {
      const total: ForecastWarningsResult = {
        plans: 0,
        forecasts: 0,
        warnings: 0,
        opened: 0,
        updated: 0,
        closed: 0,
      };
      for (const unitId of q.unitIds) {
        if (await forecastRunOf(db, unitId, q.period)) continue;
        const r = await raiseForecastWarnings({ unitId, period: q.period, day: q.day });
        await recordForecastRun(db, { unitId, period: q.period, plans: r.plans, warnings: r.warnings });
        for (const k of Object.keys(total) as (keyof ForecastWarningsResult)[]) total[k] += r[k];
      }
      return total;
    },
  };
}
