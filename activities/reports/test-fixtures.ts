// A realistic monthly unit report for the renderer tests: every Vietnamese diacritic class (ă â đ ê ô ơ ư,
// the five tones, capitals), numbers with thousands and decimals, an unverified value, every status.
import {
  type MonthlyUnitReport,
  type ReportKeyResultRow,
  type ReportPerspective,
  summarize,
} from '../../domain/report/monthly-unit-report.ts';

export const PERSPECTIVES_FIXTURE: ReportPerspective[] = [
  {
    perspective: 'citizens',
    tasks: [
      {
        title: 'Nâng cao chất lượng phục vụ người dân, doanh nghiệp trên địa bàn Hưng Yên',
        keyResults: [
          {
            title: 'Hồ sơ thủ tục hành chính được giải quyết đúng hạn',
            unit: 'hồ sơ',
            monthTarget: '1200',
            verifiedValue: '1234.5',
            yearToDate: '2469',
            attainment: '1.02875',
            status: 'on_track',
            note: 'ĐẠT',
          },
          {
            title: 'Tỷ lệ người dân hài lòng với dịch vụ công trực tuyến',
            unit: '%',
            monthTarget: '95',
            verifiedValue: '92.25',
            yearToDate: '92.25',
            attainment: '0.971',
            status: 'at_risk',
          },
        ],
      },
      {
        title: 'Thực hiện Nghị quyết của Ủy ban nhân dân tỉnh Quảng Ngãi về chuyển đổi số',
        keyResults: [
          {
            title: 'Số xã, phường được hướng dẫn triển khai ứng dụng định danh điện tử',
            unit: 'xã',
            monthTarget: '12',
            verifiedValue: null,
            yearToDate: '7',
            attainment: null,
            status: 'off_track',
            note: 'Chưa nộp minh chứng',
          },
        ],
      },
    ],
  },
  {
    perspective: 'budget',
    tasks: [
      {
        title: 'Quản lý, sử dụng ngân sách tiết kiệm, hiệu quả',
        keyResults: [
          {
            title: 'Tỷ lệ giải ngân vốn đầu tư công',
            unit: '%',
            monthTarget: '15',
            verifiedValue: '16.4',
            yearToDate: '21.75',
            attainment: '1.093',
            status: 'on_track',
          },
          {
            title: 'Kinh phí chi thường xuyên tiết kiệm được',
            unit: 'triệu đồng',
            monthTarget: '250000',
            verifiedValue: '187654.32',
            yearToDate: '1234567.89',
            attainment: '0.7506',
            status: 'off_track',
          },
        ],
      },
    ],
  },
  {
    perspective: 'processes',
    tasks: [
      {
        title: 'Cải cách hành chính, ứng dụng quy trình ISO điện tử',
        keyResults: [
          {
            title: 'Quy trình nội bộ được số hóa, cập nhật trên hệ thống',
            unit: 'quy trình',
            monthTarget: '4',
            verifiedValue: '4',
            yearToDate: '9',
            attainment: '1',
            status: 'on_track',
            note: 'Đã ký số ngày 28/01',
          },
        ],
      },
    ],
  },
  {
    perspective: 'learning',
    tasks: [
      {
        title: 'Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức',
        keyResults: [
          {
            title: 'Lớp bồi dưỡng được tổ chức; học viên đạt yêu cầu ở mức khá, giỏi',
            unit: 'lớp',
            monthTarget: '2',
            verifiedValue: '1',
            yearToDate: '3',
            attainment: '0.5',
            status: 'at_risk',
            note: 'Ưu tiên thực hiện trong quý',
          },
        ],
      },
    ],
  },
];

export function monthlyReportFixture(overrides: Partial<MonthlyUnitReport> = {}): MonthlyUnitReport {
  const perspectives = overrides.perspectives ?? PERSPECTIVES_FIXTURE;
  return {
    superiorBody: 'Ủy ban nhân dân tỉnh Hưng Yên',
    issuingBody: 'Ủy ban nhân dân xã Sơn Hà',
    number: '12',
    symbol: 'BC-UBND',
    place: 'Sơn Hà',
    date: '2027-02-05',
    period: { year: 2027, month: 1 },
    perspectives,
    summary: summarize(perspectives, '0.9135'),
    signer: { authority: 'KT. Chủ tịch', title: 'Phó Chủ tịch', name: 'Nguyễn Thị Ngọc Hường' },
    recipients: [
      'Văn phòng Tỉnh ủy Hưng Yên',
      'Thường trực Đảng ủy xã',
      'Chủ tịch, các Phó Chủ tịch UBND xã',
      'Lưu: VT, VHXH',
    ],
    ...overrides,
  };
}

/** A large report: `count` key results spread over the four perspectives (for the multi-page table). */
export function largeReportFixture(count: number): MonthlyUnitReport {
  const perspectives: ReportPerspective[] = (['citizens', 'budget', 'processes', 'learning'] as const).map(
    (perspective, p) => {
      const rows: ReportKeyResultRow[] = [];
      for (let i = p; i < count; i += 4) {
        rows.push({
          title: `Mục tiêu then chốt số ${i + 1}: hoàn thành hồ sơ, văn bản đúng hạn`,
          unit: 'văn bản',
          monthTarget: String(1000 + i),
          verifiedValue: i % 9 === 0 ? null : `${1000 + i}.5`,
          yearToDate: String(12000 + i * 7),
          attainment: '0.95',
          status: i % 3 === 0 ? 'at_risk' : 'on_track',
        });
      }
      const half = Math.ceil(rows.length / 2);
      return {
        perspective,
        tasks: [
          { title: `Nhiệm vụ trọng tâm ${p + 1}.1`, keyResults: rows.slice(0, half) },
          { title: `Nhiệm vụ trọng tâm ${p + 1}.2`, keyResults: rows.slice(half) },
        ],
      };
    },
  );
  return monthlyReportFixture({ perspectives, summary: summarize(perspectives, null) });
}
