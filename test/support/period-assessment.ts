// Test support for period assessments (not used by production code): a person's plan in force with two monthly
// key results and the month's check-in as the check-in workflow leaves it — VERIFIED, both values verified,
// submitted after its deadline (the submit task closed late) and with kr-b returned once for a major error.
import { appendAudit } from '../../db/audit/index.ts';
import type { Database } from '../../db/connection.ts';
import '../../db/schema-check-ins.ts';
import { endOfVnDay } from '../../domain/calendar/vn-time.ts';
import { inForcePlan, keyResult } from './check-in-plans.ts';

export interface SeededMonth {
  planId: string;
  checkInId: string;
}

/** `month` 'YYYY-MM'; the check-in deadline `dueDate`, submitted `lateDays` days after it (0: on time). */
export async function seedAssessedMonth(
  db: Database,
  c: {
    personId: string;
    unitId: string;
    supervisorId: string;
    month: string;
    dueDate: string;
    lateDays: number;
  },
): Promise<SeededMonth> {
  const year = Number(c.month.slice(0, 4));
  const planId = `plan:${year}:person:${c.personId}`;
  const exists = await db.selectFrom('plan').select('id').where('id', '=', planId).executeTakeFirst();
  if (!exists)
    await inForcePlan(db, year, planId, { kind: 'person', personId: c.personId }, c.unitId, [
      keyResult('kr-a', { title: 'Hồ sơ giải quyết đúng hạn' }),
      keyResult('kr-b', { title: 'Báo cáo chuyên đề' }),
    ]);
  const version = await db
    .selectFrom('plan')
    .select('in_force_version_id')
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
  const ci = await db
    .insertInto('check_in')
    .values({
      person_id: c.personId,
      unit_id: c.unitId,
      period: c.month,
      status: 'VERIFIED',
      workflow_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const kr of ['kr-a', 'kr-b'])
    await db
      .insertInto('check_in_value')
      .values({
        check_in_id: ci.id,
        plan_id: planId,
        plan_version_id: version.in_force_version_id!,
        key_result_id: kr,
        value: '10',
        kr_status: 'on-track',
        updated_by: c.personId,
        verification: 'verified',
        verified_by: c.supervisorId,
        verified_at: new Date(),
      })
      .execute();
  const dueAt = endOfVnDay(c.dueDate);
  const closedAt = dueAt - 3600_000 + c.lateDays * 86_400_000;
  await db
    .insertInto('task')
    .values({
      id: `checkin:${c.month}:person:${c.personId}:submit`,
      workflow_id: `checkin:${c.month}:person:${c.personId}`,
      update_name: 'submitCheckIn',
      kind: 'check-in.submit',
      subject_type: 'check_in',
      subject_id: ci.id,
      assignee_person_id: c.personId,
      assignee_role: null,
      assignee_unit_id: null,
      due_at: new Date(dueAt),
      logical_due_date: c.dueDate,
      status: 'done',
      details: '{}',
      closed_at: new Date(closedAt),
      closed_by: c.personId,
    })
    .execute();
  await appendAudit(db, {
    aggregateType: 'check_in',
    aggregateId: ci.id,
    actor: c.supervisorId,
    action: 'check-in.returned',
    before: { status: 'SUBMITTED' },
    after: {
      status: 'RETURNED',
      round: 1,
      values: [
        { planId, keyResultId: 'kr-a', verdict: 'verified' },
        { planId, keyResultId: 'kr-b', verdict: 'returned', majorError: true, comment: 'Sai số liệu' },
      ],
    },
  });
  return { planId, checkInId: ci.id };
}
