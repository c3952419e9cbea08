// Test support for the giao ban workflow (not used by production code): the dossier and minutes documents, a
// province with a calendar profile and three agencies directly under it (each with its head, so on the agenda), a
// conclusion's arguments.
import { randomUUID } from 'node:crypto';
import { type GiaoBanDocs, loadGiaoBanDocs } from '../../activities/giao-ban.ts';
import type { Database } from '../../db/connection.ts';
import { saveCalendarProfile } from '../../db/queries/calendar.ts';
import * as dossierQueries from '../../db/queries/giao-ban-dossier.ts';
import type { GiaoBanMinutes, UnitDossier } from '../../domain/giao-ban/model.ts';
import type { RecordGiaoBanConclusionArgs } from '../../workflows/giao-ban.messages.ts';
import { type PlanPeople, seedPlanPeople, TEST_PROFILE } from './annual-plan.ts';

// The PDF renderer is GB-DOCS's (activities/reports/giao-ban-pdf.ts); when it cannot be loaded a minimal PDF stands
// in for it so the workflow can be tested (the queries are the real ones either way).
const minimalPdf = async (what: unknown) =>
  new TextEncoder().encode(`%PDF-1.4\n% ${JSON.stringify(what).length}\n%%EOF\n`);

export const giaoBanTestDocs = (): Promise<GiaoBanDocs> =>
  loadGiaoBanDocs().catch(() => ({
    buildAgenda: dossierQueries.buildAgenda,
    buildUnitDossier: dossierQueries.buildUnitDossier,
    giaoBanUnitsOf: dossierQueries.giaoBanUnitsOf,
    renderUnitDossierPdf: (d: UnitDossier) => minimalPdf(d),
    renderMinutesPdf: (m: GiaoBanMinutes) => minimalPdf(m),
  }));

export interface GiaoBanProvince {
  p: PlanPeople;
  units: { snv: string; syt: string; stc: string };
  heads: { snv: string; syt: string; stc: string };
}

async function person(db: Database, name: string) {
  const r = await db
    .insertInto('person')
    .values({
      full_name: name,
      email: `gb-${randomUUID().slice(0, 8)}@test.woms.vn`,
      duty_group: 'civil_servant',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A province with a calendar profile and three units directly under it, each with its head. */
export async function seedGiaoBanProvince(db: Database): Promise<GiaoBanProvince> {
  const p = await seedPlanPeople(db);
  const { code } = await db
    .selectFrom('org_unit')
    .select('code')
    .where('id', '=', p.provinceId)
    .executeTakeFirstOrThrow();
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: p.provinceId });
  const unit = async (suffix: string, name: string) => {
    const u = await db
      .insertInto('org_unit')
      .values({
        type_code: 'agency',
        province_id: p.provinceId,
        parent_id: p.provinceId,
        code: `${code}.${suffix}`,
        name_vi: name,
        active_from: '2025-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const head = await person(db, `Thủ trưởng ${name}`);
    await db
      .insertInto('role_assignment')
      .values({ person_id: head, role_code: 'unit_head', scope_unit_id: u.id, valid_from: '2025-01-01' })
      .execute();
    return { id: u.id, head };
  };
  const syt = await unit('SYT', 'Sở Y tế');
  const stc = await unit('STC', 'Sở Tài chính');
  return {
    p,
    units: { snv: p.unitId, syt: syt.id, stc: stc.id },
    heads: { snv: p.head, syt: syt.head, stc: stc.head },
  };
}

/** A unit's conclusion: 'good', no direction, no plan decision, unless `o` says otherwise. */
export const conclusion = (
  unitId: string,
  by: string,
  o: Partial<RecordGiaoBanConclusionArgs> = {},
): RecordGiaoBanConclusionArgs => ({
  unitId,
  completionLevel: 'good',
  summary: 'Hoàn thành tốt nhiệm vụ quý.',
  directions: [],
  planDecision: null,
  planNote: null,
  by,
  ...o,
});
