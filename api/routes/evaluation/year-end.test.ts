// The year-end assessment through the API (issue 8 points 1–2): the person's own assessment with the estimate
// explained, the self-assessment draft (bad input refused with its code, a stale revision refused), the
// submission as an Update (a repeated Idempotency-Key answered once), the manager's list and assessment (the
// person and the province refused; out-of-bounds points refused), the proposed level explained, and the
// organisation department's appraisal route (authorised for it only; refused at the wrong step). Real
// PostgreSQL and a real worker on the Temporal dev server; the workflow starts on 1/12/2027 (window open).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { yearEndById } from '../../../db/queries/year-end-assessments.ts';
import { yearEndInputFor } from '../../../db/queries/year-end-workflow-input.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { seedConfirmedPeriods, seedEvidence } from '../../../test/support/year-end.ts';
import { yearEndAssessmentWorkflowId } from '../../../workflows/year-end-assessment.messages.ts';
import { createApp } from '../../app.ts';
import { taskLink } from '../inbox.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `year-end-api-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
let id = '';
let evidence = '';
const YEAR = 2027;

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
const content = (ev: string[]) => ({
  unplannedWork: [{ title: 'Rà soát thủ tục hành chính đột xuất', evidenceIds: ev }],
  initiatives: [{ title: 'Sáng kiến số hoá hồ sơ', evidenceIds: ev }],
  certificates: [{ title: 'Tự học tiếng Anh B2 (đã xác nhận)', kind: 'self-study', evidenceIds: ev }],
  rubric: {
    resolutionStudyPercent: '100',
    contributionsPerYear: 2,
    trustPercent: '85',
    disciplinedForIdeology: false,
    selfLevel: 5,
  },
  points: { disciplineStyle: '5', initiatives: '5', capabilityGrowth: '4' },
});

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  await seedConfirmedPeriods(db, {
    personId: f.person.officialA,
    unitId: f.unit.AD1,
    confirmedBy: f.person.supervisorA,
    year: YEAR,
    taskPoints: ['50', '52', '54', '56', '58', '60', '62', '64', '66', '68', '70'],
  });
  evidence = await seedEvidence(db, f.unit.AD1, f.person.officialA, `Giấy chứng nhận ${randomUUID()}`);
  const input = await yearEndInputFor(db, {
    personId: f.person.officialA,
    unitId: f.unit.AD1,
    year: YEAR,
    day: '2027-12-01',
    path: [f.unit.P, f.unit.A, f.unit.AD1],
  });
  if (!input) throw new Error('no calendar');
  id = input.assessmentId;
  const workflowId = yearEndAssessmentWorkflowId(YEAR, f.person.officialA);
  await w.client.workflow.start('yearEndAssessmentWorkflow', {
    taskQueue,
    workflowId,
    args: [{ ...input, timeWarp: warpFrom('2027-12-01', 3_600_000) }],
  });
  w.started.push(workflowId);
  const end = Date.now() + 30_000;
  while (!(await yearEndById(db, id))?.workflow_id) {
    if (Date.now() > end) throw new Error('not opened');
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await w?.stop();
});

