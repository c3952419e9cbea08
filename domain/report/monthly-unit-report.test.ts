import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  administrativeDayMonth,
  dateLine,
  formatRatio,
  formatValue,
  introduction,
  narrativeParagraphs,
  numberLine,
  type ReportPerspective,
  recipientLines,
  reportLines,
  roman,
  subjectLine,
  summarize,
  summaryLines,
  tableHeaders,
  upper,
} from './monthly-unit-report.ts';

const kr = (o: Partial<ReportPerspective['tasks'][number]['keyResults'][number]> = {}) => ({
  title: 'Hồ sơ',
  unit: 'hồ sơ',
  monthTarget: '10',
  verifiedValue: '10',
  yearToDate: '10',
  attainment: '1',
  status: 'on_track' as const,
  ...o,
});

describe('administrative dates (NĐ 30/2020)', () => {
  it('pads days below 10 and the months 1 and 2 only', () => {
    expect(administrativeDayMonth('2027-02-05')).toEqual({ day: '05', month: '02', year: '2027' });
    expect(administrativeDayMonth('2027-01-31')).toEqual({ day: '31', month: '01', year: '2027' });
    expect(administrativeDayMonth('2027-03-15')).toEqual({ day: '15', month: '3', year: '2027' });
    expect(administrativeDayMonth('2026-12-01')).toEqual({ day: '01', month: '12', year: '2026' });
    expect(() => administrativeDayMonth('2027-02-30')).toThrow(RangeError);
  });

  it('writes the date line, the number line and the subject', () => {
    expect(dateLine('Sơn Hà', '2027-02-05')).toBe('Sơn Hà, ngày 05 tháng 02 năm 2027');
    expect(dateLine('Quảng Ngãi', '2027-09-09')).toBe('Quảng Ngãi, ngày 09 tháng 9 năm 2027');
    expect(numberLine('12', 'BC-SNV')).toBe('Số: 12/BC-SNV');
    expect(numberLine('5', 'BC-SNV')).toBe('Số: 05/BC-SNV');
    expect(numberLine('105', 'BC-SNV')).toBe('Số: 105/BC-SNV');
    expect(numberLine(null, 'BC-SNV')).toMatch(/^Số: \u00a0{6}\/BC-SNV$/);
    expect(subjectLine({ period: { year: 2027, month: 1 } })).toBe(
      'Kết quả thực hiện nhiệm vụ, mục tiêu then chốt tháng 01 năm 2027',
    );
    expect(subjectLine({ period: { year: 2027, month: 11 } })).toContain('tháng 11 năm 2027');
  });
});

describe('recipients (Nơi nhận)', () => {
  it('end each line with ";" and the last with "."', () => {
    expect(recipientLines(['Văn phòng Tỉnh ủy', 'Sở Tài chính;', 'Lưu: VT.'])).toEqual([
      '- Văn phòng Tỉnh ủy;',
      '- Sở Tài chính;',
      '- Lưu: VT.',
    ]);
    expect(recipientLines([])).toEqual([]);
  });
});

describe('report formats', () => {
  it('prints Vietnamese numbers, ratios and capitals', () => {
    expect(formatValue('1234.5')).toBe('1.234,5');
    expect(formatValue('1234567.891')).toBe('1.234.567,89');
    expect(formatValue(null)).toBe('');
    expect(formatRatio('1.02875')).toBe('102,9%');
    expect(formatRatio('0.5')).toBe('50%');
    expect(upper('Ủy ban nhân dân xã Sơn Hà, Hưng Yên, đạt')).toBe(
      'ỦY BAN NHÂN DÂN XÃ SƠN HÀ, HƯNG YÊN, ĐẠT',
    );
    expect([1, 2, 3, 4, 9, 14].map(roman)).toEqual(['I', 'II', 'III', 'IV', 'IX', 'XIV']);
  });
});

