import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalendarProfile } from '../../domain/calendar/profile.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { loadCalendarProfile } from '../queries/calendar.ts';
import { APPROVAL_SUBJECTS } from '../schema.ts';
import {
  DEMO_PROVINCE_CODE,
  DEMO_ROSTER,
  type DemoLoadResult,
  generateDemoProvince,
  loadDemoProvince,
} from './index.ts';
import { FAMILY_NAMES } from './names.ts';

const { db } = await freshDatabase();

const calendarProfile: CalendarProfile = {
  id: 'sonha-2026',
  name: 'Lịch làm việc tỉnh Sơn Hà 2026',
  timeZone: 'Asia/Ho_Chi_Minh',
  weekendDays: [6, 7],
  holidays: [
    { date: '2026-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" },
    { date: '2026-02-17', nameVi: 'Tết Nguyên đán', nameEn: 'Lunar New Year' },
    { date: '2026-09-02', nameVi: 'Quốc khánh', nameEn: 'National Day' },
  ],
  makeUpWorkingDays: ['2026-02-07'],
  source: 'test fixture',
};

let first: DemoLoadResult;
let loadMs = 0;
beforeAll(async () => {
  const t = performance.now();
  first = await loadDemoProvince(db, { calendarProfile, deadlineSettings: { remindBefore: [3, 1, 0] } });
  loadMs = performance.now() - t;
});

const count = async (q: ReturnType<typeof sql<{ n: number }>>) => Number((await q.execute(db)).rows[0]?.n);

describe('the generator', () => {
  it('is deterministic: two generations are equal, another seed differs', () => {
    const a = generateDemoProvince();
    const b = generateDemoProvince();
    expect(b).toEqual(a);
    const c = generateDemoProvince(7);
    expect(c.people.map((p) => p.full_name)).not.toEqual(a.people.map((p) => p.full_name));
    // the roster is fixed whatever the seed
    for (const r of DEMO_ROSTER)
      expect(
        c.people.some((p) => p.email === r.email && p.full_name === r.fullName),
        r.email,
      ).toBe(true);
  });

  it('has the size of a province: ~20 agencies and Party bodies, ~100 communes/wards, thousands of people', () => {
    const d = generateDemoProvince();
    const ofType = (t: string) => d.units.filter((u) => u.type_code === t && u.active_to === null).length;
    expect(ofType('agency') + ofType('party_body')).toBeGreaterThanOrEqual(18);
    expect(ofType('agency') + ofType('party_body')).toBeLessThanOrEqual(25);
    expect(ofType('party_body')).toBeGreaterThanOrEqual(5);
    expect(ofType('commune') + ofType('ward')).toBe(100);
    expect(ofType('ward')).toBeGreaterThan(10);
    expect(d.people.length).toBeGreaterThan(2000);
    expect(d.people.length).toBeLessThan(6000);
  });

  it('gives realistic Vietnamese names', () => {
    const d = generateDemoProvince();
    const families = new Set(FAMILY_NAMES.map(([f]) => f));
    for (const p of d.people) {
      expect(families.has(p.family_name)).toBe(true);
      expect(p.full_name).toBe([p.family_name, p.middle_name, p.given_name].join(' '));
      expect(p.email).toMatch(/^[a-z0-9]+@demo\.woms\.vn$/);
    }
    const nguyen = d.people.filter((p) => p.family_name === 'Nguyễn').length / d.people.length;
    expect(nguyen).toBeGreaterThan(0.25);
    expect(nguyen).toBeLessThan(0.5);
    expect(new Set(d.units.map((u) => u.name_vi)).size).toBeGreaterThan(d.units.length * 0.9);
  });
});

describe('loadDemoProvince', () => {
  it('loads everything fast, in one go', async () => {
    expect(first.created).toBe(true);
    expect(loadMs).toBeLessThan(5_000); // ~0.6 s here
    const demo = generateDemoProvince();
    expect(await count(sql`SELECT count(*)::int AS n FROM person`)).toBe(demo.people.length);
    expect(await count(sql`SELECT count(*)::int AS n FROM org_unit`)).toBe(demo.units.length);
    expect(await count(sql`SELECT count(*)::int AS n FROM employment`)).toBe(demo.employments.length);
    expect(await count(sql`SELECT count(*)::int AS n FROM role_assignment`)).toBe(
      demo.roleAssignments.length,
    );
  });

  it('is idempotent', async () => {
    const again = await loadDemoProvince(db, { calendarProfile });
    expect(again.created).toBe(false);
    expect(again.provinceId).toBe(first.provinceId);
    expect(await count(sql`SELECT count(*)::int AS n FROM org_unit WHERE type_code = 'province'`)).toBe(1);
    expect(await count(sql`SELECT count(*)::int AS n FROM person`)).toBe(first.counts.people);
  });

  it('puts every unit in the tree under the province', async () => {
    const r = await sql<{ id: string; root: string | null; province_id: string }>`
      WITH RECURSIVE up AS (
        SELECT id AS start, id, parent_id, 0 AS depth FROM org_unit
        UNION ALL
        SELECT up.start, o.id, o.parent_id, up.depth + 1 FROM up JOIN org_unit o ON o.id = up.parent_id
      )
      SELECT u.id, u.province_id, (SELECT up.id FROM up WHERE up.start = u.id AND up.parent_id IS NULL) AS root
      FROM org_unit u`.execute(db);
    expect(r.rows.length).toBe(first.counts.units);
    for (const row of r.rows) {
      expect(row.root).toBe(first.provinceId);
      expect(row.province_id).toBe(first.provinceId);
    }
    // departments sit under an agency, a Party body, a commune or a ward; those sit under the province
    const bad = await count(sql`
      SELECT count(*)::int AS n FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
      WHERE (c.type_code = 'department' AND p.type_code NOT IN ('agency', 'party_body', 'commune', 'ward'))
         OR (c.type_code <> 'department' AND p.type_code <> 'province')`);
    expect(bad).toBe(0);
    // merged communes (2025 reform) ended the day before their successor began
    const merged = await sql<{ active_to: string; successor_from: string }>`
      SELECT o.active_to, s.active_from AS successor_from FROM org_unit o JOIN org_unit s ON s.id = o.merged_into_id`.execute(
      db,
    );
    expect(merged.rows.length).toBeGreaterThan(10);
    for (const m of merged.rows)
      expect([m.active_to, m.successor_from]).toEqual(['2025-06-30', '2025-07-01']);
  });

  it("employs every person in a unit, inside the unit's active period", async () => {
    const unemployed = await count(sql`
      SELECT count(*)::int AS n FROM person p
      WHERE NOT EXISTS (SELECT 1 FROM employment e JOIN org_unit o ON o.id = e.org_unit_id
                        WHERE e.person_id = p.id AND e.valid_to IS NULL AND o.active_to IS NULL)`);
    expect(unemployed).toBe(0);
    const outside = await count(sql`
      SELECT count(*)::int AS n FROM employment e JOIN org_unit o ON o.id = e.org_unit_id
      WHERE e.valid_from < o.active_from OR (o.active_to IS NOT NULL AND (e.valid_to IS NULL OR e.valid_to > o.active_to))`);
    expect(outside).toBe(0);
    const transfers = await count(
      sql`SELECT count(*)::int AS n FROM employment WHERE valid_to = '2025-06-30'`,
    );
    expect(transfers).toBeGreaterThan(20);
  });

  it('gives every active unit a head and every department a supervisor', async () => {
    const headless = await sql<{ code: string }>`
      SELECT o.code FROM org_unit o
      WHERE o.type_code IN ('agency', 'party_body', 'commune', 'ward') AND o.active_to IS NULL
        AND (SELECT count(*) FROM role_assignment r WHERE r.scope_unit_id = o.id AND r.role_code = 'unit_head' AND r.valid_to IS NULL) <> 1`.execute(
      db,
    );
    expect(headless.rows).toEqual([]);
    const unsupervised = await count(sql`
      SELECT count(*)::int AS n FROM org_unit o WHERE o.type_code = 'department'
        AND NOT EXISTS (SELECT 1 FROM role_assignment r WHERE r.scope_unit_id = o.id AND r.role_code = 'supervisor')`);
    expect(unsupervised).toBe(0);
    // roles are held by people employed in their scope (or province-wide roles)
    const stray = await count(sql`
      SELECT count(*)::int AS n FROM role_assignment r JOIN org_unit s ON s.id = r.scope_unit_id
      WHERE s.type_code <> 'province'
        AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.person_id = r.person_id AND e.org_unit_id = r.scope_unit_id)`);
    expect(stray).toBe(0);
  });

  it('has each roster account, employed where the roster says, with its role', async () => {
    const roles = new Set<string>();
    for (const r of DEMO_ROSTER) {
      const row = await sql<{
        full_name: string;
        position_code: string;
        unit_code: string;
        scopes: string[];
      }>`
        SELECT p.full_name, e.position_code, o.code AS unit_code,
          ARRAY(SELECT s.code FROM role_assignment ra JOIN org_unit s ON s.id = ra.scope_unit_id
                WHERE ra.person_id = p.id AND ra.role_code = ${r.role}) AS scopes
        FROM person p JOIN employment e ON e.person_id = p.id AND e.valid_to IS NULL JOIN org_unit o ON o.id = e.org_unit_id
        WHERE p.email = ${r.email}`.execute(db);
      expect(row.rows, r.email).toHaveLength(1);
      const x = row.rows[0]!;
      expect(x).toMatchObject({
        full_name: r.fullName,
        position_code: r.positionCode,
        unit_code: r.unitCode,
      });
      expect(x.scopes).toContain(r.scope === 'province' ? DEMO_PROVINCE_CODE : r.unitCode);
      roles.add(r.role);
    }
    expect([...roles].sort()).toEqual([
      'administrator',
      'auditor',
      'official',
      'organisation_department',
      'secretariat',
      'standing_committee',
      'supervisor',
      'unit_head',
    ]);
    expect(new Set(DEMO_ROSTER.map((r) => r.email)).size).toBe(DEMO_ROSTER.length);
  });

  it('has default approval chains for every unit type and subject, and the calendar profile', async () => {
    const r = await sql<{ unit_type_code: string; subject: string; steps: string[] }>`
      SELECT c.unit_type_code, c.subject, ARRAY(SELECT s.role_code || '@' || s.scope FROM approval_chain_step s
        WHERE s.chain_id = c.id ORDER BY s.step_no) AS steps
      FROM approval_chain c WHERE c.province_id = ${first.provinceId}`.execute(db);
    for (const type of ['agency', 'party_body', 'commune', 'ward', 'department']) {
      for (const subject of APPROVAL_SUBJECTS) {
        const chain = r.rows.find((c) => c.unit_type_code === type && c.subject === subject);
        expect(chain?.steps.length, `${type}/${subject}`).toBeGreaterThan(0);
      }
    }
    const steps = (t: string, s: string) =>
      r.rows.find((c) => c.unit_type_code === t && c.subject === s)?.steps;
    expect(steps('agency', 'plan')).toEqual(['secretariat@province', 'standing_committee@province']);
    expect(steps('party_body', 'evaluation')).toEqual([
      'organisation_department@province',
      'standing_committee@province',
    ]);
    expect(steps('department', 'plan')).toEqual(['unit_head@parent']);

    const stored = await loadCalendarProfile(db, calendarProfile.id);
    expect(stored).toEqual({
      profile: calendarProfile,
      provinceId: first.provinceId,
      deadlineSettings: { remindBefore: [3, 1, 0] },
    });
  });
});
