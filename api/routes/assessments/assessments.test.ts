// Period assessments through the API (issue 6, point 2): the manager's list, the person's own view with every
// step explained, general-criteria points (bounds, revision), a waiver with an evidence upload (a disguised
// file refused, nothing written), its removal, and the confirmation as an Update of the period-assessment
// workflow (a repeated Idempotency-Key applied once; frozen afterwards). Real PostgreSQL and a real worker on
// the Temporal dev server; the workflow starts on a compressed calendar already past the verification window.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentInputFor } from '../../../db/queries/assessment-workflow-input.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { assessmentById } from '../../../db/queries/period-assessments.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { seedAssessedMonth } from '../../../test/support/period-assessment.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { periodAssessmentWorkflowId } from '../../../workflows/period-assessment.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `assessments-api-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
let id = '';
const PERIOD = '2027-03';

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
const multipart = async (
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Uint8Array },
) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new File([file.bytes], file.name, { type: file.type }));
  const r = new Request('http://x/', { method: 'POST', body: fd });
  return { data: new Uint8Array(await r.arrayBuffer()), type: r.headers.get('content-type') ?? '' };
};
const upload = async (
  who: keyof OrgFixture['session'],
  fields: Record<string, string>,
  file?: Parameters<typeof multipart>[1],
) => {
  const m = await multipart(fields, file);
  return as(who, 'POST', `/api/assessments/${id}/waivers`, m.data, { 'content-type': m.type });
};
const pdf = {
  name: 'xac-nhan-mat-dien.pdf',
  type: 'application/pdf',
  bytes: new TextEncoder().encode('%PDF-1.4\n1 0 obj\n%%EOF\n'),
};

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  await seedAssessedMonth(db, {
    personId: f.person.officialA,
    unitId: f.unit.AD1,
    supervisorId: f.person.supervisorA,
    month: PERIOD,
    dueDate: '2027-04-05',
    lateDays: 2,
  });
  const input = await assessmentInputFor(db, {
    personId: f.person.officialA,
    unitId: f.unit.AD1,
    period: PERIOD,
    day: '2027-04-09',
    path: [f.unit.P, f.unit.A, f.unit.AD1],
  });
  if (!input) throw new Error('no calendar');
  id = input.assessmentId;
  const workflowId = periodAssessmentWorkflowId(PERIOD, f.person.officialA);
  await w.client.workflow.start('periodAssessmentWorkflow', {
    taskQueue,
    workflowId,
    args: [{ ...input, timeWarp: warpFrom('2027-04-09', 3_600_000) }],
  });
  w.started.push(workflowId);
  const end = Date.now() + 30_000;
  while (!(await assessmentById(db, id))?.workflow_id) {
    if (Date.now() > end) throw new Error('not computed');
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await w?.stop();
});

