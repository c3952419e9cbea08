// The authorization matrix (issue 4, point 2): every route × role × inside/outside scope, against an
// expectations table written by hand from DESIGN §1 — NOT derived from api/authz/policy.ts. The test lists
// the app's real routes and fails when one has no row here. Everyone signs in through the real routes.
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlanVersion } from '../../db/queries/plans.ts';
import { ensureProvinceRanking } from '../../db/queries/province-rankings.ts';
import { ensureRanking } from '../../db/queries/rankings.ts';
import { freshDatabase } from '../../test/support/database.ts';
import {
  ACTORS,
  type ActorKey,
  buildOrg,
  grant,
  type OrgFixture,
  requestAs,
} from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';
import { PEOPLE_COLUMNS, PEOPLE_SHEET, UNIT_COLUMNS, UNIT_SHEET, XLSX_TYPE } from '../routes/admin/import.ts';
import { PLAN_COLUMNS, PLAN_SHEET } from '../routes/plans/import.ts';
import { routeTable } from './registry.ts';

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });

let f: OrgFixture;
const ids: Record<string, string> = {};

// Who is who (hand-written, from DESIGN §1):
const PROVINCE_LEVEL: ActorKey[] = ['adminP', 'auditorP', 'secretariatP', 'standingP', 'orgdeptP'];
const IN_PROVINCE_P: ActorKey[] = [
  ...PROVINCE_LEVEL,
  'adminA',
  'headA',
  'supervisorA',
  'officialA',
  'auditorA',
];
const EVERYONE: ActorKey[] = [...IN_PROVINCE_P, 'adminQ'];
/** Unit A's own readers of data inside A (the supervisor's scope is a department of A). */
const A_READERS: ActorKey[] = ['adminA', 'headA', 'auditorA'];
const A_MANAGERS: ActorKey[] = ['adminA', 'headA'];
/** Unit A's people who draft and submit its plans (the official and supervisor work in A.D1; A's
 * administrator also holds an official grant in A.D2, see beforeAll). */
const A_STAFF: ActorKey[] = ['adminA', 'headA', 'supervisorA', 'officialA'];
const A_PLAN_READERS: ActorKey[] = ['adminA', 'headA', 'supervisorA', 'officialA', 'auditorA'];

interface Req {
  method: string;
  path: string;
  body?: unknown;
  raw?: { type: string; data: Uint8Array };
}
interface Case {
  /** What is targeted, in words (inside / outside scope, which tier). */
  target: string;
  req: () => Req | Promise<Req>;
  allow: ActorKey[] | 'public';
  /** Row-checked routes (import) refuse with 422 IMPORT_INVALID whose rows are all FORBIDDEN. */
  rowChecked?: true;
  /** Process routes: once authorized they call Temporal, which this app cannot reach — 503
   * DEPENDENCY_UNAVAILABLE then proves the request passed authorization. */
  upstream?: true;
  /** Routes that do not tell a resource exists: refused with 404, never 403 (evidence downloads). */
  hidden?: true;
}
type Row = Case[] | { owner: 'auth' | 'ops'; note: string };

const today = '2026-01-15';
const uniq = () => randomUUID().slice(0, 8);
const get = (path: string): Req => ({ method: 'GET', path });
const post = (path: string, body: unknown): Req => ({ method: 'POST', path, body });

