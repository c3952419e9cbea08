import type { RoleCode } from '../schema.ts';

/**
 * The fixed demo accounts, one per role (printed by the start banner). Each is a real person of the demo
 * province: the generator puts them in the named unit and position and grants the role in `scope`.
 */
export interface DemoAccount {
  key: string;
  email: string;
  fullName: string;
  role: RoleCode;
  /** 'unit' = the unit named by unitCode; 'province' = the whole province. */
  scope: 'unit' | 'province';
  unitCode: string;
  positionCode: string;
  descriptionVi: string;
  descriptionEn: string;
}

export const DEMO_EMAIL_DOMAIN = 'demo.woms.vn';

export const DEMO_ROSTER: readonly DemoAccount[] = [
  {
    key: 'official',
    email: 'canbo@demo.woms.vn',
    fullName: 'Nguyễn Thị Lan',
    role: 'official',
    scope: 'unit',
    unitCode: 'STC.QLNS',
    positionCode: 'chuyen_vien',
    descriptionVi: 'Chuyên viên Phòng Quản lý ngân sách, Sở Tài chính',
    descriptionEn: 'Officer, Budget Management Division, Department of Finance',
  },
  {
    key: 'supervisor',
    email: 'truongphong@demo.woms.vn',
    fullName: 'Trần Văn Hùng',
    role: 'supervisor',
    scope: 'unit',
    unitCode: 'STC.QLNS',
    positionCode: 'truong_phong',
    descriptionVi: 'Trưởng phòng Quản lý ngân sách, Sở Tài chính',
    descriptionEn: 'Head of the Budget Management Division, Department of Finance',
  },
  {
    key: 'unit_head',
    email: 'giamdoc@demo.woms.vn',
    fullName: 'Lê Minh Tuấn',
    role: 'unit_head',
    scope: 'unit',
    unitCode: 'STC',
    positionCode: 'giam_doc',
    descriptionVi: 'Giám đốc Sở Tài chính',
    descriptionEn: 'Director, Department of Finance',
  },
  {
    key: 'commune_chairman',
    email: 'chutichxa@demo.woms.vn',
    fullName: 'Phạm Văn Dũng',
    role: 'unit_head',
    scope: 'unit',
    unitCode: 'X001',
    positionCode: 'chu_tich_ubnd_xa',
    descriptionVi: 'Chủ tịch UBND xã Hòa An',
    descriptionEn: "Chairman of Hòa An Commune People's Committee",
  },
  {
    key: 'commune_official',
    email: 'canboxa@demo.woms.vn',
    fullName: 'Ngô Thị Hạnh',
    role: 'official',
    scope: 'unit',
    unitCode: 'X001.KT',
    positionCode: 'chuyen_vien',
    descriptionVi: 'Chuyên viên Phòng Kinh tế, xã Hòa An',
    descriptionEn: 'Officer, Economic Division, Hòa An Commune',
  },
  {
    key: 'secretariat',
    email: 'vanphong@demo.woms.vn',
    fullName: 'Hoàng Thị Thu Hà',
    role: 'secretariat',
    scope: 'province',
    unitCode: 'VPTU.TH',
    positionCode: 'chuyen_vien',
    descriptionVi: 'Chuyên viên Phòng Tổng hợp, Văn phòng Tỉnh ủy',
    descriptionEn: 'Officer, General Affairs Division, Office of the Provincial Party Committee',
  },
  {
    key: 'standing_committee',
    email: 'thuongtruc@demo.woms.vn',
    fullName: 'Võ Văn Thành',
    role: 'standing_committee',
    scope: 'province',
    unitCode: 'SONHA',
    positionCode: 'pho_bi_thu_thuong_truc',
    descriptionVi: 'Phó Bí thư Thường trực Tỉnh ủy',
    descriptionEn: 'Standing Deputy Secretary of the Provincial Party Committee',
  },
  {
    key: 'organisation_department',
    email: 'bantochuc@demo.woms.vn',
    fullName: 'Đặng Thị Mai',
    role: 'organisation_department',
    scope: 'province',
    unitCode: 'BTCTU',
    positionCode: 'pho_truong_ban',
    descriptionVi: 'Phó Trưởng Ban Tổ chức Tỉnh ủy',
    descriptionEn: 'Deputy Head, Organisation Commission of the Provincial Party Committee',
  },
  {
    key: 'administrator',
    email: 'quantri@demo.woms.vn',
    fullName: 'Bùi Quốc Khánh',
    role: 'administrator',
    scope: 'province',
    unitCode: 'SKHCN.CDS',
    positionCode: 'chuyen_vien',
    descriptionVi: 'Quản trị hệ thống, Phòng Chuyển đổi số, Sở Khoa học và Công nghệ',
    descriptionEn:
      'System administrator, Digital Transformation Division, Department of Science and Technology',
  },
  {
    key: 'auditor',
    email: 'kiemtra@demo.woms.vn',
    fullName: 'Đỗ Thanh Hương',
    role: 'auditor',
    scope: 'province',
    unitCode: 'TTT.PCTN',
    positionCode: 'thanh_tra_vien',
    descriptionVi: 'Thanh tra viên, Thanh tra tỉnh (chỉ xem)',
    descriptionEn: 'Inspector, Provincial Inspectorate (read-only)',
  },
];
