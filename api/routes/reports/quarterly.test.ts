// The quarterly unit report through the API (issue 7 point 1): generated from check-ins verified in this test's
// database with the narrative the unit head writes. Its real text (pdftotext -layout: the subject "Kết quả thực
// hiện nhiệm vụ quý II năm 2026", the narrative sections with their Vietnamese diacritics, a verified quarter
// value the Vietnamese way — the quarter's months combined by the aggregation rule — an unverified value left out,
// a quarterly key result's value) and fonts (pdffonts) are asserted, the Excel twin read back; the narrative's
// optimistic revision (409 REPORT_NARRATIVE_CONFLICT) and its audit.
import { createHash, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInOpeningActivities } from '../../../activities/check-in-opening.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { quarterlyUnitReportWorkflowId } from '../../../workflows/quarterly-unit-report.messages.ts';
import { taskLink } from '../inbox.ts';
import { PDF_TYPE, XLSX_TYPE } from './monthly.ts';
import {
  kr,
  nameReportUnit,
  pdfScratch,
  reportSeed,
  reportTestApp,
  responder,
  until,
} from './report-test-support.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `qreports-api-${randomUUID()}`;
// Monday 20 July 2026, 10:00 in Hà Nội: the second quarter is over (set once signed in: TOTP needs real time).
const NOW = new Date('2026-07-20T03:00:00Z');
let now = new Date();
const app = reportTestApp(db, { taskQueue, worker: () => w, clock: () => now });
let f: OrgFixture;
const PERIOD = '2026-Q2';
const as = responder(app, () => f);
const { run, save } = pdfScratch('woms-qreport-api-');
const { plan, checkIn } = reportSeed(db, () => f.person.supervisorA);

const TITLE = 'Hồ sơ giải quyết đúng hạn';
const UNVERIFIED_TITLE = 'Lớp bồi dưỡng kỹ năng số';
const QUARTERLY_TITLE = 'Cuộc kiểm tra công vụ';
const NARRATIVE = {
  results: 'Tổ chức thành công 12 hội nghị tập huấn nghiệp vụ.\nGiải quyết hồ sơ đúng hạn đạt tỷ lệ cao.',
  difficulties: 'Thiếu nhân lực ở bộ phận một cửa; phần mềm dịch vụ công còn chậm.',
  nextFocus: 'Đẩy mạnh chuyển đổi số, rút ngắn thời gian xử lý hồ sơ.',
};

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  now = NOW;
  await nameReportUnit(db, f);

  const unitPlan = `plan:2026:unit:${f.unit.A}`;
  const unitVersion = await plan(
    unitPlan,
    { unitId: f.unit.A },
    {
      owner: { kind: 'unit', unitId: f.unit.A },
      tasks: [
        {
          id: 't1',
          title: 'Nâng cao chất lượng phục vụ người dân, doanh nghiệp',
          perspective: 'citizens',
          weight: '1',
          keyResults: [
            kr('k1', {
              title: TITLE,
              periodTargets: { '2026-04': '1200', '2026-05': '1200', '2026-06': '1200' },
            }),
            kr('k2', { title: UNVERIFIED_TITLE, unit: 'lớp', periodTargets: { '2026-Q2': '9' } }),
          ],
        },
        {
          id: 't2',
          title: 'Cải cách hành chính',
          perspective: 'processes',
          weight: '1',
          keyResults: [
            kr('kq', {
              title: QUARTERLY_TITLE,
              unit: 'cuộc',
              cadence: 'quarter',
              periodTargets: { '2026-Q2': '8' },
            }),
          ],
        },
      ],
    },
  );
  const personPlan = `plan:2026:person:${f.person.officialA}`;
  const personVersion = await plan(
    personPlan,
    { unitId: f.unit.AD1, personId: f.person.officialA },
    {
      owner: { kind: 'person', personId: f.person.officialA },
      tasks: [
        {
          id: 'pt1',
          title: 'Giải quyết hồ sơ',
          perspective: 'citizens',
          weight: '1',
          keyResults: [kr('pk1', { title: 'Hồ sơ tôi giải quyết', parentKeyResultId: 'k1' })],
        },
      ],
    },
  );
  const P = (k: string, value: string, verified: boolean) => ({
    planId: personPlan,
    versionId: personVersion,
    kr: k,
    value,
    verified,
  });
  const U = (k: string, value: string, verified: boolean) => ({
    planId: unitPlan,
    versionId: unitVersion,
    kr: k,
    value,
    verified,
  });
  await checkIn(f.person.officialA, f.unit.AD1, '2026-03', [P('pk1', '1000', true)]);
  await checkIn(f.person.officialA, f.unit.AD1, '2026-04', [P('pk1', '1234.5', true)]);
  await checkIn(f.person.officialA, f.unit.AD1, '2026-05', [P('pk1', '1000', true)]);
  await checkIn(f.person.staffA, f.unit.AD1, '2026-06', [U('k1', '100', true), U('kq', '7', true)]);
  // Submitted, not verified yet: neither value may count.
  await checkIn(f.person.leaverA, f.unit.AD2, '2026-06', [U('k1', '5000', false), U('k2', '4', false)]);
  // Another unit's verified value never counts for A.
  await checkIn(f.person.staffB, f.unit.BD1, '2026-06', [U('k1', '777', true)]);
});

