// Reads a workflow input is built from that are the same for many persons (the province's calendar of the year,
// the holders of a role at a unit, a unit's path, an agency's cadence, whether a unit type needs appraisal),
// each read once per memo: the monthly opening (activities/check-in-opening.ts) makes one memo per page of
// persons, so a page reads its province's calendar once instead of three times a person. A memo lives for one
// call: what it answers is what the database said when the call began, as a sequential call would have read it.
import type { Executor } from '../executor.ts';
import type { RoleCode } from '../schema.ts';
import { provinceCalendarOfYear } from './calendar.ts';
import { holdersOfRole } from './org.ts';
import { unitPath } from './org-tree.ts';
import { cadenceOf } from './period-assessments.ts';
import { needsAppraisal } from './year-end-assessments.ts';

export interface WorkflowInputMemo {
  calendarOfYear(provinceId: string, year: number): ReturnType<typeof provinceCalendarOfYear>;
  holdersOfRole(role: RoleCode, unitId: string, day: string): ReturnType<typeof holdersOfRole>;
  unitPath(unitId: string): ReturnType<typeof unitPath>;
  cadenceOf(unitId: string, month?: string): ReturnType<typeof cadenceOf>;
  needsAppraisal(unitId: string): Promise<boolean>;
}

export function workflowInputMemo(executor: Executor): WorkflowInputMemo {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      cache.set(key, p);
    }
    return p;
  };
  return {
    calendarOfYear: (provinceId, year) =>
      once(`calendar|${provinceId}|${year}`, () => provinceCalendarOfYear(executor, provinceId, year)),
    holdersOfRole: (role, unitId, day) =>
      once(`holders|${role}|${unitId}|${day}`, () => holdersOfRole(executor, role, unitId, day)),
    unitPath: (unitId) => once(`path|${unitId}`, () => unitPath(executor, unitId)),
    cadenceOf: (unitId, month) =>
      once(`cadence|${unitId}|${month ?? ''}`, () => cadenceOf(executor, unitId, month)),
    needsAppraisal: (unitId) => once(`appraisal|${unitId}`, () => needsAppraisal(executor, unitId)),
  };
}
