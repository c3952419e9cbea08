// Test support for the annual-plan workflow (not used by production code): a small org with the people of
// a plan's approval path, the plan-year calendar from domain/calendar on a fake profile, and a time warp that
// plays it in seconds. Tests assert the LOGICAL dates of the calendar, never wall-clock instants.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/connection.ts';
import { createPlanVersion, ensurePlan } from '../../db/queries/plans.ts';
import type { RoleCode } from '../../db/schema.ts';
import { computePlanYearCalendar, type PlanYearCalendar } from '../../domain/calendar/plan-year.ts';
import type { CalendarProfile } from '../../domain/calendar/profile.ts';
import { vnInstant } from '../../domain/calendar/vn-time.ts';
import { type AnnualPlanInput, annualPlanId } from '../../workflows/annual-plan.messages.ts';
import type { TimeWarp } from '../../workflows/plan-time.ts';

/** Weekends only, plus the national day 2/9 and New Year's Day: enough for a plan year 2027 filed in 2026. */
export const TEST_PROFILE: CalendarProfile = {
  id: 'test-profile',
  name: 'Test profile (weekends + 1/1)',
  timeZone: 'Asia/Ho_Chi_Minh',
  weekendDays: [6, 7],
  holidays: [
    { date: '2026-09-02', nameVi: 'Quốc khánh', nameEn: 'National Day' },
    { date: '2027-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" },
  ],
  makeUpWorkingDays: [],
  synthetic: true,
};
export const YEAR = 2027;
export const testCalendar = (overrides: Record<string, string> = {}): PlanYearCalendar =>
  computePlanYearCalendar(TEST_PROFILE, YEAR, undefined, overrides);

/** One virtual day per `msPerDay` real milliseconds, starting at 09:00 VN on `fromDate`. */
export function warpFrom(fromDate: string, msPerDay: number, realNow = Date.now()): TimeWarp {
  return { realEpoch: realNow, virtualEpoch: vnInstant(fromDate, 9), speed: 86_400_000 / msPerDay };
}

export interface PlanPeople {
  provinceId: string;
  unitId: string;
  drafter: string;
  supervisor: string;
  head: string;
  secretary: string;
  committee: string;
  email: Record<'drafter' | 'supervisor' | 'head' | 'secretary' | 'committee', string>;
}

async function person(db: Database, name: string, tag: string) {
  const email = `${tag}-${randomUUID().slice(0, 8)}@test.woms.vn`;
  const p = await db
    .insertInto('person')
    .values({ full_name: name, email, duty_group: 'civil_servant' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: p.id, email };
}

async function grant(db: Database, personId: string, role: RoleCode, unitId: string) {
  await db
    .insertInto('role_assignment')
    .values({ person_id: personId, role_code: role, scope_unit_id: unitId, valid_from: '2025-01-01' })
    .execute();
}

/** A province with one agency, its drafter, supervisor and head, the province secretariat and a committee member. */
export async function seedPlanPeople(db: Database): Promise<PlanPeople> {
  const provinceId = randomUUID();
  const code = `P${randomUUID().slice(0, 6)}`;
  await db
    .insertInto('org_unit')
    .values({
      id: provinceId,
      type_code: 'province',
      province_id: provinceId,
      parent_id: null,
      code,
      name_vi: `Tỉnh ${code}`,
      active_from: '2025-01-01',
    })
    .execute();
  const unit = await db
    .insertInto('org_unit')
    .values({
      type_code: 'agency',
      province_id: provinceId,
      parent_id: provinceId,
      code: `${code}.SNV`,
      name_vi: 'Sở Nội vụ',
      active_from: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const drafter = await person(db, 'Nguyễn Văn Soạn', 'drafter');
  const supervisor = await person(db, 'Trần Thị Phòng', 'supervisor');
  const head = await person(db, 'Lê Văn Giám', 'head');
  const secretary = await person(db, 'Phạm Thị Văn', 'secretary');
  const committee = await person(db, 'Hoàng Văn Thường', 'committee');
  await grant(db, secretary.id, 'secretariat', provinceId);
  await grant(db, committee.id, 'standing_committee', provinceId);
  await grant(db, head.id, 'unit_head', unit.id);
  return {
    provinceId,
    unitId: unit.id,
    drafter: drafter.id,
    supervisor: supervisor.id,
    head: head.id,
    secretary: secretary.id,
    committee: committee.id,
    email: {
      drafter: drafter.email,
      supervisor: supervisor.email,
      head: head.email,
      secretary: secretary.email,
      committee: committee.email,
    },
  };
}

/** The workflow input: the secretariat (as a role of the province) appraises, the committee member decides. */
export function planInput(p: PlanPeople, calendar: PlanYearCalendar, timeWarp?: TimeWarp): AnnualPlanInput {
  return {
    planId: annualPlanId(p.unitId, YEAR),
    owner: { kind: 'unit', unitId: p.unitId },
    year: YEAR,
    ownerName: 'Sở Nội vụ',
    calendar,
    profile: TEST_PROFILE,
    parties: {
      drafter: { personId: p.drafter },
      supervisor: { personId: p.supervisor },
      unitHead: { personId: p.head },
      secretariat: { role: 'secretariat', unitId: p.provinceId },
      standingCommittee: { personId: p.committee },
    },
    chain: {
      step: 'plan-approval',
      levels: [{ role: 'secretariat' }, { role: 'standing-committee', actorId: p.committee }],
    },
    ...(timeWarp ? { timeWarp } : {}),
  };
}

/** The plan row and one content version to submit. */
export async function draftVersion(db: Database, p: PlanPeople, text = 'Kế hoạch năm 2027') {
  const planId = annualPlanId(p.unitId, YEAR);
  await ensurePlan(db, { id: planId, ownerKind: 'unit', unitId: p.unitId, year: YEAR, workflowId: planId });
  const content = {
    id: planId,
    year: YEAR,
    owner: { kind: 'unit', unitId: p.unitId },
    tasks: [],
    note: text,
  };
  return createPlanVersion(db, { planId, content, createdBy: p.drafter });
}
