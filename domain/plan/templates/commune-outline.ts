// Phụ lục 2 of seed 004 (lines 517–813): "ĐỀ CƯƠNG LẬP KẾ HOẠCH NHIỆM VỤ MỤC TIÊU CÔNG TÁC (Đối với các
// xã, phường)", part B "Các nhiệm vụ, mục tiêu trong năm", transcribed as a template.
//
// Perspectives: the seed's four parts are the four perspectives of DESIGN §2 in the same order — Phần I
// "theo sứ mệnh, chức năng nhiệm vụ chung" = citizens, Phần II "Ngân sách và Hiệu quả sử dụng nguồn lực" =
// budget, Phần III "quy chế, quy trình … cải cách hành chính" = processes, Phần IV "Học hỏi và Phát triển
// (Learning & Growth Perspective)" = learning. The seed does not map its sub-sections; each inherits the
// part it is filed under. So party building, the economy, culture and society, education (Phần I.II.2.3,
// the commune's mission towards its residents) and defence are citizens, while training the commune's
// own officials and digital transformation under NQ 57 (Phần IV) are learning.
//
// Transcription: codes are P1–P4 for the parts, then the seed's own numbering (I, II, then 1., 2.1 …);
// the seed skips I.6 and I.2.5, and so does this tree. Titles are the seed's text up to the first colon,
// except a heading "2.1. Nhiệm vụ: <area>", titled by its area (the label stays in `number`);
// "Nhiệm vụ:" lines that state a section's general aim are `aim`, drafting notes ("Lưu ý", "Nêu …") are
// `guidance`; key results the seed lists without naming a task are `suggestedKeyResults`; a paragraph
// task's title is its first sentence (the rest is `detail`); a key-result line that states two measures
// ("Kết nạp 90 … , chuyển đảng chính thức cho 100% …") is split into one key result per measure.
// Placeholders ("Nhiệm vụ 5: …", "Mục tiêu then chốt 1:" with nothing after) are left out. Typos are the
// seed's and are kept.

import { BUDGET_AIM, budgetTasks } from './budget-tasks.ts';
import { buildOutline } from './outline-build.ts';
import type { PlanOutline } from './types.ts';