describe('report lines and summary', () => {
  const perspectives: ReportPerspective[] = [
    { perspective: 'learning', tasks: [{ title: 'Bồi dưỡng', keyResults: [kr({ status: 'at_risk' })] }] },
    {
      perspective: 'citizens',
      tasks: [
        { title: 'Phục vụ', keyResults: [kr(), kr({ verifiedValue: null, status: 'off_track' })] },
        { title: 'Chuyển đổi số', keyResults: [kr({ code: 'A.7', status: null })] },
      ],
    },
  ];

  it('orders perspectives by their fixed order and numbers tasks and key results', () => {
    const lines = reportLines({ perspectives });
    expect(lines.map((l) => `${l.kind}:${l.no}`)).toEqual([
      'perspective:I',
      'task:1',
      'keyResult:1.1',
      'keyResult:1.2',
      'task:2',
      'keyResult:A.7',
      'perspective:II',
      'task:1',
      'keyResult:1.1',
    ]);
    expect(lines[0]).toMatchObject({ title: 'ĐỐI TƯỢNG PHỤC VỤ' });
    expect(lines[6]).toMatchObject({ title: 'HỌC HỎI VÀ PHÁT TRIỂN' });
  });

  it('counts statuses and unverified values', () => {
    const s = summarize(perspectives, '0.875');
    expect(s).toEqual({
      keyResults: 4,
      onTrack: 1,
      atRisk: 1,
      offTrack: 1,
      unverified: 1,
      completion: '0.875',
    });
    expect(summaryLines(s)).toEqual([
      'Tổng số mục tiêu then chốt đến kỳ báo cáo: 4; đúng tiến độ: 1; có nguy cơ chậm: 1; chậm tiến độ: 1.',
      'Số mục tiêu then chốt chưa được xác nhận kết quả: 1.',
      'Mức độ hoàn thành kế hoạch tháng: 87,5%.',
    ]);
    expect(summaryLines(summarize(perspectives))).toHaveLength(2);
  });
});

describe('domain/report is pure', () => {
  const sources = readdirSync(import.meta.dirname).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );
  it.each(sources)('%s has no I/O, env, clock or randomness', (f) => {
    const text = readFileSync(`${import.meta.dirname}/${f}`, 'utf8');
    expect(text).not.toMatch(/from 'node:|require\(|process\.env|Date\.now|new Date\(|Math\.random/);
  });
});

describe('the quarterly report (issue 7 point 1): the same document naming the quarter', () => {
  it('names the quarter in Roman numerals in the subject and the introduction, and the quarter in the headers', () => {
    const q = { period: { year: 2026, month: 6, quarter: 2 }, issuingBody: 'Sở Nội vụ' };
    expect(subjectLine(q)).toBe('Kết quả thực hiện nhiệm vụ quý II năm 2026');
    expect(introduction(q)).toContain(
      'Sở Nội vụ báo cáo kết quả thực hiện nhiệm vụ, mục tiêu then chốt quý II năm 2026',
    );
    expect(tableHeaders(q)).toMatchObject({
      monthTarget: 'Chỉ tiêu quý',
      verified: 'Kết quả quý (đã xác nhận)',
    });
    // A monthly report keeps its texts.
    const mo = { period: { year: 2026, month: 4 } };
    expect(subjectLine(mo)).toBe('Kết quả thực hiện nhiệm vụ, mục tiêu then chốt tháng 4 năm 2026');
    expect(tableHeaders(mo).monthTarget).toBe('Chỉ tiêu tháng');
    expect(summaryLines(summarize([], '0.9'), true).at(-1)).toBe('Mức độ hoàn thành kế hoạch quý: 90%.');
  });

  it('splits a narrative into its non-empty paragraphs', () => {
    expect(narrativeParagraphs(' Một.\r\n\n  Hai. \n')).toEqual(['Một.', 'Hai.']);
    expect(narrativeParagraphs('')).toEqual([]);
  });
});
