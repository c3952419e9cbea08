// The example tasks of "Ngân sách và Hiệu quả sử dụng nguồn lực": Phụ lục 1 II (lines 442–471) and
// Phụ lục 2 Phần II (lines 731–761) give the same text word for word, so both outlines build from here.

import type { TaskIn } from './outline-build.ts';

/** The section's general aim ("Nhiệm vụ: …", lines 443 and 732). */
export const BUDGET_AIM = 'quản lý hiệu quả tài chính, ngân sách, tuân thủ chặt chẽ các kỷ luật tài chính';

/** `lines`: the seed lines of Nhiệm vụ 1–4 in the appendix being built. */
export function budgetTasks(lines: readonly [number, number, number, number]): TaskIn[] {
  return [
    {
      n: 'Nhiệm vụ 1',
      t: 'Quản lý hiệu quả, đúng tiến độ vốn đầu tư công',
      line: lines[0],
      krs: [
        {
          m: 'ty-le-giai-ngan-von-dau-tu-cong',
          t: 'giải ngân 100% vốn đầu tư công',
          note: 'Tỷ lệ hoàn thành dự toán vốn đầu tư tư công: Phần trăm vốn đầu tư đã giải ngân để giao dịch dự toán được thực hiện. Tỷ lệ cao phản ánh khả năng hấp thụ vốn tốt.',
        },
        {
          m: 'no-dong-xdcb-phat-sinh',
          t: 'Không để phát sinh nợ đọng XDCB',
          note: 'Nợ đọng XDCB bằng không.',
        },
        {
          m: 'ty-le-tai-san-duoc-su-dung',
          t: 'sử dụng 100% số tài sản đang quản lý',
          note: 'đo mức độ sử dụng hiệu quả, tránh lãng phí.',
        },
        {
          m: 'so-cong-trinh-dua-vao-su-dung',
          t: 'đưa X công trình vào sử dụng trên số công trinh đang dở dang',
          note: 'chống lãnh phí. Trong đó : số công trình đang ách tắc, vướng mắc, khó khăn là…',
        },
      ],
    },
    {
      n: 'Nhiệm vụ 2',
      t: 'Thực hiệt tốt dự toán thu –chi ngân sách',
      line: lines[1],
      krs: [
        { m: 'ty-le-thu-ngan-sach', t: 'thu ngân sách đạt 100% dự toán thu NS' },
        { m: 'giao-du-toan-kip-thoi', t: 'Giao dự toán kịp thời theo quy định của luật' },
        {
          m: 'ty-le-hoan-thanh-nhiem-vu-chi',
          t: '100% các nhiệm vụ chi được hoàn thành',
          note: 'Tỷ lệ hoàn thành dự toán chi: Phần trăm nhiệm vụ chi ngân sách thực tế so với nhiệm vụ chi giao dự toán(không tích giá trị số kinh phí được giao). Theo dõi chỉ tiêu này giúp đánh giá việc sử dụng ngân sách theo kế hoạch (quá thấp có thể không giải quyết hết vốn; quá cao có thể là chi phát sinh).',
        },
        {
          m: 'hieu-qua-thu-chi',
          t: 'Hiệu quả kết quả thu – chi',
          note: 'Ví dụ, tỷ lệ tăng thu ngân sách với mức tăng chi (thu trên chi), hoặc khả năng tự cân bằng ngân sách địa phương (tỷ lệ vốn từ tăng thu để quay lại tổng chi địa phương). Tỷ lệ này cho biết hiệu quả huy động và sử dụng nguồn lực.',
        },
      ],
    },
    {
      n: 'Nhiệm vụ 3',
      t: 'Quản lý tài chính, ngân sách công khai , minh bạch',
      line: lines[2],
      krs: [
        { m: 'chi-so-pobi', t: 'Chỉ số công khai minh bạch (POBI)', note: '(nếu có)' },
        {
          m: 'ty-le-bao-cao-cong-khai-dung-han',
          t: 'Tỷ lệ khai báo báo cáo chính xác được xác định',
          note: 'Phần trăm các báo cáo dự toán, tình hình thực hiện (quý, 6 tháng) và quyết định chính sách ngân sách được công bố công khai theo thời hạn quy định.',
        },
        {
          m: 'muc-do-tuan-thu-cong-khai',
          t: 'Tuân thủ quy định về công khai',
          note: 'Đo lường xem cơ quan thực hiện công khai theo các hình thức bắt buộc (niêm yết, cổng thông tin, công bố kỳ họp…) và đầy đủ các nội dung theo Luật NSNN 2015 và hướng dẫn khác. Việc báo cáo kết quả kiểm toán và việc thực hiện kiểm toán kiến nghị cũng phải được công bố theo quy định.',
        },
        {
          m: 'ty-le-vi-pham-duoc-xu-ly',
          t: '100% các vi phạm được Xử lý và thực hiện trách nhiệm giải trình',
          note: 'Đánh giá mức độ tuấn thủ quy định, ví dụ tỷ lệ đơn vị được xử lý thực hiện công khai chậm hoặc không khai báo.',
        },
      ],
    },
    {
      n: 'Nhiện vụ 4',
      t: 'Tiết kiệm và hiệu quả chi thường xuyên',
      line: lines[3],
      krs: [
        {
          m: 'ty-le-tiet-kiem-chi-thuong-xuyen',
          t: 'Tỷ lệ tiết kiệm chi thường xuyên',
          note: 'Mục tiêu tiết kiệm cố định (ví dụ cắt giảm 5% chi thường xuyên theo Nghị quyết 119/NQ-CP năm 2024) . Chỉ tiêu này tính bằng phần trăm chi thường xuyên được cắt giảm trên dự toán, phản ánh hiệu quả điều hành.',
        },
        {
          m: 'ty-trong-chi-thuong-xuyen',
          t: 'Tỷ trọng chi thường xuyên/ tổng chi',
          note: 'Phần trăm chi thường xuyên (lương, quản lý, bảo trì…) so với tổng chi ngân sách. Yêu cầu của chính phủ tiêu đề giảm xuống dưới 60% . Thực tế Việt Nam đã giảm tỷ lệ này từ 65,1% năm 2017 xuống dưới 63,1% năm 2020 . Chỉ tiêu này giúp đánh giá khả năng tiết kiệm cho chi thường xuyên.',
        },
        {
          m: 'chi-thuong-xuyen-binh-quan-dau-nguoi',
          t: 'Hiệu quả quản lý nhân sự và tài sản',
          note: 'Các số lượng định lượng như chi thường xuyên bình quân trên đầu người. Ví dụ, giảm số lượng biên chế hoặc giảm chi hành chính trên đầu người .',
        },
      ],
    },
  ];
}
