// What the unit report API tests (monthly.test.ts, quarterly.test.ts, reopen.test.ts) set up alike: the app on a
// test clock and task queue, a caller by fixture session, a wait for the read model, plans in force and
// check-ins with verified or waiting values, and a scratch folder for the PDFs read back with poppler.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Database } from '../../../db/connection.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import type { TestWorker } from '../../../test/support/test-worker.ts';
import { createApp } from '../../app.ts';

/** The app of a report test: its Temporal client is the test worker's, its clock the test's. */
export const reportTestApp = (
  db: Database,
  o: { taskQueue: string; worker: () => TestWorker; clock: () => Date },
) =>
  createApp({
    db,
    temporal: () => Promise.resolve(o.worker().client),
    version: 'test',
    clock: o.clock,
    plans: { taskQueue: o.taskQueue },
  });

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
export type Json = Record<string, any>;

/** A request as one of the fixture's sessions: its status, headers, bytes and JSON body (if JSON). */
export const responder =
  (app: ReturnType<typeof createApp>, fixture: () => OrgFixture) =>
  async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown, headers = {}) => {
    const res = await requestAs(app, fixture().session[who], method, path, body, headers);
    const type = res.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      headers: res.headers,
      bytes,
      body: (type.includes('json') ? JSON.parse(bytes.toString('utf8')) : null) as Json,
    };
  };

/** Polls `fn` until it answers something (a workflow's effect on the read model). */
export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A scratch folder (removed after the file) for PDFs read back with pdftotext / pdffonts. */
export function pdfScratch(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    run: (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }),
    save: (bytes: Buffer) => {
      const file = join(dir, `r${++n}.pdf`);
      writeFileSync(file, bytes);
      return file;
    },
  };
}

export const kr = (id: string, o: Partial<KeyResult>): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '14400',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

/** Plans in force for 2026 and check-ins; a verified value carries the verification of `verifier()`. */
export function reportSeed(db: Database, verifier: () => string) {
  async function plan(
    id: string,
    o: { unitId: string; personId?: string },
    content: Omit<Plan, 'id' | 'year'>,
  ) {
    await db
      .insertInto('plan')
      .values({
        id,
        owner_kind: o.personId ? 'person' : 'unit',
        unit_id: o.unitId,
        person_id: o.personId ?? null,
        year: 2026,
        status: 'APPROVED',
        workflow_id: null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
      })
      .execute();
    const v = await createPlanVersion(db, {
      planId: id,
      content: { ...content, id, year: 2026, sections: [] },
      createdBy: 'test',
    });
    await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', id).execute();
    return v.id;
  }

  /** A check-in of a person with values; `verified` values carry the verifier's verification. */
  async function checkIn(
    personId: string,
    unitId: string,
    period: string,
    values: { planId: string; versionId: string; kr: string; value: string; verified: boolean }[],
  ) {
    const ci = await db
      .insertInto('check_in')
      .values({
        person_id: personId,
        unit_id: unitId,
        period,
        workflow_id: null,
        status: values.every((v) => v.verified) ? 'VERIFIED' : 'SUBMITTED',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const v of values)
      await db
        .insertInto('check_in_value')
        .values({
          check_in_id: ci.id,
          plan_id: v.planId,
          plan_version_id: v.versionId,
          key_result_id: v.kr,
          value: v.value,
          kr_status: 'on-track',
          updated_by: personId,
          ...(v.verified
            ? { verification: 'verified', verified_by: verifier(), verified_at: new Date() }
            : {}),
        })
        .execute();
  }

  return { plan, checkIn };
}

/** The province's calendar profile, and the names printed on unit A's report: Tỉnh Hưng Yên, Sở Nội vụ (SNV) and
 *  its head Nguyễn Thị Ngọc Hường. */
export async function nameReportUnit(db: Database, f: OrgFixture) {
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  await db.updateTable('org_unit').set({ name_vi: 'Tỉnh Hưng Yên' }).where('id', '=', f.unit.P).execute();
  await db
    .updateTable('org_unit')
    .set({ name_vi: 'Sở Nội vụ', code: 'SNV' })
    .where('id', '=', f.unit.A)
    .execute();
  await db
    .updateTable('person')
    .set({ full_name: 'Nguyễn Thị Ngọc Hường' })
    .where('id', '=', f.person.headA)
    .execute();
}