afterAll(async () => {
  await w?.stop();
});

const statusUrl = (period = PERIOD) => `/api/reports/quarterly?unitId=${f.unit.A}&period=${period}`;
const narrativeUrl = (period = PERIOD) => `/api/reports/quarterly/${f.unit.A}/${period}/narrative`;
const pdfUrl = (period = PERIOD) => `/api/reports/quarterly/${f.unit.A}/${period}.pdf`;
const xlsxUrl = (period = PERIOD) => `/api/reports/quarterly/${f.unit.A}/${period}.xlsx`;

describe('the quarterly unit report through the API', () => {
  it('the opening of July (of June’s check-ins) starts the second quarter’s report workflow (the opening of August none)', async () => {
    const opening = checkInOpeningActivities({ db, temporal: w.client });
    await opening.openCheckInPage({ period: '2026-06', day: '2026-07-01', taskQueue });
    const handle = w.client.workflow.getHandle(quarterlyUnitReportWorkflowId(PERIOD, f.unit.A));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // The quarter ended long ago on the worker's clock: the unit head's task is open at once.
    const task = await until(async () =>
      db
        .selectFrom('task')
        .selectAll()
        .where('subject_type', '=', 'quarterly_unit_report')
        .where('subject_id', '=', `${f.unit.A}:${PERIOD}`)
        .executeTakeFirst(),
    );
    expect([task.kind, task.assignee_person_id, task.status]).toEqual([
      'report.quarterly',
      f.person.headA,
      'open',
    ]);
    expect(taskLink(task)).toBe(`/reports/quarterly?unitId=${f.unit.A}&period=${PERIOD}`);
    await opening.openCheckInPage({ period: '2026-07', day: '2026-08-01', taskQueue });
    await expect(
      w.client.workflow.getHandle(quarterlyUnitReportWorkflowId('2026-Q3', f.unit.A)).describe(),
    ).rejects.toThrow();
  });

  it('GET status: the draft with its summary and an empty narrative; the province reads it, a department does not', async () => {
    const r = await as('headA', 'GET', statusUrl());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      status: 'draft',
      unitName: 'Sở Nội vụ',
      period: PERIOD,
      canWrite: true,
      summary: { keyResults: 3, unverified: 1 },
      narrative: { results: '', difficulties: '', nextFocus: '', revision: 0 },
    });
    expect(r.body.files).toEqual({ pdf: pdfUrl(), xlsx: xlsxUrl() });
    const province = await as('secretariatP', 'GET', statusUrl());
    expect([province.status, province.body.canWrite]).toEqual([200, false]);
    expect((await as('officialA', 'GET', statusUrl())).status).toBe(403);
    expect(
      (await as('headA', 'GET', `/api/reports/quarterly?unitId=${f.unit.A}&period=2026-05`)).status,
    ).toBe(400);
  });

  it('PUT narrative: saved with its revision and audited; a stale revision is refused (409) and nothing changes', async () => {
    const first = await as('headA', 'PUT', narrativeUrl(), { ...NARRATIVE, baseRevision: 0 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ ...NARRATIVE, revision: 1, updatedBy: f.person.headA });
    const stale = await as('headA', 'PUT', narrativeUrl(), {
      results: 'Bản khác',
      difficulties: '',
      nextFocus: '',
      baseRevision: 0,
    });
    expect([stale.status, stale.body.code]).toEqual([409, 'REPORT_NARRATIVE_CONFLICT']);
    expect(stale.body.details).toEqual({ baseRevision: 0, currentRevision: 1 });
    const read = await as('headA', 'GET', statusUrl());
    expect(read.body.narrative).toMatchObject({ ...NARRATIVE, revision: 1 });
    const tooLong = await as('headA', 'PUT', narrativeUrl(), {
      ...NARRATIVE,
      results: 'a'.repeat(8001),
      baseRevision: 1,
    });
    expect([tooLong.status, tooLong.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const markup = await as('headA', 'PUT', narrativeUrl(), {
      ...NARRATIVE,
      results: '<b>x</b>',
      baseRevision: 1,
    });
    expect(markup.status).toBe(400);
    expect((await as('secretariatP', 'PUT', narrativeUrl(), { ...NARRATIVE, baseRevision: 1 })).status).toBe(
      403,
    );
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('aggregate_type', '=', 'quarterly_unit_report')
      .where('aggregate_id', '=', `${f.unit.A}:${PERIOD}`)
      .execute();
    expect(audits.filter((x) => x.action.startsWith('report.quarterly'))).toEqual([
      { action: 'report.quarterly.narrative.saved', actor: f.person.headA },
    ]);
  });

  it('GET .pdf: the quarter from verified values only, with the narrative, laid out as an administrative document', async () => {
    const r = await as('headA', 'GET', pdfUrl());
    expect(r.status, r.bytes.toString('utf8').slice(0, 300)).toBe(200);
    expect(r.headers.get('content-type')).toBe(PDF_TYPE);
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Bao cao quy 2-2026 - So Noi vu\.pdf"; /,
    );
    const file = save(r.bytes);
    const text = run('pdftotext', ['-layout', file, '-']);
    const flat = text.replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toMatch(/Số:\s+\/BC-SNV\s+Hưng Yên, ngày 20 tháng 7 năm 2026/);
    expect(flat).toContain('BÁO CÁO Kết quả thực hiện nhiệm vụ quý II năm 2026');
    expect(flat).toContain('mục tiêu then chốt quý II năm 2026');
    // The narrative's three sections, each under its heading, every diacritic kept.
    expect(flat).toContain('Tổ chức thành công 12 hội nghị tập huấn nghiệp vụ.');
    expect(flat).toContain('Giải quyết hồ sơ đúng hạn đạt tỷ lệ cao.');
    expect(flat).toMatch(
      /III\. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN Thiếu nhân lực ở bộ phận một cửa; phần mềm/,
    );
    expect(flat).toMatch(/IV\. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM QUÝ TIẾP THEO Đẩy mạnh chuyển đổi số/);
    // The headers name the quarter: "Chỉ tiêu quý", "Kết quả quý (đã xác nhận)" (wrapped in their cells).
    expect(flat).toMatch(/Chỉ tiêu Kết quả .* quý quý \(đã/);
    // k1's quarter: 1 234,5 (April) + 1 000 (May) + 100 (June) = 2.334,5 against 3 × 1 200; the unverified 5 000
    // and unit B's 777 are not counted; the year to date adds March's 1 000.
    const k1 = text.split('\n').find((l) => l.includes(TITLE)) ?? '';
    expect(k1).toMatch(/3\.600\s+2\.334,5\s+3\.334,5\s+64,8%/);
    expect(text).not.toMatch(/7\.334,5|3\.111,5|8\.334,5/);
    // The quarterly key result: its June value against the quarter's target.
    const kq = text.split('\n').find((l) => l.includes(QUARTERLY_TITLE)) ?? '';
    expect(kq).toMatch(/cuộc\s+8\s+7\s+7\s+87,5%/);
    expect(flat).toContain('Tổng số mục tiêu then chốt đến kỳ báo cáo: 3;');
    expect(flat).toContain('Số mục tiêu then chốt chưa được xác nhận kết quả: 1.');
    expect(text).toContain('Nguyễn Thị Ngọc Hường');
    expect(text).not.toContain('\uFFFD');
    const fonts = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const l of fonts) expect(l).toMatch(/^[A-Z]{6}\+\S+.*\byes\s+yes\s+yes\s+\d+\s+\d+$/);
  });

  it('GET .xlsx: the Excel twin with the quarter values and the narrative', async () => {
    const r = await as('secretariatP', 'GET', xlsxUrl());
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Báo cáo quý 2-2026');
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row) => {
      rows.push(row);
    });
    const rowOf = (title: string) => rows.find((row) => row.getCell(2).value === title)!;
    expect([rowOf(TITLE).getCell(4).value, rowOf(TITLE).getCell(5).value]).toEqual([3600, 2334.5]);
    expect(rowOf(UNVERIFIED_TITLE).getCell(5).value).toBe('Chưa xác nhận');
    expect(rowOf(QUARTERLY_TITLE).getCell(5).value).toBe(7);
    const texts = rows.map((row) => String(row.getCell(1).value ?? ''));
    expect(texts).toContain('Thiếu nhân lực ở bộ phận một cửa; phần mềm dịch vụ công còn chậm.');
    expect(ws.getRow(8).getCell(4).value).toBe('Chỉ tiêu quý');
  });

  it('sending: refused before the quarter is over (409) or by anyone but the unit head (403); the head freezes it', async () => {
    const early = await as('headA', 'POST', `/api/reports/quarterly/${f.unit.A}/2026-Q3/send`, {});
    expect([early.status, early.body.code]).toEqual([409, 'REPORT_WINDOW_NOT_CLOSED']);
    expect(early.body.details.opensOn).toBe('2026-10-01');
    const url = `/api/reports/quarterly/${f.unit.A}/${PERIOD}/send`;
    expect((await as('supervisorA', 'POST', url, {})).status).toBe(403);
    expect((await as('secretariatP', 'POST', url, {})).status).toBe(403);
    const status = await as('headA', 'GET', statusUrl());
    expect(status.body).toMatchObject({
      canSend: true,
      opensOn: '2026-07-01',
      dueDate: '2026-07-10',
      sent: null,
    });

    const key = `send-${randomUUID()}`;
    const [a, b] = await Promise.all([
      as('headA', 'POST', url, { number: '8' }, { 'idempotency-key': key }),
      as('headA', 'POST', url, { number: '8' }, { 'idempotency-key': key }),
    ]);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    if (b.status === 200) expect(b.body).toEqual(a.body);
    else expect([b.status, b.body.code]).toEqual([409, 'REPORT_ALREADY_SENT']);
    const rows = await db.selectFrom('quarterly_unit_report').selectAll().execute();
    expect(rows.map((r) => [r.unit_id, r.period, r.number, r.sent_by])).toEqual([
      [f.unit.A, PERIOD, '8', f.person.headA],
    ]);
    expect(rows[0]!.workflow_id).toBe(quarterlyUnitReportWorkflowId(PERIOD, f.unit.A));
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('aggregate_type', '=', 'quarterly_unit_report')
      .where('action', '=', 'report.quarterly.sent')
      .execute();
    expect(audits).toEqual([{ action: 'report.quarterly.sent', actor: f.person.headA }]);
    // The frozen copy is served from now on; the narrative is closed; a second send is refused.
    const pdf = await as('secretariatP', 'GET', pdfUrl());
    expect(pdf.headers.get('x-report-status')).toBe('sent');
    expect(createHash('sha256').update(pdf.bytes).digest('hex')).toBe(a.body.pdfSha256);
    const text = run('pdftotext', ['-layout', save(pdf.bytes), '-']).replace(/\s+/g, ' ');
    expect(text).toContain('Số: 08/BC-SNV');
    expect(text).toContain('Thiếu nhân lực ở bộ phận một cửa');
    const edit = await as('headA', 'PUT', narrativeUrl(), { ...NARRATIVE, baseRevision: 1 });
    expect([edit.status, edit.body.code]).toEqual([409, 'REPORT_ALREADY_SENT']);
    const again = await as('headA', 'POST', url, {});
    expect([again.status, again.body.code]).toEqual([409, 'REPORT_ALREADY_SENT']);
    const after = await as('headA', 'GET', statusUrl());
    expect(after.body).toMatchObject({ status: 'sent', canSend: false, canWrite: false });
    expect(after.body.sent).toMatchObject({ by: f.person.headA, number: '8', pdfSha256: a.body.pdfSha256 });
  });
});
