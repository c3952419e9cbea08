// The monthly unit report through the API (issue 6 points 6 and 7): generated from check-ins verified in this
// test's database, its real text (pdftotext -layout: the national motto and slogan, the unit, the number and date
// line, a Vietnamese key-result title with all its diacritics, a verified value the Vietnamese way, an unverified
// value left out, the signature block) and fonts (pdffonts: every font embedded, subset, with a Unicode map) are
// asserted, and the Excel twin is read back with exceljs (the same values, number cells typed as numbers). The
// unit head sends it (the process path: the report workflow's Update on a real worker), which freezes the files;
// the problem codes: window not closed 409, already sent 409, not the unit head 403.
import { createHash, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInOpeningActivities } from '../../../activities/check-in-opening.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { monthlyUnitReportWorkflowId } from '../../../workflows/monthly-unit-report.messages.ts';
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
const taskQueue = `reports-api-${randomUUID()}`;
// Wednesday 20 May 2026, 10:00 in Hà Nội: April's verification window (to Friday 8/5) has closed, May's has not.
const NOW = new Date('2026-05-20T03:00:00Z');
let now = new Date();
const app = reportTestApp(db, { taskQueue, worker: () => w, clock: () => now });
let f: OrgFixture;
const PERIOD = '2026-04';
const as = responder(app, () => f);
const { run, save } = pdfScratch('woms-report-api-');
const { plan, checkIn } = reportSeed(db, () => f.person.supervisorA);

const TITLE = 'Hồ sơ giải quyết đúng hạn';
const UNVERIFIED_TITLE = 'Lớp bồi dưỡng kỹ năng số';
const RATE_TITLE = 'Tỷ lệ giải ngân vốn đầu tư công';

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
            kr('k1', { title: TITLE, periodTargets: { '2026-04': '1200' } }),
            kr('k2', { title: UNVERIFIED_TITLE, unit: 'lớp', periodTargets: { '2026-04': '3' } }),
          ],
        },
        {
          id: 't2',
          title: 'Quản lý, sử dụng ngân sách tiết kiệm, hiệu quả',
          perspective: 'budget',
          weight: '1',
          keyResults: [
            kr('k3', {
              title: RATE_TITLE,
              unit: '%',
              target: '95',
              aggregation: 'last',
              periodTargets: { '2026-04': '95' },
            }),
          ],
        },
      ],
    },
  );
  // The official's personal plan cascades k1 (parentKeyResultId): their values count for the unit's k1.
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
  const P = (kr: string, value: string, verified: boolean) => ({
    planId: personPlan,
    versionId: personVersion,
    kr,
    value,
    verified,
  });
  const U = (kr: string, value: string, verified: boolean) => ({
    planId: unitPlan,
    versionId: unitVersion,
    kr,
    value,
    verified,
  });
  await checkIn(f.person.officialA, f.unit.AD1, '2026-03', [P('pk1', '1000', true)]);
  await checkIn(f.person.officialA, f.unit.AD1, PERIOD, [P('pk1', '1234.5', true), U('k3', '92.25', true)]);
  await checkIn(f.person.staffA, f.unit.AD1, PERIOD, [U('k1', '100', true)]);
  // Submitted, not verified yet: neither value may count.
  await checkIn(f.person.leaverA, f.unit.AD2, PERIOD, [U('k1', '5000', false), U('k2', '4', false)]);
  // Another unit's verified value never counts for A.
  await checkIn(f.person.staffB, f.unit.BD1, PERIOD, [U('k1', '777', true)]);
});
afterAll(async () => {
  await w?.stop();
});

const pdfUrl = (period = PERIOD) => `/api/reports/monthly/${f.unit.A}/${period}.pdf`;
const xlsxUrl = (period = PERIOD) => `/api/reports/monthly/${f.unit.A}/${period}.xlsx`;

