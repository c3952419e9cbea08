// Year-end evaluation records (issue 8 point 3; contract: /work/notes/yearend-contract.md, Y-REC): the structured
// discipline decisions and conclusions in force (not revoked) of a year, a person's duty group and Party
// membership as of a date, and the writes behind the API (audited by the caller's transaction).
import { sql } from 'kysely';
import type { ConclusionRecord, DisciplineRecord } from '../../domain/scoring/records.ts';
import type { Executor } from '../executor.ts';
import type { EvaluationRecordKind, EvaluationRecordRow } from '../schema-evaluation-records.ts';
import '../schema-evaluation-records.ts';

/** The duty group of a person without one set (the whole agency is one quota group). */
export const DEFAULT_DUTY_GROUP = 'default';

interface Scope {
  personIds?: string[];
  unitIds?: string[];
  year: number;
}

/**
 * The records of a kind in force (not revoked) dated in `year`, about the given people or about the given units
 * or the people of them and of the units inside them (either list matches; both absent or empty: none).
 */
async function recordsIn(db: Executor, kind: EvaluationRecordKind, a: Scope): Promise<EvaluationRecordRow[]> {
  const personIds = a.personIds ?? [];
  const unitIds = a.unitIds ?? [];
  if (personIds.length === 0 && unitIds.length === 0) return [];
  return db
    .selectFrom('evaluation_record as r')
    .selectAll('r')
    .where('r.record_kind', '=', kind)
    .where('r.revoked_at', 'is', null)
    .where('r.decided_on', '>=', `${a.year}-01-01`)
    .where('r.decided_on', '<=', `${a.year}-12-31`)
    .where((eb) =>
      eb.or([
        ...(personIds.length ? [eb('r.person_id', 'in', personIds)] : []),
        ...(unitIds.length
          ? [
              eb(
                'r.unit_id',
                'in',
                sql<string>`(WITH RECURSIVE sub(id) AS (
                  SELECT id FROM org_unit WHERE id IN (${sql.join(unitIds)})
                  UNION SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id)
                SELECT id FROM sub)`,
              ),
            ]
          : []),
      ]),
    )
    .orderBy('r.decided_on')
    .orderBy('r.id')
    .execute();
}

const subjectOf = (r: EvaluationRecordRow) => r.person_id ?? r.unit_id;

/** Discipline decisions in force (not revoked) dated in the year. */
export async function disciplineRecordsOf(db: Executor, a: Scope): Promise<DisciplineRecord[]> {
  const rows = await recordsIn(db, 'discipline', a);
  return rows.map((r) => ({
    subjectId: subjectOf(r),
    type: r.discipline_type ?? 'state',
    form: r.discipline_form ?? 'other',
    decisionNumber: r.decision_number,
    date: r.decided_on,
    issuer: r.issuer,
  }));
}

/** Conclusions (degradation, breach of the duty to set an example, corruption or waste in the unit) in force. */
export async function conclusionRecordsOf(db: Executor, a: Scope): Promise<ConclusionRecord[]> {
  const rows = await recordsIn(db, 'conclusion', a);
  return rows.flatMap((r) =>
    r.conclusion_kind
      ? [
          {
            kind: r.conclusion_kind,
            subjectId: subjectOf(r),
            decisionNumber: r.decision_number,
            date: r.decided_on,
            issuer: r.issuer,
          },
        ]
      : [],
  );
}

/** Each person's duty group on `asOf` (the latest set from a date on or before it); absent: 'default'. */
export async function dutyGroupsOf(
  db: Executor,
  a: { personIds: string[]; asOf: string },
): Promise<Map<string, string>> {
  const out = new Map<string, string>(a.personIds.map((id) => [id, DEFAULT_DUTY_GROUP]));
  if (a.personIds.length === 0) return out;
  const rows = await db
    .selectFrom('person_duty_group')
    .select(['person_id', 'duty_group'])
    .distinctOn('person_id')
    .where('person_id', 'in', a.personIds)
    .where('effective_from', '<=', a.asOf)
    .orderBy('person_id')
    .orderBy('effective_from', 'desc')
    .execute();
  for (const r of rows) out.set(r.person_id, r.duty_group);
  return out;
}

/** The people who are Party members on `asOf` (and so hold a Party ranking as well as a state one). */
export async function partyMembersOf(
  db: Executor,
  a: { personIds: string[]; asOf: string },
): Promise<Set<string>> {
  if (a.personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('person_party_membership')
    .select(['person_id', 'is_member'])
    .distinctOn('person_id')
    .where('person_id', 'in', a.personIds)
    .where('effective_from', '<=', a.asOf)
    .orderBy('person_id')
    .orderBy('effective_from', 'desc')
    .execute();
  return new Set(rows.filter((r) => r.is_member).map((r) => r.person_id));
}

// ---- the API's reads and writes

export interface RecordFilter {
  kind: EvaluationRecordKind;
  personId?: string | undefined;
  /** The unit and the units inside it. */
  unitId?: string | undefined;
  year?: number | undefined;
  includeRevoked: boolean;
}

/** Records of a kind about a person or within a unit's subtree (revoked ones too when asked), newest first. */
export async function listRecords(db: Executor, f: RecordFilter): Promise<EvaluationRecordRow[]> {
  let q = db.selectFrom('evaluation_record as r').selectAll('r').where('r.record_kind', '=', f.kind);
  if (f.personId) q = q.where('r.person_id', '=', f.personId);
  if (f.unitId)
    q = q.where(
      'r.unit_id',
      'in',
      sql<string>`(WITH RECURSIVE sub(id) AS (
        SELECT id FROM org_unit WHERE id = ${f.unitId}
        UNION SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id)
      SELECT id FROM sub)`,
    );
  if (f.year !== undefined)
    q = q.where('r.decided_on', '>=', `${f.year}-01-01`).where('r.decided_on', '<=', `${f.year}-12-31`);
  if (!f.includeRevoked) q = q.where('r.revoked_at', 'is', null);
  return q.orderBy('r.decided_on', 'desc').orderBy('r.created_at', 'desc').limit(500).execute();
}

export async function recordById(db: Executor, id: string): Promise<EvaluationRecordRow | undefined> {
  return db.selectFrom('evaluation_record').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface DutyGroupEntry {
  effectiveFrom: string;
  unitId: string;
  dutyGroup: string;
  setBy: string;
  setAt: string;
}

export async function dutyGroupHistory(db: Executor, personId: string): Promise<DutyGroupEntry[]> {
  const rows = await db
    .selectFrom('person_duty_group')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('effective_from', 'desc')
    .execute();
  return rows.map((r) => ({
    effectiveFrom: r.effective_from,
    unitId: r.unit_id,
    dutyGroup: r.duty_group,
    setBy: r.set_by,
    setAt: new Date(r.set_at).toISOString(),
  }));
}

export interface PartyMembershipEntry {
  effectiveFrom: string;
  isMember: boolean;
  setBy: string;
  setAt: string;
}

export async function partyMembershipHistory(
  db: Executor,
  personId: string,
): Promise<PartyMembershipEntry[]> {
  const rows = await db
    .selectFrom('person_party_membership')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('effective_from', 'desc')
    .execute();
  return rows.map((r) => ({
    effectiveFrom: r.effective_from,
    isMember: r.is_member,
    setBy: r.set_by,
    setAt: new Date(r.set_at).toISOString(),
  }));
}