export const COMMUNE_OUTLINE: PlanOutline = buildOutline(
  'commune',
  'PL2',
  'ĐỀ CƯƠNG LẬP KẾ HOẠCH NHIỆM VỤ MỤC TIÊU CÔNG TÁC',
  'Đối với các xã, phường',
  [
    {
      code: 'P1',
      n: 'Phần I.',
      t: 'Các nhiệm vụ và mục tiêu theo sứ mệnh, chức năng nhiệm vụ chung',
      line: 532,
      p: 'citizens',
      children: [
        {
          code: 'P1.I',
          n: 'I-',
          t: 'VỀ CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ',
          line: 533,
          children: [
            {
              code: 'P1.I.1',
              n: '1.',
              t: 'Công tác chính trị, tư tưởng',
              line: 534,
              aim: 'việc tuyên truyền, phổ biến, quán triệt thực hiện Nghị quyết đại hội đảng các cấp, các chỉ thị, nghị quyết, chỉ thị, quy định,kết luận.... của cấp ủy cấp trên, các nội dung cần tuyên truyền khác',
              guidance:
                'Nhiệm vụ: Nêu khái quát, toàn diện nhiệm vụ cần thực hiện trong kỳ kế hoạch trong lĩnh vực công tác chính trị, tư tưởng (theo thứ tự quan trọng của từng nhiệm vụ từ cao xuống thấp). Mục tiêu then chốt: Nêu từ 1 đến 5 năm mục tiêu cụ thể của từng nhiệm vụ (để khi hoàn thành các mục tiêu đó là hoàn thành nhiệm vụ) có thể là kết quả của việc thực hiện nhiệm vụ trên, đối với những nhiệm vụ không xác định được kết quả có thể đo lường được thì có thể nêu nhiệm vụ đó thành số lượng các hình thức thực hiện các nhiệm vụ đó gồm số người tham gia và thời gian hoàn thành,...(VD: Công tác tuyên truyền thì kết quả của nó phải là sự chuyển biến trong nhận thức của các đối tượng được tuyên truyền, nhưng điều đó là khó đo lường được (phải điều tra xã hội học chẳng hạn) nhưng có thể thay bằng số lượng các hội nghị tuyên truyền, số người tham gia,...).',
              krs: [
                {
                  m: 'so-hoi-nghi-tuyen-truyen',
                  t: 'Tổ chức bao nhiêu hội nghị riêng rẽ hay lồng ghép ở những cấp nào, thành phần, số lượng người tham dự, thời gian tổ chức,....',
                },
                {
                  m: 'so-nguoi-tham-du-tuyen-truyen',
                  t: 'số lượng các hội nghị tuyên truyền, số người tham gia,...',
                },
                { m: 'so-cuoc-thi-tim-hieu', t: 'Tổ chức các cuộc thi tìm hiểu,...( nếu có).' },
              ],
            },
            {
              code: 'P1.I.2',
              n: '2.',
              t: 'Công tác tổ chức xây dựng Đảng',
              line: 543,
              tasks: [
                {
                  n: '2.1. Nhiệm vụ 1',
                  t: 'Chỉ đạo thực hiện nghiêm túc quy chế dân chủ trong Đảng, việc tự phê bình và phê bình được đưa thành nhiệm vụ thường xuyên, nề nếp trong sinh hoạt các cấp ủy, tổ chức đảng thực hiện theo đúng tinh thần Nghị quyết Trung ương 4 (khóa XII; XIII) và Kết luận số 21-KL/TW về xây dựng, chỉnh đốn Đảng.',
                  detail:
                    'Triển khai nghiêm túc về đánh giá xếp loại tổ chức, cá nhân theo Quy định số ... của Ban Thường vụ Tỉnh ủy. Tiếp tục thực hiện đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng và hệ thống chính trị với chủ đề “tự soi, tự sửa” rộng dãi trong toàn Đảng bộ.',
                  res: [
                    'Nghị quyết Trung ương 4 (khóa XII; XIII)',
                    'Kết luận số 21-KL/TW',
                    'Quy định số ... của Ban Thường vụ Tỉnh ủy',
                  ],
                  line: 547,
                  krs: [
                    {
                      m: 'ty-le-chi-bo-thuc-hien-dung-quy-trinh-dan-chu',
                      t: 'Trên 98 % các chi đảng bộ thực hiện đúng các quy trình dân chủ trong sinh hoạt, không để xảy ra kiếu kiện, gây mất đoàn kết vì thiếu dân chủ.',
                    },
                  ],
                },
                {
                  n: '2.2. Nhiệm vụ 2',
                  t: 'Thực hiện công tác tổ chức, cán bộ bảo đảm về nguyên tắc, dân chủ và đúng quy định.',
                  line: 549,
                  krs: [
                    {
                      m: 'ty-le-cong-tac-can-bo-dung-quy-che',
                      t: '100% thực hiện việc bổ nhiệm, luân chuyển, điều động, giới thiệu cán bộ ứng cử theo đúng quy chế của Ban Thường vụ Tỉnh ủy, BCH Đảng bộ xã, phường.',
                    },
                    {
                      m: 'ty-le-can-bo-bo-nhiem-kip-thoi',
                      t: '100% cán bộ được bổ nhiệm kịp thời, đúng quy định.',
                    },
                  ],
                },
                {
                  n: '2.3. Nhiệm vụ 3',
                  t: 'Thực hiện chủ trương về đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị, hoạt động hiệu lực; hiệu quả.',
                  line: 552,
                  krs: [
                    {
                      m: 'ty-le-dai-hoi-thanh-cong',
                      t: 'Tổ chức thành công 100% các Đại hội Đảng bộ chi bộ, Dại hội Đảng bộ xã, phường.',
                    },
                    {
                      m: 'ty-le-to-chuc-on-dinh-sau-sap-nhap',
                      t: '100% các tổ chức đảng, cơ quan, đơn vị sau khi được sáp nhập nhanh chóng ổn định tổ chức, hoạt động bảo đảm yêu cầu nhiệm vụ.',
                    },
                  ],
                },
                {
                  n: '2.4. Nhiệm vụ 4',
                  t: 'Triển khai các giải pháp đổi mới, nâng cao chất lượng sinh hoạt chi bộ gắn với tăng cường quản lý đảng viên.',
                  detail:
                    'Chú trọng tập huấn, hướng dẫn tổ chức sinh hoạt chi bộ (về chế độ sinh hoạt, việc ghi chép sổ nghị quyết, đánh giá xếp loại hàng tháng...).',
                  line: 556,
                  krs: [
                    { m: 'so-mo-hinh-sinh-hoat-moi', t: 'Đưa ra từ 1, đến 2 mô hình sinh hoạt mới' },
                    { m: 'so-lop-dao-tao-tap-huan', t: 'Tổ chức từ 1, đến 3 lớp tập huấn cho...' },
                  ],
                },
                {
                  n: '2.6. Nhiêm vụ 6',
                  t: 'Làm tốt công tác xây dựng, phát triển tổ chức đảng, đảng viên, nhất là trong đơn vị kinh tế tư nhân.',
                  line: 560,
                  krs: [
                    { m: 'so-quan-chung-ket-nap-dang', t: 'Kết nạp 90 quần chúng ưu tú vào Đảng' },
                    {
                      m: 'ty-le-dang-vien-du-bi-chuyen-chinh-thuc',
                      t: 'chuyển đảng chính thức cho 100% đảng viên dự bị',
                    },
                    {
                      m: 'so-chi-bo-thanh-lap-moi',
                      t: 'Thành lập mới x chi bộ trực thuộc Đảng bộ xã và y chi bộ doanh nghiệp trực thuộc đảng ủy cơ sở.',
                    },
                  ],
                },
                {
                  n: '2.7 Nhiệm vụ 7',
                  t: 'Thực hiện tốt Công tác bảo vệ chính trị nội bộ và chính sách cán bộ',
                  line: 564,
                  krs: [
                    {
                      m: 'ty-le-can-bo-duoc-tham-tra',
                      t: '100% Cán bộ, đảng viên được thẩm tra kịp thời để thực hiện công tác quy hoạch, điều động, bổ nhiệm, bổ nhiệm lại và giới thiệu ứng cử.',
                    },
                    {
                      m: 'ty-le-thuc-hien-che-do-can-bo',
                      t: '100% Cán bộ, đảng viên được thực hiện các chế độ về công tác cán bộ kịp thời, đúng quy định.',
                    },
                  ],
                },
                {
                  n: '2.8. Nhiệm vụ 8',
                  t: 'Thực hiện công tác đào tạo',
                  line: 568,
                  krs: [
                    { m: 'so-lop-dao-tao-tap-huan', t: 'Mở x lớp đào tạo cho cán bộ nguồn…' },
                    { m: 'so-can-bo-cu-di-dao-tao', t: 'Cử y cán bộ, đảng viên dự các lớp….' },
                  ],
                },
              ],
            },
            {
              code: 'P1.I.3',
              n: '3.',
              t: 'Công tác kiểm tra, giám sát và thi hành kỷ luật Đảng',
              line: 572,
              guidance:
                'Nhiệm vụ: Nêu toàn diện, khái quát các nội dung, chuyên đề cần triển khai thực hiện trong lĩnh vực công tác kiểm tra, giám sát và thi thành kỷ luật Đảng. Các nội dung cần chú trọng trong kỳ kế hoạch (Có chia ra theo từng nhiệm vụ 1,2,3…). (Theo chương trình kiểm tra, giám sát; phòng ngừa và phát hiện, xử lý vi phạm đối với tổ chức đảng và đảng viên).',
              krs: [
                {
                  m: 'so-cuoc-kiem-tra-giam-sat',
                  t: 'Thực hiện bao nhiêu cuộc kiểm tra, giám sát, có địa chỉ và thời gian hoàn thành (theo từng nhiệm vụ cụ thể không gộp chung)',
                },
              ],
            },
            {
              code: 'P1.I.4',
              n: '4.',
              t: 'Công tác nội chính, cải cách tư pháp và phòng chống tham nhũng, tiêu cực',
              line: 580,
              tasks: [
                {
                  n: '4.1. Nhiệm vụ 1',
                  t: 'Tuyên truyền, phổ biến các văn bản về phòng, chống tham nhũng của Đảng và Nhà nước; tiếp tục thực hiện Nghị quyết TW3 (Khóa X), Chỉ thị 50-CT/TW của Bộ Chính trị về tăng cường sự lãnh đạo của Đảng đối với công tác phát hiện, xử lý vụ việc, vụ án tham nhũng.',
                  res: ['Nghị quyết TW3 (Khóa X)', 'Chỉ thị 50-CT/TW của Bộ Chính trị'],
                  line: 584,
                  krs: [
                    {
                      m: 'so-hoi-nghi-tuyen-truyen',
                      t: 'Tổ chức x hội nghị tuyên truyền phổ biến pháp luật cho y người tham gia ở các tầng lớp nhân dân',
                    },
                  ],
                },
                {
                  n: '4.2. Nhiệm vụ 2',
                  t: 'Tập trung lãnh đạo và triển khai thực hiện toàn diện, đồng bộ các nhiệm vụ công tác nội chính.',
                  line: 586,
                  krs: [
                    {
                      m: 'so-cuoc-thanh-tra',
                      t: 'Tiến hành x cuộc thanh tra hành chính lĩnh vực quản lý đầu tư xây dựng các công trình; ngân sách xã và thực hiện pháp luật về tiếp công dân, giải quyết đơn thư khiếu nại, tố cáo.',
                    },
                    {
                      m: 'so-buoi-tiep-cong-dan-dinh-ky',
                      t: 'Thực hiện tiếp công dân đầy đủ vào các ngày… trong tuần. Bố trí tổ chức x cuộc định kỳ của đồng chí Bí thư xã, phường, chủ tịch HĐND xã, phường tại trụ sở tiếp công dân xã, phường...',
                    },
                    {
                      m: 'ty-le-co-quan-tiep-cong-dan-dung-quy-dinh',
                      t: 'Chỉ đạo các cơ quan chuyên môn xã, phường có liên quan tổ chức tiếp công dân đúng quy định.',
                    },
                  ],
                },
                {
                  n: '4.3. Nhiệm vụ 3',
                  t: 'Làm tốt công tác thanh tra, tiếp công dân, giải quyết đơn thư, khiếu nại tố cáo; việc thực hiện các kết luận sau thanh tra, kiểm tra, kiểm toán...',
                  line: 590,
                },
                {
                  n: '4.4. Nhiệm vụ 4',
                  t: 'Thực hiện công tác cải cách tư pháp…',
                  line: 596,
                  krs: [
                    { m: 'hoan-thanh-dung-moc', t: 'Đến hết ngày x thực hiện xong việc y' },
                    { m: 'ty-le-dat-chi-tieu', t: 'đạt 95 % của ....' },
                  ],
                },
              ],
            },
            {
              code: 'P1.I.5',
              n: '5.',
              t: 'Công tác dân vận và phát huy vai trò của MTTQ và các tổ chức chính trị - xã hội',
              line: 602,
              tasks: [
                {
                  n: '5.1 Nhiệm vụ 1',
                  t: 'Thực hiện toàn diện công tác dân vận, vận động quần chúng của Đảng.',
                  detail:
                    'Chú trọng việc đổi mới nội dung, phương thức hoạt động; tập hợp, xây dựng khối đại đoàn kết toàn dân; giám sát, phản biện xã hội; góp ý xây dựng Đảng, chính quyền...',
                  line: 606,
                  krs: [
                    { m: 'so-cuoc-tuyen-truyen-van-dong', t: 'tổ chức bao nhiêu cuộc tuyên truền vận động…' },
                    {
                      m: 'so-cuoc-giam-sat-phan-bien',
                      t: 'Tổ chức bao nhiêu cuộc giám sát, lấy ý kiến phản biện xây dựng chính quyền,…',
                    },
                  ],
                },
              ],
            },
            { code: 'P1.I.7', n: '7.', t: 'Một số nội dung khác.', line: 611 },
          ],
        },
        {
          code: 'P1.II',
          n: 'II-',
          t: 'VỀ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI, BẢO ĐẢM QUỐC PHÒNG - AN NINH, CÔNG TÁC ĐỐI NGOẠI',
          line: 614,
          guidance:
            'Thực hiện toàn diện lĩnh vực phát triển kinh tế - xã hội; trong đó, chú trọng các mục tiêu, nghị quyết Đại hội đề ra; thực hiện nhiệm vụ nêu trong các nghị quyết, kết luận của Tỉnh ủy, Ban Thường vụ Tỉnh ủy, cấp ủy các cấp về các Chương trình, Đề án của Tỉnh ủy, Ban Thường vụ Tỉnh ủy, của cấp ủy cụ thể hóa thực hiện Nghị quyết Đại hội',
          children: [
            {
              code: 'P1.II.1',
              n: '1.',
              t: 'Về phát triển kinh tế',
              line: 616,
              tasks: [
                {
                  n: 'Nhiệm vụ 1',
                  t: 'Đẩy nhanh tốc độ tăng trưởng kinh tế; nâng cao đời sống các tầng lớp nhân dân',
                  line: 620,
                  krs: [
                    {
                      m: 'toc-do-tang-truong-gia-tri-san-xuat',
                      t: 'Tốc độ tăng trưởng Gía trị sản xuất : x%',
                    },
                    {
                      m: 'thu-nhap-binh-quan-dau-nguoi',
                      t: 'Thu nhập bình quan đầu người đạt : y triệu đồng /người.',
                    },
                  ],
                },
                {
                  n: 'Nhiệm vụ 2',
                  t: 'Cơ cấu lại nền kinh tế, đổi mới mô hình tăng trưởng;',
                  line: 625,
                  krs: [
                    { m: 'co-cau-kinh-te', t: 'Đạt cơ cấu CNXD-NN-TMDV Là …x-y-z' },
                    {
                      m: 'toc-do-tang-gtsx-cong-nghiep-xay-dung',
                      t: 'tốc độ tăng giá trị sản xuất CNXD đạt :',
                    },
                    { m: 'toc-do-tang-gtsx-nong-nghiep', t: 'tốc độ tăng giá trị sản xuất NN đạt :' },
                    { m: 'toc-do-tang-gia-tri-thuong-mai-dich-vu', t: 'tốc độ tăng giá trị TMDV đạt :' },
                  ],
                },
                {
                  n: 'Nhiệm vụ 3',
                  t: 'phát triển kết cấu hạ tầng kinh tế - xã hội, trọng tâm là giao thông; trong đó quan trọng là đẩy nhanh thực hiện các dự án trọng điểm…',
                  line: 632,
                  krs: [
                    {
                      m: 'so-km-duong-hoan-thanh',
                      t: 'Hoàn thành x km đường do xã làm chủ đầu tư, tại các dự án cụ thể sau…, thực hiên số vốn đầu tư là, các công trình khác về cơ sở hạ tầng kinh tế - xã hội, văn hóa, thể thao, du lịch,… Về hạ tầng kỹ thuật các khu dân cư mới:…',
                    },
                    {
                      m: 'dien-tich-giai-phong-mat-bang',
                      t: 'Hoàn thành giải phóng mặt bằng để bàn giao chủ đầu tư đối với số diện tích là x ha, chiếm y% KH .',
                    },
                  ],
                },
                {
                  n: 'Nhiệm vụ 4',
                  t: 'Tăng cường thu hút đầu tư, phát triển công nghiệp;',
                  line: 636,
                  krs: [
                    { m: 'so-du-an-thu-hut', t: 'Số dự án' },
                    { m: 'von-dau-tu-dang-ky', t: 'số vốn đăng ký' },
                    {
                      m: 'so-hoat-dong-xuc-tien-dau-tu',
                      t: 'Tổ chức các hoạt động xúc tiến đầu tư( bao nhiêu hội nghị, chuyến đi, thực hiện các hoạt động đối ngoại,…).',
                    },
                    {
                      m: 'dien-tich-giai-phong-mat-bang',
                      t: 'Công tác đền bù, GPMB: số dự án ... diện tích giải phóng... diện tích bàn giao, Hội đồng GPMB huyện đẩy nhanh các thủ tục cần thiết phấn đấu hoàn thành dự án trọng điểm cần tập trung...',
                    },
                  ],
                },
                { n: 'Nhiệm vụ 5', t: 'Về phát triển đô thị', line: 644 },
                {
                  n: 'Nhiệm vụ 6',
                  t: 'Về cơ cấu lại, phát triển nông nghiệp và xây dựng nông thôn mới;',
                  line: 647,
                  krs: [
                    {
                      m: 'toc-do-tang-gtsx-nong-nghiep',
                      t: 'Nâng cao giá trị sản xuất nông nghiệp và thủy sản lên x% so cùng kỳ năm trước.',
                    },
                    {
                      m: 'dien-tich-gieo-trong',
                      t: 'Tổng diện tích gieo trồng cây hàng năm đạt x ha, trong đó diện tích lúa y ha.',
                    },
                    {
                      m: 'so-mo-hinh-nong-nghiep-nhan-rong',
                      t: 'Phát triển theo hướng sản xuất nông sản hàng hoá, gắn với nhu cầu thị trường; các mô hình kinh tế nông nghiệp hiệu quả, kết họp với ứng dụng các tiến bộ khoa học, kỹ thuật vào sản xuất, làm tăng năng suất cây trồng, vật nuôi tại các địa phương cần được nhân rộng là:',
                    },
                    { m: 'so-thon-dat-chuan-nong-thon-moi', t: 'Số thôn, đạt chuẩn nông thôn mới là …' },
                  ],
                },
                {
                  n: 'Nhiệm vụ 7',
                  t: 'Về phát triển thương mại - dịch vụ và du lịch;',
                  line: 652,
                  krs: [
                    {
                      m: 'tang-truong-doanh-so-thuong-mai-dich-vu',
                      t: 'Tổng giá trị doanh số đạt: ... tăng x% so cùng kỳ trước. Trong đó phấn đấu....',
                    },
                  ],
                },
                {
                  n: 'Nhiệm vụ 8',
                  t: 'Về lĩnh vực đất đai, tài nguyên và bảo vệ môi trường.',
                  line: 655,
                  krs: [
                    {
                      m: 'ke-hoach-su-dung-dat',
                      t: 'Hoàn thiện hồ sơ quy hoạch sử dụng đất.... và hoàn thiện, công khai kế hoạch sử dụng đất năm trước ngày....',
                    },
                    {
                      m: 'so-vi-pham-xay-dung-duoc-giai-toa',
                      t: 'Tiếp tục đẩy mạnh việc giải tỏa các trường hợp vi phạm xây dựng công trình trên đất nông nghiệp, đất hành lang giao thông, công trình thủy lợi theo kế hoạch .../KH-UBND ... của UBND tỉnh.',
                    },
                    {
                      m: 'so-giay-chung-nhan-quyen-su-dung-dat',
                      t: 'Thực hiện cấp... Giấy chứng nhận quyền sử dụng đất lần đầu cho các hộ gia đình, cá nhân.',
                    },
                    { m: 'ty-le-nuoc-thai-duoc-xu-ly', t: 'Tỷ lệ nước thải được xử lý:' },
                    { m: 'ty-le-chat-thai-ran-duoc-xu-ly', t: 'Tỷ lệ chất thải rắn được xử lý:' },
                    {
                      m: 'dien-tich-cay-xanh',
                      t: 'Diện tích trồng cây xanh đô thị, khu công nghiệp, cụm công nghiệp,...',
                    },
                  ],
                },
                {
                  n: 'Nhiệm vụ1',
                  t: 'hộ trợ, kiến tạo thức đẩy phát triển các doanh nghiệp trên địa bàn',
                  detail: 'Phát triển kinh tế tư nhân theo NQ 68...',
                  res: ['NQ 68'],
                  line: 668,
                  krs: [
                    {
                      m: 'ty-le-tang-doanh-nghiep-thanh-lap-moi',
                      t: 'tăng 10% số doanh nghiệp thành lập mới trên điạ bàn',
                    },
                    {
                      m: 'so-doanh-nghiep-tren-1000-dan',
                      t: 'phấn đấu đạt 20 doanh nghiệp tư nhân trên 1000 dân',
                    },
                    { m: 'ty-le-dong-gop-grdp-kinh-te-tu-nhan', t: 'đóng góp 40-50 GRDP vào nền kinh tế' },
                    {
                      m: 'ty-le-doanh-nghiep-duoc-tap-huan',
                      t: 'Mở 3-5 lớp Tập huấn cho 90% các doanh nghiệp trên địa bàn về quản trị doanh nghiệp, sở hữu trí tuệ, kỹ năng số,...',
                    },
                    {
                      m: 'ty-le-doanh-nghiep-duoc-ho-tro-sang-kien',
                      t: 'Thực hiện các sáng kiến kiến tạo, hỗ trợ khác cho 100% doanh nghiệp trên địa bàn,vượt ra ngoài chức năng quản lý truyền thống, ...(vd: mỗi quý một sáng kiến, )',
                    },
                  ],
                },
              ],
            },
            {
              code: 'P1.II.2',
              n: '2.',
              t: 'Về lĩnh vực văn hóa - xã hội',
              line: 675,
              children: [
                {
                  code: 'P1.II.2.1',
                  n: '2.1. Nhiệm vụ:',
                  t: 'Cải thiện chất lượng cuộc sống và thu nhập của các tầng lớp nhân dân ở địa phương;',
                  line: 679,
                },
                {
                  code: 'P1.II.2.2',
                  n: '2.2. Nhiệm vụ:',
                  t: 'Văn hóa và thông tin',
                  line: 681,
                  tasks: [
                    {
                      n: 'Nhiệm vụ 1',
                      t: 'Triển khai thực hiện có hiệu quả các hoạt đông văn hoá, thông tin, nâng cao đời sống tinh thần của nhân dân.',
                      line: 684,
                    },
                  ],
                },
                {
                  code: 'P1.II.2.3',
                  n: '2.3 Nhiệm vụ thuộc :',
                  t: 'Lĩnh vực Giáo dục và Đào tạo, phát triển nguồn nhân lực',
                  line: 686,
                  tasks: [
                    {
                      n: 'Nhiệm vụ 1',
                      t: 'tăng cường cơ sở vật chất cho giáo dục, nâng cao chất lượng giáo dục đào tạo trên mọi mặt.',
                      line: 688,
                      krs: [
                        { m: 'so-phong-hoc-xay-moi', t: 'Xây mới x phòng học' },
                        {
                          m: 'ty-le-hoc-sinh-dat-thanh-tich',
                          t: 'Tỷ lệ học sinh các cấp đạt các mưc độ thành tích....,',
                        },
                        {
                          m: 'so-doi-the-thao-thi-dau-cap-tinh',
                          t: 'Tổ chức x đội thể thao thi đấu cấp tỉnh....',
                        },
                        {
                          m: 'ty-le-giao-vien-dat-chuan',
                          t: 'Tỷ lệ giáo viên đạt chuẩn theo quy định của Luật Giáo dục đối với bậc mầm non ... %; bậc tiểu học... % , bậc THCS ...%.',
                        },
                        { m: 'ty-le-phong-hoc-kien-co', t: 'Tỷ lệ phòng học kiên cố hoá phấn đấu đạt...' },
                      ],
                    },
                    {
                      n: 'Nhiệm vụ 2',
                      t: 'Làm tốt công tác lao động, việc làm, phát triển nguồn nhân lực:',
                      line: 693,
                      krs: [
                        {
                          m: 'ty-le-lao-dong-qua-dao-tao-nghe',
                          t: 'tỷ lệ đào tạo các nghành nghề phấn đấu đạt...',
                        },
                      ],
                    },
                  ],
                },
                {
                  code: 'P1.II.2.4',
                  n: '2.4',
                  t: 'Nhiệm vụ về lĩnh vực y tế',
                  line: 695,
                  tasks: [
                    {
                      n: 'Nhiệm vụ 1',
                      t: 'Thực hiện tốt nhiệm vụ bảo vệ và chăm sóc sức khoẻ nhân dân, phòng ngừa hiệu quả dịch bệnh trên địa bàn.',
                      detail: 'Công tác quản lý nhà nước về y tế trên địa bàn huyện được tăng cường.',
                      line: 697,
                    },
                  ],
                },
                { code: 'P1.II.2.5', n: '2.5', t: 'Nhiệm vụ về Văn hóa, thể thao và Du lịch', line: 700 },
                {
                  code: 'P1.II.2.6',
                  n: '2.6 Nhiệm vụ về:',
                  t: 'Thực hiện các chính sách an sinh xã hội, phúc lợi xã hội; xóa đói giảm nghèo.',
                  line: 703,
                },
                {
                  code: 'P1.II.2.7',
                  n: '2.7 Nhiệm vụ 4:',
                  t: 'Khắc phục các vấn đề bức xúc xã hội, dư luận quan tâm.',
                  line: 706,
                },
              ],
            },
            {
              code: 'P1.II.3',
              n: '3.',
              t: 'Về bảo đảm quốc phòng - an ninh',
              line: 709,
              tasks: [
                {
                  n: '3.1 Nhiệm vụ 1',
                  t: 'thực hiện tốt nhiệm vụ tuyển quân',
                  line: 713,
                  krs: [{ m: 'ty-le-hoan-thanh-chi-tieu-tuyen-quan', t: 'hoàn thành đầy đủ 100% chỉ tiêu' }],
                },
                {
                  n: '3.3 Nhiệm vụ 3',
                  t: 'công tác bảo đảm quốc phòng, quân sự địa phương, đảm bảo an ninh chính trị, trật tự an toàn xã hội trên địa bàn;',
                  detail: 'Mục tiêu then chốt: ( trừ những nội dung thuộc nội dung bí mật)',
                  line: 721,
                },
              ],
              children: [
                {
                  code: 'P1.II.3.2',
                  n: '3.2 Nhiệm vụ 2:',
                  t: 'đấu tranh phòng, chống tệ nạn xã hội, tội phạm; bảo đảm trật tự an toàn giao thông…',
                  line: 715,
                  tasks: [
                    {
                      n: 'Nhiệm vụ 1',
                      t: 'Xây dựng xã x thành địa bàn không ma túy',
                      line: 716,
                      krs: [
                        { m: 'so-vu-toi-pham-ma-tuy', t: 'giảm 10% tội phạm về ma túy hàng năm' },
                        { m: 'so-nguoi-cai-nghien', t: 'tổ chức cai nghiện cho x người nghiện….' },
                      ],
                    },
                    { n: 'Nhiệm vụ 2', t: 'giảm thiểu tai nạn giao thông trên địa bàn', line: 719 },
                  ],
                },
              ],
            },
            { code: 'P1.II.4', n: '4.', t: 'Công tác đối ngoại', line: 724 },
            { code: 'P1.II.5', n: '5.', t: 'Một số nhiệm vụ khác.', line: 727 },
          ],
        },
      ],
    },
    {
      code: 'P2',
      n: 'Phần II .',
      t: 'Ngân sách và Hiệu quả sử dụng nguồn lực',
      line: 731,
      p: 'budget',
      aim: BUDGET_AIM,
      tasks: budgetTasks([734, 742, 748, 755]),
    },
    {
      code: 'P3',
      n: 'Phần III/',
      t: 'Công tác hoàn thiện, tối ưu hóa các quy chế, quy trình, chuẩn mực,… nội bộ của xã, phường( các quy trình tạo ra các “sản phẩm” của xã, phường đó - cải cách hành chính)',
      guidance: 'hướng tới nhanh gọn, hiệu quả , dân chủ, minh bạch hơn, tăng tính kiểm soát quyền lực',
      line: 765,
      p: 'processes',
      tasks: [
        {
          t: 'Đẩy mạnh cải cách hành chính, chuyển đổi từ chính quyền hành chính sang chính quyền phục vụ, kiến tạo.',
          line: 766,
          krs: [
            {
              m: 'so-quy-trinh-hoan-thien',
              t: 'Tên, số lượng, thời gian các quy trình (thuộc thẩm quyền ban hành) được xây dựng, hoàn thiện, cất giảm.',
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
          line: 771,
          krs: [
            {
              m: 'ty-le-cat-giam-thu-tuc-hanh-chinh',
              t: 'Cắt giảm 30 % thử tục hành chính(thuộc thẩm quyền nếu có) …',
            },
            {
              m: 'thoi-gian-giai-quyet-ho-so',
              t: 'Rút ngắn 1/3 thời gian giải quyết một hồ sơ thủ tục(như cải tiến quy trình nội bộ về luân chuển hồ sơ, cơ chế ủy quyền giải quyết ninh hoạt,…)',
            },
            {
              m: 'chi-so-hai-long',
              t: 'Phục vụ thân thiện, lịch sự, chu đáo trong mọi hoàn cảnh, thời điểm.',
            },
          ],
        },
      ],
    },
    {
      code: 'P4',
      n: 'Phần IV/',
      t: 'Lĩnh vực Học hỏi và Phát triển (Learning & Growth Perspective)',
      guidance:
        'học hỏi, đào tạo, tập huấn cập nhật kiến thức, nâng cao trình độ, kỹ năng làm việc ; duy trì và nâng cao cơ sở vật chất, công nghệ, công cụ và các điều kiện làm việc khác.',
      line: 776,
      p: 'learning',
      tasks: [
        {
          n: 'Nhiệm vụ 1',
          t: 'Nâng cao trình độ lý luận chính trị, nghiệp vụ, kỹ năng làm việc cho đội ngũ cán bộ công chức xã đáp ứng yêu cầu nhiệm vụ.',
          line: 778,
          krs: [
            {
              m: 'so-can-bo-cu-di-dao-tao',
              t: 'cử 3 nhân viên đi đào tạo về nhiệp vụ quản lý đất đai,2 nhân viên đi đào tạo, tập huấn về lĩnh vực tài chính, ngân sách,…',
            },
            {
              m: 'so-lop-dao-tao-tap-huan',
              t: 'mở các(số lượng nhất định) lớp đạo tạo tại chỗ có mời các chuyên gia về các lĩnh vực xã, phường có nhu cầu,…',
            },
            {
              m: 'so-can-bo-tu-nang-cao-trinh-do',
              t: 'Khuyến khích cán bộ, đảng viên tham gia đăng ký tự nâng cao trình độ theo các loại hình đào tạo hiện có phù hợp. Đạt khoảng x cán bộ đảng viên.',
            },
          ],
        },
        {
          n: 'Nhiệm vụ 2',
          t: 'Xây dựng xã X thành một xã số toàn diện, có chính quyền số, kinh tế số và xã hội số phát triển bền vững, góp phần nâng cao chất lượng cuộc sống người dân và hiệu quả hoạt động của bộ máy chính quyền.',
          detail: 'Phát triển khoa học, công nghệ theo nghị quyết 57',
          res: ['nghị quyết 57'],
          line: 783,
          krs: [
            {
              m: 'ty-le-van-ban-xu-ly-tren-moi-truong-so',
              t: '80% văn bản hành chính được xử lý trên môi trường số',
            },
            {
              m: 'ty-le-ho-so-truc-tuyen',
              t: '75% hồ sơ thủ tục hành chính đủ điều kiện được tiếp nhận và xủ lý trực tuyến ở mức độ 3 và 4',
            },
            {
              m: 'ty-le-can-bo-dao-tao-ky-nang-so',
              t: '100% cán bộ được đào tạo, bồi dưỡng về kỹ năng số và an toàn thông tin, trong đó 50% …',
              type: 'OKR', // a stretch target of the digital-commune example, like its siblings
            },
            {
              m: 'ty-le-doanh-nghiep-ung-dung-cong-nghe-so',
              t: 'ít nhất 50% doanh nghiệp và hộ kinh doanh trên địa bàn xã ứng dụng công nghệ số trong sản xuất , kinh doanh',
            },
            {
              m: 'ty-le-san-pham-truy-xuat-nguon-goc',
              t: '100% sản phẩm nông nghiệp chủ lực của xã được truy xuất nguồn gốc số,…',
            },
            {
              m: 'ty-le-nguoi-dan-tiep-can-nen-tang-so',
              t: '90% người dân có thể tiếp cận thông tin, dịch vụ công qua nền tảng số của xã',
            },
            {
              m: 'ty-le-nguoi-dan-co-ky-nang-so',
              t: '75% người dân trong độ tuổi lao động có kỹ năng số cơ bản',
            },
            {
              m: 'ty-le-ho-co-nguoi-ky-nang-so',
              t: 'ít nhất 1 người trong một hộ gia đình có kỹ năng số cơ bản,..',
            },
          ],
        },
        {
          n: 'Nhiệm vụ 3',
          t: 'Các nhiệm vụ về duy trì và nâng cao cơ sở vật chất, các điều kiện làm việc khác',
          detail: '(Mua sắm, XD, sửa chữa lớn…) Nhiệm vụ: (mua sắm, sửa chữa …nếu có)',
          line: 790,
        },
      ],
    },
  ],
);
