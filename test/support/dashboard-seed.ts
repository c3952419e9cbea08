// Seeds the read model the dashboards read (issue 7 point 4) in tests: a unit plan in force and verified
// check-in values (with an evidence file when asked), written straight to PostgreSQL as the check-in
// workflow's activities leave them.
import type { Database } from '../../db/connection.ts';
import { storeEvidence } from '../../db/queries/evidence.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import type { KeyResult, Perspective, Plan } from '../../domain/plan/model.ts';

export const dashKr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '1200',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

/** A unit plan of `year`, APPROVED and in force, one task per perspective given. */
export async function seedUnitPlan(
  db: Database,
  o: {
    unitId: string;
    year: number;
    createdBy: string;
    tasks: { perspective: Perspective; keyResults: KeyResult[] }[];
  },
): Promise<{ planId: string; versionId: string }> {
  const planId = `plan:${o.year}:unit:${o.unitId}`;
  await db
    .insertInto('plan')
    .values({
      id: planId,
      owner_kind: 'unit',
      unit_id: o.unitId,
      person_id: null,
      year: o.year,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id: planId,
    year: o.year,
    owner: { kind: 'unit', unitId: o.unitId },
    tasks: o.tasks.map((t, i) => ({
      id: `t${i + 1}`,
      title: `Nhiệm vụ ${i + 1}`,
      perspective: t.perspective,
      weight: '1',
      keyResults: t.keyResults,
    })),
  };
  const v = await createPlanVersion(db, {
    planId,
    content: { ...content, sections: [] },
    createdBy: o.createdBy,
  });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
  return { planId, versionId: v.id };
}

/** One verified value of a person's check-in of `period` (the check-in VERIFIED), with an optional evidence file. */
export async function seedVerifiedValue(
  db: Database,
  o: {
    personId: string;
    unitId: string;
    period: string;
    plan: { planId: string; versionId: string };
    krId: string;
    value: string;
    verifiedBy: string;
    evidence?: { fileName: string; bytes: Uint8Array };
    verified?: boolean;
  },
): Promise<{ checkInId: string; evidenceId?: string }> {
  const verified = o.verified ?? true;
  await db
    .insertInto('check_in')
    .values({
      person_id: o.personId,
      unit_id: o.unitId,
      period: o.period,
      workflow_id: null,
      status: verified ? 'VERIFIED' : 'SUBMITTED',
    })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  const ci = await db
    .selectFrom('check_in')
    .select('id')
    .where('person_id', '=', o.personId)
    .where('period', '=', o.period)
    .executeTakeFirstOrThrow();
  let evidenceId: string | undefined;
  if (o.evidence) {
    const stored = await storeEvidence(db, {
      unitId: o.unitId,
      uploadedBy: o.personId,
      subjectType: 'check_in',
      subjectId: ci.id,
      fileName: o.evidence.fileName,
      declaredType: null,
      bytes: o.evidence.bytes,
    });
    if (!stored.ok) throw new Error(`evidence refused: ${stored.code}`);
    evidenceId = stored.file.id;
  }
  await db
    .insertInto('check_in_value')
    .values({
      check_in_id: ci.id,
      plan_id: o.plan.planId,
      plan_version_id: o.plan.versionId,
      key_result_id: o.krId,
      value: o.value,
      input: o.value,
      kr_status: 'on-track',
      updated_by: o.personId,
      evidence_ids: evidenceId ? [evidenceId] : [],
      ...(verified ? { verification: 'verified', verified_by: o.verifiedBy, verified_at: new Date() } : {}),
    })
    .execute();
  return { checkInId: ci.id, ...(evidenceId ? { evidenceId } : {}) };
}
