// The benchmark's province (issue 9 point 1): `units` units directly under a province, `persons` persons spread
// over them (the first of each unit its head, the second its supervisor, everyone an official), each unit's plan
// in force with `unitKeyResults` key results (quarterly: not due in the month of the storm) and each person's
// plan in force with `personalKeyResults` monthly key results — written in bulk (multi-row INSERTs of 1,000 rows
// in one transaction), not through the plan workflow: the benchmark measures the month's check-ins, not planning.
// Two more persons, not employed, hold the province's secretariat role (a reader of the province dashboard) and its
// standing committee's (deciding a quota exception in the simulated year's rankings).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/connection.ts';
import { saveCalendarProfile } from '../../db/queries/calendar.ts';
import { planContentHash } from '../../db/queries/plans.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';

export interface ProvinceShape {
  units: number;
  persons: number;
  unitKeyResults: number;
  personalKeyResults: number;
  year: number;
}

/** The shape at a scale: 1 = 150 units, 20,000 persons, 40 key results per unit plan, 10 per personal plan. */
export function shapeAt(scale: number, year: number): ProvinceShape {
  const units = Math.max(1, Math.round(150 * scale));
  return {
    units,
    persons: Math.max(units * 3, Math.round(20_000 * scale)),
    unitKeyResults: 40,
    personalKeyResults: 10,
    year,
  };
}

export interface BenchProvince {
  provinceId: string;
  unitIds: string[];
  /** Employed persons, unit by unit. */
  persons: { id: string; unitId: string; planId: string; keyResultIds: string[] }[];
  /** The province secretariat's reader (not employed). */
  readerId: string;
  /** A unit head (reads their unit's dashboard). */
  unitHeadId: string;
  counts: Record<string, number>;
}