describe('period assessments API', () => {
  it("lists the unit's people for the manager and shows the person every step", async () => {
    const list = await as('supervisorA', 'GET', `/api/assessments?unitId=${f.unit.AD1}&period=${PERIOD}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id, status: 'draft', taskPoints: '61.25', total: '61.25' });
    // The unit head lists from the unit; the province never sees an individual's assessment.
    expect(
      (await as('headA', 'GET', `/api/assessments?unitId=${f.unit.A}&period=${PERIOD}`)).body.items,
    ).toHaveLength(1);
    expect(
      (await as('secretariatP', 'GET', `/api/assessments?unitId=${f.unit.P}&period=${PERIOD}`)).status,
    ).toBe(403);
    expect((await as('secretariatP', 'GET', `/api/assessments/${id}`)).status).toBe(403);

    const mine = await as('officialA', 'GET', `/api/assessments/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.canManage).toBe(false);
    expect(mine.body.measures).toEqual({ quantity: '1', progress: '0.75', quality: '0.875' });
    const steps = mine.body.steps as { key: string; text: { vi: string }; value: string }[];
    expect(steps.map((s) => s.key)).toEqual([
      'assignedUnits',
      'quantity',
      'progress',
      'quality',
      'ownTaskFraction',
      'taskFraction',
      'taskPoints',
      'generalPoints',
      'score',
    ]);
    expect(steps.find((s) => s.key === 'progress')?.text.vi).toMatch(/trễ hạn bị trừ 25%/);
    expect(mine.body.items.map((i: Json) => [i.kind, i.ref])).toEqual([
      ['late', PERIOD],
      ['major-error', `${PERIOD}/plan:2027:person:${f.person.officialA}/kr-b#0`],
    ]);
    expect((await as('supervisorA', 'GET', `/api/assessments/${id}`)).body.canManage).toBe(true);
  });

  it('takes general-criteria points within bounds at the current revision', async () => {
    const cur = (await as('supervisorA', 'GET', `/api/assessments/${id}`)).body;
    const over = await as('supervisorA', 'PUT', `/api/assessments/${id}/general-criteria`, {
      revision: cur.revision,
      points: { politicalEthics: '16' },
    });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('ASSESSMENT_CRITERIA_OUT_OF_BOUNDS');
    const stale = await as('supervisorA', 'PUT', `/api/assessments/${id}/general-criteria`, {
      revision: cur.revision - 1,
      points: { politicalEthics: '15' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('ASSESSMENT_REVISION_CONFLICT');
    expect(
      (
        await as('officialA', 'PUT', `/api/assessments/${id}/general-criteria`, {
          revision: cur.revision,
          points: {},
        })
      ).status,
    ).toBe(403);
    const ok = await as('supervisorA', 'PUT', `/api/assessments/${id}/general-criteria`, {
      revision: cur.revision,
      points: { politicalEthics: '15', disciplineStyle: '5', initiatives: '2.5', capabilityGrowth: '2.5' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ generalPoints: '25.00', total: '86.25', revision: cur.revision + 1 });
  });

  it('records a waiver with evidence, refuses a disguised file, removes a waiver', async () => {
    const disguised = await upload(
      'supervisorA',
      { kind: 'late', ref: PERIOD, objectiveCause: 'Mất điện diện rộng' },
      {
        name: 'xac-nhan.pdf',
        type: 'application/pdf',
        bytes: new TextEncoder().encode('<html><script>x</script></html>'),
      },
    );
    expect(disguised.status).toBe(422);
    expect(disguised.body.code).toBe('EVIDENCE_TYPE_MISMATCH');
    const noFile = await upload('supervisorA', { kind: 'late', ref: PERIOD, objectiveCause: 'Mất điện' });
    expect(noFile.status).toBe(400);
    expect(noFile.body.code).toBe('ASSESSMENT_EVIDENCE_MISSING');
    const wrong = await upload(
      'supervisorA',
      { kind: 'late', ref: '2027-02', objectiveCause: 'Mất điện' },
      pdf,
    );
    expect(wrong.body.code).toBe('ASSESSMENT_WAIVER_TARGET_UNKNOWN');
    expect(
      (await upload('officialA', { kind: 'late', ref: PERIOD, objectiveCause: 'Mất điện' }, pdf)).status,
    ).toBe(403);
    const files = await db
      .selectFrom('evidence_file')
      .select('id')
      .where('subject_type', '=', 'period_assessment_waiver')
      .execute();
    expect(files).toEqual([]);
    expect((await as('supervisorA', 'GET', `/api/assessments/${id}`)).body.total).toBe('86.25');

    const ok = await upload(
      'supervisorA',
      { kind: 'late', ref: PERIOD, objectiveCause: 'Mất điện diện rộng ngày 5/4' },
      pdf,
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ taskPoints: '67.08', total: '92.08' });
    const again = await upload('supervisorA', { kind: 'late', ref: PERIOD, objectiveCause: 'Lần nữa' }, pdf);
    expect(again.body.code).toBe('ASSESSMENT_WAIVER_EXISTS');
    const view = (await as('officialA', 'GET', `/api/assessments/${id}`)).body;
    expect(view.waivers).toHaveLength(1);
    expect(view.waivers[0].evidence[0]).toMatchObject({ fileName: pdf.name, type: 'application/pdf' });
    expect(view.items[0].waiverId).toBe(ok.body.waiverId);
    expect(view.notes.map((n: Json) => n.key)).toContain('nd335.lateWaived');

    const del = await as('supervisorA', 'DELETE', `/api/assessments/${id}/waivers/${ok.body.waiverId}`);
    expect(del.status).toBe(200);
    expect(del.body.taskPoints).toBe('61.25');
    const back = await upload(
      'headA',
      { kind: 'late', ref: PERIOD, objectiveCause: 'Mất điện diện rộng ngày 5/4' },
      pdf,
    );
    expect(back.status).toBe(201);
    expect(back.body.total).toBe('92.08');
  });

  it('confirms once through the workflow; afterwards it is frozen', async () => {
    const cur = (await as('supervisorA', 'GET', `/api/assessments/${id}`)).body;
    expect(
      (await as('officialA', 'POST', `/api/assessments/${id}/confirm`, { revision: cur.revision })).status,
    ).toBe(403);
    const stale = await as('supervisorA', 'POST', `/api/assessments/${id}/confirm`, {
      revision: cur.revision - 1,
    });
    expect(stale.status).toBe(422);
    expect((await assessmentById(db, id))?.status).toBe('draft');
    const key = { 'idempotency-key': `confirm-${randomUUID()}` };
    const first = await as(
      'supervisorA',
      'POST',
      `/api/assessments/${id}/confirm`,
      { revision: cur.revision },
      key,
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'confirmed',
      total: '92.08',
      confirmedBy: f.person.supervisorA,
    });
    const repeat = await as(
      'supervisorA',
      'POST',
      `/api/assessments/${id}/confirm`,
      { revision: cur.revision },
      key,
    );
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ status: 'confirmed', total: '92.08' });
    const confirmations = await db
      .selectFrom('audit_log')
      .select('id')
      .where('aggregate_type', '=', 'period_assessment')
      .where('aggregate_id', '=', id)
      .where('action', '=', 'period_assessment.confirmed')
      .execute();
    expect(confirmations).toHaveLength(1);
    // Frozen: no waiver, no points, no removal.
    const late = await upload(
      'supervisorA',
      { kind: 'major-error', ref: cur.items[1].ref, objectiveCause: 'Số liệu nguồn sai' },
      pdf,
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ASSESSMENT_CONFIRMED');
    const pts = await as('supervisorA', 'PUT', `/api/assessments/${id}/general-criteria`, {
      revision: cur.revision,
      points: {},
    });
    expect(pts.body.code).toBe('ASSESSMENT_CONFIRMED');
    const mine = (await as('officialA', 'GET', `/api/assessments/${id}`)).body;
    expect(mine).toMatchObject({ status: 'confirmed', total: '92.08', confirmedBy: f.person.supervisorA });
    const notes = await db
      .selectFrom('notification')
      .select('kind')
      .where('person_id', '=', f.person.officialA)
      .where('kind', '=', 'assessment.confirmed')
      .execute();
    expect(notes).toHaveLength(1);
  });
});