/** The verified-value cell of k2's row: its text on the row's line and the wrapped rest on the next one. */
function unverifiedCell(text: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(UNVERIFIED_TITLE));
  const row = lines[i] ?? '';
  const after = row.slice(row.indexOf(UNVERIFIED_TITLE) + UNVERIFIED_TITLE.length);
  // unit, target, then the value cell: "lớp   3   Chưa xác" / "nhận"
  const m = /^\s+lớp\s+3\s+(\S.*?)\s*$/.exec(after);
  return [m?.[1] ?? '', (lines[i + 1] ?? '').trim()].join(' ').trim();
}

interface FontRow {
  name: string;
  emb: string;
  sub: string;
  uni: string;
}
function pdffonts(file: string): FontRow[] {
  return run('pdffonts', [file])
    .trim()
    .split('\n')
    .slice(2)
    .map((l) => {
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(l.trim());
      if (!m) throw new Error(`unexpected pdffonts line: ${l}`);
      return { name: m[1]!, emb: m[4]!, sub: m[5]!, uni: m[6]! };
    });
}

describe('the monthly unit report through the API', () => {
  it('the monthly opening starts the report workflow of each unit with persons reporting', async () => {
    const opening = checkInOpeningActivities({ db, temporal: w.client });
    await opening.openCheckInPage({ period: PERIOD, day: '2026-05-01', taskQueue });
    const handle = w.client.workflow.getHandle(monthlyUnitReportWorkflowId(PERIOD, f.unit.A));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // April's window closed long ago on the worker's clock: the unit head's task is open at once.
    const task = await until(async () =>
      db
        .selectFrom('task')
        .selectAll()
        .where('subject_type', '=', 'monthly_unit_report')
        .where('subject_id', '=', `${f.unit.A}:${PERIOD}`)
        .executeTakeFirst(),
    );
    expect([task.kind, task.assignee_person_id, task.status]).toEqual([
      'report.monthly',
      f.person.headA,
      'open',
    ]);
    // The inbox leads the unit head to the report's screen.
    expect(taskLink(task)).toBe(`/reports/monthly?unitId=${f.unit.A}&period=${PERIOD}`);
    // Unit B's person reports nothing due in a plan in force: no report workflow for B.
    await expect(
      w.client.workflow.getHandle(monthlyUnitReportWorkflowId(PERIOD, f.unit.B)).describe(),
    ).rejects.toThrow();
    // A second opening starts nothing twice.
    const { runId } = await handle.describe();
    await opening.openCheckInPage({ period: PERIOD, day: '2026-05-01', taskQueue });
    expect((await handle.describe()).runId).toBe(runId);
    const tasks = await db
      .selectFrom('task')
      .select('id')
      .where('subject_type', '=', 'monthly_unit_report')
      .execute();
    expect(tasks).toHaveLength(1);
  });

  it('GET .pdf: the live draft from verified values only, laid out as an administrative document', async () => {
    const r = await as('headA', 'GET', pdfUrl());
    expect(r.status, r.bytes.toString('utf8').slice(0, 300)).toBe(200);
    expect(r.headers.get('content-type')).toBe(PDF_TYPE);
    expect(r.headers.get('x-report-status')).toBe('draft');
    const disposition = r.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="Bao cao thang 04-2026 - So Noi vu\.pdf"; /);
    expect(disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent('Báo cáo tháng 04-2026 - Sở Nội vụ.pdf')}`,
    );
    expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = save(r.bytes);
    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    // The superior body wraps inside its column: "ỦY BAN NHÂN DÂN TỈNH" / "HƯNG YÊN", the unit below.
    expect(text).toMatch(/ỦY BAN NHÂN DÂN TỈNH\s+CỘNG HÒA[^\n]*\n\s+HƯNG YÊN\s+Độc lập/);
    const flat = text.replace(/\s+/g, ' ');
    expect(text).toContain('SỞ NỘI VỤ');
    // Not numbered yet: the blank for the clerk; the date is today's (20/5/2026) in the province's place name.
    expect(text).toMatch(/Số:\s+\/BC-SNV\s+Hưng Yên, ngày 20 tháng 5 năm 2026/);
    expect(flat).toContain('Kết quả thực hiện nhiệm vụ, mục tiêu then chốt tháng 4 năm 2026');
    expect(text).toContain(TITLE);
    expect(text).toContain('Tỷ lệ giải ngân vốn đầu tư');
    // k1 = 1 234,5 (the official's cascaded value) + 100 (a colleague's): 1.334,5 — the unverified 5 000 and
    // unit B's 777 are not counted; the year to date adds March's verified 1 000.
    const k1 = text.split('\n').find((l) => l.includes(TITLE)) ?? '';
    expect(k1).toMatch(/1\.200\s+1\.334,5\s+2\.334,5\s+111,2%/);
    expect(text).not.toMatch(/6\.334,5|6\.434,5|2\.111,5|1\.234,5\s/);
    expect(k1).toContain('Còn 1 giá'); // the note: "Còn 1 giá trị chưa xác nhận, chưa tính" (wrapped)
    // k2 has only an unverified value: printed "Chưa xác nhận" (wrapped in its cell), counted as unverified.
    expect(unverifiedCell(text)).toBe('Chưa xác nhận');
    expect(text).toMatch(/92,25\s+92,25\s+97,1%/);
    expect(flat).toContain(
      'Tổng số mục tiêu then chốt đến kỳ báo cáo: 3; đúng tiến độ: 1; có nguy cơ chậm: 1; chậm tiến độ: 0.',
    );
    expect(flat).toContain('Số mục tiêu then chốt chưa được xác nhận kết quả: 1.');
    // The signature block and the recipients.
    expect(text).toContain('GIÁM ĐỐC');
    expect(text).toContain('Nguyễn Thị Ngọc Hường');
    expect(text).toMatch(/Nơi nhận:/);
    expect(text).toContain('- Lưu: VT.');
    expect(text).not.toContain('\uFFFD');

    const fonts = pdffonts(file);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const font of fonts) {
      expect(font.name).toMatch(/^[A-Z]{6}\+/);
      expect(font).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    }
  });

  it('GET .xlsx: the Excel twin with the same values, number cells typed as numbers', async () => {
    const r = await as('secretariatP', 'GET', xlsxUrl());
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Bao cao thang 04-2026 - So Noi vu\.xlsx"/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row) => {
      rows.push(row);
    });
    const rowOf = (title: string) => rows.find((row) => row.getCell(2).value === title)!;
    const k1 = rowOf(TITLE);
    expect(k1.getCell(4).value).toBe(1200);
    expect(k1.getCell(5).value).toBe(1334.5);
    expect(typeof k1.getCell(5).value).toBe('number');
    expect(k1.getCell(6).value).toBe(2334.5);
    const k2 = rowOf(UNVERIFIED_TITLE);
    expect(k2.getCell(5).value).toBe('Chưa xác nhận');
    expect(rowOf(RATE_TITLE).getCell(5).value).toBe(92.25);
    expect(ws.getCell('D1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  });

  it('GET status: a draft the unit head may send; the province reads it too, a department does not', async () => {
    const r = await as('headA', 'GET', `/api/reports/monthly?unitId=${f.unit.A}&period=${PERIOD}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      status: 'draft',
      unitName: 'Sở Nội vụ',
      windowClosesOn: '2026-05-08',
      canSend: true,
      sent: null,
      summary: { keyResults: 3, unverified: 1 },
    });
    expect(r.body.files.pdf).toBe(pdfUrl());
    const province = await as(
      'secretariatP',
      'GET',
      `/api/reports/monthly?unitId=${f.unit.A}&period=${PERIOD}`,
    );
    expect([province.status, province.body.canSend]).toEqual([200, false]);
    expect((await as('supervisorA', 'GET', pdfUrl())).status).toBe(403);
    expect(
      (await as('officialA', 'GET', `/api/reports/monthly?unitId=${f.unit.A}&period=${PERIOD}`)).status,
    ).toBe(403);
  });

  it('refuses a send before the verification window closed (409), or by anyone but the unit head (403)', async () => {
    const early = await as('headA', 'POST', `/api/reports/monthly/${f.unit.A}/2026-05/send`, {});
    expect([early.status, early.body.code]).toEqual([409, 'REPORT_WINDOW_NOT_CLOSED']);
    expect(early.body.details.windowClosesOn).toBe('2026-06-10');
    const other = await as('supervisorA', 'POST', `/api/reports/monthly/${f.unit.A}/${PERIOD}/send`, {});
    expect(other.status).toBe(403);
    const province = await as('secretariatP', 'POST', `/api/reports/monthly/${f.unit.A}/${PERIOD}/send`, {});
    expect(province.status).toBe(403);
    const bad = await as('headA', 'POST', `/api/reports/monthly/${f.unit.A}/${PERIOD}/send`, {
      number: 'số 5',
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await db.selectFrom('monthly_unit_report').select('period').execute()).toEqual([]);
  });

  it('the unit head sends: the report is frozen (files with sha256, audited), a double click applied once, a second send refused', async () => {
    const key = `send-${randomUUID()}`;
    const url = `/api/reports/monthly/${f.unit.A}/${PERIOD}/send`;
    const [a, b] = await Promise.all([
      as('headA', 'POST', url, { number: '5' }, { 'idempotency-key': key }),
      as('headA', 'POST', url, { number: '5' }, { 'idempotency-key': key }),
    ]);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    // The second click either got the first answer (one update id) or found the report sent.
    if (b.status === 200) expect(b.body).toEqual(a.body);
    else expect([b.status, b.body.code]).toEqual([409, 'REPORT_ALREADY_SENT']);
    expect(a.body.status).toBe('sent');
    const rows = await db.selectFrom('monthly_unit_report').selectAll().execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect([row.unit_id, row.period, row.number, row.sent_by]).toEqual([
      f.unit.A,
      PERIOD,
      '5',
      f.person.headA,
    ]);
    expect(row.workflow_id).toBe(monthlyUnitReportWorkflowId(PERIOD, f.unit.A));
    expect(createHash('sha256').update(row.pdf).digest('hex')).toBe(a.body.pdfSha256);
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('aggregate_type', '=', 'monthly_unit_report')
      .where('aggregate_id', '=', `${f.unit.A}:${PERIOD}`)
      .execute();
    expect(audits.filter((x) => x.action === 'report.monthly.sent')).toEqual([
      { action: 'report.monthly.sent', actor: f.person.headA },
    ]);
    // The secretariat is told.
    const told = await db
      .selectFrom('notification')
      .select('person_id')
      .where('kind', '=', 'report.monthly.sent')
      .execute();
    expect(told.map((t) => t.person_id)).toContain(f.person.secretariatP);

    // The frozen file is served from now on, whatever is verified later.
    await db
      .updateTable('check_in_value')
      .set({ verification: 'verified', verified_by: f.person.supervisorA, verified_at: new Date() })
      .where('value', '=', '4')
      .execute();
    const pdf = await as('secretariatP', 'GET', pdfUrl());
    expect(pdf.headers.get('x-report-status')).toBe('sent');
    expect(pdf.headers.get('etag')).toBe(`"${a.body.pdfSha256}"`);
    expect(createHash('sha256').update(pdf.bytes).digest('hex')).toBe(a.body.pdfSha256);
    const text = run('pdftotext', ['-layout', save(pdf.bytes), '-']);
    expect(text).toMatch(/Số: 05\/BC-SNV/);
    expect(unverifiedCell(text)).toBe('Chưa xác nhận');

    const status = await as('headA', 'GET', `/api/reports/monthly?unitId=${f.unit.A}&period=${PERIOD}`);
    expect(status.body).toMatchObject({
      status: 'sent',
      canSend: false,
      sent: { by: f.person.headA, byName: 'Nguyễn Thị Ngọc Hường', number: '5', pdfSha256: a.body.pdfSha256 },
    });
    const again = await as('headA', 'POST', url, {}, { 'idempotency-key': `send-${randomUUID()}` });
    expect([again.status, again.body.code]).toEqual([409, 'REPORT_ALREADY_SENT']);
    expect(await db.selectFrom('monthly_unit_report').select('period').execute()).toHaveLength(1);
  });

  it("the unit head's delegate sends within the delegation's window (on their behalf); outside it, 403", async () => {
    // Unit B's head (Phạm Thị Dung) delegates to supervisorA; today (20/5) is outside the first window
    const delegation = (from: string, to: string) => ({
      id: `delegation:${f.person.headB}:${from}`,
      principal_id: f.person.headB,
      delegate_id: f.person.supervisorA,
      unit_id: f.unit.B,
      from_date: from,
      to_date: to,
      reason: 'Đi công tác',
      status: 'APPROVED' as const,
      approver_id: f.person.secretariatP,
      workflow_id: `delegation:${f.person.headB}:${from}`,
      requested_by: f.person.headB,
    });
    await db.insertInto('delegation').values(delegation('2026-05-01', '2026-05-19')).execute();
    const url = `/api/reports/monthly/${f.unit.B}/${PERIOD}/send`;
    const sentOfB = () =>
      db.selectFrom('monthly_unit_report').selectAll().where('unit_id', '=', f.unit.B).execute();
    const named = await as('supervisorA', 'POST', url, { onBehalfOf: f.person.headB });
    expect([named.status, named.body.code]).toEqual([403, 'FORBIDDEN']);
    const implicit = await as('supervisorA', 'POST', url, {});
    expect([implicit.status, implicit.body.code]).toEqual([403, 'FORBIDDEN']);
    // naming someone who is not the unit's head does not help either
    const notHead = await as('officialA', 'POST', url, { onBehalfOf: f.person.headA });
    expect(notHead.status).toBe(403);
    expect(await sentOfB()).toEqual([]);

    // a second window that contains today: the delegate sends on the head's behalf
    // the delegate does not read B's report outside the window; within it they do, and may send it
    const outside = await as(
      'supervisorA',
      'GET',
      `/api/reports/monthly?unitId=${f.unit.B}&period=${PERIOD}`,
    );
    expect(outside.status).toBe(403);
    await db.insertInto('delegation').values(delegation('2026-05-20', '2026-05-31')).execute();
    const inside = await as('supervisorA', 'GET', `/api/reports/monthly?unitId=${f.unit.B}&period=${PERIOD}`);
    expect([inside.status, inside.body.canSend]).toEqual([200, true]);
    expect((await as('supervisorA', 'GET', `/api/reports/monthly/${f.unit.B}/${PERIOD}.pdf`)).status).toBe(
      200,
    );
    // but not A's, whose head did not delegate to them
    expect((await as('supervisorA', 'GET', pdfUrl())).status).toBe(403);
    const ok = await as('supervisorA', 'POST', url, { onBehalfOf: f.person.headB });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('sent');
    const rows = await sentOfB();
    expect(rows.map((r) => [r.period, r.sent_by, r.on_behalf_of])).toEqual([
      [PERIOD, f.person.supervisorA, f.person.headB],
    ]);
    const status = await as(
      'secretariatP',
      'GET',
      `/api/reports/monthly?unitId=${f.unit.B}&period=${PERIOD}`,
    );
    expect(status.body.sent).toMatchObject({ by: f.person.supervisorA, onBehalfOf: f.person.headB });
  });
});
