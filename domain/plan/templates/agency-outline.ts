// Phụ lục 1 of seed 004 (lines 424–515): "ĐỀ CƯƠNG LẬP KẾ HOẠCH NHIỆM VỤ MỤC TIÊU CÔNG TÁC (Đối với các
// cơ quan, đơn vị)", part B "Các nhiệm vụ, mục tiêu trong năm", transcribed as a template.
//
// Perspectives: the seed's four top-level parts I–IV are the four perspectives of DESIGN §2 in the same
// order — I "theo sứ mệnh, chức năng, nhiệm vụ chung" = citizens (DESIGN: "citizens served & mission
// tasks (sứ mệnh, chức năng, nhiệm vụ chung)"), II "Ngân sách và Hiệu quả sử dụng nguồn lực" = budget,
// III "quy chế, quy trình … (cải cách hành chính)" = processes, IV "Học hỏi và Phát triển" = learning.
// The seed does not map the sub-sections; each inherits its top-level part's perspective (the part is
// where the seed files it), e.g. the NQ 57 items 1–4 under IV are learning.
//
// Transcription: titles are the seed's text up to the first colon (the rest of the heading is kept as
// `guidance`); "Nhiệm vụ:" lines that state a section's general aim are `aim`; key results the seed
// lists without naming a task ("+ Nhiệm vụ1" left blank) are the section's `suggestedKeyResults`.
// Typos are the seed's and are kept.

import { BUDGET_AIM, budgetTasks } from './budget-tasks.ts';
import { buildOutline } from './outline-build.ts';
import type { PlanOutline } from './types.ts';