const keyResult = (id: string, cadence: KeyResult['cadence']): KeyResult => ({
  id,
  title: `Chỉ tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence,
  aggregation: 'sum',
  evidenceRequired: false,
});

async function chunks<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 1000) await insert(rows.slice(i, i + 1000));
}

export async function loadBenchProvince(db: Database, shape: ProvinceShape): Promise<BenchProvince> {
  const provinceId = randomUUID();
  const day = `${shape.year}-01-01`;
  const units = Array.from({ length: shape.units }, (_, i) => ({
    id: randomUUID(),
    type_code: 'department',
    province_id: provinceId,
    parent_id: provinceId,
    code: `BENCH-${String(i + 1).padStart(3, '0')}`,
    name_vi: `Sở thử tải ${i + 1}`,
    short_name_vi: null,
    name_en: `Bench department ${i + 1}`,
    active_from: day,
    active_to: null,
    merged_into_id: null,
  }));
  const persons: BenchProvince['persons'] = [];
  const people: { id: string; full_name: string; email: string; duty_group: 'civil_servant' }[] = [];
  const employments: {
    person_id: string;
    org_unit_id: string;
    position_code: string;
    valid_from: string;
    valid_to: null;
  }[] = [];
  const roles: {
    person_id: string;
    role_code: string;
    scope_unit_id: string;
    valid_from: string;
    valid_to: null;
  }[] = [];
  const plans: Record<string, unknown>[] = [];
  const versions: { plan_id: string; number: number; content: string; hash: string; created_by: string }[] =
    [];
  const planOf = (id: string, owner: Plan['owner'], unitId: string, krs: KeyResult[]) => {
    const content = {
      id,
      year: shape.year,
      owner,
      sections: [],
      tasks: [
        {
          id: 't1',
          title: 'Giải quyết thủ tục hành chính',
          perspective: 'citizens',
          weight: '1',
          keyResults: krs,
        },
      ],
    };
    plans.push({
      id,
      owner_kind: owner.kind,
      unit_id: unitId,
      person_id: owner.kind === 'person' ? owner.personId : null,
      year: shape.year,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    });
    versions.push({
      plan_id: id,
      number: 1,
      content: JSON.stringify(content),
      hash: planContentHash(content),
      created_by: 'bench',
    });
  };
  const personalKrs = Array.from({ length: shape.personalKeyResults }, (_, k) => `k${k + 1}`);
  for (let i = 0; i < shape.persons; i++) {
    const unit = units[i % units.length]!;
    const id = randomUUID();
    const rank = Math.floor(i / units.length); // 0: the unit's head, 1: its supervisor
    people.push({
      id,
      full_name: `Cán bộ thử tải ${i + 1}`,
      email: `bench${i + 1}@bench.woms.vn`,
      duty_group: 'civil_servant',
    });
    employments.push({
      person_id: id,
      org_unit_id: unit.id,
      position_code: 'bench_officer',
      valid_from: day,
      valid_to: null,
    });
    roles.push({
      person_id: id,
      role_code: 'official',
      scope_unit_id: unit.id,
      valid_from: day,
      valid_to: null,
    });
    if (rank === 0)
      roles.push({
        person_id: id,
        role_code: 'unit_head',
        scope_unit_id: unit.id,
        valid_from: day,
        valid_to: null,
      });
    if (rank === 1)
      roles.push({
        person_id: id,
        role_code: 'supervisor',
        scope_unit_id: unit.id,
        valid_from: day,
        valid_to: null,
      });
    const planId = `plan:${shape.year}:person:${id}`;
    planOf(
      planId,
      { kind: 'person', personId: id },
      unit.id,
      personalKrs.map((k) => keyResult(k, 'month')),
    );
    persons.push({ id, unitId: unit.id, planId, keyResultIds: personalKrs });
  }
  for (const u of units)
    planOf(
      `plan:${shape.year}:unit:${u.id}`,
      { kind: 'unit', unitId: u.id },
      u.id,
      Array.from({ length: shape.unitKeyResults }, (_, k) => keyResult(`u${k + 1}`, 'quarter')),
    );
  const readerId = randomUUID();
  people.push({
    id: readerId,
    full_name: 'Văn phòng thử tải',
    email: 'bench-reader@bench.woms.vn',
    duty_group: 'civil_servant',
  });
  roles.push({
    person_id: readerId,
    role_code: 'secretariat',
    scope_unit_id: provinceId,
    valid_from: day,
    valid_to: null,
  });

  // One more, not employed: the province's standing committee (decides a ranking's quota exception).
  const committeeId = randomUUID();
  people.push({
    id: committeeId,
    full_name: 'Thường trực thử tải',
    email: 'bench-committee@bench.woms.vn',
    duty_group: 'civil_servant',
  });
  roles.push({
    person_id: committeeId,
    role_code: 'standing_committee',
    scope_unit_id: provinceId,
    valid_from: day,
    valid_to: null,
  });

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('job_position')
      .values({
        code: 'bench_officer',
        title_vi: 'Chuyên viên',
        title_en: 'Officer',
        is_leader: false,
        rank: 100,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    await trx
      .insertInto('org_unit')
      .values({
        id: provinceId,
        type_code: 'province',
        province_id: provinceId,
        parent_id: null,
        code: 'BENCH',
        name_vi: 'Tỉnh Thử Tải',
        short_name_vi: null,
        name_en: 'Bench province',
        active_from: day,
        active_to: null,
        merged_into_id: null,
      })
      .execute();
    await chunks(units, (c) => trx.insertInto('org_unit').values(c).execute());
    await chunks(people, (c) => trx.insertInto('person').values(c).execute());
    await chunks(employments, (c) => trx.insertInto('employment').values(c).execute());
    await chunks(roles, (c) =>
      trx
        .insertInto('role_assignment')
        .values(c as never)
        .execute(),
    );
    await chunks(plans, (c) =>
      trx
        .insertInto('plan')
        .values(c as never)
        .execute(),
    );
    await chunks(versions, (c) => trx.insertInto('plan_version').values(c).execute());
    await sql`UPDATE plan p SET in_force_version_id = v.id FROM plan_version v
               WHERE v.plan_id = p.id AND p.year = ${shape.year}`.execute(trx);
    await saveCalendarProfile(
      trx,
      { ...DEFAULT_CALENDAR_PROFILE, id: `bench-${provinceId}` },
      { provinceId },
    );
  });
  return {
    provinceId,
    unitIds: units.map((u) => u.id),
    persons,
    readerId,
    unitHeadId: persons[0]!.id,
    counts: {
      units: units.length,
      persons: shape.persons,
      unitKeyResults: shape.units * shape.unitKeyResults,
      personalKeyResults: shape.persons * shape.personalKeyResults,
      planVersions: versions.length,
    },
  };
}
