// Administrators' moves of plan-year deadlines (migration 0340): read as the overrides map of
// domain/calendar computePlanYearCalendar, written by the admin calendar routes.
import '../schema-calendar-moves.ts';
import type { LocalDate } from '../../domain/calendar/profile.ts';
import type { Executor } from '../executor.ts';
import type { DeadlineMoveRow } from '../schema-calendar-moves.ts';

export function movesOfYear(executor: Executor, profileId: string, year: number): Promise<DeadlineMoveRow[]> {
  return executor
    .selectFrom('deadline_move')
    .selectAll()
    .where('profile_id', '=', profileId)
    .where('plan_year', '=', year)
    .orderBy('deadline_id')
    .execute();
}

/** The moves of a plan year as deadline id → date. */
export async function moveMap(
  executor: Executor,
  profileId: string,
  year: number,
): Promise<Record<string, LocalDate>> {
  const rows = await movesOfYear(executor, profileId, year);
  return Object.fromEntries(rows.map((r) => [r.deadline_id, r.to_date]));
}

export async function saveMove(
  executor: Executor,
  m: { profileId: string; year: number; deadlineId: string; to: LocalDate; reason: string; by: string },
): Promise<void> {
  const row = {
    profile_id: m.profileId,
    plan_year: m.year,
    deadline_id: m.deadlineId,
    to_date: m.to,
    reason: m.reason,
    moved_by: m.by,
    moved_at: new Date(),
  };
  await executor
    .insertInto('deadline_move')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['profile_id', 'plan_year', 'deadline_id']).doUpdateSet({
        to_date: row.to_date,
        reason: row.reason,
        moved_by: row.moved_by,
        moved_at: row.moved_at,
      }),
    )
    .execute();
}

export async function removeMove(
  executor: Executor,
  m: { profileId: string; year: number; deadlineId: string },
): Promise<boolean> {
  const r = await executor
    .deleteFrom('deadline_move')
    .where('profile_id', '=', m.profileId)
    .where('plan_year', '=', m.year)
    .where('deadline_id', '=', m.deadlineId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