describe('year-end assessment API', () => {
  it('shows the person their assessment with the estimate explained; nobody else reads it as theirs', async () => {
    const mine = await as('officialA', 'GET', `/api/evaluation/year-end/me?year=${YEAR}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      id,
      status: 'self-open',
      revision: 0,
      open: true,
      needsAppraisal: false,
    });
    expect(mine.body.estimate.taskYear).toBe('60.00');
    expect(mine.body.estimate.periods).toHaveLength(11);
    const keys = (mine.body.estimate.steps as { key: string }[]).map((s) => s.key);
    expect(keys).toEqual(['throughNovember', 'decemberEstimate', 'taskYear']);
    expect(mine.body.estimate.steps[1].vi).toContain('tạm tính');
    expect(mine.body.can).toEqual({ editSelf: true, assess: false, appraise: false });
    expect((await as('supervisorA', 'GET', `/api/evaluation/year-end/me?year=${YEAR}`)).status).toBe(404);
    expect((await as('secretariatP', 'GET', `/api/evaluation/year-end/${id}`)).status).toBe(403);
    expect((await as('adminA', 'GET', `/api/evaluation/year-end/${id}`)).status).toBe(403);
  });

  it('refuses bad drafts with their codes, saves a good one and submits it once', async () => {
    const put = (revision: number, c: unknown) =>
      as('officialA', 'PUT', '/api/evaluation/year-end/me/draft', { year: YEAR, revision, content: c });
    const noEvidence = await put(0, { ...content([]) });
    expect(noEvidence.status).toBe(422);
    expect(noEvidence.body.code).toBe('YEAR_END_EVIDENCE_REQUIRED');
    const unknown = await put(0, content([randomUUID()]));
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('YEAR_END_EVIDENCE_UNKNOWN');
    const badRubric = await put(0, {
      ...content([evidence]),
      rubric: { ...content([]).rubric, trustPercent: '140' },
    });
    expect(badRubric.status).toBe(422);
    expect(badRubric.body.code).toBe('YEAR_END_RUBRIC_INVALID');
    const c1Points = await put(0, { ...content([evidence]), points: { politicalEthics: '15' } });
    expect(c1Points.body.code).toBe('YEAR_END_CRITERION_UNKNOWN');
    const stale = await put(5, content([evidence]));
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('YEAR_END_REVISION_CONFLICT');

    const ok = await put(0, content([evidence]));
    expect(ok.status).toBe(200);
    // 60 (tasks) + criterion 1 at level 4 (contributions 1–2 → 4; 0.8 × 15 = 12) + 5 + 5 + 4 = 86
    expect(ok.body).toMatchObject({ revision: 1, selfScore: '86.00', status: 'self-open' });
    const mine = await as('officialA', 'GET', `/api/evaluation/year-end/me?year=${YEAR}`);
    const rubricStep = (mine.body.selfSteps as { key: string; vi: string }[]).find((s) => s.key === 'rubric');
    expect(rubricStep?.vi).toContain('mức 4');

    // The manager cannot act before the submission.
    const early = await as('supervisorA', 'POST', `/api/evaluation/year-end/${id}/supervisor`, {
      points: { politicalEthics: '12', disciplineStyle: '5', initiatives: '5', capabilityGrowth: '5' },
      comments: '',
    });
    expect(early.status).toBe(409);

    const key = { 'idempotency-key': `self-${id}` };
    const sub = await as(
      'officialA',
      'POST',
      '/api/evaluation/year-end/me/submit',
      { year: YEAR, revision: 1 },
      key,
    );
    expect(sub.status).toBe(200);
    expect(sub.body.status).toBe('self-submitted');
    const again = await as(
      'officialA',
      'POST',
      '/api/evaluation/year-end/me/submit',
      { year: YEAR, revision: 1 },
      key,
    );
    expect(again.status).toBe(200);
    const closed = await put(1, content([evidence]));
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('YEAR_END_SELF_CLOSED');
  });

  it("lets the manager (or the manager's delegate) assess with the level explained; the person, the province and bad points are refused", async () => {
    const list = await as('supervisorA', 'GET', `/api/evaluation/year-end?unitId=${f.unit.AD1}&year=${YEAR}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id, status: 'self-submitted', selfScore: '86.00' });
    expect(
      (await as('officialA', 'GET', `/api/evaluation/year-end?unitId=${f.unit.AD1}&year=${YEAR}`)).status,
    ).toBe(403);
    expect(
      (await as('secretariatP', 'GET', `/api/evaluation/year-end?unitId=${f.unit.P}&year=${YEAR}`)).status,
    ).toBe(403);
    const read = await as('supervisorA', 'GET', `/api/evaluation/year-end/${id}`);
    expect(read.body.can).toEqual({ editSelf: false, assess: true, appraise: false });

    const points = { politicalEthics: '12', disciplineStyle: '4', initiatives: '4', capabilityGrowth: '4' };
    const own = await as('officialA', 'POST', `/api/evaluation/year-end/${id}/supervisor`, {
      points,
      comments: '',
    });
    expect(own.status).toBe(403);
    const over = await as('supervisorA', 'POST', `/api/evaluation/year-end/${id}/supervisor`, {
      points: { ...points, disciplineStyle: '9' },
      comments: '',
    });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('UPDATE_REJECTED');
    // The manager is away: their active delegate (adminA) reads and assesses on their behalf, recorded as the
    // manager's act; a delegate without a delegation is refused, and so is naming someone one does not act for.
    expect((await as('adminA', 'GET', `/api/evaluation/year-end/${id}`)).status).toBe(403);
    const today = vnLocalDate(Date.now());
    await db
      .insertInto('delegation')
      .values({
        id: `delegation:${f.person.supervisorA}:${today}`,
        principal_id: f.person.supervisorA,
        delegate_id: f.person.adminA,
        unit_id: f.unit.AD1,
        from_date: vnLocalDate(Date.now() - 86_400_000),
        to_date: vnLocalDate(Date.now() + 86_400_000),
        reason: 'Nghỉ phép',
        status: 'APPROVED',
        approver_id: f.person.headA,
        workflow_id: `delegation:${f.person.supervisorA}:${today}`,
        requested_by: f.person.supervisorA,
      })
      .execute();
    const delegateRead = await as('adminA', 'GET', `/api/evaluation/year-end/${id}`);
    expect(delegateRead.status).toBe(200);
    expect(delegateRead.body.can.assess).toBe(true);
    const notTheirs = await as('adminA', 'POST', `/api/evaluation/year-end/${id}/supervisor`, {
      points,
      comments: '',
      onBehalfOf: f.person.headA,
    });
    expect(notTheirs.status).toBe(403);
    const ok = await as('adminA', 'POST', `/api/evaluation/year-end/${id}/supervisor`, {
      points,
      comments: 'Chủ động, đúng hạn.',
      onBehalfOf: f.person.supervisorA,
    });
    expect(ok.status).toBe(200);
    expect((await yearEndById(db, id))?.supervisor_by).toBe(f.person.supervisorA);
    // 60 + 12 + 4 + 4 + 4 = 84 → Hoàn thành tốt nhiệm vụ (from 70)
    expect(ok.body).toMatchObject({ supervisorScore: '84.00', proposedLevel: 'good', status: 'ready' });
    const mine = await as('officialA', 'GET', `/api/evaluation/year-end/me?year=${YEAR}`);
    expect(mine.body.proposedLevelLabel.vi).toBe('Hoàn thành tốt nhiệm vụ');
    const last = (mine.body.steps as { key: string; vi: string }[]).at(-1)!;
    expect(last.key).toBe('proposedLevel');
    expect(last.vi).toContain('84 điểm');
  });

  it("authorises the appraisal for the province's organisation department only", async () => {
    const body = { agrees: true, comment: 'Đồng ý' };
    expect((await as('headA', 'POST', `/api/evaluation/year-end/${id}/appraisal`, body)).status).toBe(403);
    expect((await as('officialA', 'POST', `/api/evaluation/year-end/${id}/appraisal`, body)).status).toBe(
      403,
    );
    const wrongStep = await as('orgdeptP', 'POST', `/api/evaluation/year-end/${id}/appraisal`, body);
    expect(wrongStep.status).toBe(409);
    expect(wrongStep.body.code).toBe('YEAR_END_WRONG_STEP');
  });

  it("links the inbox tasks to the person's screen and the manager's screen", () => {
    const t = (kind: string) => taskLink({ subject_type: 'year_end_assessment', subject_id: id, kind });
    expect(t('year-end.self')).toBe('/evaluation/self');
    expect(t('year-end.supervisor')).toBe(`/evaluation/supervisor/${id}`);
    expect(t('year-end.appraisal')).toBe(`/evaluation/supervisor/${id}`);
  });
});
