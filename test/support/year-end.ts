// Test support for the year-end assessment (not used by production code): confirmed period assessments of a
// person's year (task points given), and an evidence file of the person.
import type { Database } from '../../db/connection.ts';
import { storeEvidence } from '../../db/queries/evidence.ts';
import '../../db/schema-assessments.ts';

/** Confirmed monthly period assessments of `year` with the given task points (January onwards). */
export async function seedConfirmedPeriods(
  db: Database,
  c: { personId: string; unitId: string; confirmedBy: string; year: number; taskPoints: string[] },
): Promise<void> {
  for (const [i, tp] of c.taskPoints.entries()) {
    const period = `${c.year}-${String(i + 1).padStart(2, '0')}`;
    await db
      .insertInto('period_assessment')
      .values({
        person_id: c.personId,
        unit_id: c.unitId,
        period,
        status: 'confirmed',
        revision: 1,
        task_points: tp,
        general_points: '25',
        total: String(Number(tp) + 25),
        confirmed_by: c.confirmedBy,
        confirmed_at: new Date().toISOString(),
      })
      .execute();
  }
}

export async function seedEvidence(db: Database, unitId: string, by: string, text: string): Promise<string> {
  const r = await storeEvidence(db, {
    unitId,
    uploadedBy: by,
    subjectType: 'year_end_assessment',
    subjectId: by,
    fileName: 'chung-chi.txt',
    declaredType: 'text/plain',
    bytes: new TextEncoder().encode(`${text}\n`),
  });
  if (!r.ok) throw new Error(r.code);
  return r.file.id;
}
