// The check-in workflow's input for one person and period (DESIGN §3 monthly row), shared by the submit route
// (api/routes/check-ins/process.ts, which starts the workflow at a first submit) and the monthly opening
// (activities/check-in-opening.ts, which starts every person's workflow when the month's cycle opens): the
// plan-year calendar of the province (with the administrator's moves), the person, their supervisor (a supervisor's own check-in: the unit head
// verifies it) and the unit head of their top unit.
import type { AssigneeRef } from '../../activities/notifications.ts';
import { parseMonthPeriod } from '../../domain/check-in/period.ts';
import type { CheckInInput } from '../../workflows/check-in.messages.ts';
import type { Executor } from '../executor.ts';
import { provinceCalendarOfYear } from './calendar.ts';
import { holdersOfRole } from './org.ts';
import type { WorkflowInputMemo } from './workflow-input-memo.ts';

/** One holder of a role at a unit on `day` as a person ref; several → the role ref; none → undefined. */
async function partyOf(
  executor: Executor,
  role: 'supervisor' | 'unit_head',
  unitId: string,
  day: string,
  not?: string,
  memo?: WorkflowInputMemo,
): Promise<AssigneeRef | undefined> {
  const all = memo
    ? await memo.holdersOfRole(role, unitId, day)
    : await holdersOfRole(executor, role, unitId, day);
  const holders = all.filter((h) => h.id !== not);
  if (holders.length === 1 && holders[0]) return { personId: holders[0].id };
  return holders.length ? { role, unitId } : undefined;
}

/**
 * The input, or undefined when the province has no calendar profile yet. `path` is the ids of the person's
 * unit's path from the province down (db/queries/org-tree.ts unitPath). `memo` (db/queries/workflow-input-memo.ts):
 * the calendar and role holders read once for many persons (the monthly opening's page).
 */
export async function checkInInputFor(
  executor: Executor,
  c: {
    checkInId: string;
    personId: string;
    unitId: string;
    period: string;
    day: string;
    path: readonly string[];
  },
  memo?: WorkflowInputMemo,
): Promise<CheckInInput | undefined> {
  const provinceId = c.path[0]!;
  const topUnitId = c.path[1] ?? c.unitId;
  const calendarYear = parseMonthPeriod(c.period).year;
  const year = memo
    ? await memo.calendarOfYear(provinceId, calendarYear)
    : await provinceCalendarOfYear(executor, provinceId, calendarYear);
  if (!year) return undefined;
  const unitHead = (await partyOf(executor, 'unit_head', topUnitId, c.day, c.personId, memo)) ?? {
    role: 'unit_head',
    unitId: topUnitId,
  };
  const supervisor = (await partyOf(executor, 'supervisor', c.unitId, c.day, c.personId, memo)) ?? unitHead;
  return {
    checkInId: c.checkInId,
    personId: c.personId,
    unitId: c.unitId,
    period: c.period,
    calendar: year.calendar,
    profile: year.profile,
    parties: { person: { personId: c.personId }, supervisor, unitHead },
    verifyWorkingDays: 3,
  };
}
