// Plans in force for the check-in API tests (evidence, bad input): unit A's plan with the A.D1 official's key
// results, unit B's plan, and the official's personal plan, all of one year, written straight to the database.

import type { Database } from '../../db/connection.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import type { OrgFixture } from './org-fixture.ts';

export const keyResult = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

export async function inForcePlan(
  db: Database,
  year: number,
  id: string,
  owner: Plan['owner'],
  unitId: string,
  keyResults: KeyResult[],
): Promise<string> {
  await db
    .insertInto('plan')
    .values({
      id,
      owner_kind: owner.kind,
      unit_id: unitId,
      person_id: owner.kind === 'person' ? owner.personId : null,
      year,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id,
    year,
    owner,
    tasks: [
      { id: 't1', title: 'Giải quyết thủ tục hành chính', perspective: 'citizens', weight: '1', keyResults },
    ],
  };
  const v = await createPlanVersion(db, {
    planId: id,
    content: { ...content, sections: [] },
    createdBy: 'test',
  });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', id).execute();
  return v.id;
}

/** Unit A's plan (k-m monthly, k-ms a milestone, k-sup the supervisor's), unit B's (k-b) and the official's own
 *  (k-p), in force for `year`. Answers the plan ids. */
export async function checkInPlans(db: Database, f: OrgFixture, year: number) {
  const me = f.person.officialA;
  const plan = {
    A: `plan:${year}:unit:${f.unit.A}`,
    B: `plan:${year}:unit:${f.unit.B}`,
    mine: `plan:${year}:person:${me}`,
  };
  await inForcePlan(db, year, plan.A, { kind: 'unit', unitId: f.unit.A }, f.unit.A, [
    keyResult('k-m', { ownerId: me }),
    keyResult('k-ms', {
      ownerId: me,
      direction: { kind: 'milestone', dueDate: `${year}-06-30` },
      aggregation: 'allDone',
      evidenceRequired: true,
    }),
    keyResult('k-sup', { ownerId: f.person.supervisorA }),
  ]);
  await inForcePlan(db, year, plan.B, { kind: 'unit', unitId: f.unit.B }, f.unit.B, [
    keyResult('k-b', { ownerId: me }),
  ]);
  await inForcePlan(db, year, plan.mine, { kind: 'person', personId: me }, f.unit.AD1, [
    keyResult('k-p', { aggregation: 'average' }),
  ]);
  return plan;
}