async function workbook(units: string[][], people: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const u = wb.addWorksheet(UNIT_SHEET);
  u.addRow(UNIT_COLUMNS.map((c) => c.header));
  for (const r of units) u.addRow(r);
  const p = wb.addWorksheet(PEOPLE_SHEET);
  p.addRow(PEOPLE_COLUMNS.map((c) => c.header));
  for (const r of people) p.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const U = (k: keyof OrgFixture['unit']) => f.unit[k];
/** Unit A's draft ranking of 2026 (issue 8; created on first use, no workflow). */
async function rankingA(): Promise<string> {
  const r = await ensureRanking(db, {
    unitId: f.unit.A,
    year: 2026,
    deadline: '2026-12-14',
    by: f.person.headA!,
  });
  return r.id;
}
/** Province P's draft ranking of its units and heads for 2026 (issue 8; created on first use, no workflow). */
async function provinceRankingP(): Promise<string> {
  const r = await ensureProvinceRanking(db, {
    provinceId: f.unit.P,
    year: 2026,
    deadline: '2026-12-14',
    by: f.person.secretariatP!,
  });
  return r.id;
}
/** The A.D1 official's period assessment of 2026-01 (a draft, created on first use). */
async function officialAssessment(): Promise<string> {
  await db
    .insertInto('period_assessment')
    .values({ person_id: f.person.officialA, unit_id: f.unit.AD1, period: '2026-01', workflow_id: null })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  const r = await db
    .selectFrom('period_assessment')
    .select('id')
    .where('person_id', '=', f.person.officialA)
    .where('period', '=', '2026-01')
    .executeTakeFirstOrThrow();
  return r.id;
}
const PER = (k: keyof OrgFixture['person']) => f.person[k];
const planPath = (k: string) => `/api/plans/${encodeURIComponent(ids[`plan${k}`] ?? '')}`;
async function planWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(PLAN_SHEET);
  ws.addRow(PLAN_COLUMNS.map((c) => c.header));
  ws.addRow([
    'citizens',
    '',
    '',
    't1',
    'Giải quyết hồ sơ',
    '1',
    'k1',
    'Tỷ lệ đúng hạn',
    'KPI',
    '',
    '%',
    'higher',
    '',
    '98',
    '1',
    'month',
    'average',
    '',
  ]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A delegation of A.D1's official to a colleague, awaiting A.D1's supervisor (created on first use). */
async function delegationOfA(): Promise<string> {
  const id = `delegation:${PER('officialA')}:2030-02-01`;
  await db
    .insertInto('delegation')
    .values({
      id,
      principal_id: PER('officialA'),
      delegate_id: PER('staffA'),
      unit_id: U('AD1'),
      from_date: '2030-02-01',
      to_date: '2030-02-03',
      reason: 'Nghỉ phép',
      approver_id: PER('supervisorA'),
      decided_by: null,
      decided_at: null,
      decision_note: null,
      revoked_by: null,
      revoked_at: null,
      workflow_id: id,
      requested_by: PER('officialA'),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return encodeURIComponent(id);
}

/** A published giao ban session 2025-Q4 of province P with a direction to unit A and one to unit B (once). */
let giaoBanSeed: Promise<{ A: string; B: string }> | undefined;
function giaoBanSeeded(): Promise<{ A: string; B: string }> {
  giaoBanSeed ??= (async () => {
    const agenda = {
      items: [
        { order: 1, unitId: U('A'), unitName: 'A', reportStatus: 'sent' },
        { order: 2, unitId: U('B'), unitName: 'B', reportStatus: 'missing' },
      ],
    };
    await db
      .insertInto('giao_ban_session')
      .values({
        province_id: U('P'),
        session: '2025-Q4',
        workflow_id: `giaoban:${U('P')}:2025-Q4`,
        phase: 'PUBLISHED',
        session_date: '2026-01-20',
        dossier_date: '2026-01-16',
        conclusions_due: '2026-01-22',
        agenda: JSON.stringify(agenda),
        published_at: new Date('2026-01-21T03:00:00Z'),
      })
      .execute();
    const out = { A: randomUUID(), B: randomUUID() };
    for (const [k, id] of Object.entries(out))
      await db
        .insertInto('giao_ban_direction')
        .values({
          id,
          province_id: U('P'),
          session: '2025-Q4',
          unit_id: U(k as 'A' | 'B'),
          ordinal: 1,
          text: 'Chỉ đạo',
          status: 'open',
        })
        .execute();
    return out;
  })();
  return giaoBanSeed;
}

/** The rows of the year-end evaluation records (issue 8 point 3); a revoke targets a record seeded per request. */
function evaluationRecordRows(): Record<string, Row> {
  const P_READERS: ActorKey[] = ['adminP', 'auditorP', 'standingP', 'orgdeptP'];
  const P_WRITERS: ActorKey[] = ['adminP', 'orgdeptP'];
  const A_RECORD_READERS: ActorKey[] = ['adminA', 'headA', 'auditorA'];
  const record = { decisionNumber: '12-QĐ/KT', date: '2026-01-10', issuer: 'Ủy ban kiểm tra' };
  const seeded = async (kind: 'discipline' | 'conclusion', who: 'staffA' | 'headB') => {
    const r = await db
      .insertInto('evaluation_record')
      .values({
        record_kind: kind,
        subject_kind: 'person',
        person_id: PER(who),
        unit_id: who === 'staffA' ? U('AD1') : U('B'),
        discipline_type: kind === 'discipline' ? 'state' : null,
        discipline_form: kind === 'discipline' ? 'khienTrach' : null,
        conclusion_kind: kind === 'conclusion' ? 'degradation' : null,
        decision_number: '1-QĐ',
        decided_on: '2026-01-05',
        issuer: 'Giám đốc sở',
        created_by: PER('adminP'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  };
  const rows: Record<string, Row> = {};
  for (const [kind, seg, extra] of [
    ['discipline', 'discipline-records', { type: 'state', form: 'khienTrach' }],
    ['conclusion', 'conclusion-records', { kind: 'degradation' }],
  ] as const) {
    rows[`GET /api/evaluation/${seg}`] = [
      {
        target: "unit A's records (its unit-level record, its departments and people)",
        req: () => get(`/api/evaluation/${seg}?unitId=${U('A')}&year=2026`),
        allow: [...P_READERS, ...A_RECORD_READERS],
      },
      {
        target: "A.D1's staff member's records (inside unit A)",
        req: () => get(`/api/evaluation/${seg}?personId=${PER('staffA')}`),
        allow: A_RECORD_READERS,
      },
      {
        target: "unit B's head's records (unit-level)",
        req: () => get(`/api/evaluation/${seg}?personId=${PER('headB')}`),
        allow: P_READERS,
      },
    ];
    rows[`POST /api/evaluation/${seg}`] = [
      {
        target: 'a record about a staff member inside unit A',
        req: () => post(`/api/evaluation/${seg}`, { ...record, ...extra, personId: PER('staffA') }),
        allow: ['adminA', 'headA'],
      },
      {
        target: "a record about unit B's head (unit-level)",
        req: () => post(`/api/evaluation/${seg}`, { ...record, ...extra, personId: PER('headB') }),
        allow: P_WRITERS,
      },
      {
        target: 'a record about unit A itself (unit-level)',
        req: () => post(`/api/evaluation/${seg}`, { ...record, ...extra, unitId: U('A') }),
        allow: P_WRITERS,
      },
    ];
    rows[`POST /api/evaluation/${seg}/:id/revoke`] = [
      {
        target: 'a record about a staff member inside unit A',
        req: async () =>
          post(`/api/evaluation/${seg}/${await seeded(kind, 'staffA')}/revoke`, { reason: 'Sai sót' }),
        allow: ['adminA', 'headA'],
      },
      {
        target: "a record about unit B's head (unit-level)",
        req: async () =>
          post(`/api/evaluation/${seg}/${await seeded(kind, 'headB')}/revoke`, { reason: 'Sai sót' }),
        allow: P_WRITERS,
      },
    ];
  }
  rows['GET /api/evaluation/record-subjects'] = [
    {
      target: "unit A's people and units for the entry form",
      req: () => get(`/api/evaluation/record-subjects?unitId=${U('A')}`),
      allow: [...P_READERS, ...A_RECORD_READERS],
    },
  ];
  for (const seg of ['duty-group', 'party-membership'] as const) {
    const body = seg === 'duty-group' ? { dutyGroup: 'chuyen-vien' } : { isMember: true };
    rows[`GET /api/people/:id/${seg}`] = [
      {
        target: "A.D1's staff member",
        req: () => get(`/api/people/${PER('staffA')}/${seg}`),
        allow: A_RECORD_READERS,
      },
      { target: "unit B's head", req: () => get(`/api/people/${PER('headB')}/${seg}`), allow: P_READERS },
    ];
    rows[`PUT /api/people/:id/${seg}`] = [
      {
        target: "A.D1's staff member",
        req: () => ({
          method: 'PUT',
          path: `/api/people/${PER('staffA')}/${seg}`,
          body: { ...body, effectiveFrom: '2026-01-01' },
        }),
        allow: ['adminA', 'headA'],
      },
      {
        target: "unit B's head",
        req: () => ({
          method: 'PUT',
          path: `/api/people/${PER('headB')}/${seg}`,
          body: { ...body, effectiveFrom: '2026-01-01' },
        }),
        allow: P_WRITERS,
      },
    ];
  }
  return rows;
}

/** The rows of the year-end assessment (issue 8 points 1–2): the person's own; the supervisor of A.D1 and unit
 * A's head assess, never the province; the province's organisation department appraises. The A.D1 official's
 * row of 2026 is seeded without a workflow: 404 / 409 for the allowed, after authorization. */
/** A notice of unit A's 2026 ranking to the A.D1 official, and their appeal (created on first use). */
async function noticeA(): Promise<string> {
  const rankingId = await rankingA();
  await db
    .insertInto('ranking_notice')
    .values({
      ranking_kind: 'unit',
      ranking_id: rankingId,
      subject_id: f.person.officialA,
      unit_id: f.unit.A,
      province_id: f.unit.P,
      year: 2026,
      level: 'good',
      score: '85.00',
      issued_on: '2026-01-10',
      appeal_until: '2099-12-31',
    })
    .onConflict((oc) => oc.columns(['ranking_kind', 'ranking_id', 'subject_id', 'track']).doNothing())
    .execute();
  const r = await db
    .selectFrom('ranking_notice')
    .select('id')
    .where('ranking_id', '=', rankingId)
    .where('subject_id', '=', f.person.officialA)
    .executeTakeFirstOrThrow();
  return r.id;
}
async function appealA(): Promise<string> {
  const noticeId = await noticeA();
  await db
    .insertInto('ranking_appeal')
    .values({
      notice_id: noticeId,
      filed_by: f.person.officialA,
      reason: 'Kiến nghị',
      filed_on: '2026-01-12',
    })
    .onConflict((oc) => oc.column('notice_id').doNothing())
    .execute();
  const r = await db
    .selectFrom('ranking_appeal')
    .select('id')
    .where('notice_id', '=', noticeId)
    .executeTakeFirstOrThrow();
  return r.id;
}
function appealRows(): Record<string, Row> {
  return {
    'GET /api/ranking-notices': [
      {
        target: 'my own notices of a year',
        req: () => get('/api/ranking-notices?year=2026'),
        allow: EVERYONE,
      },
    ],
    'GET /api/ranking-notices/:id/notice.pdf': [
      {
        target: "the A.D1 official's notice of unit A's ranking",
        req: async () => get(`/api/ranking-notices/${await noticeA()}/notice.pdf`),
        allow: ['officialA', ...PROVINCE_LEVEL, ...A_READERS],
      },
    ],
    'POST /api/ranking-notices/:id/appeal': [
      {
        target: "the A.D1 official's notice (the workflow start: 503 here)",
        req: async () => post(`/api/ranking-notices/${await noticeA()}/appeal`, { reason: 'Kiến nghị' }),
        allow: ['officialA'],
        upstream: true,
      },
    ],
    'GET /api/ranking-appeals': [
      {
        target: "the deciding levels' queue of a year",
        req: () => get('/api/ranking-appeals?year=2026'),
        allow: ['standingP', 'orgdeptP'],
      },
    ],
    'POST /api/ranking-appeals/:id/decision': [
      {
        target: "the A.D1 official's appeal (no workflow here: 409)",
        req: async () =>
          post(`/api/ranking-appeals/${await appealA()}/decision`, {
            outcome: 'upheld',
            decisionNumber: '1-QĐ',
          }),
        allow: ['standingP', 'orgdeptP'],
      },
    ],
  };
}

function yearEndRows(): Record<string, Row> {
  const official = async () => {
    await db
      .insertInto('year_end_assessment')
      .values({ person_id: f.person.officialA, unit_id: f.unit.AD1, year: 2026 })
      .onConflict((oc) => oc.columns(['person_id', 'year']).doNothing())
      .execute();
    const r = await db
      .selectFrom('year_end_assessment')
      .select('id')
      .where('person_id', '=', f.person.officialA)
      .where('year', '=', 2026)
      .executeTakeFirstOrThrow();
    return r.id;
  };
  const content = { unplannedWork: [], initiatives: [], certificates: [], rubric: null, points: {} };
  return {
    'GET /api/evaluation/year-end/me': [
      {
        target: 'my own (the A.D1 official has one; others 404)',
        req: () => get('/api/evaluation/year-end/me?year=2026'),
        allow: EVERYONE,
      },
    ],
    'PUT /api/evaluation/year-end/me/draft': [
      {
        target: 'my own draft (not open yet: 409; others 404)',
        req: () => ({
          method: 'PUT',
          path: '/api/evaluation/year-end/me/draft',
          body: { year: 2026, revision: 0, content },
        }),
        allow: EVERYONE,
      },
    ],
    'POST /api/evaluation/year-end/me/submit': [
      {
        target: 'my own submission (not open yet: 409; others 404)',
        req: () => post('/api/evaluation/year-end/me/submit', { year: 2026, revision: 0 }),
        allow: EVERYONE,
      },
    ],
    'POST /api/evaluation/year-end/me/evidence': [
      {
        target: 'an evidence file for my own self-assessment (not open yet: 409; others 404)',
        req: async () => {
          const fd = new FormData();
          fd.append('year', '2026');
          fd.append(
            'file',
            new File([Buffer.from('%PDF-1.4\n%%EOF\n')], 'chung-chi.pdf', { type: 'application/pdf' }),
          );
          const r = new Request('http://x/', { method: 'POST', body: fd });
          return {
            method: 'POST',
            path: '/api/evaluation/year-end/me/evidence',
            raw: { type: r.headers.get('content-type') ?? '', data: new Uint8Array(await r.arrayBuffer()) },
          };
        },
        allow: EVERYONE,
      },
    ],
    'GET /api/evaluation/year-end': [
      {
        target: "A.D1's people",
        req: () => get(`/api/evaluation/year-end?unitId=${U('AD1')}&year=2026`),
        allow: ['headA', 'supervisorA'],
      },
      {
        target: 'the province (individual assessments are internal to the unit)',
        req: () => get(`/api/evaluation/year-end?unitId=${U('P')}&year=2026`),
        allow: [],
      },
    ],
    'GET /api/evaluation/year-end/:id': [
      {
        target: "the A.D1 official's year-end assessment",
        req: async () => get(`/api/evaluation/year-end/${await official()}`),
        allow: ['officialA', 'headA', 'supervisorA', 'orgdeptP'],
      },
    ],
    'POST /api/evaluation/year-end/:id/supervisor': [
      {
        target: "the A.D1 official's (not submitted: 409)",
        req: async () =>
          post(`/api/evaluation/year-end/${await official()}/supervisor`, { points: {}, comments: '' }),
        allow: ['headA', 'supervisorA'],
      },
    ],
    'POST /api/evaluation/year-end/:id/appraisal': [
      {
        target: "the A.D1 official's (not at the appraisal step: 409)",
        req: async () =>
          post(`/api/evaluation/year-end/${await official()}/appraisal`, { agrees: true, comment: 'Đồng ý' }),
        allow: ['orgdeptP'],
      },
    ],
  };
}

const EXPECTATIONS: Record<string, Row> = {
  'GET /api/health': [{ target: 'liveness', req: () => get('/api/health'), allow: 'public' }],
  'GET /api/ready': [{ target: 'readiness', req: () => get('/api/ready'), allow: 'public' }],
  'GET /api/openapi.json': [
    { target: 'the API document', req: () => get('/api/openapi.json'), allow: 'public' },
  ],

  // ---- org tree
  'GET /api/admin/org-units': [
    {
      target: 'units under province P (unit-level)',
      req: () => get(`/api/admin/org-units?parentId=${U('P')}`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: 'departments of A (inside A)',
      req: () => get(`/api/admin/org-units?parentId=${U('A')}`),
      allow: A_READERS,
    },
    {
      target: "sub-units of A.D1 (inside A, the supervisor's department)",
      req: () => get(`/api/admin/org-units?parentId=${U('AD1')}`),
      allow: [...A_READERS, 'supervisorA'],
    },
    {
      target: 'departments of B (outside A)',
      req: () => get(`/api/admin/org-units?parentId=${U('B')}`),
      allow: [],
    },
    {
      target: 'units under province Q (other province)',
      req: () => get(`/api/admin/org-units?parentId=${U('Q')}`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/admin/org-units/:id': [
    {
      target: 'unit A (unit-level; A may read itself)',
      req: () => get(`/api/admin/org-units/${U('A')}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
    {
      target: 'department A.D1',
      req: () => get(`/api/admin/org-units/${U('AD1')}`),
      allow: [...A_READERS, 'supervisorA'],
    },
    { target: 'unit B', req: () => get(`/api/admin/org-units/${U('B')}`), allow: PROVINCE_LEVEL },
    { target: 'department B.D1', req: () => get(`/api/admin/org-units/${U('BD1')}`), allow: [] },
    { target: 'province P itself', req: () => get(`/api/admin/org-units/${U('P')}`), allow: PROVINCE_LEVEL },
    {
      target: 'unit QA (other province)',
      req: () => get(`/api/admin/org-units/${U('QA')}`),
      allow: ['adminQ'],
    },
  ],
  'POST /api/admin/org-units': [
    {
      target: 'a unit under province P',
      req: () =>
        post('/api/admin/org-units', {
          parentId: U('P'),
          typeCode: 'commune',
          code: `X${uniq()}`,
          nameVi: 'Xã Mới',
          activeFrom: today,
        }),
      allow: ['adminP'],
    },
    {
      target: 'a department of A',
      req: () =>
        post('/api/admin/org-units', {
          parentId: U('A'),
          typeCode: 'department',
          code: `A.${uniq()}`,
          nameVi: 'Phòng Mới',
          activeFrom: today,
        }),
      allow: A_MANAGERS,
    },
    {
      target: 'a sub-department of A.D1',
      req: () =>
        post('/api/admin/org-units', {
          parentId: U('AD1'),
          typeCode: 'department',
          code: `A.D1.${uniq()}`,
          nameVi: 'Tổ Mới',
          activeFrom: today,
        }),
      allow: A_MANAGERS,
    },
    {
      target: 'a department of B',
      req: () =>
        post('/api/admin/org-units', {
          parentId: U('B'),
          typeCode: 'department',
          code: `B.${uniq()}`,
          nameVi: 'Phòng Mới',
          activeFrom: today,
        }),
      allow: [],
    },
    {
      target: 'a unit under province Q',
      req: () =>
        post('/api/admin/org-units', {
          parentId: U('Q'),
          typeCode: 'agency',
          code: `Q${uniq()}`,
          nameVi: 'Sở Mới',
          activeFrom: today,
        }),
      allow: ['adminQ'],
    },
  ],
  'PATCH /api/admin/org-units/:id': [
    {
      target: 'unit A',
      req: () => ({ method: 'PATCH', path: `/api/admin/org-units/${U('A')}`, body: { nameEn: 'Agency A' } }),
      allow: ['adminP'],
    },
    {
      target: 'department A.D1',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/org-units/${U('AD1')}`,
        body: { nameEn: 'Division 1' },
      }),
      allow: A_MANAGERS,
    },
    {
      target: 'unit B',
      req: () => ({ method: 'PATCH', path: `/api/admin/org-units/${U('B')}`, body: { nameEn: 'Agency B' } }),
      allow: ['adminP'],
    },
    {
      target: 'department B.D1',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/org-units/${U('BD1')}`,
        body: { nameEn: 'Division B1' },
      }),
      allow: [],
    },
    {
      target: 'province P',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/org-units/${U('P')}`,
        body: { nameEn: 'Test Province' },
      }),
      allow: ['adminP'],
    },
    {
      target: 'unit QA',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/org-units/${U('QA')}`,
        body: { nameEn: 'Agency QA' },
      }),
      allow: ['adminQ'],
    },
  ],
  'POST /api/admin/org-units/:id/move': [
    {
      target: 'A.D2 within A',
      req: () => post(`/api/admin/org-units/${U('AD2')}/move`, { parentId: U('A') }),
      allow: A_MANAGERS,
    },
    {
      target: 'unit M1 within P',
      req: () => post(`/api/admin/org-units/${U('M1')}/move`, { parentId: U('P') }),
      allow: ['adminP'],
    },
    {
      target: 'A.D2 into B (both units needed)',
      req: () => post(`/api/admin/org-units/${U('AD2')}/move`, { parentId: U('B') }),
      allow: [],
    },
  ],
  'POST /api/admin/org-units/:id/deactivate': [
    {
      target: 'department A.D1',
      req: () => post(`/api/admin/org-units/${U('AD1')}/deactivate`, { activeTo: '2026-12-31' }),
      allow: A_MANAGERS,
    },
    {
      target: 'unit A',
      req: () => post(`/api/admin/org-units/${U('A')}/deactivate`, { activeTo: '2026-12-31' }),
      allow: ['adminP'],
    },
    {
      target: 'department B.D1',
      req: () => post(`/api/admin/org-units/${U('BD1')}/deactivate`, { activeTo: '2026-12-31' }),
      allow: [],
    },
  ],
  'POST /api/admin/org-units/:id/merge': [
    {
      target: 'A.M1 into A.M2',
      req: () =>
        post(`/api/admin/org-units/${U('AM1')}/merge`, { intoId: U('AM2'), effectiveDate: '2026-07-01' }),
      allow: A_MANAGERS,
    },
    {
      target: 'unit M1 into M2',
      req: () =>
        post(`/api/admin/org-units/${U('M1')}/merge`, { intoId: U('M2'), effectiveDate: '2026-07-01' }),
      allow: ['adminP'],
    },
    {
      target: 'B.D1 into A.D1',
      req: () =>
        post(`/api/admin/org-units/${U('BD1')}/merge`, { intoId: U('AD1'), effectiveDate: '2026-07-01' }),
      allow: [],
    },
  ],

  // ---- people
  'GET /api/admin/people': [
    {
      target: "A.D1's people (province: heads only)",
      req: () => get(`/api/admin/people?unitId=${U('AD1')}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS, 'supervisorA'],
    },
    {
      target: "A's people",
      req: () => get(`/api/admin/people?unitId=${U('A')}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
    {
      target: "B.D1's people",
      req: () => get(`/api/admin/people?unitId=${U('BD1')}`),
      allow: PROVINCE_LEVEL,
    },
    { target: "QA's people", req: () => get(`/api/admin/people?unitId=${U('QA')}`), allow: ['adminQ'] },
  ],
  'GET /api/admin/people/:id': [
    {
      target: 'an official of A.D1',
      req: () => get(`/api/admin/people/${PER('staffA')}`),
      allow: [...A_READERS, 'supervisorA'],
    },
    {
      target: 'the head of A (unit-level)',
      req: () => get(`/api/admin/people/${PER('headA')}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
    { target: 'the head of B', req: () => get(`/api/admin/people/${PER('headB')}`), allow: PROVINCE_LEVEL },
    { target: 'an official of B.D1', req: () => get(`/api/admin/people/${PER('staffB')}`), allow: [] },
    {
      target: "an official of QA (inside a unit of Q: not the province's business)",
      req: () => get(`/api/admin/people/${PER('staffQ')}`),
      allow: [],
    },
  ],
  'POST /api/admin/people': (['AD1', 'A', 'BD1', 'QA'] as const).map((u) => ({
    target: `a new person in ${u}`,
    req: () =>
      post('/api/admin/people', {
        fullName: 'Người Mới',
        email: `new-${uniq()}@test.woms.vn`,
        dutyGroup: 'civil_servant',
        employment: { unitId: U(u), positionCode: 'chuyen_vien', validFrom: today },
      }),
    allow: u === 'AD1' || u === 'A' ? A_MANAGERS : [],
  })),
  'PATCH /api/admin/people/:id': [
    {
      target: 'an official of A.D1',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/people/${PER('staffA')}`,
        body: { phone: '0901234567' },
      }),
      allow: A_MANAGERS,
    },
    {
      target: "A's administrator (nobody edits themselves)",
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/people/${PER('adminA')}`,
        body: { phone: '0901234567' },
      }),
      allow: ['headA'],
    },
    {
      target: 'the head of A (managed by the province)',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/people/${PER('headA')}`,
        body: { phone: '0901234567' },
      }),
      allow: ['adminP'],
    },
    {
      target: 'the head of B',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/people/${PER('headB')}`,
        body: { phone: '0901234567' },
      }),
      allow: ['adminP'],
    },
    {
      target: 'an official of B.D1',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/people/${PER('staffB')}`,
        body: { phone: '0901234567' },
      }),
      allow: [],
    },
    {
      target: 'an official of QA',
      req: () => ({
        method: 'PATCH',
        path: `/api/admin/people/${PER('staffQ')}`,
        body: { phone: '0901234567' },
      }),
      allow: [],
    },
  ],

  // ---- employment
  'GET /api/admin/employment': [
    {
      target: 'an official of A.D1',
      req: () => get(`/api/admin/employment?personId=${PER('staffA')}`),
      allow: [...A_READERS, 'supervisorA'],
    },
    {
      target: 'the head of B',
      req: () => get(`/api/admin/employment?personId=${PER('headB')}`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: 'an official of B.D1',
      req: () => get(`/api/admin/employment?personId=${PER('staffB')}`),
      allow: [],
    },
  ],
  'POST /api/admin/employment/hire': [
    {
      target: 'A official: a concurrent post in A.D2',
      req: () =>
        post('/api/admin/employment/hire', {
          personId: PER('staffA'),
          unitId: U('AD2'),
          positionCode: 'chuyen_vien',
          validFrom: today,
          isConcurrent: true,
        }),
      allow: A_MANAGERS,
    },
    {
      target: 'B official: a concurrent post in A.D2 (A hires)',
      req: () =>
        post('/api/admin/employment/hire', {
          personId: PER('staffB'),
          unitId: U('AD2'),
          positionCode: 'chuyen_vien',
          validFrom: today,
          isConcurrent: true,
        }),
      allow: A_MANAGERS,
    },
    {
      target: 'B official into B.D1',
      req: () =>
        post('/api/admin/employment/hire', {
          personId: PER('staffB'),
          unitId: U('BD1'),
          positionCode: 'chuyen_vien',
          validFrom: today,
          isConcurrent: true,
        }),
      allow: [],
    },
    {
      target: 'the head of B, a post in B',
      req: () =>
        post('/api/admin/employment/hire', {
          personId: PER('headB'),
          unitId: U('B'),
          positionCode: 'chuyen_vien',
          validFrom: today,
          isConcurrent: true,
        }),
      allow: ['adminP'],
    },
    {
      target: "A's administrator (not themselves)",
      req: () =>
        post('/api/admin/employment/hire', {
          personId: PER('adminA'),
          unitId: U('AD2'),
          positionCode: 'chuyen_vien',
          validFrom: today,
          isConcurrent: true,
        }),
      allow: ['headA'],
    },
  ],
  'POST /api/admin/employment/transfer': [
    {
      target: 'A official to A.D2',
      req: () =>
        post('/api/admin/employment/transfer', {
          personId: PER('staffA'),
          unitId: U('AD2'),
          positionCode: 'chuyen_vien',
          effectiveDate: '2026-09-01',
        }),
      allow: A_MANAGERS,
    },
    {
      target: 'B official to A.D2 (both units needed)',
      req: () =>
        post('/api/admin/employment/transfer', {
          personId: PER('staffB'),
          unitId: U('AD2'),
          positionCode: 'chuyen_vien',
          effectiveDate: '2026-09-01',
        }),
      allow: [],
    },
    {
      target: 'the head of B, new position in B',
      req: () =>
        post('/api/admin/employment/transfer', {
          personId: PER('headB'),
          unitId: U('B'),
          positionCode: 'giam_doc',
          effectiveDate: '2026-09-01',
        }),
      allow: ['adminP'],
    },
  ],
  'POST /api/admin/employment/leave': [
    {
      target: 'an official of A.D2 leaves',
      req: () => post('/api/admin/employment/leave', { personId: PER('leaverA'), lastDay: '2026-10-31' }),
      allow: A_MANAGERS,
    },
    {
      target: 'an official of B.D1 leaves',
      req: () => post('/api/admin/employment/leave', { personId: PER('staffB'), lastDay: '2026-10-31' }),
      allow: [],
    },
    {
      target: 'an official of QA leaves',
      req: () => post('/api/admin/employment/leave', { personId: PER('staffQ'), lastDay: '2026-10-31' }),
      allow: [],
    },
  ],

  // ---- roles
  'GET /api/admin/roles': [
    { target: 'the role catalogue', req: () => get('/api/admin/roles'), allow: EVERYONE },
  ],
  'GET /api/admin/role-assignments': [
    {
      target: 'grants in A.D1 (province: heads only)',
      req: () => get(`/api/admin/role-assignments?unitId=${U('AD1')}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS, 'supervisorA'],
    },
    {
      target: 'grants in A',
      req: () => get(`/api/admin/role-assignments?unitId=${U('A')}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
    {
      target: 'grants in B.D1',
      req: () => get(`/api/admin/role-assignments?unitId=${U('BD1')}`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: 'grants in QA',
      req: () => get(`/api/admin/role-assignments?unitId=${U('QA')}`),
      allow: ['adminQ'],
    },
  ],
  'POST /api/admin/role-assignments': [
    {
      target: 'official in A.D1 for an A official',
      req: () =>
        post('/api/admin/role-assignments', {
          personId: PER('staffA'),
          roleCode: 'official',
          scopeUnitId: U('AD1'),
          validFrom: '2090-01-01',
        }),
      allow: A_MANAGERS,
    },
    {
      target: 'head of B (unit-level)',
      req: () =>
        post('/api/admin/role-assignments', {
          personId: PER('staffB'),
          roleCode: 'unit_head',
          scopeUnitId: U('B'),
          validFrom: '2090-01-01',
        }),
      allow: ['adminP'],
    },
    {
      target: 'secretariat of the province',
      req: () =>
        post('/api/admin/role-assignments', {
          personId: PER('staffA'),
          roleCode: 'secretariat',
          scopeUnitId: U('P'),
          validFrom: '2090-01-01',
        }),
      allow: ['adminP'],
    },
    {
      target: 'official in B.D1',
      req: () =>
        post('/api/admin/role-assignments', {
          personId: PER('staffB'),
          roleCode: 'official',
          scopeUnitId: U('BD1'),
          validFrom: '2090-01-01',
        }),
      allow: [],
    },
    {
      target: "a grant to A's administrator (not by themselves)",
      req: () =>
        post('/api/admin/role-assignments', {
          personId: PER('adminA'),
          roleCode: 'supervisor',
          scopeUnitId: U('AD2'),
          validFrom: '2090-01-01',
        }),
      allow: ['headA'],
    },
  ],
  'POST /api/admin/role-assignments/:id/revoke': [
    {
      target: 'a grant in A.D1',
      req: () => post(`/api/admin/role-assignments/${ids.gA}/revoke`, { validTo: '2090-01-01' }),
      allow: A_MANAGERS,
    },
    {
      target: 'an administrator grant on B (unit-level)',
      req: () => post(`/api/admin/role-assignments/${ids.gB}/revoke`, { validTo: '2090-01-01' }),
      allow: ['adminP'],
    },
    {
      target: "A's administrator's own grant",
      req: () => post(`/api/admin/role-assignments/${ids.gSelf}/revoke`, { validTo: '2090-01-01' }),
      allow: ['headA'],
    },
    {
      target: 'an official grant in QA (inside a unit)',
      req: () => post(`/api/admin/role-assignments/${ids.gQ}/revoke`, { validTo: '2090-01-01' }),
      allow: [],
    },
  ],

  // ---- province settings
  'GET /api/admin/approval-chains': [
    {
      target: "P's chains",
      req: () => get(`/api/admin/approval-chains?provinceId=${U('P')}`),
      allow: IN_PROVINCE_P,
    },
    {
      target: "Q's chains",
      req: () => get(`/api/admin/approval-chains?provinceId=${U('Q')}`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/admin/approval-chains/:id': [
    {
      target: 'a chain of P',
      req: () => get(`/api/admin/approval-chains/${ids.chainP}`),
      allow: IN_PROVINCE_P,
    },
    { target: 'a chain of Q', req: () => get(`/api/admin/approval-chains/${ids.chainQ}`), allow: ['adminQ'] },
  ],
  'POST /api/admin/approval-chains': [
    {
      target: 'a chain of P',
      req: () =>
        post('/api/admin/approval-chains', {
          provinceId: U('P'),
          unitTypeCode: 'commune',
          subject: 'evaluation',
          steps: [{ roleCode: 'unit_head', scope: 'unit' }],
        }),
      allow: ['adminP'],
    },
    {
      target: 'a chain of Q',
      req: () =>
        post('/api/admin/approval-chains', {
          provinceId: U('Q'),
          unitTypeCode: 'commune',
          subject: 'evaluation',
          steps: [{ roleCode: 'unit_head', scope: 'unit' }],
        }),
      allow: ['adminQ'],
    },
  ],
  'PUT /api/admin/approval-chains/:id/steps': [
    {
      target: 'a chain of P',
      req: () => ({
        method: 'PUT',
        path: `/api/admin/approval-chains/${ids.chainP}/steps`,
        body: { steps: [{ roleCode: 'standing_committee', scope: 'province' }] },
      }),
      allow: ['adminP'],
    },
    {
      target: 'a chain of Q',
      req: () => ({
        method: 'PUT',
        path: `/api/admin/approval-chains/${ids.chainQ}/steps`,
        body: { steps: [{ roleCode: 'standing_committee', scope: 'province' }] },
      }),
      allow: ['adminQ'],
    },
  ],
  'GET /api/admin/calendar-profiles': [
    {
      target: "P's profiles",
      req: () => get(`/api/admin/calendar-profiles?provinceId=${U('P')}`),
      allow: IN_PROVINCE_P,
    },
    {
      target: "Q's profiles",
      req: () => get(`/api/admin/calendar-profiles?provinceId=${U('Q')}`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/admin/calendar-profiles/:id': [
    { target: "P's profile", req: () => get('/api/admin/calendar-profiles/cal-p'), allow: IN_PROVINCE_P },
    { target: "Q's profile", req: () => get('/api/admin/calendar-profiles/cal-q'), allow: ['adminQ'] },
  ],
  'PUT /api/admin/calendar-profiles/:id': (['P', 'Q'] as const).map((pv) => ({
    target: `${pv}'s profile`,
    req: () => ({
      method: 'PUT',
      path: `/api/admin/calendar-profiles/cal-${pv.toLowerCase()}`,
      body: { provinceId: U(pv), name: 'Lịch', weekendDays: [6, 7], holidays: [], makeUpWorkingDays: [] },
    }),
    allow: pv === 'P' ? ['adminP'] : ['adminQ'],
    // P has running plans: the change is saved, then carrying it to them needs Temporal (absent here)
    ...(pv === 'P' ? { upstream: true as const } : {}),
  })),
  'GET /api/admin/calendar-profiles/:id/plan-years/:year': [
    {
      target: "P's 2027 calendar",
      req: () => get('/api/admin/calendar-profiles/cal-p/plan-years/2027'),
      allow: IN_PROVINCE_P,
    },
    {
      target: "Q's 2027 calendar",
      req: () => get('/api/admin/calendar-profiles/cal-q/plan-years/2027'),
      allow: ['adminQ'],
    },
  ],
  'PUT /api/admin/calendar-profiles/:id/plan-years/:year/deadlines/:deadlineId': (['P', 'Q'] as const).map(
    (pv) => ({
      target: `a deadline of ${pv}'s 2027 calendar`,
      req: () => ({
        method: 'PUT',
        path: `/api/admin/calendar-profiles/cal-${pv.toLowerCase()}/plan-years/2027/deadlines/plan.submit`,
        body: { date: '2026-12-02', reason: 'Theo chỉ đạo của tỉnh' },
      }),
      allow: pv === 'P' ? ['adminP'] : ['adminQ'],
      ...(pv === 'P' ? { upstream: true as const } : {}),
    }),
  ),
  'GET /api/admin/metric-library': [
    {
      target: "P's library",
      req: () => get(`/api/admin/metric-library?provinceId=${U('P')}`),
      allow: IN_PROVINCE_P,
    },
    {
      target: "Q's library",
      req: () => get(`/api/admin/metric-library?provinceId=${U('Q')}`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/admin/metric-library/:id': [
    { target: 'a metric of P', req: () => get(`/api/admin/metric-library/${ids.mP}`), allow: IN_PROVINCE_P },
    { target: 'a metric of Q', req: () => get(`/api/admin/metric-library/${ids.mQ}`), allow: ['adminQ'] },
  ],
  'POST /api/admin/metric-library': (['P', 'Q'] as const).map((pv) => ({
    target: `a metric of ${pv}`,
    req: () =>
      post('/api/admin/metric-library', {
        provinceId: U(pv),
        code: `M.${uniq()}`,
        titleVi: 'Tỷ lệ hồ sơ đúng hạn',
        unit: '%',
        direction: 'higher',
        aggregation: 'average',
        perspective: 'citizens',
      }),
    allow: pv === 'P' ? ['adminP'] : ['adminQ'],
  })),
  'POST /api/admin/metric-library/seed': [
    {
      target: "P's library",
      req: () => post('/api/admin/metric-library/seed', { provinceId: U('P') }),
      allow: ['adminP'],
    },
    {
      target: "Q's library",
      req: () => post('/api/admin/metric-library/seed', { provinceId: U('Q') }),
      allow: ['adminQ'],
    },
  ],
  'PATCH /api/admin/metric-library/:id': [
    {
      target: 'a metric of P',
      req: () => ({ method: 'PATCH', path: `/api/admin/metric-library/${ids.mP}`, body: { unit: 'lượt' } }),
      allow: ['adminP'],
    },
    {
      target: 'a metric of Q',
      req: () => ({ method: 'PATCH', path: `/api/admin/metric-library/${ids.mQ}`, body: { unit: 'lượt' } }),
      allow: ['adminQ'],
    },
  ],
  'GET /api/admin/conversion-coefficients': [
    {
      target: "A's catalogue (inside A)",
      req: () => get(`/api/admin/conversion-coefficients?unitId=${U('A')}`),
      allow: A_READERS,
    },
    {
      target: "B's catalogue",
      req: () => get(`/api/admin/conversion-coefficients?unitId=${U('B')}`),
      allow: [],
    },
  ],
  'GET /api/admin/conversion-coefficients/:id': [
    {
      target: "A's catalogue version",
      req: () => get(`/api/admin/conversion-coefficients/${ids.catA}`),
      allow: A_READERS,
    },
  ],
  'POST /api/admin/conversion-coefficients': (['A', 'B'] as const).map((u) => ({
    target: `a new version for ${u}`,
    req: () =>
      post('/api/admin/conversion-coefficients', {
        unitId: U(u),
        validFrom: '2026-06-01',
        approvedBy: 'Thủ trưởng',
        approvedOn: '2026-05-20',
        entries: [
          {
            positionCode: 'chuyen_vien',
            productCode: 'report',
            productNameVi: 'Báo cáo',
            coefficient: '1.25',
          },
        ],
      }),
    allow: u === 'A' ? A_MANAGERS : [],
  })),

  // ---- import
  'GET /api/admin/import/template': [
    { target: 'the workbook template', req: () => get('/api/admin/import/template'), allow: EVERYONE },
  ],
  'POST /api/admin/import': [
    {
      target: 'a department of A and a person in A.D1',
      req: async () => {
        const code = `A.I${uniq()}`;
        return {
          method: 'POST',
          path: `/api/admin/import?provinceId=${U('P')}`,
          raw: {
            type: XLSX_TYPE,
            data: await workbook(
              [[code, 'A', 'department', 'Phòng Nhập', '', '', today]],
              [
                [
                  'Người Nhập',
                  `imp-${uniq()}@test.woms.vn`,
                  '',
                  'civil_servant',
                  'A.D1',
                  'chuyen_vien',
                  today,
                ],
              ],
            ),
          },
        };
      },
      allow: A_MANAGERS,
      rowChecked: true,
    },
    {
      target: 'a unit under province P',
      req: async () => ({
        method: 'POST',
        path: `/api/admin/import?provinceId=${U('P')}`,
        raw: {
          type: XLSX_TYPE,
          data: await workbook([[`I${uniq()}`, '', 'ward', 'Phường Nhập', '', '', today]], []),
        },
      }),
      allow: ['adminP'],
      rowChecked: true,
    },
  ],

  // ---- one's own inbox, notifications and search (issue 5, point 4): everyone signed in, only their own
  'GET /api/inbox': [{ target: 'my own inbox', req: () => get('/api/inbox'), allow: EVERYONE }],
  // a task that is nobody's here: 404 for everyone signed in, never 403 (one's own inbox)
  'GET /api/inbox/:id': [
    { target: 'a task in my own inbox', req: () => get('/api/inbox/no-such-task'), allow: EVERYONE },
  ],
  'GET /api/notifications': [
    { target: 'my own notifications', req: () => get('/api/notifications'), allow: EVERYONE },
  ],
  // ---- my calendar (issue 7, point 5): everyone signed in, only their own deadlines and their own feed link
  'GET /api/calendar/mine': [
    { target: 'my own deadlines', req: () => get('/api/calendar/mine'), allow: EVERYONE },
  ],
  'POST /api/calendar/feed-token': [
    {
      target: 'my own feed link',
      req: () => post('/api/calendar/feed-token', { language: 'vi' }),
      allow: EVERYONE,
    },
  ],
  'DELETE /api/calendar/feed-token': [
    {
      target: 'my own feed link',
      req: () => ({ method: 'DELETE', path: '/api/calendar/feed-token' }),
      allow: EVERYONE,
    },
  ],
  // public (a phone calendar has no session): the token is the key; an unknown or revoked one is 404 for
  // everyone, signed in or not, never 401/403
  'GET /api/calendar/feed/:file': [
    {
      target: 'a feed link nobody holds (404 for all)',
      req: () => get(`/api/calendar/feed/${'Z'.repeat(43)}.ics`),
      allow: 'public',
    },
  ],
  'POST /api/notifications/read': [
    {
      target: 'my own notifications',
      req: () => post('/api/notifications/read', { all: true }),
      allow: EVERYONE,
    },
  ],
  'GET /api/search': [
    {
      target: 'plans, tasks and key results within my reach',
      req: () => get(`/api/search?q=${encodeURIComponent('ke hoach')}`),
      allow: EVERYONE,
    },
  ],

  // ---- check-ins, the content half (issue 6): one's own draft values (everyone signed in, only their own);
  // the tracker: persons for the unit's readers (head, administrator, auditor; a supervisor for their own
  // department), counts only for the province (the tiered rule); a key result's history as its plan is read
  'GET /api/check-ins/mine': [
    { target: 'my own check-in', req: () => get('/api/check-ins/mine?period=2026-01'), allow: EVERYONE },
  ],
  'PUT /api/check-ins/mine/:period/values': [
    {
      target: 'my own check-in (nothing to save)',
      req: () => ({
        method: 'PUT',
        path: '/api/check-ins/mine/2026-01/values',
        body: { baseRevision: 0, values: [] },
      }),
      allow: EVERYONE,
    },
  ],
  'GET /api/check-ins': [
    {
      target: "department A.D1's tracker (persons inside A; counts for the province)",
      req: () => get(`/api/check-ins?unitId=${U('AD1')}&period=2026-01`),
      allow: [...PROVINCE_LEVEL, ...A_READERS, 'supervisorA'],
    },
    {
      target: "unit A's tracker",
      req: () => get(`/api/check-ins?unitId=${U('A')}&period=2026-01`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
    {
      target: "unit B's tracker",
      req: () => get(`/api/check-ins?unitId=${U('B')}&period=2026-01`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: "province P's tracker (counts per unit)",
      req: () => get(`/api/check-ins?unitId=${U('P')}&period=2026-01`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: "unit QA's tracker (other province)",
      req: () => get(`/api/check-ins?unitId=${U('QA')}&period=2026-01`),
      allow: ['adminQ'],
    },
  ],
  // ---- check-ins, the process half (issue 6): one submits one's own (nothing due here: 422 before Temporal);
  // the supervisor of the person's department or the unit head verifies (nothing submitted: 409), never the
  // province (the tiered rule), never oneself
  'POST /api/check-ins/mine/:period/submit': [
    {
      target: 'my own check-in (nothing due)',
      req: () => post('/api/check-ins/mine/2026-01/submit', undefined),
      allow: EVERYONE,
    },
  ],
  'POST /api/check-ins/:checkInId/verify': [
    {
      target: "an A.D1 official's check-in (not submitted)",
      req: async () => {
        await db
          .insertInto('check_in')
          .values({
            person_id: f.person.officialA,
            unit_id: f.unit.AD1,
            period: '2026-01',
            workflow_id: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
          .execute();
        const ci = await db
          .selectFrom('check_in')
          .select('id')
          .where('person_id', '=', f.person.officialA)
          .where('period', '=', '2026-01')
          .executeTakeFirstOrThrow();
        return post(`/api/check-ins/${ci.id}/verify`, {
          values: [{ planId: 'p', keyResultId: 'k', verdict: 'verified' }],
        });
      },
      allow: ['headA', 'supervisorA'],
    },
  ],
  // ---- period lock and reopening (issue 6): one asks to reopen one's own period (nothing locked here: 404/409);
  // the unit head decides (nothing requested: 409), never the person nor the supervisor; the verify item is
  // moved by the unit head or the current verifier (nothing submitted: 409)
  'POST /api/check-ins/mine/:period/reopen-request': [
    {
      target: 'my own check-in (not locked)',
      req: () => post('/api/check-ins/mine/2026-01/reopen-request', { reason: 'Nghỉ ốm' }),
      allow: EVERYONE,
    },
  ],
  'POST /api/check-ins/:checkInId/reopen-decision': [
    {
      target: "an A.D1 official's check-in (nothing requested)",
      req: async () => {
        await db
          .insertInto('check_in')
          .values({
            person_id: f.person.officialA,
            unit_id: f.unit.AD1,
            period: '2026-01',
            workflow_id: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
          .execute();
        const ci = await db
          .selectFrom('check_in')
          .select('id')
          .where('person_id', '=', f.person.officialA)
          .where('period', '=', '2026-01')
          .executeTakeFirstOrThrow();
        return post(`/api/check-ins/${ci.id}/reopen-decision`, { decision: 'approve' });
      },
      allow: ['headA'],
    },
  ],
  'POST /api/check-ins/:checkInId/verifier': [
    {
      target: "an A.D1 official's check-in (not submitted)",
      req: async () => {
        await db
          .insertInto('check_in')
          .values({
            person_id: f.person.officialA,
            unit_id: f.unit.AD1,
            period: '2026-01',
            workflow_id: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
          .execute();
        const ci = await db
          .selectFrom('check_in')
          .select('id')
          .where('person_id', '=', f.person.officialA)
          .where('period', '=', '2026-01')
          .executeTakeFirstOrThrow();
        return post(`/api/check-ins/${ci.id}/verifier`, {
          toPersonId: f.person.supervisorA,
          reason: 'Nghỉ phép',
        });
      },
      allow: ['headA'],
    },
  ],
  // ---- an agency's assessment cadence (issue 6 loose ends): set by the administrators of the province or of the
  // agency; read also by the auditors and the agency's head
  'GET /api/admin/assessment-cadence/:unitId': [
    {
      target: "agency A's cadence",
      req: () => get(`/api/admin/assessment-cadence/${U('A')}`),
      allow: ['adminP', 'auditorP', 'adminA', 'auditorA', 'headA'],
    },
    {
      target: "agency QA's cadence (other province)",
      req: () => get(`/api/admin/assessment-cadence/${U('QA')}`),
      allow: ['adminQ'],
    },
  ],
  'PUT /api/admin/assessment-cadence/:unitId': [
    {
      target: "agency A's cadence",
      req: () => ({
        method: 'PUT',
        path: `/api/admin/assessment-cadence/${U('A')}`,
        body: { cadence: 'quarter' },
      }),
      allow: ['adminP', 'adminA'],
    },
    {
      target: "agency B's cadence",
      req: () => ({
        method: 'PUT',
        path: `/api/admin/assessment-cadence/${U('B')}`,
        body: { cadence: 'month' },
      }),
      allow: ['adminP'],
    },
  ],
  // ---- year-end evaluation records (issue 8 point 3), by the tiered rule: about a unit under the province or its
  // head, the province's organisation department and administrators enter them; about the people inside a unit,
  // the unit's head and administrators; auditors (and the standing committee at the province) read
  ...evaluationRecordRows(),
  ...yearEndRows(),
  // ---- ranking notices and appeals (issue 8 point 4): one's own notices; the notice PDF to its person and the
  // ranking's readers; the appeal by its person (the workflow start: 503 here); the queue and the decision of the
  // province's organisation department and standing committee (no workflow here: 409)
  ...appealRows(),
  // ---- the monthly unit report (issue 6 point 6), a unit-level document: the unit's leadership (head,
  // administrator, auditor) reads its own, the province reads every unit's; only the unit head sends it
  'GET /api/reports/monthly': [
    {
      target: "unit A's report of a month",
      req: () => get(`/api/reports/monthly?unitId=${U('A')}&period=2026-01`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's report",
      req: () => get(`/api/reports/monthly?unitId=${U('B')}&period=2026-01`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: "unit QA's report (other province)",
      req: () => get(`/api/reports/monthly?unitId=${U('QA')}&period=2026-01`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/reports/monthly/:unitId/:file': [
    {
      target: "unit A's report as a PDF",
      req: () => get(`/api/reports/monthly/${U('A')}/2026-01.pdf`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's report as an Excel file",
      req: () => get(`/api/reports/monthly/${U('B')}/2026-01.xlsx`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'POST /api/reports/monthly/:unitId/:period/send': [
    {
      target: "unit A's report (no calendar here: 422, or the workflow service: 503)",
      req: () => post(`/api/reports/monthly/${U('A')}/2026-01/send`, {}),
      allow: ['headA'],
      upstream: true,
    },
    {
      target: "unit B's report",
      req: () => post(`/api/reports/monthly/${U('B')}/2026-01/send`, {}),
      allow: [],
    },
  ],
  // ---- the quarterly unit report (issue 7 point 1), a unit-level document like the monthly one; the unit head
  // writes its narrative
  'GET /api/reports/quarterly': [
    {
      target: "unit A's report of a quarter",
      req: () => get(`/api/reports/quarterly?unitId=${U('A')}&period=2026-Q1`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's report",
      req: () => get(`/api/reports/quarterly?unitId=${U('B')}&period=2026-Q1`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'GET /api/reports/quarterly/:unitId/:file': [
    {
      target: "unit A's report as a PDF",
      req: () => get(`/api/reports/quarterly/${U('A')}/2026-Q1.pdf`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's report as an Excel file",
      req: () => get(`/api/reports/quarterly/${U('B')}/2026-Q1.xlsx`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'PUT /api/reports/quarterly/:unitId/:period/narrative': [
    {
      target: "unit A's narrative (a stale revision: 409 for the allowed)",
      req: () => ({
        method: 'PUT',
        path: `/api/reports/quarterly/${U('A')}/2026-Q1/narrative`,
        body: { results: 'Kết quả', difficulties: '', nextFocus: '', baseRevision: 99 },
      }),
      allow: ['headA'],
    },
    {
      target: "unit B's narrative",
      req: () => ({
        method: 'PUT',
        path: `/api/reports/quarterly/${U('B')}/2026-Q1/narrative`,
        body: { results: 'Kết quả', difficulties: '', nextFocus: '', baseRevision: 99 },
      }),
      allow: [],
    },
  ],
  'POST /api/reports/quarterly/:unitId/:period/send': [
    {
      target: "unit A's report (no calendar here: 422, or the workflow service: 503)",
      req: () => post(`/api/reports/quarterly/${U('A')}/2026-Q1/send`, {}),
      allow: ['headA'],
      upstream: true,
    },
    {
      target: "unit B's report",
      req: () => post(`/api/reports/quarterly/${U('B')}/2026-Q1/send`, {}),
      allow: [],
    },
  ],
  // ---- the quarterly giao ban (issue 7 point 2): the province's levels read every unit's row, a unit's leadership
  // its own unit's (the caller's province: Q's administrator reads Q's); only the secretariat concludes and
  // publishes; only the unit head reports on the unit's directions (a published session seeded in P)
  'GET /api/giao-ban': [
    {
      target: "the year's sessions of the caller's province",
      req: async () => {
        await giaoBanSeeded();
        return get('/api/giao-ban?year=2025');
      },
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA', 'adminQ'],
    },
  ],
  'GET /api/giao-ban/:session': [
    {
      target: "a session of the caller's province (unit rows by the tiered rule)",
      req: async () => {
        await giaoBanSeeded();
        return get('/api/giao-ban/2025-Q4');
      },
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA', 'adminQ'],
    },
  ],
  'GET /api/giao-ban/:session/units/:unitId/dossier.pdf': [
    {
      target: "unit A's dossier (not sent: 404 for the allowed)",
      req: async () => {
        await giaoBanSeeded();
        return get(`/api/giao-ban/2025-Q4/units/${U('A')}/dossier.pdf`);
      },
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's dossier",
      req: async () => {
        await giaoBanSeeded();
        return get(`/api/giao-ban/2025-Q4/units/${U('B')}/dossier.pdf`);
      },
      allow: PROVINCE_LEVEL,
    },
  ],
  'GET /api/giao-ban/:session/minutes.pdf': [
    {
      target: "the minutes of the caller's province (none yet: 404 for the allowed)",
      req: async () => {
        await giaoBanSeeded();
        return get('/api/giao-ban/2025-Q4/minutes.pdf');
      },
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA', 'adminQ'],
    },
  ],
  'PUT /api/giao-ban/:session/units/:unitId/conclusion': [
    {
      target: "unit A's conclusion (published: 409 for the allowed)",
      req: async () => {
        await giaoBanSeeded();
        return {
          method: 'PUT',
          path: `/api/giao-ban/2025-Q4/units/${U('A')}/conclusion`,
          body: { completionLevel: 'good', summary: 'Hoàn thành tốt', directions: [] },
        };
      },
      allow: ['secretariatP'],
    },
    {
      target: "a unit of province Q's conclusion",
      req: async () => ({
        method: 'PUT',
        path: `/api/giao-ban/2025-Q4/units/${U('QA')}/conclusion`,
        body: { completionLevel: 'good', summary: 'Hoàn thành tốt', directions: [] },
      }),
      allow: [],
    },
  ],
  'POST /api/giao-ban/:session/publish': [
    {
      target: "the caller's province's session (published: 409 for the allowed)",
      req: async () => {
        await giaoBanSeeded();
        return post('/api/giao-ban/2025-Q4/publish', {});
      },
      allow: ['secretariatP'],
    },
  ],
  'GET /api/giao-ban/directions': [
    {
      target: "unit A's directions",
      req: async () => {
        await giaoBanSeeded();
        return get(`/api/giao-ban/directions?unitId=${U('A')}`);
      },
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's directions",
      req: async () => {
        await giaoBanSeeded();
        return get(`/api/giao-ban/directions?unitId=${U('B')}`);
      },
      allow: PROVINCE_LEVEL,
    },
  ],
  'POST /api/giao-ban/directions/:id/report': [
    {
      target: 'a direction to unit A (the workflow service: 503)',
      req: async () =>
        post(`/api/giao-ban/directions/${(await giaoBanSeeded()).A}/report`, {
          status: 'in-progress',
          note: 'Đang làm',
        }),
      allow: ['headA'],
      upstream: true,
    },
    {
      target: 'a direction to unit B',
      req: async () =>
        post(`/api/giao-ban/directions/${(await giaoBanSeeded()).B}/report`, {
          status: 'in-progress',
          note: 'Đang làm',
        }),
      allow: [],
    },
  ],
  // ---- the unit reports' locked period (issue 6 point 3; DESIGN §3): the unit head asks to reopen it, the
  // province's secretariat (or the standing committee) decides; never inside a unit, never another province
  'POST /api/reports/monthly/:unitId/:period/reopen': [
    {
      target: "unit A's report (no calendar here: 422)",
      req: () => post(`/api/reports/monthly/${U('A')}/2026-01/reopen`, { reason: 'Bổ sung số liệu' }),
      allow: ['headA'],
    },
    {
      target: "unit B's report",
      req: () => post(`/api/reports/monthly/${U('B')}/2026-01/reopen`, { reason: 'Bổ sung số liệu' }),
      allow: [],
    },
  ],
  'POST /api/reports/monthly/:unitId/:period/reopen/decide': [
    {
      target: "unit A's report (nothing pending: 409)",
      req: () => post(`/api/reports/monthly/${U('A')}/2026-01/reopen/decide`, { approve: true }),
      allow: ['secretariatP', 'standingP'],
    },
    {
      target: "unit QA's report (other province)",
      req: () => post(`/api/reports/monthly/${U('QA')}/2026-01/reopen/decide`, { approve: true }),
      allow: [],
    },
  ],
  'POST /api/reports/quarterly/:unitId/:period/reopen': [
    {
      target: "unit A's report (no calendar here: 422)",
      req: () => post(`/api/reports/quarterly/${U('A')}/2026-Q1/reopen`, { reason: 'Bổ sung số liệu' }),
      allow: ['headA'],
    },
    {
      target: "unit B's report",
      req: () => post(`/api/reports/quarterly/${U('B')}/2026-Q1/reopen`, { reason: 'Bổ sung số liệu' }),
      allow: [],
    },
  ],
  'POST /api/reports/quarterly/:unitId/:period/reopen/decide': [
    {
      target: "unit B's report (nothing pending: 409)",
      req: () => post(`/api/reports/quarterly/${U('B')}/2026-Q1/reopen/decide`, { approve: true }),
      allow: ['secretariatP', 'standingP'],
    },
  ],
  // ---- dashboards (issue 7 point 4), by the tiered rule: the province's levels see the province (units and
  // counts) and every unit; a unit's leadership (head, administrator, auditor) its unit and what is inside it;
  // everyone their own
  'GET /api/dashboards/province': [
    {
      target: "province P's dashboard",
      req: () => get(`/api/dashboards/province?provinceId=${U('P')}&year=2026&month=1`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: "province Q's dashboard",
      req: () => get(`/api/dashboards/province?provinceId=${U('Q')}&year=2026&month=1`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/dashboards/unit/:unitId': [
    {
      target: "unit A's dashboard",
      req: () => get(`/api/dashboards/unit/${U('A')}?year=2026`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: "unit B's dashboard",
      req: () => get(`/api/dashboards/unit/${U('B')}?year=2026`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: "department A.D1's dashboard (inside unit A)",
      req: () => get(`/api/dashboards/unit/${U('AD1')}?year=2026`),
      allow: ['adminA', 'headA', 'auditorA'],
    },
  ],
  'GET /api/dashboards/unit/:unitId/key-results/:krId': [
    {
      target: 'a key result of unit A (none in force here: 404 once allowed)',
      req: () => get(`/api/dashboards/unit/${U('A')}/key-results/kr-1?year=2026`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: 'a key result of unit B',
      req: () => get(`/api/dashboards/unit/${U('B')}/key-results/kr-1?year=2026`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'GET /api/dashboards/unit/:unitId/key-results/:krId/evidence/:evidenceId': [
    {
      target: 'an evidence file of a key result of unit A (none here: 404 once allowed)',
      req: () => get(`/api/dashboards/unit/${U('A')}/key-results/kr-1/evidence/${randomUUID()}?year=2026`),
      allow: [...PROVINCE_LEVEL, 'adminA', 'headA', 'auditorA'],
    },
    {
      target: 'an evidence file of a key result of unit B',
      req: () => get(`/api/dashboards/unit/${U('B')}/key-results/kr-1/evidence/${randomUUID()}?year=2026`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'GET /api/dashboards/me': [
    { target: 'my own dashboard', req: () => get('/api/dashboards/me?year=2026'), allow: EVERYONE },
  ],
  // ---- the verify/return queue (issue 6): one check-in is read by its person and by whoever may verify it
  'GET /api/check-ins/:checkInId': [
    {
      target: "an A.D1 official's check-in",
      req: async () => {
        await db
          .insertInto('check_in')
          .values({
            person_id: f.person.officialA,
            unit_id: f.unit.AD1,
            period: '2026-01',
            workflow_id: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
          .execute();
        const ci = await db
          .selectFrom('check_in')
          .select('id')
          .where('person_id', '=', f.person.officialA)
          .where('period', '=', '2026-01')
          .executeTakeFirstOrThrow();
        return get(`/api/check-ins/${ci.id}`);
      },
      allow: ['officialA', 'headA', 'supervisorA'],
    },
    {
      // issue 6: the active delegate of a verifier (here of the assignee of the open verify task) reads it too
      target: "an A.D1 official's check-in whose verify task's assignee delegated to A's auditor",
      req: async () => {
        await db
          .insertInto('check_in')
          .values({
            person_id: f.person.officialA,
            unit_id: f.unit.AD1,
            period: '2026-04',
            workflow_id: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
          .execute();
        const ci = await db
          .selectFrom('check_in')
          .select('id')
          .where('person_id', '=', f.person.officialA)
          .where('period', '=', '2026-04')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('task')
          .values({
            id: `matrix:check-in:${ci.id}:verify`,
            workflow_id: `matrix:check-in:${ci.id}`,
            update_name: null,
            kind: 'check-in.verify',
            subject_type: 'check_in',
            subject_id: ci.id,
            assignee_person_id: PER('staffA'),
            assignee_role: null,
            assignee_unit_id: null,
            due_at: new Date('2026-05-08T10:00:00Z'),
            logical_due_date: '2026-05-08',
            closed_at: null,
            closed_by: null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        const did = `delegation:${PER('staffA')}:matrix-read`;
        await db
          .insertInto('delegation')
          .values({
            id: did,
            principal_id: PER('staffA'),
            delegate_id: PER('auditorA'),
            unit_id: U('AD1'),
            from_date: '2020-01-01',
            to_date: '2099-12-31',
            reason: 'Nghỉ phép',
            status: 'ACTIVE',
            approver_id: PER('supervisorA'),
            decided_by: null,
            decided_at: null,
            decision_note: null,
            revoked_by: null,
            revoked_at: null,
            workflow_id: did,
            requested_by: PER('staffA'),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        return get(`/api/check-ins/${ci.id}`);
      },
      allow: ['officialA', 'headA', 'supervisorA', 'auditorA'],
    },
  ],
  // ---- evidence files of a check-in (issue 6): one uploads to and removes from one's own check-in; the file is
  // read by the check-in's person, the supervisor of their department and their unit's head — everyone else
  // is answered 404 (never 403: the file's existence is not told), the province too (the tiered rule)
  'POST /api/check-ins/mine/:period/evidence': [
    {
      target: 'my own check-in (a PDF)',
      req: async () => {
        const fd = new FormData();
        fd.append(
          'file',
          new File([Buffer.from('%PDF-1.4\n%%EOF\n')], 'bien-ban.pdf', { type: 'application/pdf' }),
        );
        const r = new Request('http://x/', { method: 'POST', body: fd });
        return {
          method: 'POST',
          path: '/api/check-ins/mine/2026-01/evidence',
          raw: { type: r.headers.get('content-type') ?? '', data: new Uint8Array(await r.arrayBuffer()) },
        };
      },
      allow: EVERYONE,
    },
  ],
  'DELETE /api/check-ins/mine/:period/evidence/:evidenceId': [
    {
      target: "my own check-in's file (none here: 404)",
      req: () => ({ method: 'DELETE', path: `/api/check-ins/mine/2026-01/evidence/${randomUUID()}` }),
      allow: EVERYONE,
    },
  ],
  'GET /api/evidence/:evidenceId': [
    {
      target: "a file of an A.D1 official's check-in",
      req: async () => {
        await db
          .insertInto('check_in')
          .values({
            person_id: f.person.officialA,
            unit_id: f.unit.AD1,
            period: '2026-01',
            workflow_id: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
          .execute();
        const ci = await db
          .selectFrom('check_in')
          .select('id')
          .where('person_id', '=', f.person.officialA)
          .where('period', '=', '2026-01')
          .executeTakeFirstOrThrow();
        const bytes = Buffer.from('%PDF-1.4 matrix\n');
        const file = await db
          .insertInto('evidence_file')
          .values({
            unit_id: f.unit.AD1,
            uploaded_by: f.person.officialA,
            subject_type: 'check_in',
            subject_id: ci.id,
            file_name: 'matrix.pdf',
            declared_type: 'application/pdf',
            sniffed_type: 'application/pdf',
            size_bytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            bytes,
          })
          .onConflict((oc) =>
            oc.columns(['subject_type', 'subject_id', 'sha256']).doUpdateSet({ file_name: 'matrix.pdf' }),
          )
          .returning('id')
          .executeTakeFirstOrThrow();
        return get(`/api/evidence/${file.id}`);
      },
      allow: ['officialA', 'supervisorA', 'headA'],
      hidden: true,
    },
  ],
  // ---- period assessments (issue 6, point 2): the direct manager (the supervisor of the person's department)
  // and the unit head list, change and confirm an individual's assessment, never their own; the person reads
  // their own; the province sees none of it (the tiered rule). Nothing to waive or confirm here: 422/409/404
  // for the allowed, after authorization.
  'GET /api/assessments': [
    {
      target: "A.D1's people",
      req: () => get(`/api/assessments?unitId=${f.unit.AD1}&period=2026-01`),
      allow: ['headA', 'supervisorA'],
    },
    {
      target: 'the province (individual assessments are internal to the unit)',
      req: () => get(`/api/assessments?unitId=${f.unit.P}&period=2026-01`),
      allow: [],
    },
  ],
  'GET /api/assessments/:id': [
    {
      target: "an A.D1 official's assessment",
      req: async () => get(`/api/assessments/${await officialAssessment()}`),
      allow: ['officialA', 'headA', 'supervisorA'],
    },
  ],
  'PUT /api/assessments/:id/general-criteria': [
    {
      target: "an A.D1 official's assessment (a stale revision: 409)",
      req: async () => ({
        method: 'PUT',
        path: `/api/assessments/${await officialAssessment()}/general-criteria`,
        body: { revision: 999, points: { politicalEthics: '10' } },
      }),
      allow: ['headA', 'supervisorA'],
    },
  ],
  'POST /api/assessments/:id/waivers': [
    {
      target: "an A.D1 official's assessment (nothing late: 422)",
      req: async () => {
        const fd = new FormData();
        fd.append('kind', 'late');
        fd.append('ref', '2026-01');
        fd.append('objectiveCause', 'Mất điện');
        fd.append(
          'file',
          new File([Buffer.from('%PDF-1.4\n%%EOF\n')], 'xac-nhan.pdf', { type: 'application/pdf' }),
        );
        const r = new Request('http://x/', { method: 'POST', body: fd });
        return {
          method: 'POST',
          path: `/api/assessments/${await officialAssessment()}/waivers`,
          raw: { type: r.headers.get('content-type') ?? '', data: new Uint8Array(await r.arrayBuffer()) },
        };
      },
      allow: ['headA', 'supervisorA'],
    },
  ],
  'DELETE /api/assessments/:id/waivers/:waiverId': [
    {
      target: "an A.D1 official's assessment (no such waiver: 404)",
      req: async () => ({
        method: 'DELETE',
        path: `/api/assessments/${await officialAssessment()}/waivers/${randomUUID()}`,
      }),
      allow: ['headA', 'supervisorA'],
    },
  ],
  'POST /api/assessments/:id/confirm': [
    {
      target: "an A.D1 official's assessment (not open yet: 409)",
      req: async () => post(`/api/assessments/${await officialAssessment()}/confirm`, { revision: 0 }),
      allow: ['headA', 'supervisorA'],
    },
  ],
  // ---- the ranking of a unit's people (issue 8): a unit-level document; the unit head drafts, decides, requests
  // exceptions and publishes; the standing committee decides exceptions; the province's levels and the unit's
  // head, administrators and auditors read it (refused requests never reach Temporal)
  'GET /api/ranking-index': [
    {
      target: 'the index of the rankings one may read (filtered per unit: an empty list for others)',
      req: () => get('/api/ranking-index?year=2026'),
      allow: EVERYONE,
    },
  ],
  'GET /api/ranking-differences': [
    {
      target: "the December differences on unit A's ranking of a year",
      req: () => get(`/api/ranking-differences?unitId=${U('A')}&year=2026`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
  ],
  'GET /api/rankings': [
    {
      target: "unit A's ranking of a year",
      req: () => get(`/api/rankings?unitId=${U('A')}&year=2026`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
  ],
  'GET /api/rankings/:id': [
    {
      target: "unit A's ranking of 2026",
      req: async () => get(`/api/rankings/${await rankingA()}`),
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
  ],
  'POST /api/rankings': [
    {
      target: "unit A's ranking of 2026 (the workflow start: 503 here)",
      req: () => post('/api/rankings', { unitId: U('A'), year: 2026 }),
      allow: ['headA'],
      upstream: true,
    },
  ],
  'POST /api/rankings/:id/recompute': [
    {
      target: "unit A's draft ranking",
      req: async () => post(`/api/rankings/${await rankingA()}/recompute`, {}),
      allow: ['headA'],
    },
  ],
  'POST /api/rankings/:id/decide': [
    {
      target: "unit A's draft ranking (a stale revision: 409)",
      req: async () => post(`/api/rankings/${await rankingA()}/decide`, { revision: 999 }),
      allow: ['headA'],
    },
  ],
  'PUT /api/rankings/:id/selections/:personId': [
    {
      target: "unit A's draft ranking (nobody such: 404)",
      req: async () => ({
        method: 'PUT',
        path: `/api/rankings/${await rankingA()}/selections/${randomUUID()}`,
        body: { reason: 'Giới hạn tỷ lệ' },
      }),
      allow: ['headA'],
    },
  ],
  'DELETE /api/rankings/:id/selections/:personId': [
    {
      target: "unit A's draft ranking (no selection: 404)",
      req: async () => ({
        method: 'DELETE',
        path: `/api/rankings/${await rankingA()}/selections/${randomUUID()}`,
      }),
      allow: ['headA'],
    },
  ],
  'POST /api/rankings/:id/exceptions': [
    {
      target: "unit A's draft ranking (no workflow: 409)",
      req: async () =>
        post(`/api/rankings/${await rankingA()}/exceptions`, {
          dutyGroup: 'default',
          extraPlaces: 1,
          justification: 'Thành tích đột xuất',
        }),
      allow: ['headA'],
    },
  ],
  'POST /api/rankings/:id/exceptions/:exceptionId/decision': [
    {
      target: "an exception of unit A's ranking (none: 404)",
      req: async () =>
        post(`/api/rankings/${await rankingA()}/exceptions/${randomUUID()}/decision`, {
          approve: false,
        }),
      allow: ['standingP'],
    },
  ],
  // ---- the province ranking of its units and their heads (issue 8): a province-level document; the secretariat
  // compiles it, the standing committee (the heads' superior body) decides, records an exception and publishes
  'GET /api/province-rankings': [
    {
      target: "province P's ranking of units and heads of a year",
      req: () => get(`/api/province-rankings?provinceId=${U('P')}&year=2026`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'GET /api/province-rankings/:id': [
    {
      target: "province P's ranking of 2026",
      req: async () => get(`/api/province-rankings/${await provinceRankingP()}`),
      allow: PROVINCE_LEVEL,
    },
  ],
  'POST /api/province-rankings': [
    {
      target: "province P's ranking of 2026 (the workflow start: 503 here, or 409 without a calendar)",
      req: () => post('/api/province-rankings', { provinceId: U('P'), year: 2026 }),
      allow: ['secretariatP'],
      upstream: true,
    },
  ],
  'POST /api/province-rankings/:id/recompute': [
    {
      target: "province P's draft ranking",
      req: async () => post(`/api/province-rankings/${await provinceRankingP()}/recompute`, {}),
      allow: ['secretariatP'],
    },
  ],
  'POST /api/province-rankings/:id/decide': [
    {
      target: "province P's draft ranking (a stale revision: 409)",
      req: async () => post(`/api/province-rankings/${await provinceRankingP()}/decide`, { revision: 999 }),
      allow: ['standingP'],
    },
  ],
  'PUT /api/province-rankings/:id/selections/:personId': [
    {
      target: "province P's draft ranking (nobody such: 404)",
      req: async () => ({
        method: 'PUT',
        path: `/api/province-rankings/${await provinceRankingP()}/selections/${randomUUID()}`,
        body: { reason: 'Giới hạn tỷ lệ' },
      }),
      allow: ['standingP'],
    },
  ],
  'DELETE /api/province-rankings/:id/selections/:personId': [
    {
      target: "province P's draft ranking (no selection: 404)",
      req: async () => ({
        method: 'DELETE',
        path: `/api/province-rankings/${await provinceRankingP()}/selections/${randomUUID()}`,
      }),
      allow: ['standingP'],
    },
  ],
  'POST /api/province-rankings/:id/exception': [
    {
      target: "province P's draft ranking (not decided: 409)",
      req: async () =>
        post(`/api/province-rankings/${await provinceRankingP()}/exception`, {
          places: 1,
          decisionNumber: '21-QĐ/TU',
          justification: 'Thành tích đột xuất',
        }),
      allow: ['standingP'],
    },
  ],
  'POST /api/province-rankings/:id/publish': [
    {
      target: "province P's draft ranking (not decided: 409)",
      req: async () => post(`/api/province-rankings/${await provinceRankingP()}/publish`, {}),
      allow: ['standingP'],
    },
  ],
  // the year-end evaluation of a unit's people as files (issue 8 point 5): whoever may read the ranking
  'GET /api/rankings/:unitId/:year/report.pdf': [
    {
      target: "unit A's ranking of 2026 as a PDF",
      req: async () => {
        await rankingA();
        return get(`/api/rankings/${U('A')}/2026/report.pdf`);
      },
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
  ],
  'GET /api/rankings/:unitId/:year/report.xlsx': [
    {
      target: "unit A's ranking of 2026 as an Excel workbook",
      req: async () => {
        await rankingA();
        return get(`/api/rankings/${U('A')}/2026/report.xlsx`);
      },
      allow: [...PROVINCE_LEVEL, ...A_READERS],
    },
  ],
  'GET /api/province-rankings/:provinceId/:year/report.pdf': [
    {
      target: "province P's ranking of units and heads of 2026 as a PDF",
      req: async () => {
        await provinceRankingP();
        return get(`/api/province-rankings/${U('P')}/2026/report.pdf`);
      },
      allow: PROVINCE_LEVEL,
    },
  ],
  'GET /api/province-rankings/:provinceId/:year/report.xlsx': [
    {
      target: "province P's ranking of units and heads of 2026 as an Excel workbook",
      req: async () => {
        await provinceRankingP();
        return get(`/api/province-rankings/${U('P')}/2026/report.xlsx`);
      },
      allow: PROVINCE_LEVEL,
    },
  ],
  'POST /api/rankings/:id/publish': [
    {
      target: "unit A's draft ranking (not decided: 409)",
      req: async () => post(`/api/rankings/${await rankingA()}/publish`, {}),
      allow: ['headA'],
    },
  ],
  // ---- the verify queue (issue 6, point 5): one's own verify tasks, everyone signed in
  'GET /api/check-ins/awaiting-verification': [
    {
      target: 'my own verify tasks',
      req: () => get('/api/check-ins/awaiting-verification'),
      allow: EVERYONE,
    },
  ],
  // ---- escalations (issue 6, point 5): the readers of a unit (a supervisor for their department) and of the
  // province see what the tiered rule lets them; a nudge is the supervisor's or head's inside the unit, the
  // secretariat's or standing committee's on a unit-level item (the first allowed nudge succeeds, the next
  // ones answer 409 NUDGE_ALREADY_SENT: both passed authorization)
  'GET /api/escalations': [
    {
      target: 'the escalations within my reach',
      req: () => get('/api/escalations'),
      allow: [...PROVINCE_LEVEL, ...A_READERS, 'supervisorA', 'adminQ'],
    },
  ],
  'POST /api/escalations/:taskId/nudge': [
    {
      target: "an A.D1 official's overdue personal-plan item (inside unit A)",
      req: async () => {
        await db
          .insertInto('task')
          .values({
            id: 'matrix-nudge-staffA',
            workflow_id: 'wf-matrix',
            kind: 'plan.submit',
            subject_type: 'plan',
            subject_id: ids.planstaffA ?? '',
            assignee_person_id: f.person.staffA,
            due_at: new Date('2026-01-10T10:00:00Z'),
            logical_due_date: '2026-01-10',
            closed_at: null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        return post('/api/escalations/matrix-nudge-staffA/nudge', {});
      },
      allow: ['headA', 'supervisorA'],
    },
    {
      target: "unit A's overdue plan item (unit-level)",
      req: async () => {
        await db
          .insertInto('task')
          .values({
            id: 'matrix-nudge-planA',
            workflow_id: 'wf-matrix',
            kind: 'plan.submit',
            subject_type: 'plan',
            subject_id: ids.planA ?? '',
            assignee_person_id: f.person.officialA,
            due_at: new Date('2026-01-10T10:00:00Z'),
            logical_due_date: '2026-01-10',
            closed_at: null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        return post('/api/escalations/matrix-nudge-planA/nudge', {});
      },
      allow: ['secretariatP', 'standingP', 'headA'],
    },
  ],
  'GET /api/key-results/:planId/:krId/history': [
    {
      target: "a key result of unit A's plan",
      req: () => get(`${planPath('A').replace('/api/plans/', '/api/key-results/')}/k1/history`),
      allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS],
    },
    {
      target: "a key result of unit B's plan",
      req: () => get(`${planPath('B').replace('/api/plans/', '/api/key-results/')}/k1/history`),
      allow: PROVINCE_LEVEL,
    },
    {
      target: "a key result of an A.D1 official's personal plan",
      req: () => get(`${planPath('staffA').replace('/api/plans/', '/api/key-results/')}/k1/history`),
      allow: A_PLAN_READERS,
    },
  ],

  // ---- handing key results over (DESIGN §1 transfers, leavers): the head or administrator of the unit whose
  // plan holds them (a person's key results inside A: A's managers, never the province)
  'GET /api/handover/:personId': [
    { target: 'an A.D1 official', req: () => get(`/api/handover/${PER('staffA')}`), allow: A_MANAGERS },
  ],
  'POST /api/handover/:personId': [
    {
      target: "a key result of an A.D1 official's personal plan",
      req: () =>
        post(`/api/handover/${PER('staffA')}`, {
          effectivePeriod: '2027-01',
          reason: 'Chuyển công tác',
          assignments: [{ planId: ids.planstaffA, keyResultId: 'k1', toPersonId: PER('supervisorA') }],
        }),
      allow: A_MANAGERS,
    },
  ],
  // ---- delegations (DESIGN §3): one's own; the approver decides; the principal or the approver revokes
  'GET /api/delegations': [
    { target: 'the delegations I am party to', req: () => get('/api/delegations'), allow: EVERYONE },
  ],
  'GET /api/delegations/colleagues': [
    { target: 'the people of my unit', req: () => get('/api/delegations/colleagues'), allow: EVERYONE },
  ],
  'POST /api/delegations': [
    {
      target: 'my own delegation (to a person of A.D1; others are refused 422; Temporal is down here)',
      req: () =>
        post('/api/delegations', {
          delegateId: PER('staffA'),
          from: '2030-01-10',
          to: '2030-01-12',
          reason: 'Nghỉ phép',
        }),
      allow: EVERYONE,
      upstream: true,
    },
  ],
  'POST /api/delegations/:id/decide': [
    {
      target: "A.D1 official's delegation: its approver (A.D1's supervisor) only, never the principal",
      req: async () => post(`/api/delegations/${await delegationOfA()}/decide`, { decision: 'approve' }),
      allow: ['supervisorA'],
      upstream: true,
    },
  ],
  'POST /api/delegations/:id/revoke': [
    {
      target: "A.D1 official's delegation: its principal or its approver",
      req: async () => post(`/api/delegations/${await delegationOfA()}/revoke`, {}),
      allow: ['officialA', 'supervisorA'],
      upstream: true,
    },
  ],

  // ---- plans (issue 5, points 2 and 3): the unit's people draft and submit; the province reads unit plans,
  // the secretariat appraises, the standing committee decides; nobody appraises or decides their own plan
  'POST /api/plans': [
    {
      target: "unit A's plan (its people draft it; Temporal is down here)",
      req: () => post('/api/plans', { ownerKind: 'unit', unitId: U('A'), year: 2029 }),
      allow: A_STAFF,
      upstream: true,
    },
    {
      target: 'the personal plan of an official of A.D1 (its workflow starts; Temporal is down here)',
      req: () => post('/api/plans', { ownerKind: 'person', personId: PER('staffA'), year: 2028 }),
      allow: A_STAFF,
      upstream: true,
    },
    {
      target: "unit B's plan",
      req: () => post('/api/plans', { ownerKind: 'unit', unitId: U('B'), year: 2029 }),
      allow: [],
    },
    {
      target: "unit QA's plan (other province)",
      req: () => post('/api/plans', { ownerKind: 'unit', unitId: U('QA'), year: 2029 }),
      allow: [],
    },
  ],
  'GET /api/plans': [
    {
      target: "unit A's plans",
      req: () => get(`/api/plans?unitId=${U('A')}`),
      allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS],
    },
    {
      target: "department A.D1's plans",
      req: () => get(`/api/plans?unitId=${U('AD1')}`),
      allow: A_PLAN_READERS,
    },
    { target: "unit B's plans", req: () => get(`/api/plans?unitId=${U('B')}`), allow: PROVINCE_LEVEL },
    { target: "unit QA's plans", req: () => get(`/api/plans?unitId=${U('QA')}`), allow: ['adminQ'] },
  ],
  'GET /api/plans/import-template': [
    {
      target: 'the import workbook (column headers)',
      req: () => get('/api/plans/import-template'),
      allow: EVERYONE,
    },
  ],
  'GET /api/plans/:id': [
    { target: "unit A's plan", req: () => get(planPath('A')), allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS] },
    { target: "unit B's plan", req: () => get(planPath('B')), allow: PROVINCE_LEVEL },
    { target: "an A.D1 official's personal plan", req: () => get(planPath('staffA')), allow: A_PLAN_READERS },
  ],
  'GET /api/plans/:id/versions/:n': [
    {
      target: "unit A's plan",
      req: () => get(`${planPath('A')}/versions/1`),
      allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS],
    },
    { target: "unit B's plan", req: () => get(`${planPath('B')}/versions/1`), allow: PROVINCE_LEVEL },
  ],
  'GET /api/plans/:id/diff': [
    {
      target: "unit A's plan",
      req: () => get(`${planPath('A')}/diff?from=1&to=1`),
      allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS],
    },
    {
      target: "an A.D1 official's personal plan",
      req: () => get(`${planPath('staffA')}/diff?from=1&to=1`),
      allow: A_PLAN_READERS,
    },
  ],
  'PUT /api/plans/:id/draft': (['A', 'B', 'staffA'] as const).map((k) => ({
    target: `the draft of ${k === 'staffA' ? "an A.D1 official's personal plan" : `unit ${k}'s plan`}`,
    req: () => ({
      method: 'PUT',
      path: `${planPath(k)}/draft`,
      body: { baseVersion: 1, content: { tasks: [] } },
    }),
    allow: k === 'B' ? [] : A_STAFF,
  })),
  'POST /api/plans/:id/import': (['A', 'B'] as const).map((k) => ({
    target: `a workbook into unit ${k}'s plan`,
    req: async () => ({
      method: 'POST',
      path: `${planPath(k)}/import?baseVersion=1`,
      raw: { type: XLSX_TYPE, data: await planWorkbook() },
    }),
    allow: k === 'A' ? A_STAFF : [],
  })),
  'POST /api/plans/:id/submit': (['A', 'B'] as const).map((k) => ({
    target: `unit ${k}'s plan`,
    req: () => post(`${planPath(k)}/submit`, { versionId: ids[`v${k}`] }),
    allow: k === 'A' ? A_STAFF : [],
    upstream: true,
  })),
  'POST /api/plans/:id/appraise': [
    {
      target: "unit A's plan",
      req: () => post(`${planPath('A')}/appraise`, { opinion: 'endorse' }),
      allow: ['secretariatP'],
      upstream: true,
    },
    {
      target: 'a plan the secretariat member drafted (nobody appraises their own)',
      req: () => post(`${planPath('M1')}/appraise`, { opinion: 'endorse' }),
      allow: [],
    },
  ],
  'POST /api/plans/:id/decide': [
    {
      target: "unit B's plan",
      req: () => post(`${planPath('B')}/decide`, { decision: 'approve' }),
      allow: ['standingP'],
      upstream: true,
    },
    {
      target: 'a plan the committee member drafted (nobody decides their own)',
      req: () => post(`${planPath('M2')}/decide`, { decision: 'approve' }),
      allow: [],
    },
    {
      target: "an A.D1 official's personal plan (the unit's head decides a plan inside the unit)",
      req: () => post(`${planPath('staffA')}/decide`, { decision: 'approve' }),
      allow: ['headA'],
    },
  ],
  // decomposition, cascading, period plans and amendments (DESIGN §2, §3): the unit's people decompose and
  // propose; the unit head approves period plans and plans inside the unit; the province reviews amendments
  // of unit plans. The fixture plans are drafting: an authorized request gets 409 PLAN_NOT_IN_FORCE.
  'POST /api/plans/:id/children': (['A', 'B'] as const).map((k) => ({
    target: `a department's plan decomposed from unit ${k}'s plan`,
    req: () => post(`${planPath(k)}/children`, { owner: { kind: 'unit', unitId: U('AD1') } }),
    allow: k === 'A' ? A_STAFF : [],
  })),
  'GET /api/plans/:id/assignable': (['A', 'B'] as const).map((k) => ({
    target: `the sub-units and people unit ${k}'s plan may be decomposed to`,
    req: () => get(`${planPath(k)}/assignable`),
    allow: k === 'A' ? A_STAFF : [],
  })),
  'GET /api/plans/:id/children': [
    {
      target: "the plans decomposed from unit A's plan",
      req: () => get(`${planPath('A')}/children`),
      allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS],
    },
    { target: "unit B's plan", req: () => get(`${planPath('B')}/children`), allow: PROVINCE_LEVEL },
  ],
  'GET /api/plans/:id/cascade': [
    {
      target: "an A.D1 official's personal plan",
      req: () => get(`${planPath('staffA')}/cascade`),
      allow: A_PLAN_READERS,
    },
    { target: "unit B's plan", req: () => get(`${planPath('B')}/cascade`), allow: PROVINCE_LEVEL },
  ],
  'POST /api/plans/:id/cascade/adopt': (['staffA', 'B'] as const).map((k) => ({
    target: `a suggested key result into ${k === 'B' ? "unit B's plan" : "an A.D1 official's personal plan"}`,
    req: () => post(`${planPath(k)}/cascade/adopt`, { keyResultId: 'k1' }),
    allow: k === 'B' ? [] : A_STAFF,
  })),
  'POST /api/plans/:id/decomposition/complete': (['A', 'B'] as const).map((k) => ({
    target: `unit ${k}'s plan`,
    req: () => post(`${planPath(k)}/decomposition/complete`, {}),
    allow: k === 'A' ? A_STAFF : [],
  })),
  'POST /api/plans/:id/period-plans/:period/submit': (['A', 'B'] as const).map((k) => ({
    target: `unit ${k}'s Q1 plan`,
    req: () => post(`${planPath(k)}/period-plans/2027-Q1/submit`, { versionId: ids[`v${k}`] }),
    allow: k === 'A' ? A_STAFF : [],
  })),
  'POST /api/plans/:id/period-plans/:period/decide': (['A', 'B'] as const).map((k) => ({
    target: `unit ${k}'s Q1 plan (its head approves)`,
    req: () => post(`${planPath(k)}/period-plans/2027-Q1/decide`, { decision: 'approve' }),
    allow: k === 'A' ? ['headA'] : [],
  })),
  'POST /api/plans/:id/amendments': (['A', 'B'] as const).map((k) => ({
    target: `an amendment of unit ${k}'s plan`,
    req: () => post(`${planPath(k)}/amendments`, { versionId: ids[`v${k}`], reason: 'Điều chỉnh chỉ tiêu' }),
    allow: k === 'A' ? A_STAFF : [],
  })),
  'POST /api/plans/:id/amendments/review': [
    {
      target: "an amendment of unit A's plan (the province's levels)",
      req: () => post(`${planPath('A')}/amendments/review`, { decision: 'endorse' }),
      allow: ['secretariatP', 'standingP'],
    },
    {
      target: 'an amendment of a plan the secretariat member drafted (nobody reviews their own)',
      req: () => post(`${planPath('M1')}/amendments/review`, { decision: 'endorse' }),
      allow: ['standingP'],
    },
    {
      target: "an amendment of an A.D1 official's personal plan (the unit's head)",
      req: () => post(`${planPath('staffA')}/amendments/review`, { decision: 'approve' }),
      allow: ['headA'],
    },
  ],
  'GET /api/plans/:id/process': [
    {
      target: "unit A's plan (the workflow's view; Temporal is down here)",
      req: () => get(`${planPath('A')}/process`),
      allow: [...PROVINCE_LEVEL, ...A_PLAN_READERS],
      upstream: true,
    },
    {
      target: "unit B's plan",
      req: () => get(`${planPath('B')}/process`),
      allow: PROVINCE_LEVEL,
      upstream: true,
    },
  ],

  // ---- audit trail
  'GET /api/audit/:aggregateType/:aggregateId': [
    {
      target: 'department A.D1',
      req: () => get(`/api/audit/org_unit/${U('AD1')}`),
      allow: ['adminA', 'auditorA'],
    },
    {
      target: 'unit A (unit-level)',
      req: () => get(`/api/audit/org_unit/${U('A')}`),
      allow: ['adminP', 'auditorP', 'adminA', 'auditorA'],
    },
    {
      target: 'the head of B',
      req: () => get(`/api/audit/person/${PER('headB')}`),
      allow: ['adminP', 'auditorP'],
    },
    {
      target: 'a metric of P',
      req: () => get(`/api/audit/metric_template/${ids.mP}`),
      allow: ['adminP', 'auditorP'],
    },
    { target: 'an official of QA', req: () => get(`/api/audit/person/${PER('staffQ')}`), allow: [] },
    { target: 'unit QA', req: () => get(`/api/audit/org_unit/${U('QA')}`), allow: ['adminQ'] },
  ],

  // ---- workflow runs and histories (issue 5, point 5): administrators only — at the province every run of
  // the province (and the system runs, which have no unit), at a unit the runs of the unit and inside it
  'GET /api/workflows': [
    {
      target: 'the runs each may see',
      req: () => get('/api/workflows'),
      allow: ['adminP', 'adminA', 'adminQ'],
    },
    {
      target: 'runs of unit A',
      req: () => get(`/api/workflows?unitId=${U('A')}`),
      allow: ['adminP', 'adminA'],
    },
    {
      target: 'runs of department A.D1',
      req: () => get(`/api/workflows?unitId=${U('AD1')}`),
      allow: ['adminP', 'adminA'],
    },
    { target: 'runs of unit B', req: () => get(`/api/workflows?unitId=${U('B')}`), allow: ['adminP'] },
    {
      target: 'runs of unit QA (other province)',
      req: () => get(`/api/workflows?unitId=${U('QA')}`),
      allow: ['adminQ'],
    },
  ],
  'GET /api/workflows/:workflowId/runs/:runId/history': [
    { target: "unit A's plan run (exported)", req: () => get(ids.runA!), allow: ['adminP', 'adminA'] },
    {
      target: 'a personal plan run in A.D1 (exported)',
      req: () => get(ids.runAD1!),
      allow: ['adminP', 'adminA'],
    },
    { target: "unit B's plan run (exported)", req: () => get(ids.runB!), allow: ['adminP'] },
    { target: "unit QA's plan run (other province)", req: () => get(ids.runQA!), allow: ['adminQ'] },
    { target: 'a system run (no unit)', req: () => get(ids.runSystem!), allow: ['adminP', 'adminQ'] },
  ],

  // ---- operators (api/metrics, its own tests): no session; loopback or the METRICS_TOKEN bearer token
  'GET /metrics': { owner: 'ops', note: 'loopback peer or METRICS_TOKEN (api/metrics/metrics.test.ts)' },
  // ---- sign-in (api/auth, its own tests); rows exist so a new route cannot slip in unlisted
  'POST /api/auth/sign-in': { owner: 'auth', note: 'public: credentials' },
  'POST /api/auth/second-factor': { owner: 'auth', note: 'a pending session' },
  'POST /api/auth/totp/enrol': { owner: 'auth', note: 'signed in' },
  'POST /api/auth/totp/confirm': { owner: 'auth', note: 'signed in' },
  'POST /api/auth/sign-out': { owner: 'auth', note: 'signed in' },
  'GET /api/auth/session': { owner: 'auth', note: 'signed in' },
  'POST /api/auth/password': { owner: 'auth', note: 'signed in' },
  'GET /api/auth/oidc/start': { owner: 'auth', note: 'public' },
  'GET /api/auth/oidc/callback': { owner: 'auth', note: 'public' },
  // A reset revokes the person's sessions, so it targets a person who is not one of the signed-in actors.
  'POST /api/admin/accounts/:personId/reset-password': [
    {
      target: 'an official of A.D1',
      req: () => ({ method: 'POST', path: `/api/admin/accounts/${PER('staffA')}/reset-password` }),
      allow: A_MANAGERS,
    },
  ],
  'POST /api/admin/accounts/:personId/unlock': [
    {
      target: 'an official of A.D1',
      req: () => ({ method: 'POST', path: `/api/admin/accounts/${PER('staffA')}/unlock` }),
      allow: A_MANAGERS,
    },
    {
      target: "A's administrator (nobody manages their own account)",
      req: () => ({ method: 'POST', path: `/api/admin/accounts/${PER('adminA')}/unlock` }),
      allow: ['headA'],
    },
    {
      target: 'the head of B (managed by the province)',
      req: () => ({ method: 'POST', path: `/api/admin/accounts/${PER('headB')}/unlock` }),
      allow: ['adminP'],
    },
  ],
};

/** An exported workflow run of a unit (or a system run) in the history store; answers its history path. */
async function storedRun(unitId: string | null): Promise<string> {
  const json = JSON.stringify({
    events: [
      {
        eventId: '1',
        eventTime: '2026-11-26T00:00:00Z',
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
        workflowExecutionStartedEventAttributes: { workflowType: { name: 'annualPlanWorkflow' } },
      },
    ],
  });
  const [workflowId, runId] = [`plan:2027:unit:${unitId ?? 'none'}`, randomUUID()];
  await db
    .insertInto('workflow_history')
    .values({
      workflow_id: workflowId,
      run_id: runId,
      workflow_type: 'annualPlanWorkflow',
      status: 'CONTINUED_AS_NEW',
      start_time: '2026-11-25T00:00:00Z',
      close_time: '2026-11-26T00:00:00Z',
      unit_id: unitId,
      plan_year: 2027,
      history_gz: gzipSync(json),
      event_count: 1,
      sha256: createHash('sha256').update(json).digest('hex'),
    })
    .execute();
  return `/api/workflows/${encodeURIComponent(workflowId)}/runs/${runId}/history`;
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  ids.runA = await storedRun(f.unit.A);
  ids.runAD1 = await storedRun(f.unit.AD1);
  ids.runB = await storedRun(f.unit.B);
  ids.runQA = await storedRun(f.unit.QA);
  ids.runSystem = await storedRun(null);
  ids.gA = await grant(db, f.person.staffA, 'official', f.unit.AD1, '2026-01-01');
  ids.gB = await grant(db, f.person.staffB, 'administrator', f.unit.B, '2026-01-01');
  ids.gQ = await grant(db, f.person.staffQ, 'official', f.unit.QA, '2026-01-01');
  ids.gSelf = await grant(db, f.person.adminA, 'official', f.unit.AD2, '2026-01-01');
  for (const [key, pv] of [
    ['chainP', f.unit.P],
    ['chainQ', f.unit.Q],
  ] as const) {
    const ch = await db
      .insertInto('approval_chain')
      .values({ province_id: pv, unit_type_code: 'agency', subject: 'plan' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('approval_chain_step')
      .values({ chain_id: ch.id, step_no: 1, role_code: 'secretariat', scope: 'province' })
      .execute();
    ids[key] = ch.id;
  }
  await db
    .insertInto('calendar_profile')
    .values([
      { id: 'cal-p', province_id: f.unit.P, name: 'Lịch P' },
      { id: 'cal-q', province_id: f.unit.Q, name: 'Lịch Q' },
    ])
    .execute();
  for (const [key, pv] of [
    ['mP', f.unit.P],
    ['mQ', f.unit.Q],
  ] as const) {
    const m = await db
      .insertInto('metric_template')
      .values({
        province_id: pv,
        code: 'SO_BUOI',
        title_vi: 'Số buổi',
        unit: 'buổi',
        direction: 'higher',
        aggregation: 'sum',
        perspective: 'learning',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = m.id;
  }
  const cat = await db
    .insertInto('conversion_catalogue')
    .values({
      unit_id: f.unit.A,
      version: 1,
      valid_from: '2026-01-01',
      approved_by: 'Giám đốc',
      approved_on: '2025-12-20',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.catA = cat.id;
  // plans: A's and B's (drafted by A's official), M1's drafted by the secretariat member, M2's by the
  // committee member, and an A.D1 official's personal plan; each with version 1
  const plans = [
    ['A', `plan:2027:unit:${f.unit.A}`, 'unit', f.unit.A, null, f.person.officialA],
    ['B', `plan:2027:unit:${f.unit.B}`, 'unit', f.unit.B, null, f.person.officialA],
    ['M1', `plan:2027:unit:${f.unit.M1}`, 'unit', f.unit.M1, null, f.person.secretariatP],
    ['M2', `plan:2027:unit:${f.unit.M2}`, 'unit', f.unit.M2, null, f.person.standingP],
    [
      'staffA',
      `plan:2027:person:${f.person.staffA}`,
      'person',
      f.unit.AD1,
      f.person.staffA,
      f.person.officialA,
    ],
  ] as const;
  for (const [key, id, kind, unitId, personId, by] of plans) {
    await db
      .insertInto('plan')
      .values({
        id,
        owner_kind: kind,
        unit_id: unitId,
        person_id: personId,
        year: 2027,
        workflow_id: kind === 'unit' ? id : null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
        details: JSON.stringify({ createdBy: by }),
      })
      .execute();
    const owner = kind === 'unit' ? { kind, unitId } : { kind, personId };
    const v = await createPlanVersion(db, {
      planId: id,
      content: { id, year: 2027, owner, sections: [], tasks: [] },
      createdBy: by,
    });
    ids[`plan${key}`] = id;
    ids[`v${key}`] = v.id;
  }
});

async function send(who: ActorKey | 'anon', r: Req): Promise<Response> {
  const session = who === 'anon' ? undefined : f.session[who];
  if (r.raw) return requestAs(app, session, r.method, r.path, r.raw.data, { 'content-type': r.raw.type });
  return requestAs(app, session, r.method, r.path, r.body);
}

describe('the authorization matrix', () => {
  const table = routeTable(app);

  it('has a row for every route of the app, and no row for a route that does not exist', () => {
    const actual = table.map((r) => `${r.method} ${r.path}`).sort();
    expect(actual.filter((k) => !(k in EXPECTATIONS))).toEqual([]);
    expect(Object.keys(EXPECTATIONS).filter((k) => !actual.includes(k))).toEqual([]);
  });

  it('every route outside api/auth and the health checks declares its access rule', () => {
    const undeclared = table.filter(
      (r) => r.rule === undefined && !/^\/api\/(auth\/|admin\/accounts\/|health$|ready$)/.test(r.path),
    );
    expect(undeclared).toEqual([]);
  });

  for (const [route, row] of Object.entries(EXPECTATIONS)) {
    if (!Array.isArray(row)) continue;
    describe(route, () => {
      for (const c of row) {
        it(c.target, async () => {
          const failures: string[] = [];
          for (const who of ['anon', ...ACTORS] as const) {
            const res = await send(who, await c.req());
            const body = res.headers.get('content-type')?.includes('json')
              ? await res.json().catch(() => null)
              : null;
            const code = (body as { code?: string } | null)?.code;
            const allowed = c.allow === 'public' || (who !== 'anon' && c.allow.includes(who));
            if (allowed) {
              const rowForbidden =
                c.rowChecked && code === 'IMPORT_INVALID'
                  ? (body as { details: { errors: { code: string }[] } }).details.errors.some(
                      (e) => e.code === 'FORBIDDEN',
                    )
                  : false;
              if (
                res.status === 401 ||
                res.status === 403 ||
                (res.status >= 500 &&
                  c.allow !== 'public' &&
                  !(c.upstream && res.status === 503 && code === 'DEPENDENCY_UNAVAILABLE')) ||
                rowForbidden ||
                (c.hidden && res.status === 404)
              )
                failures.push(`${who}: expected allowed, got ${res.status} ${code ?? ''}`);
            } else if (who === 'anon') {
              if (res.status !== 401 || code !== 'UNAUTHENTICATED')
                failures.push(`anon: expected 401 UNAUTHENTICATED, got ${res.status} ${code ?? ''}`);
            } else {
              const rowRefused =
                c.rowChecked &&
                res.status === 422 &&
                code === 'IMPORT_INVALID' &&
                (body as { details: { errors: { code: string }[] } }).details.errors.every(
                  (e) => e.code === 'FORBIDDEN',
                );
              if (
                c.hidden ? res.status !== 404 : !(res.status === 403 && code === 'FORBIDDEN') && !rowRefused
              )
                failures.push(`${who}: expected 403 FORBIDDEN, got ${res.status} ${code ?? ''}`);
            }
          }
          expect(failures).toEqual([]);
        });
      }
    });
  }
});
