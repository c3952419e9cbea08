import { sql } from 'kysely';
import type { CalendarProfile } from '../../domain/calendar/profile.ts';
import type { Database } from '../connection.ts';
import { saveCalendarProfile } from '../queries/calendar.ts';
import type { JsonValue } from '../schema.ts';
import { DEMO_PROVINCE_CODE, DEMO_SEED, type DemoProvince, generateDemoProvince } from './generate.ts';

export interface DemoLoadResult {
  /** false when the demo province was already there (nothing was written). */
  created: boolean;
  provinceId: string;
  counts: {
    units: number;
    people: number;
    employments: number;
    roleAssignments: number;
    approvalChains: number;
  };
}

async function insertChunks<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Loads the demo province (DESIGN §5 scale: ~20 agencies and Party bodies, 100 communes/wards, a few thousand
 * people) with its calendar profile and default approval chains, in one transaction. Idempotent: when a
 * province with the demo code exists it writes nothing.
 */
export async function loadDemoProvince(
  db: Database,
  opts: { calendarProfile: CalendarProfile; deadlineSettings?: JsonValue; seed?: number },
): Promise<DemoLoadResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('woms.demo_province'))`.execute(trx);
    const existing = await trx
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', DEMO_PROVINCE_CODE)
      .where('type_code', '=', 'province')
      .executeTakeFirst();
    const demo: DemoProvince | undefined = existing
      ? undefined
      : generateDemoProvince(opts.seed ?? DEMO_SEED);
    if (!demo) {
      const id = existing!.id;
      const count = async (q: Promise<{ n: string | number | bigint }>) => Number((await q).n);
      const units = await count(
        trx
          .selectFrom('org_unit')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('province_id', '=', id)
          .executeTakeFirstOrThrow(),
      );
      return {
        created: false,
        provinceId: id,
        counts: { units, people: 0, employments: 0, roleAssignments: 0, approvalChains: 0 },
      };
    }
    await trx
      .insertInto('job_position')
      .values(demo.positions)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const [province, ...rest] = demo.units;
    await trx.insertInto('org_unit').values(province!).execute();
    await insertChunks(rest, 1000, (c) => trx.insertInto('org_unit').values(c).execute());
    await insertChunks(demo.people, 1000, (c) => trx.insertInto('person').values(c).execute());
    await insertChunks(demo.employments, 1000, (c) => trx.insertInto('employment').values(c).execute());
    await insertChunks(demo.roleAssignments, 1000, (c) =>
      trx.insertInto('role_assignment').values(c).execute(),
    );
    await trx
      .insertInto('approval_chain')
      .values(demo.approvalChains.map(({ steps: _, ...c }) => c))
      .execute();
    await trx
      .insertInto('approval_chain_step')
      .values(demo.approvalChains.flatMap((c) => c.steps.map((s) => ({ chain_id: c.id, ...s }))))
      .execute();
    await saveCalendarProfile(trx, opts.calendarProfile, {
      provinceId: demo.provinceId,
      ...(opts.deadlineSettings === undefined ? {} : { deadlineSettings: opts.deadlineSettings }),
    });
    return {
      created: true,
      provinceId: demo.provinceId,
      counts: {
        units: demo.units.length,
        people: demo.people.length,
        employments: demo.employments.length,
        roleAssignments: demo.roleAssignments.length,
        approvalChains: demo.approvalChains.length,
      },
    };
  });
}
