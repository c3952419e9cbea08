// The bad-input table of the check-in content routes (issue 6 point 7): saving values, uploading and removing
// evidence, each refused with its status and stable code, a message in Vietnamese and English, and every value,
// check-in, file, history row and audit entry saved before left exactly as it was (read back from PostgreSQL).
// Rows: wrong unit (someone else's check-in, a key result that is not mine), out of period (not started, no plan
// in force), closed check-ins (submitted, verified, locked), oversized and disguised files, ambiguous numbers.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exe, html, pdf } from '../../../domain/evidence/test-files.ts';
import { checkInPlans } from '../../../test/support/check-in-plans.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { type ActorKey, buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
// Tuesday 10 March 2026 in Hà Nội: March and earlier are open, April is not.
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const MAX = 32 * 1024;
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
  evidence: { maxBytes: MAX },
});
let f: OrgFixture;
let plan: Awaited<ReturnType<typeof checkInPlans>>;
const file = {} as Record<'mine' | 'submitted' | 'unitB', string>;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
type Res = { status: number; body: Json };

async function send(who: ActorKey, method: string, path: string, body?: unknown, headers = {}): Promise<Res> {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}
const put = (period: string, body: Json, headers = {}, who: ActorKey = 'officialA') =>
  send(who, 'PUT', `/api/check-ins/mine/${period}/values`, body, headers);

