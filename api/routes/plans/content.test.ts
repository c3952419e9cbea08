// The plan editor's content path (issue 5, point 2): create from a template, edit with versioning and
// optimistic concurrency, audit rows, pre-check findings, diff, spreadsheet import. Unit plans start their
// workflow on a task queue no worker polls (the process path is in process.test.ts).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';
import { PLAN_COLUMNS, PLAN_SHEET, XLSX_TYPE } from './import.ts';

const { db } = await freshDatabase();
let client: Client;
const taskQueue = `idle-${randomUUID()}`;
const app = createApp({ db, temporal: () => Promise.resolve(client), version: 'test', plans: { taskQueue } });
let f: OrgFixture;
const started: string[] = [];

beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(async () => {
  for (const id of started)
    await client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => {});
  await client?.connection.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const enc = encodeURIComponent;

async function createPlan(year: number, template?: 'agency' | 'commune') {
  const r = await as('officialA', 'POST', '/api/plans', {
    ownerKind: 'unit',
    unitId: f.unit.A,
    year,
    ...(template ? { template } : {}),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  started.push(r.body.id);
  return r.body;
}

async function workbook(rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(PLAN_SHEET);
  ws.addRow(PLAN_COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('plans: the content path', () => {
  it('creates a unit plan from the agency outline, starts its workflow, refuses a second one', async () => {
    const p = await createPlan(2031, 'agency');
    expect(p).toMatchObject({ id: `plan:2031:unit:${f.unit.A}`, status: 'DRAFTING', editable: true });
    expect(p.version.number).toBe(1);
    expect(p.content.sections.length).toBeGreaterThan(3);
    expect(p.content.tasks.length).toBeGreaterThan(3);
    expect(new Set(p.content.sections.map((t: Json) => t.perspective))).toEqual(
      new Set(['citizens', 'budget', 'processes', 'learning']),
    );
    // targets are left for the drafter: the pre-checks say so
    expect(p.prechecks.findings.length).toBeGreaterThan(0);
    const desc = await client.workflow.getHandle(p.id).describe();
    expect(desc.type).toBe('annualPlanWorkflow');
    expect(desc.taskQueue).toBe(taskQueue);
    const again = await as('officialA', 'POST', '/api/plans', {
      ownerKind: 'unit',
      unitId: f.unit.A,
      year: 2031,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PLAN_EXISTS');
    const list = await as('secretariatP', 'GET', `/api/plans?unitId=${f.unit.A}&year=2031`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: Json) => i.id)).toEqual([p.id]);
  });

  it('saves drafts as versions with optimistic concurrency, audited; the template round-trips', async () => {
    const p = await createPlan(2032, 'commune');
    const path = `/api/plans/${enc(p.id)}`;
    const { id: _id, year: _y, owner: _o, ...editable } = p.content;
    const task = editable.tasks[0];
    task.keyResults[0].target = '12';
    task.keyResults[0].weight = '2';
    const s2 = await as('officialA', 'PUT', `${path}/draft`, { baseVersion: 1, content: editable });
    expect(s2.status, JSON.stringify(s2.body)).toBe(201);
    expect(s2.body.version.number).toBe(2);
    expect(s2.body.version.hash).toMatch(/^[0-9a-f]{64}$/);
    // the same content again: no new version
    const same = await as('officialA', 'PUT', `${path}/draft`, { baseVersion: 2, content: editable });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ unchanged: true, version: { number: 2 } });
    // a stale base: 409, nothing lost
    const stale = await as('headA', 'PUT', `${path}/draft`, {
      baseVersion: 1,
      content: { ...editable, tasks: [] },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('PLAN_VERSION_CONFLICT');
    expect(stale.body.details).toEqual({ baseVersion: 1, currentVersion: 2 });
    const now = await as('officialA', 'GET', path);
    expect(now.body.version.number).toBe(2);
    expect(now.body.content.tasks[0].keyResults[0].target).toBe('12');
    expect(now.body.versions.map((v: Json) => v.number)).toEqual([1, 2]);
    const v1 = await as('auditorA', 'GET', `${path}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.content.tasks[0].keyResults[0].target).toBe('');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('aggregate_type', '=', 'plan')
      .where('aggregate_id', '=', p.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['plan.created', 'plan.draft-saved']);
    expect(audit.every((a) => a.actor === f.person.officialA)).toBe(true);
    // not editable once the read model leaves drafting
    await db.updateTable('plan').set({ status: 'SUBMITTED' }).where('id', '=', p.id).execute();
    const locked = await as('officialA', 'PUT', `${path}/draft`, { baseVersion: 2, content: editable });
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe('PLAN_NOT_EDITABLE');
    await db.updateTable('plan').set({ status: 'DRAFTING' }).where('id', '=', p.id).execute();
    // bad content: a task in an unknown section
    const bad = await as('officialA', 'PUT', `${path}/draft`, {
      baseVersion: 2,
      content: { ...editable, tasks: [{ ...task, sectionId: 'nowhere' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues.map((i: Json) => i.code)).toContain('SECTION_UNKNOWN');
  });

  it('reports pre-check findings and diffs versions field by field', async () => {
    const p = await createPlan(2033);
    const path = `/api/plans/${enc(p.id)}`;
    const kr = (id: string, target: string) => ({
      id,
      title: `Số hồ sơ ${id}`,
      type: 'KPI',
      breakthrough: false,
      unit: 'hồ sơ',
      direction: { kind: 'higher' },
      target,
      weight: '1',
      cadence: 'month',
      aggregation: 'sum',
      evidenceRequired: true,
    });
    const v2 = {
      sections: [{ id: 's1', title: 'Phục vụ người dân', perspective: 'citizens' }],
      tasks: [
        {
          id: 't1',
          title: 'Giải quyết hồ sơ',
          perspective: 'citizens',
          sectionId: 's1',
          weight: '1',
          keyResults: [kr('k1', '100'), kr('k2', '50')],
        },
        { id: 't2', title: 'Nhiệm vụ chưa đo được', perspective: 'learning', weight: '1', keyResults: [] },
      ],
    };
    const r2 = await as('officialA', 'PUT', `${path}/draft`, { baseVersion: 1, content: v2 });
    expect(r2.status).toBe(201);
    const findings = r2.body.prechecks.findings as Json[];
    expect(findings.some((x) => x.target === 't2')).toBe(true);
    const got = await as('officialA', 'GET', path);
    expect(got.body.prechecks.findings).toEqual(findings);
    // v3: k1's target changes, k2 moves to a new task t3, t2 is removed
    const v3 = {
      sections: v2.sections,
      tasks: [
        { ...v2.tasks[0], keyResults: [kr('k1', '120')] },
        {
          id: 't3',
          title: 'Nhiệm vụ mới',
          perspective: 'processes',
          weight: '2',
          keyResults: [kr('k2', '50'), kr('k3', '5')],
        },
      ],
    };
    expect((await as('officialA', 'PUT', `${path}/draft`, { baseVersion: 2, content: v3 })).status).toBe(201);
    const d = await as('standingP', 'GET', `${path}/diff?from=2&to=3`);
    expect(d.status).toBe(200);
    expect(d.body.tasks.added.map((t: Json) => t.id)).toEqual(['t3']);
    expect(d.body.tasks.removed.map((t: Json) => t.id)).toEqual(['t2']);
    expect(d.body.tasks.changed).toEqual([]);
    expect(d.body.keyResults.added.map((k: Json) => k.id)).toEqual(['k3']);
    expect(d.body.keyResults.removed).toEqual([]);
    expect(d.body.keyResults.changed).toEqual([
      {
        id: 'k1',
        title: 'Số hồ sơ k1',
        taskId: 't1',
        changes: [{ field: 'target', from: '100', to: '120' }],
      },
      { id: 'k2', title: 'Số hồ sơ k2', taskId: 't3', changes: [{ field: 'taskId', from: 't1', to: 't3' }] },
    ]);
    expect((await as('officialA', 'GET', `${path}/diff?from=2&to=9`)).status).toBe(404);
  });

  it('imports a workbook: a bad row saves nothing; a good one is a new version', async () => {
    const p = await createPlan(2034);
    const path = `/api/plans/${enc(p.id)}`;
    const good = [
      'citizens',
      's1',
      'Phục vụ',
      't1',
      'Giải quyết hồ sơ',
      '1',
      'k1',
      'Tỷ lệ hồ sơ đúng hạn',
      'KPI',
      '',
      '%',
      'higher',
      '90',
      '98',
      '1',
      'month',
      'average',
      'x',
    ];
    const badRow = [
      'space',
      's1',
      'Phục vụ',
      't1',
      'Giải quyết hồ sơ',
      '1',
      'k2',
      'Số phản ánh',
      'KPI',
      '',
      'lượt',
      'sideways',
      '',
      'nhiều',
      '1',
      'month',
      'sum',
      '',
    ];
    const send = async (data: Uint8Array, base = 1) => {
      const res = await requestAs(
        app,
        f.session.officialA,
        'POST',
        `${path}/import?baseVersion=${base}`,
        data,
        {
          'content-type': XLSX_TYPE,
        },
      );
      return { status: res.status, body: (await res.json()) as Json };
    };
    const bad = await send(await workbook([good, badRow]));
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('PLAN_IMPORT_INVALID');
    const rows = bad.body.details.rows as Json[];
    expect(rows[0]).toEqual({ row: 2, ok: true, errors: [] });
    expect(rows[1]?.row).toBe(3);
    expect(rows[1]?.errors.map((e: Json) => e.field).sort()).toEqual(['direction', 'perspective', 'target']);
    expect((await as('officialA', 'GET', path)).body.version.number).toBe(1);
    const second = [...good];
    second[6] = 'k2';
    second[7] = 'Số phản ánh';
    second[13] = '3';
    const ok = await send(await workbook([good, second]));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.version.number).toBe(2);
    const now = await as('officialA', 'GET', path);
    expect(now.body.content.tasks).toHaveLength(1);
    expect(now.body.content.tasks[0].keyResults.map((k: Json) => [k.id, k.target])).toEqual([
      ['k1', '98'],
      ['k2', '3'],
    ]);
    expect(now.body.content.sections).toEqual([{ id: 's1', title: 'Phục vụ', perspective: 'citizens' }]);
    const stale = await send(await workbook([good]), 1);
    expect(stale.status).toBe(409);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', p.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['plan.created', 'plan.imported']);
  });

  it('answers 503 with Retry-After when no worker accepts the Update before the deadline', async () => {
    const p = await createPlan(2038);
    const slow = createApp({
      db,
      temporal: () => Promise.resolve(client),
      version: 'test',
      plans: { taskQueue, updateDeadlineMs: 1500 },
    });
    const t0 = Date.now();
    const res = await requestAs(slow, f.session.officialA, 'POST', `/api/plans/${enc(p.id)}/submit`, {
      versionId: p.version.id,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as Json;
    expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
    // Temporal answered: the message names the workflow that did not take the Update in time, not Temporal.
    expect(body.details).toEqual({ dependency: 'workflow', reason: 'update-deadline' });
    expect(body.message.vi).toContain('Quy trình chưa trả lời kịp');
    expect(body.message.en).toContain('did not answer in time');
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it('answers 503 and saves nothing when Temporal is unreachable at creation', async () => {
    const down = createApp({
      db,
      temporal: () => Promise.reject(new Error('connect ECONNREFUSED')),
      version: 'test',
    });
    const res = await requestAs(down, f.session.officialA, 'POST', '/api/plans', {
      ownerKind: 'unit',
      unitId: f.unit.A,
      year: 2035,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as Json).message.en).toContain('(Temporal)');
    expect(await db.selectFrom('plan').select('id').where('year', '=', 2035).execute()).toEqual([]);
  });
});