export const AGENCY_OUTLINE: PlanOutline = buildOutline(
  'agency',
  'PL1',
  'ĐỀ CƯƠNG LẬP KẾ HOẠCH NHIỆM VỤ MỤC TIÊU CÔNG TÁC',
  'Đối với các cơ quan, đơn vị',
  [
    {
      code: 'I',
      n: 'I/',
      t: 'Các nhiêm vụ và mục tiêu theo sứ mệnh, chức năng, nhiệm vụ chung',
      line: 439,
      p: 'citizens',
      guidance: 'Mục tiêu then chốt:(có thể đo lường được, có tính khả thi, có tính thánh thức)',
    },
    {
      code: 'II',
      n: 'II/',
      t: 'Ngân sách và Hiệu quả sử dụng nguồn lực',
      line: 442,
      p: 'budget',
      aim: BUDGET_AIM,
      tasks: budgetTasks([445, 452, 458, 465]),
    },
    {
      code: 'III',
      n: 'III/',
      t: 'Công tác hoàn thiện, tối ưu hóa các quy chế, quy trình, chuẩn mực,… nội bộ của cơ quan, đơn vị( các quy trình tạo ra các “sản phẩm” của cơ quan, đơn vị đó), (cải cách hành chính)',
      guidance: 'hướng tới nhanh gọn, hiệu quả , dân chủ, minh bạch hơn, tăng tính kiểm soát quyền lực',
      line: 473,
      p: 'processes',
      tasks: [
        {
          t: 'Đẩy mạnh cải cách hành chính, chuyển đổi từ chính quyền hành chính sang chính quyền phục vụ, kiến tạo.',
          line: 474,
          krs: [
            {
              m: 'so-quy-trinh-hoan-thien',
              t: 'Tên, số lượng, thời gian các quy trình được xây dựng, hoàn thiện, cất giảm.',
            },
            { m: 'chi-so-cai-cach-hanh-chinh', t: 'Các chỉ số về mức độ cải cách hành chính cần đạt được,…' },
            {
              m: 'chi-so-hai-long',
              t: 'Các chỉ số về mức độ hài lòng của người dân hoặc các đối tượng phục vụ.',
            },
          ],
        },
        {
          n: 'Nhiệm vụ mang tính đột phá, tạo bước nhảy vọt',
          t: 'trở thành cơ quan có chất lượng phục vụ tốt nhất',
          bt: true,
          line: 479,
          krs: [
            { m: 'ty-le-cat-giam-thu-tuc-hanh-chinh', t: 'Cắt giảm 30 % thử tục hành chính …' },
            {
              m: 'thoi-gian-giai-quyet-ho-so',
              t: 'Rút ngắn 1/3 thời gian giải quyết một hồ sơ thủ tục nào đó.',
            },
            {
              m: 'chi-so-hai-long',
              t: 'Phục vụ thân thiện, lịch sự, chú đáo trong mọi hoàn cảnh, đạt chỉ số hài lòng 85%',
            },
          ],
        },
      ],
    },
    {
      code: 'IV',
      n: 'IV/',
      t: 'Lĩnh vực Học hỏi và Phát triển',
      guidance:
        'học hỏi, đào tạo, tập huấn cập nhật kiến thức, nâng cao trình độ, kỹ năng làm việc ; duy trì và nâng cao cơ sở vật chất, công nghệ, công cụ và các điều kiện làm việc khác.',
      line: 484,
      p: 'learning',
      tasks: [
        { t: 'Đào tạo nhân viên, lãnh đạo', line: 486 },
        { t: '(mua sắm, sửa chữa …nếu có)', line: 489 },
        {
          t: 'Phát triên khoa học, công nghệ theo nghị quyết 57',
          detail:
            '(tích hợp các KPI ban hành kèm theo Quy chế 02-QC/BCĐTW ngày 10/6/2025 của Ban chỉ đạo TW về phát triển khoa học, công nghệ đổi mới sáng tạo và chuyển đổi số phù hợp với thực tiễn địa phương, đơn vị vào trong các mục tiêu then chốt cụ thể hoặc có thể đưa ra các KPI hoặc mục tiêu khác phù hợp).',
          res: ['nghị quyết 57', 'Quy chế 02-QC/BCĐTW ngày 10/6/2025 của Ban chỉ đạo TW'],
          line: 492,
        },
      ],
      children: [
        {
          code: 'IV.1',
          n: '1.',
          t: 'Nhiệm vụ Phát triền về nguồn nhân lực',
          line: 493,
          tasks: [
            {
              n: 'Nhiệm vụ1',
              t: 'Nâng cao chất lượng nguồn nhân lực số tại cơ quan',
              line: 494,
              krs: [
                {
                  m: 'so-nhan-luc-so-thu-hut',
                  t: 'thu hút từ 2 đến 3 nhân lực có trình độ công nghệ số cao vào làm việc cho cơ quan',
                },
                {
                  m: 'ty-le-can-bo-dao-tao-ky-nang-so',
                  t: 'nâng cao số cán bộ được đạo tạo kỹ năng chuyển đổi số, nhất là kỹ năng làm việc với số liệu tổng hợp và AI(thực hiện trên nền tảng đào tạo đại chúng mở-MOOC) đạt 75%',
                },
              ],
            },
          ],
        },
        {
          code: 'IV.2',
          n: '2.',
          t: 'Nhiệm vụ Phát triển vệ hạ tầng, các điều kiện làm việc khác',
          line: 497,
          krs: [
            { m: 'ty-le-can-bo-duoc-trang-bi-may-tinh', t: '100% cán bộ được trang bị máy tính, cấu hình…' },
            {
              m: 'ty-le-trang-bi-may-xach-tay',
              t: 'cơ quan trang bị đủ máy xách tay cho các cán bộ cần dùng',
            },
            { m: 'ty-le-phong-hop-co-wifi', t: '100 % phòng họp có trang bị wifi mạng 5G' },
          ],
        },
        {
          code: 'IV.3',
          n: '3.',
          t: 'Về các phần mềm ứng dụng…',
          line: 501,
          krs: [
            { m: 'so-phan-mem-ung-dung', t: 'Hoàn thành x phần mềm ứng dụng trong năm' },
            { m: 'so-nhiem-vu-khoa-hoc-de-xuat', t: 'đề xuất Y nhiệm vụ phát triển kho học,…' },
          ],
        },
        { code: 'IV.4', n: '4.', t: 'Khác …', line: 506 },
      ],
    },
  ],
);