async function upload(
  period: string,
  name: string,
  bytes: Uint8Array | null,
  o: { keyResult?: string; who?: ActorKey; type?: string } = {},
): Promise<Res> {
  const fd = new FormData();
  if (bytes) fd.append('file', new File([bytes], name, { type: o.type ?? '' }));
  if (o.keyResult) fd.append('keyResult', o.keyResult);
  const headers: Record<string, string> = { ...f.session[o.who ?? 'officialA'].headers };
  delete headers['content-type'];
  const res = await app.request(`/api/check-ins/mine/${period}/evidence`, {
    method: 'POST',
    headers,
    body: fd,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}
const remove = (period: string, id: string, who: ActorKey = 'officialA') =>
  send(who, 'DELETE', `/api/check-ins/mine/${period}/evidence/${id}`);

/** Everything a refused request must leave as it was. */
async function saved() {
  const checkIns = await db
    .selectFrom('check_in')
    .select(['id', 'person_id', 'period', 'status', 'revision', 'updated_at'])
    .orderBy('period')
    .orderBy('person_id')
    .execute();
  const values = await db
    .selectFrom('check_in_value')
    .selectAll()
    .orderBy('check_in_id')
    .orderBy('plan_id')
    .orderBy('key_result_id')
    .execute();
  const files = await db
    .selectFrom('evidence_file')
    .select(['id', 'subject_id', 'sha256', 'file_name'])
    .orderBy('id')
    .execute();
  const history = await db.selectFrom('check_in_value_history').select('id').orderBy('id').execute();
  const audits = await db.selectFrom('audit_log').select('id').orderBy('id').execute();
  return { checkIns, values, files, history: history.length, audits: audits.length };
}

const good = (o: Json = {}) => ({
  planId: plan.A,
  keyResultId: 'k-m',
  value: '3',
  status: 'on-track',
  ...o,
});

async function setStatus(period: string, status: 'SUBMITTED' | 'VERIFIED' | 'LOCKED') {
  await db
    .updateTable('check_in')
    .set({ status })
    .where('person_id', '=', f.person.officialA)
    .where('period', '=', period)
    .execute();
}
const revisionOf = async (period: string) =>
  (
    await db
      .selectFrom('check_in')
      .select('revision')
      .where('person_id', '=', f.person.officialA)
      .where('period', '=', period)
      .executeTakeFirst()
  )?.revision ?? 0;

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = NOW;
  plan = await checkInPlans(db, f, 2026);
  // March: a saved draft with a file; January and February: saved, then verified and submitted
  for (const [period, value] of [
    ['2026-01', '4'],
    ['2026-02', '5'],
    ['2026-03', '1.234,5'],
  ] as const) {
    const r = await put(period, {
      baseRevision: 0,
      locale: 'vi',
      values: [good({ value, confidence: 70 }), { planId: plan.mine, keyResultId: 'k-p', value: '2' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const mine = await upload('2026-03', 'bien-ban.pdf', pdf('tháng 3'), { keyResult: `${plan.A}/k-ms` });
  expect(mine.status, JSON.stringify(mine.body)).toBe(201);
  file.mine = mine.body.file.id;
  const feb = await upload('2026-02', 'bien-ban-2.pdf', pdf('tháng 2'), { keyResult: `${plan.A}/k-m` });
  expect(feb.status, JSON.stringify(feb.body)).toBe(201);
  file.submitted = feb.body.file.id;
  await setStatus('2026-02', 'SUBMITTED');
  await setStatus('2026-01', 'VERIFIED');
  // December 2025: a locked check-in (no plan was in force that year)
  await db
    .insertInto('check_in')
    .values({
      person_id: f.person.officialA,
      unit_id: f.unit.AD1,
      period: '2025-12',
      status: 'LOCKED',
      workflow_id: null,
    })
    .execute();
  // a file of unit B's staff
  const bytes = Buffer.from('%PDF-1.4 B\n');
  file.unitB = (
    await db
      .insertInto('evidence_file')
      .values({
        unit_id: f.unit.B,
        uploaded_by: f.person.staffB,
        subject_type: 'check_in',
        subject_id: 'elsewhere',
        file_name: 'b.pdf',
        declared_type: null,
        sniffed_type: 'application/pdf',
        size_bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

interface Row {
  name: string;
  send: () => Promise<Res>;
  status: number;
  code: string;
  /** The codes of details.errors (CHECK_IN_INVALID). */
  entryCodes?: string[];
}

const rows: Row[] = [
  // ---- wrong unit: someone else's check-in, a key result that is not mine
  {
    name: "a key result of another unit's plan",
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'vi',
        values: [good({ planId: plan.B, keyResultId: 'k-b' })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['KR_NOT_IN_PERIOD'],
  },
  {
    name: "my supervisor's key result",
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'vi',
        values: [good({ keyResultId: 'k-sup' })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['KR_NOT_IN_PERIOD'],
  },
  {
    name: "someone else's check-in: the supervisor saving my key result",
    send: () => put('2026-03', { baseRevision: 0, locale: 'vi', values: [good()] }, {}, 'supervisorA'),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['KR_NOT_IN_PERIOD'],
  },
  {
    name: "evidence of another unit's staff on my value",
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'vi',
        values: [good({ evidenceIds: [file.unitB] })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['EVIDENCE_UNKNOWN'],
  },
  {
    name: "a file attached to another unit's key result",
    send: () => upload('2026-03', 'x.pdf', pdf('x'), { keyResult: `${plan.B}/k-b` }),
    status: 422,
    code: 'KR_NOT_IN_PERIOD',
  },
  {
    name: "a file attached to my supervisor's key result",
    send: () => upload('2026-03', 'x.pdf', pdf('x'), { keyResult: `${plan.A}/k-sup` }),
    status: 422,
    code: 'KR_NOT_IN_PERIOD',
  },
  {
    name: "the supervisor removing my file from 'their' check-in",
    send: () => remove('2026-03', file.mine, 'supervisorA'),
    status: 404,
    code: 'EVIDENCE_NOT_FOUND',
  },
  // ---- out of period: not started, no plan in force
  {
    name: 'values of a month that has not started',
    send: () => put('2026-04', { baseRevision: 0, locale: 'vi', values: [good()] }),
    status: 422,
    code: 'PERIOD_NOT_OPEN',
  },
  {
    name: 'a file for a month that has not started',
    send: () => upload('2026-04', 'x.pdf', pdf('x')),
    status: 422,
    code: 'PERIOD_NOT_OPEN',
  },
  {
    name: 'removing a file from a month that has not started',
    send: () => remove('2026-04', file.mine),
    status: 422,
    code: 'PERIOD_NOT_OPEN',
  },
  {
    name: 'values of a month no plan in force covers (2025)',
    send: () => put('2025-11', { baseRevision: 0, locale: 'vi', values: [good()] }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['KR_NOT_IN_PERIOD'],
  },
  {
    name: 'a file for a key result of a month no plan in force covers (2025)',
    send: () => upload('2025-11', 'x.pdf', pdf('x'), { keyResult: `${plan.A}/k-m` }),
    status: 422,
    code: 'KR_NOT_IN_PERIOD',
  },
  // ---- closed: submitted, verified, locked
  ...(
    [
      ['submitted', '2026-02'],
      ['verified', '2026-01'],
      ['locked', '2025-12'],
    ] as const
  ).flatMap(([state, period]): Row[] => [
    {
      name: `values of a ${state} check-in`,
      send: async () =>
        put(period, { baseRevision: await revisionOf(period), locale: 'vi', values: [good({ value: '9' })] }),
      status: 409,
      code: 'CHECK_IN_CLOSED',
    },
    {
      name: `a file for a ${state} check-in`,
      send: () => upload(period, 'x.pdf', pdf('x')),
      status: 409,
      code: 'CHECK_IN_CLOSED',
    },
  ]),
  {
    name: 'removing a file of a submitted check-in',
    send: () => remove('2026-02', file.submitted),
    status: 409,
    code: 'CHECK_IN_CLOSED',
  },
  // ---- oversized and disguised files
  {
    name: 'a file far over the limit (refused by the body limit)',
    send: () => upload('2026-03', 'lon.pdf', Buffer.concat([pdf('lớn'), Buffer.alloc(MAX * 3, 32)])),
    status: 413,
    code: 'EVIDENCE_TOO_LARGE',
  },
  {
    name: 'a file one byte over the limit',
    send: () =>
      upload(
        '2026-03',
        'lon.pdf',
        Buffer.concat([pdf('lớn'), Buffer.alloc(MAX + 1 - pdf('lớn').length, 32)]),
      ),
    status: 413,
    code: 'EVIDENCE_TOO_LARGE',
  },
  {
    name: 'a Windows program named report.pdf',
    send: () => upload('2026-03', 'report.pdf', exe(), { type: 'application/pdf' }),
    status: 422,
    code: 'EVIDENCE_TYPE_MISMATCH',
  },
  {
    name: 'a web page named anh.png',
    send: () => upload('2026-03', 'anh.png', html(), { type: 'image/png' }),
    status: 422,
    code: 'EVIDENCE_TYPE_MISMATCH',
  },
  {
    name: 'a PDF declared as an image',
    send: () => upload('2026-03', 'bao-cao.pdf', pdf('x'), { type: 'image/png' }),
    status: 422,
    code: 'EVIDENCE_TYPE_MISMATCH',
  },
  {
    name: 'a program under its own name',
    send: () => upload('2026-03', 'setup.exe', exe()),
    status: 422,
    code: 'EVIDENCE_TYPE_NOT_ALLOWED',
  },
  {
    name: 'an empty file',
    send: () => upload('2026-03', 'rong.pdf', new Uint8Array(0)),
    status: 422,
    code: 'EVIDENCE_EMPTY',
  },
  {
    name: 'no file at all',
    send: () => upload('2026-03', '', null, { keyResult: `${plan.A}/k-m` }),
    status: 400,
    code: 'EVIDENCE_FILE_MISSING',
  },
  // ---- ambiguous numbers: "1.234,5" vs "1,234.5" vs "1.234" in the vi and en locales
  {
    name: '"1,234.5" in the Vietnamese locale (the thousands dot after the decimal comma)',
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'vi',
        values: [good({ value: '1,234.5' })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['VALUE_INVALID'],
  },
  {
    name: '"1.234,5" in the English locale',
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'en',
        values: [good({ value: '1.234,5' })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['VALUE_INVALID'],
  },
  {
    name: '"1.234" in the English locale (a decimal or a thousand?)',
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'en',
        values: [good({ value: '1.234' })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['VALUE_AMBIGUOUS'],
  },
  {
    name: '"1,234" in the Vietnamese locale (one decimal or a thousand?)',
    send: async () =>
      put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale: 'vi',
        values: [good({ value: '1,234' })],
      }),
    status: 422,
    code: 'CHECK_IN_INVALID',
    entryCodes: ['VALUE_AMBIGUOUS'],
  },
  ...(['vi-VN,vi;q=0.9', 'en-GB,en;q=0.9'] as const).map(
    (accept): Row => ({
      name: `"1.234" with no locale chosen (browser: ${accept})`,
      send: async () =>
        put(
          '2026-03',
          { baseRevision: await revisionOf('2026-03'), values: [good({ value: '1.234' })] },
          { 'accept-language': accept },
        ),
      status: 422,
      code: 'CHECK_IN_INVALID',
      entryCodes: ['VALUE_AMBIGUOUS'],
    }),
  ),
];

describe('bad input to the check-in content routes', () => {
  for (const row of rows)
    it(row.name, async () => {
      const before = await saved();
      const r = await row.send();
      expect(r.status, JSON.stringify(r.body)).toBe(row.status);
      expect(r.body.code).toBe(row.code);
      expect(r.body.message.vi).toMatch(/\p{L}/u);
      expect(r.body.message.en).toMatch(/\p{L}/u);
      expect(r.body.message.vi).not.toBe(r.body.message.en);
      if (row.entryCodes) {
        const errors = r.body.details.errors as Json[];
        expect(errors.map((e) => e.code)).toEqual(row.entryCodes);
        for (const e of errors) expect(e.message.vi && e.message.en).toBeTruthy();
      }
      expect(await saved()).toEqual(before);
    });

  it('the same texts are read in the chosen locale: "1.234" and "1.234,5" in Vietnamese, "1,234.5" in English', async () => {
    for (const [locale, value] of [
      ['vi', '1.234'],
      ['vi', '1.234,5'],
      ['en', '1,234.5'],
    ] as const) {
      const r = await put('2026-03', {
        baseRevision: await revisionOf('2026-03'),
        locale,
        values: [good({ value })],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const hist = await db
      .selectFrom('check_in_value_history')
      .select(['new_value'])
      .where('key_result_id', '=', 'k-m')
      .where('period', '=', '2026-03')
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
    // "1.234,5" then "1,234.5": the same number, a new input each time
    expect(hist.map((h) => [(h.new_value as Json).value, (h.new_value as Json).input])).toEqual([
      ['1234.5', '1,234.5'],
      ['1234.5', '1.234,5'],
      ['1234', '1.234'],
    ]);
  });
});
