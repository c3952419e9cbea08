// Check-ins, the content half (issue 6), on a real database: my key results of a month, saving draft values
// under optimistic concurrency (audited, every change in the value history), a bad-input table whose refusals
// leave saved values untouched, the key result history and the completion tracker by the tiered rule.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { checkInInputFor } from '../../../db/queries/check-in-workflow-input.ts';
import {
  checkInContentHash,
  checkInSnapshot,
  createCheckInVersion,
  recordTargetRevisions,
  valuesOfCheckIn,
} from '../../../db/queries/check-ins.ts';
import { removeMove, saveMove } from '../../../db/queries/deadline-moves.ts';
import { recordReassignment } from '../../../db/queries/handover.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';
import { loadPath } from '../../authz/resources.ts';

const { db } = await freshDatabase();
const profileId = `cal-${randomUUID()}`;
// Tuesday 10 March 2026, 10:00 in Hà Nội: March is open, April is not.
// People sign in on the real clock (their second factor is computed from it), then the clock moves there.
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (
  who: keyof OrgFixture['session'],
  method: string,
  path: string,
  body?: unknown,
  headers = {},
) => {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const enc = encodeURIComponent;

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
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

const plan = {} as Record<'A' | 'B' | 'mine', string>;
const evidence = {} as Record<'mine' | 'unitB', string>;
async function evidenceFile(unitId: string, by: string, text: string) {
  const bytes = Buffer.from(`%PDF-1.4 ${text}`);
  const r = await db
    .insertInto('evidence_file')
    .values({
      unit_id: unitId,
      uploaded_by: by,
      subject_type: 'check_in',
      subject_id: 'draft',
      file_name: `${text}.pdf`,
      declared_type: 'application/pdf',
      sniffed_type: 'application/pdf',
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
const versionA = {} as { content: Plan; id: string };

async function inForcePlan(
  id: string,
  owner: Plan['owner'],
  unitId: string,
  keyResults: KeyResult[],
): Promise<{ content: Plan; id: string }> {
  await db
    .insertInto('plan')
    .values({
      id,
      owner_kind: owner.kind,
      unit_id: unitId,
      person_id: owner.kind === 'person' ? owner.personId : null,
      year: 2026,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id,
    year: 2026,
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
  return { content, id: v.id };
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = NOW;
  evidence.mine = await evidenceFile(f.unit.AD1, f.person.officialA, 'bien-ban');
  evidence.unitB = await evidenceFile(f.unit.B, f.person.staffB, 'khac');
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: profileId }, { provinceId: f.unit.P });
  const me = f.person.officialA;
  plan.A = `plan:2026:unit:${f.unit.A}`;
  plan.B = `plan:2026:unit:${f.unit.B}`;
  plan.mine = `plan:2026:person:${me}`;
  Object.assign(
    versionA,
    await inForcePlan(plan.A, { kind: 'unit', unitId: f.unit.A }, f.unit.A, [
      kr('k-m', { ownerId: me, periodTargets: { '2026-03': '10' } }),
      kr('k-q', { ownerId: me, cadence: 'quarter', aggregation: 'last', periodTargets: { '2026-Q1': '30' } }),
      kr('k-ms', {
        ownerId: me,
        direction: { kind: 'milestone', dueDate: '2026-06-30' },
        aggregation: 'allDone',
        evidenceRequired: true,
      }),
      kr('k-y', { ownerId: me, cadence: 'year' }),
      kr('k-sup', { ownerId: f.person.supervisorA }),
    ]),
  );
  await inForcePlan(plan.B, { kind: 'unit', unitId: f.unit.B }, f.unit.B, [kr('k-b', { ownerId: me })]);
  await inForcePlan(plan.mine, { kind: 'person', personId: me }, f.unit.AD1, [
    kr('k-p', { aggregation: 'average' }),
  ]);
});

const values = async (period: string) => {
  const c = await db
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', '=', f.person.officialA)
    .where('period', '=', period)
    .executeTakeFirst();
  return c ? { revision: c.revision, status: c.status, values: await valuesOfCheckIn(db, c.id) } : undefined;
};
const put = (period: string, body: unknown, headers = {}) =>
  as('officialA', 'PUT', `/api/check-ins/mine/${period}/values`, body, headers);

describe('my check-in of a month', () => {
  it('lists my key results due in the month, with the period target and the deadline', async () => {
    const r = await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.map((i: Json) => [i.planId, i.keyResult.id, i.periodTarget])).toEqual([
      [plan.A, 'k-m', '10'],
      [plan.A, 'k-q', '30'],
      [plan.A, 'k-ms', null],
      [plan.mine, 'k-p', null],
    ]);
    expect(r.body.checkIn).toBeNull();
    expect(r.body.open).toBe(true);
    // 5 April 2026 is a Sunday: the deadline moves to Monday the 6th
    expect(r.body.deadline).toMatchObject({ id: 'check-in.2026-03', date: '2026-04-06' });
    const sup = await as('supervisorA', 'GET', '/api/check-ins/mine?period=2026-03');
    expect(sup.body.items.map((i: Json) => i.keyResult.id)).toEqual(['k-sup']);
    const dec = await as('officialA', 'GET', '/api/check-ins/mine?period=2026-12');
    expect(dec.body.items.map((i: Json) => i.keyResult.id)).toContain('k-y');
    expect(dec.body.open).toBe(false);
  });

  it("shows the administrator's move of a check-in deadline, and starts the check-in workflow with it", async () => {
    await saveMove(db, {
      profileId,
      year: 2026,
      deadlineId: 'check-in.2026-03',
      to: '2026-04-08',
      reason: 'Nghỉ bù',
      by: f.person.adminP,
    });
    try {
      const r = await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03');
      expect(r.body.deadline).toMatchObject({ id: 'check-in.2026-03', date: '2026-04-08' });
      const path = (await loadPath(db, f.unit.AD1)).map((n) => n.id);
      const input = await checkInInputFor(db, {
        checkInId: randomUUID(),
        personId: f.person.officialA,
        unitId: f.unit.AD1,
        period: '2026-03',
        day: '2026-03-10',
        path,
      });
      expect(input?.calendar.deadlines.find((d) => d.id === 'check-in.2026-03')?.date).toBe('2026-04-08');
    } finally {
      await removeMove(db, { profileId, year: 2026, deadlineId: 'check-in.2026-03' });
    }
    const back = await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03');
    expect(back.body.deadline.date).toBe('2026-04-06');
  });

  it('saves draft values parsed in my locale, audited, every change in the history', async () => {
    const feb = await put('2026-02', {
      baseRevision: 0,
      locale: 'vi',
      values: [{ planId: plan.A, keyResultId: 'k-m', value: '5', status: 'on-track' }],
    });
    expect(feb.status, JSON.stringify(feb.body)).toBe(200);
    const r = await put('2026-03', {
      baseRevision: 0,
      locale: 'vi',
      values: [
        { planId: plan.A, keyResultId: 'k-m', value: '1.234,5', status: 'on-track', confidence: 80 },
        { planId: plan.A, keyResultId: 'k-ms', done: true, status: 'at-risk' },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.checkIn).toMatchObject({ status: 'DRAFT', revision: 1, editable: true });
    expect(r.body.saved).toEqual([
      { planId: plan.A, keyResultId: 'k-m', revision: 1 },
      { planId: plan.A, keyResultId: 'k-ms', revision: 1 },
    ]);
    const stored = await values('2026-03');
    expect(stored?.values.map((v) => [v.key_result_id, v.value, v.done, v.input, v.updated_by])).toEqual([
      ['k-m', '1234.5', null, '1.234,5', f.person.officialA],
      ['k-ms', null, true, null, f.person.officialA],
    ]);
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'after'])
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', r.body.checkIn.id)
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'check-in.values-saved', actor: f.person.officialA });

    // the same values again: nothing changes
    const same = await put('2026-03', {
      baseRevision: 1,
      locale: 'vi',
      values: [{ planId: plan.A, keyResultId: 'k-m', value: '1.234,5', status: 'on-track', confidence: 80 }],
    });
    expect(same.body).toMatchObject({ unchanged: true, checkIn: { revision: 1 } });

    // a change: revision 2, the old value kept in the history
    const changed = await put('2026-03', {
      baseRevision: 1,
      locale: 'en',
      values: [{ planId: plan.A, keyResultId: 'k-m', value: '2,000', status: 'on-track', confidence: 80 }],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.checkIn.revision).toBe(2);
    const hist = await db
      .selectFrom('check_in_value_history')
      .select(['revision', 'old_value', 'new_value'])
      .where('key_result_id', '=', 'k-m')
      .where('period', '=', '2026-03')
      .orderBy('id')
      .execute();
    expect(
      hist.map((h) => [h.revision, (h.old_value as Json | null)?.value ?? null, (h.new_value as Json).value]),
    ).toEqual([
      [1, null, '1234.5'],
      [2, '1234.5', '2000'],
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select('id')
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', r.body.checkIn.id)
      .execute();
    expect(audited).toHaveLength(2);
  });

  it('answers last period and year to date by the aggregation rule', async () => {
    const r = await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03');
    const km = r.body.items.find((i: Json) => i.keyResult.id === 'k-m');
    expect(km.lastPeriod).toEqual({ period: '2026-02', value: '5', done: null });
    expect(km.yearToDate).toBe('2005');
    expect(km.value).toMatchObject({ value: '2000', input: '2,000', status: 'on-track', revision: 2 });
    const ms = r.body.items.find((i: Json) => i.keyResult.id === 'k-ms');
    expect(ms.yearToDate).toBe('1');
    expect(r.body.checkIn.revision).toBe(2);
  });

  it('refuses a save on a stale revision and keeps the saved values', async () => {
    const before = await values('2026-03');
    const r = await put('2026-03', {
      baseRevision: 1,
      locale: 'vi',
      values: [{ planId: plan.A, keyResultId: 'k-m', value: '7' }],
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      code: 'CHECK_IN_REVISION_CONFLICT',
      details: { baseRevision: 1, currentRevision: 2 },
    });
    expect(await values('2026-03')).toEqual(before);
  });
});

describe('bad input', () => {
  const good = { planId: '', keyResultId: 'k-m', value: '3', status: 'on-track' };
  const cases: {
    name: string;
    who?: 'supervisorA';
    period?: string;
    body: () => Json;
    headers?: Record<string, string>;
    status: number;
    code: string;
    entryCodes?: string[];
  }[] = [
    {
      name: "a key result of another unit's plan",
      body: () => ({
        baseRevision: 2,
        locale: 'vi',
        values: [{ planId: plan.B, keyResultId: 'k-b', value: '1' }],
      }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['KR_NOT_IN_PERIOD'],
    },
    {
      name: 'a yearly key result before December',
      body: () => ({
        baseRevision: 2,
        locale: 'vi',
        values: [{ planId: plan.A, keyResultId: 'k-y', value: '1' }],
      }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['KR_NOT_IN_PERIOD'],
    },
    {
      name: "someone else's key result",
      body: () => ({
        baseRevision: 2,
        locale: 'vi',
        values: [{ planId: plan.A, keyResultId: 'k-sup', value: '1' }],
      }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['KR_NOT_IN_PERIOD'],
    },
    {
      name: "someone else's check-in: the supervisor saving my key result in theirs",
      who: 'supervisorA',
      body: () => ({ baseRevision: 0, locale: 'vi', values: [{ ...good, planId: plan.A }] }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['KR_NOT_IN_PERIOD'],
    },
    {
      name: 'evidence of another unit, and evidence that does not exist',
      body: () => ({
        baseRevision: 2,
        locale: 'vi',
        values: [
          { ...good, planId: plan.A, evidenceIds: [evidence.unitB] },
          { planId: plan.A, keyResultId: 'k-ms', done: true, evidenceIds: [randomUUID()] },
        ],
      }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['EVIDENCE_UNKNOWN', 'EVIDENCE_UNKNOWN'],
    },
    {
      name: 'a period that has not started',
      period: '2026-04',
      body: () => ({ baseRevision: 0, locale: 'vi', values: [{ ...good, planId: plan.A }] }),
      status: 422,
      code: 'PERIOD_NOT_OPEN',
    },
    {
      name: 'a number that reads differently in Vietnamese and English (locale not chosen)',
      body: () => ({ baseRevision: 2, values: [{ ...good, planId: plan.A, value: '1.234' }] }),
      headers: { 'accept-language': 'vi-VN,vi;q=0.9' },
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['VALUE_AMBIGUOUS'],
    },
    {
      name: 'off track without an explanation',
      body: () => ({
        baseRevision: 2,
        locale: 'vi',
        values: [{ ...good, planId: plan.A, status: 'off-track', explanation: '   ' }],
      }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['EXPLANATION_REQUIRED'],
    },
    {
      name: 'a confidence over 100, and a valid entry beside it (nothing saved)',
      body: () => ({
        baseRevision: 2,
        locale: 'vi',
        values: [
          { planId: plan.A, keyResultId: 'k-q', value: '9' },
          { ...good, planId: plan.A, confidence: 150 },
        ],
      }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['CONFIDENCE_OUT_OF_RANGE'],
    },
    {
      name: 'no value',
      body: () => ({ baseRevision: 2, locale: 'vi', values: [{ ...good, planId: plan.A, value: '' }] }),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['VALUE_REQUIRED'],
    },
    {
      name: 'a malformed period',
      period: '2026-13',
      body: () => ({ baseRevision: 2, locale: 'vi', values: [] }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'an unknown field',
      body: () => ({ baseRevision: 2, values: [{ ...good, planId: plan.A, owner: 'x' }] }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
  ];

  for (const c of cases)
    it(c.name, async () => {
      const before = await values('2026-03');
      const r = c.who
        ? await as(c.who, 'PUT', `/api/check-ins/mine/${c.period ?? '2026-03'}/values`, c.body(), c.headers)
        : await put(c.period ?? '2026-03', c.body(), c.headers);
      expect(r.status, JSON.stringify(r.body)).toBe(c.status);
      expect(r.body.code).toBe(c.code);
      expect(r.body.message.vi).toBeTruthy();
      expect(r.body.message.en).toBeTruthy();
      if (c.entryCodes) expect(r.body.details.errors.map((e: Json) => e.code)).toEqual(c.entryCodes);
      expect(await values('2026-03')).toEqual(before);
      expect(await values('2026-04')).toBeUndefined();
      const theirs = await db
        .selectFrom('check_in')
        .select('id')
        .where('person_id', '=', f.person.supervisorA)
        .execute();
      expect(theirs).toEqual([]);
    });

  it('a check-in the workflow has closed', async () => {
    await db
      .updateTable('check_in')
      .set({ status: 'SUBMITTED' })
      .where('person_id', '=', f.person.officialA)
      .where('period', '=', '2026-02')
      .execute();
    const before = await values('2026-02');
    const r = await put('2026-02', {
      baseRevision: 1,
      locale: 'vi',
      values: [{ planId: plan.A, keyResultId: 'k-m', value: '6' }],
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CHECK_IN_CLOSED', details: { status: 'SUBMITTED' } });
    expect(await values('2026-02')).toEqual(before);
    const mine = await as('officialA', 'GET', '/api/check-ins/mine?period=2026-02');
    expect(mine.body.checkIn).toMatchObject({ status: 'SUBMITTED', editable: false });
  });

  it('the database refuses what the rules refuse', async () => {
    const c = await values('2026-03');
    const row = c?.values[0];
    if (!row) throw new Error('no value');
    await expect(
      db
        .updateTable('check_in_value')
        .set({ kr_status: 'off-track', explanation: null })
        .where('id', '=', row.id)
        .execute(),
    ).rejects.toThrow(/check_in_value_off_track_ck/);
    await expect(
      db.updateTable('check_in_value').set({ confidence: 101 }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/check_in_value_confidence_ck/);
    await expect(
      db.updateTable('check_in_value').set({ value: '1,5' }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/check_in_value_value_ck/);
    await expect(
      db
        .updateTable('check_in')
        .set({ status: 'DONE' as never })
        .where('id', '=', row.check_in_id)
        .execute(),
    ).rejects.toThrow(/check_in_status_ck/);
    await expect(
      db.deleteFrom('check_in_value_history').where('check_in_value_id', '=', row.id).execute(),
    ).rejects.toThrow(/immutable/);
  });
});

describe('frozen versions and target revisions', () => {
  it('freezes a check-in as an immutable, hashed version', async () => {
    const c = await db
      .selectFrom('check_in')
      .selectAll()
      .where('person_id', '=', f.person.officialA)
      .where('period', '=', '2026-03')
      .executeTakeFirstOrThrow();
    const snap = checkInSnapshot(c, await valuesOfCheckIn(db, c.id));
    const v1 = await createCheckInVersion(db, {
      checkInId: c.id,
      content: snap,
      createdBy: f.person.officialA,
    });
    const v2 = await createCheckInVersion(db, {
      checkInId: c.id,
      content: snap,
      createdBy: f.person.officialA,
    });
    expect([v1.number, v2.number]).toEqual([1, 2]);
    expect(v1.hash).toBe(checkInContentHash(snap));
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(snap.values.map((v) => v.keyResultId)).toEqual(['k-m', 'k-ms']);
    await expect(
      db
        .updateTable('check_in_version')
        .set({ hash: '0'.repeat(64) })
        .where('id', '=', v1.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
  });

  it('records target revisions with who and why', async () => {
    const to: Plan = structuredClone(versionA.content);
    const k = to.tasks[0]?.keyResults[0];
    if (!k) throw new Error('no kr');
    k.target = '150';
    k.periodTargets = { '2026-03': '12' };
    const n = await recordTargetRevisions(db, {
      planId: plan.A,
      from: versionA.content,
      to,
      planVersionId: versionA.id,
      by: f.person.headA,
      reason: 'Điều chỉnh theo Nghị quyết giữa năm',
    });
    expect(n).toBe(2);
    await expect(
      sql`INSERT INTO key_result_target_revision (plan_id, key_result_id, old_target, new_target, changed_by, reason)
          VALUES (${plan.A}, 'k-m', '1', '2', 'x', '  ')`.execute(db),
    ).rejects.toThrow(/reason_ck/);
  });
});

describe('key result history', () => {
  const path = () => `/api/key-results/${enc(plan.A)}/k-m/history`;

  it('lists every period value, every change and every target revision', async () => {
    const r = await as('officialA', 'GET', path());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.periods.map((p: Json) => [p.period, p.value, p.checkInStatus, p.yearToDate])).toEqual([
      ['2026-02', '5', 'SUBMITTED', '5'],
      ['2026-03', '2000', 'DRAFT', '2005'],
    ]);
    expect(r.body.changes.map((h: Json) => [h.period, h.revision, h.changedByName])).toEqual([
      ['2026-02', 1, 'Người officialA'],
      ['2026-03', 1, 'Người officialA'],
      ['2026-03', 2, 'Người officialA'],
    ]);
    expect(r.body.targetRevisions).toEqual([
      expect.objectContaining({
        period: null,
        oldTarget: '120',
        newTarget: '150',
        reason: 'Điều chỉnh theo Nghị quyết giữa năm',
      }),
      expect.objectContaining({
        period: '2026-03',
        oldTarget: '10',
        newTarget: '12',
        changedBy: f.person.headA,
      }),
    ]);
  });

  it('is read by the tiered rule', async () => {
    expect((await as('secretariatP', 'GET', path())).status).toBe(200); // a unit's plan: the province reads it
    expect((await as('headA', 'GET', path())).status).toBe(200);
    expect((await as('adminQ', 'GET', path())).status).toBe(403);
    const personal = `/api/key-results/${enc(plan.mine)}/k-p/history`;
    expect((await as('officialA', 'GET', personal)).status).toBe(200); // its owner
    expect((await as('headA', 'GET', personal)).status).toBe(200);
    expect((await as('secretariatP', 'GET', personal)).status).toBe(403); // inside a unit
    const missing = await as('headA', 'GET', `/api/key-results/${enc(plan.A)}/no-such/history`);
    expect(missing.body.code).toBe('KEY_RESULT_NOT_FOUND');
  });

  it('lists the handovers of a key result, and its former owners read it', async () => {
    const kb = `/api/key-results/${enc(plan.B)}/k-b/history`;
    const before = await as('officialA', 'GET', kb);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.ownerChanges).toEqual([]);
    // unit A's supervisor does not read unit B's plan
    expect((await as('supervisorA', 'GET', kb)).status).toBe(403);
    // officialA (the content's owner) hands it to supervisorA from April, who hands it on to staffA in June
    await recordReassignment(db, {
      planId: plan.B,
      keyResultId: 'k-b',
      fromPersonId: f.person.officialA,
      toPersonId: f.person.supervisorA,
      effectivePeriod: '2026-04',
      reason: 'Điều động sang phòng khác',
      changedBy: f.person.headA,
    });
    await db
      .insertInto('key_result_assignment')
      .values({
        plan_id: plan.B,
        key_result_id: 'k-b',
        from_person_id: null,
        to_person_id: f.person.staffA,
        effective_period: '2026-06',
        reason: 'Nghỉ hưu',
        changed_by: f.person.headA,
      })
      .execute();
    const names = await db
      .selectFrom('person')
      .select(['id', 'full_name'])
      .where('id', 'in', [f.person.officialA, f.person.supervisorA, f.person.staffA, f.person.headA])
      .execute();
    const name = new Map(names.map((n) => [n.id, n.full_name]));
    const r = await as('supervisorA', 'GET', kb); // a former owner
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.ownerChanges).toEqual([
      {
        from: { id: f.person.officialA, name: name.get(f.person.officialA) },
        to: { id: f.person.supervisorA, name: name.get(f.person.supervisorA) },
        effectivePeriod: '2026-04',
        reason: 'Điều động sang phòng khác',
        decidedBy: name.get(f.person.headA),
        decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      // recorded without a from-person: taken from the content's owner
      expect.objectContaining({
        from: { id: f.person.officialA, name: name.get(f.person.officialA) },
        to: { id: f.person.staffA, name: name.get(f.person.staffA) },
        effectivePeriod: '2026-06',
        reason: 'Nghỉ hưu',
      }),
    ]);
    expect((await as('officialA', 'GET', kb)).status).toBe(200);
    const stranger = await as('adminQ', 'GET', kb);
    expect(stranger.status).toBe(403);
    expect(stranger.body.ownerChanges).toBeUndefined();
  });
});

describe('completion tracker', () => {
  it('shows the unit head who has saved and who has not', async () => {
    const r = await as('headA', 'GET', `/api/check-ins?unitId=${f.unit.AD1}&period=2026-03`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.scope).toBe('persons');
    const byId = new Map(r.body.persons.map((p: Json) => [p.personId, p]));
    expect(byId.get(f.person.officialA)).toMatchObject({ status: 'DRAFT', valueCount: 2, revision: 2 });
    expect(byId.get(f.person.staffA)).toMatchObject({ status: null, valueCount: 0, checkInId: null });
    expect(r.body.counts).toEqual([
      expect.objectContaining({ unitId: f.unit.AD1, people: r.body.persons.length, draft: 1 }),
    ]);
    expect(r.body.counts[0].notStarted).toBe(r.body.persons.length - 1);
    const feb = await as('supervisorA', 'GET', `/api/check-ins?unitId=${f.unit.AD1}&period=2026-02`);
    expect(feb.body.counts[0]).toMatchObject({ submitted: 1, draft: 0 });
  });

  it('shows the province counts per unit, never persons', async () => {
    const r = await as('secretariatP', 'GET', `/api/check-ins?unitId=${f.unit.A}&period=2026-03`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ scope: 'counts', persons: null });
    expect(r.body.counts[0]).toMatchObject({ unitId: f.unit.A, draft: 1 });
    const p = await as('secretariatP', 'GET', `/api/check-ins?unitId=${f.unit.P}&period=2026-03`);
    expect(p.body.scope).toBe('counts');
    expect(p.body.counts.find((c: Json) => c.unitId === f.unit.A)).toMatchObject({ draft: 1 });
    expect(JSON.stringify(p.body)).not.toContain(f.person.officialA);
    expect((await as('officialA', 'GET', `/api/check-ins?unitId=${f.unit.AD1}&period=2026-03`)).status).toBe(
      403,
    );
    const unknown = await as('headA', 'GET', `/api/check-ins?unitId=${randomUUID()}&period=2026-03`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ORG_UNIT_NOT_FOUND']);
    const badPeriod = await as('headA', 'GET', `/api/check-ins?unitId=${f.unit.AD1}&period=2026-3`);
    expect([badPeriod.status, badPeriod.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('after the tracker', () => {
  it('attaches my evidence to a value', async () => {
    const r = await put('2026-03', {
      baseRevision: 2,
      locale: 'vi',
      values: [
        { planId: plan.A, keyResultId: 'k-ms', done: true, status: 'at-risk', evidenceIds: [evidence.mine] },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.saved).toEqual([{ planId: plan.A, keyResultId: 'k-ms', revision: 2 }]);
    const ms = (await values('2026-03'))?.values.find((v) => v.key_result_id === 'k-ms');
    expect(ms?.evidence_ids).toEqual([evidence.mine]);
  });

  it('a returned check-in is editable again', async () => {
    await db
      .updateTable('check_in')
      .set({ status: 'RETURNED' })
      .where('person_id', '=', f.person.officialA)
      .where('period', '=', '2026-02')
      .execute();
    const r = await put('2026-02', {
      baseRevision: 1,
      locale: 'vi',
      values: [{ planId: plan.A, keyResultId: 'k-m', value: '6', status: 'on-track' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.checkIn).toMatchObject({ status: 'RETURNED', revision: 2, editable: true });
    expect((await values('2026-02'))?.values[0]?.value).toBe('6');
  });
});

describe('If-Match instead of baseRevision', () => {
  it('answers the revision as an ETag and takes it back in If-Match', async () => {
    const g = await requestAs(app, f.session.officialA, 'GET', '/api/check-ins/mine?period=2026-03');
    const etag = g.headers.get('etag');
    expect(etag).toBe('"3"');
    const entry = { planId: plan.A, keyResultId: 'k-q', value: '31', status: 'on-track' };
    const ok = await put('2026-03', { locale: 'vi', values: [entry] }, { 'if-match': etag });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.checkIn.revision).toBe(4);
    const before = await values('2026-03');
    const stale = await put(
      '2026-03',
      { locale: 'vi', values: [{ ...entry, value: '1' }] },
      { 'if-match': etag },
    );
    expect([stale.status, stale.body.code]).toEqual([409, 'CHECK_IN_REVISION_CONFLICT']);
    const none = await put('2026-03', { locale: 'vi', values: [{ ...entry, value: '1' }] });
    expect([none.status, none.body.code]).toEqual([400, 'REVISION_REQUIRED']);
    const both = await put(
      '2026-03',
      { baseRevision: 4, locale: 'vi', values: [{ ...entry, value: '1' }] },
      { 'if-match': '"3"' },
    );
    expect([both.status, both.body.code]).toEqual([400, 'REVISION_MISMATCH']);
    const bad = await put(
      '2026-03',
      { locale: 'vi', values: [{ ...entry, value: '1' }] },
      { 'if-match': '*' },
    );
    expect([bad.status, bad.body.code]).toEqual([400, 'REVISION_INVALID']);
    expect(await values('2026-03')).toEqual(before);
  });
});

describe('a save of new, changed and unchanged values at once', () => {
  it('inserts the new one, updates the changed one, leaves the unchanged one, each in the history once', async () => {
    const before = await values('2026-03');
    const rev = (k: string) => before?.values.find((v) => v.key_result_id === k)?.revision;
    const [km, kq] = [rev('k-m'), rev('k-q')];
    expect(before?.values.some((v) => v.key_result_id === 'k-p')).toBe(false);
    const historyRows = () =>
      db
        .selectFrom('check_in_value_history')
        .select(['key_result_id', 'revision', 'old_value', 'new_value'])
        .where('check_in_id', '=', before!.values[0]!.check_in_id)
        .orderBy('id')
        .execute();
    const historyBefore = await historyRows();
    const r = await put('2026-03', {
      baseRevision: 4,
      locale: 'vi',
      values: [
        { planId: plan.A, keyResultId: 'k-m', value: '2500', status: 'on-track' },
        { planId: plan.A, keyResultId: 'k-q', value: '31', status: 'on-track' },
        { planId: plan.mine, keyResultId: 'k-p', value: '3', status: 'on-track' },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.checkIn.revision).toBe(5);
    // in the order sent, the unchanged one left out
    expect(r.body.saved).toEqual([
      { planId: plan.A, keyResultId: 'k-m', revision: km! + 1 },
      { planId: plan.mine, keyResultId: 'k-p', revision: 1 },
    ]);
    const after = await values('2026-03');
    const byKey = new Map(after?.values.map((v) => [v.key_result_id, v]));
    expect(byKey.get('k-m')).toMatchObject({ value: '2500', revision: km! + 1 });
    expect(byKey.get('k-q')).toMatchObject({ value: '31', revision: kq });
    expect(byKey.get('k-p')).toMatchObject({ value: '3', revision: 1, plan_id: plan.mine });
    const added = (await historyRows()).slice(historyBefore.length);
    expect(
      added.map((h) => [
        h.key_result_id,
        h.revision,
        (h.old_value as Json | null)?.value ?? null,
        (h.new_value as Json).value,
      ]),
    ).toEqual([
      ['k-m', km! + 1, '2000', '2500'],
      ['k-p', 1, null, '3'],
    ]);
  });
});
