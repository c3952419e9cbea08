// The demo province, generated deterministically (seeded PRNG, ids derived from stable keys): the same
// seed always gives the same province, people, employment periods and role assignments.
import type { ApprovalScope, ApprovalSubject, DutyGroup, RoleCode, UnitTypeCode } from '../schema.ts';
import {
  FAMILY_NAMES,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  MIDDLE_NAMES_FEMALE,
  MIDDLE_NAMES_MALE,
  PLACE_FIRST,
  PLACE_SECOND,
} from './names.ts';
import { asciiFold, Prng, stableUuid } from './prng.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_ROSTER } from './roster.ts';

export const DEMO_SEED = 20250701;
export const DEMO_PROVINCE_CODE = 'SONHA';
export const DEMO_PROVINCE_NAME = 'Tỉnh Sơn Hà';
/** After the 2025 reform: two-level local government from 1 July 2025; provincial agencies merged from 1 March 2025. */
const REFORM_DAY = '2025-07-01';
const AGENCY_DAY = '2025-03-01';

export interface DemoUnit {
  id: string;
  type_code: UnitTypeCode;
  province_id: string;
  parent_id: string | null;
  code: string;
  name_vi: string;
  short_name_vi: string | null;
  name_en: string | null;
  active_from: string;
  active_to: string | null;
  merged_into_id: string | null;
}
export interface DemoPosition {
  code: string;
  title_vi: string;
  title_en: string;
  is_leader: boolean;
  rank: number;
}
export interface DemoPerson {
  id: string;
  full_name: string;
  family_name: string;
  middle_name: string;
  given_name: string;
  email: string;
  duty_group: DutyGroup;
}
export interface DemoEmployment {
  id: string;
  person_id: string;
  org_unit_id: string;
  position_code: string;
  valid_from: string;
  valid_to: string | null;
}
export interface DemoRoleAssignment {
  id: string;
  person_id: string;
  role_code: RoleCode;
  scope_unit_id: string;
  valid_from: string;
  valid_to: string | null;
}
export interface DemoApprovalChain {
  id: string;
  province_id: string;
  unit_type_code: UnitTypeCode;
  subject: ApprovalSubject;
  steps: { step_no: number; role_code: RoleCode; scope: ApprovalScope }[];
}
export interface DemoProvince {
  seed: number;
  provinceId: string;
  /** Parents before children. */
  units: DemoUnit[];
  positions: DemoPosition[];
  people: DemoPerson[];
  employments: DemoEmployment[];
  roleAssignments: DemoRoleAssignment[];
  approvalChains: DemoApprovalChain[];
}

// rank orders positions from the top (used for sorting lists of people)
const POSITIONS: DemoPosition[] = (
  [
    ['bi_thu_tinh_uy', 'Bí thư Tỉnh ủy', 'Provincial Party Secretary', true],
    ['pho_bi_thu_thuong_truc', 'Phó Bí thư Thường trực Tỉnh ủy', 'Standing Deputy Party Secretary', true],
    ['chu_tich_hdnd_tinh', 'Chủ tịch HĐND tỉnh', "Chairman of the Provincial People's Council", true],
    ['chu_tich_ubnd_tinh', 'Chủ tịch UBND tỉnh', "Chairman of the Provincial People's Committee", true],
    [
      'pho_chu_tich_ubnd_tinh',
      'Phó Chủ tịch UBND tỉnh',
      "Vice Chairman of the Provincial People's Committee",
      true,
    ],
    ['giam_doc', 'Giám đốc', 'Director', true],
    ['truong_ban', 'Trưởng ban', 'Head of Commission', true],
    ['chanh_van_phong', 'Chánh Văn phòng', 'Chief of Office', true],
    ['chanh_thanh_tra', 'Chánh Thanh tra', 'Chief Inspector', true],
    ['chu_nhiem_ubkt', 'Chủ nhiệm Ủy ban Kiểm tra', 'Chairman of the Inspection Commission', true],
    ['bi_thu_dang_uy', 'Bí thư Đảng ủy', 'Party Committee Secretary', true],
    ['pho_giam_doc', 'Phó Giám đốc', 'Deputy Director', true],
    ['pho_truong_ban', 'Phó Trưởng ban', 'Deputy Head of Commission', true],
    ['pho_chanh_van_phong', 'Phó Chánh Văn phòng', 'Deputy Chief of Office', true],
    ['pho_chanh_thanh_tra', 'Phó Chánh Thanh tra', 'Deputy Chief Inspector', true],
    [
      'pho_chu_nhiem_ubkt',
      'Phó Chủ nhiệm Ủy ban Kiểm tra',
      'Vice Chairman of the Inspection Commission',
      true,
    ],
    ['pho_bi_thu_dang_uy', 'Phó Bí thư Đảng ủy', 'Deputy Party Committee Secretary', true],
    ['bi_thu_dang_uy_xa', 'Bí thư Đảng ủy xã, phường', 'Commune/Ward Party Secretary', true],
    ['chu_tich_ubnd_xa', 'Chủ tịch UBND xã', "Chairman of the Commune People's Committee", true],
    ['chu_tich_ubnd_phuong', 'Chủ tịch UBND phường', "Chairman of the Ward People's Committee", true],
    ['pho_chu_tich_ubnd_xa', 'Phó Chủ tịch UBND xã', "Vice Chairman of the Commune People's Committee", true],
    [
      'pho_chu_tich_ubnd_phuong',
      'Phó Chủ tịch UBND phường',
      "Vice Chairman of the Ward People's Committee",
      true,
    ],
    ['truong_phong', 'Trưởng phòng', 'Head of Division', true],
    ['giam_doc_trung_tam', 'Giám đốc Trung tâm', 'Director of Centre', true],
    ['pho_truong_phong', 'Phó Trưởng phòng', 'Deputy Head of Division', true],
    ['pho_giam_doc_trung_tam', 'Phó Giám đốc Trung tâm', 'Deputy Director of Centre', true],
    ['thanh_tra_vien', 'Thanh tra viên', 'Inspector', false],
    ['chuyen_vien_chinh', 'Chuyên viên chính', 'Principal Officer', false],
    ['chuyen_vien', 'Chuyên viên', 'Officer', false],
    ['can_su', 'Cán sự', 'Clerk', false],
    ['vien_chuc', 'Viên chức', 'Public employee', false],
    ['nhan_vien', 'Nhân viên', 'Staff', false],
  ] as const
).map(([code, title_vi, title_en, is_leader], i) => ({
  code,
  title_vi,
  title_en,
  is_leader,
  rank: (i + 1) * 10,
}));

type Dept = readonly [key: string, name: string];
interface BodyDef {
  code: string;
  type: 'agency' | 'party_body';
  name: string;
  nameEn: string;
  head: string;
  deputy: string;
  staff?: string;
  depts: readonly Dept[];
}
const VP: Dept = ['VP', 'Văn phòng Sở'];
const BODIES: readonly BodyDef[] = [
  {
    code: 'VPUBND',
    type: 'agency',
    name: 'Văn phòng Ủy ban nhân dân tỉnh',
    nameEn: "Office of the Provincial People's Committee",
    head: 'chanh_van_phong',
    deputy: 'pho_chanh_van_phong',
    depts: [
      ['TH', 'Phòng Tổng hợp'],
      ['KT', 'Phòng Kinh tế'],
      ['KGVX', 'Phòng Khoa giáo - Văn xã'],
      ['HCTC', 'Phòng Hành chính - Tổ chức'],
      ['KSTT', 'Phòng Kiểm soát thủ tục hành chính'],
    ],
  },
  {
    code: 'SNV',
    type: 'agency',
    name: 'Sở Nội vụ',
    nameEn: 'Department of Home Affairs',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['TCBC', 'Phòng Tổ chức, biên chế và Tổ chức phi chính phủ'],
      ['CCVC', 'Phòng Công chức, viên chức'],
      ['XDCQ', 'Phòng Xây dựng chính quyền và Công tác thanh niên'],
      ['LDVL', 'Phòng Lao động - Việc làm'],
    ],
  },
  {
    code: 'STC',
    type: 'agency',
    name: 'Sở Tài chính',
    nameEn: 'Department of Finance',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['QLNS', 'Phòng Quản lý ngân sách'],
      ['TCDN', 'Phòng Tài chính doanh nghiệp'],
      ['GCS', 'Phòng Quản lý giá và Công sản'],
      ['DT', 'Phòng Đầu tư'],
    ],
  },
  {
    code: 'STP',
    type: 'agency',
    name: 'Sở Tư pháp',
    nameEn: 'Department of Justice',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['XDKTVB', 'Phòng Xây dựng và Kiểm tra văn bản'],
      ['HCTP', 'Phòng Hành chính tư pháp'],
      ['BTTP', 'Phòng Bổ trợ tư pháp'],
    ],
  },
  {
    code: 'SCT',
    type: 'agency',
    name: 'Sở Công Thương',
    nameEn: 'Department of Industry and Trade',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['QLCN', 'Phòng Quản lý công nghiệp'],
      ['QLTM', 'Phòng Quản lý thương mại'],
      ['QLNL', 'Phòng Quản lý năng lượng'],
    ],
  },
  {
    code: 'SNNMT',
    type: 'agency',
    name: 'Sở Nông nghiệp và Môi trường',
    nameEn: 'Department of Agriculture and Environment',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['TTBVTV', 'Phòng Trồng trọt và Bảo vệ thực vật'],
      ['QLDD', 'Phòng Quản lý đất đai'],
      ['MT', 'Phòng Môi trường'],
      ['TL', 'Phòng Thủy lợi'],
    ],
  },
  {
    code: 'SXD',
    type: 'agency',
    name: 'Sở Xây dựng',
    nameEn: 'Department of Construction',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['QLXD', 'Phòng Quản lý xây dựng'],
      ['QHKT', 'Phòng Quy hoạch - Kiến trúc'],
      ['QLGT', 'Phòng Quản lý giao thông'],
    ],
  },
  {
    code: 'SKHCN',
    type: 'agency',
    name: 'Sở Khoa học và Công nghệ',
    nameEn: 'Department of Science and Technology',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['QLKH', 'Phòng Quản lý khoa học'],
      ['CDS', 'Phòng Chuyển đổi số'],
      ['BCVT', 'Phòng Bưu chính - Viễn thông'],
    ],
  },
  {
    code: 'SGDDT',
    type: 'agency',
    name: 'Sở Giáo dục và Đào tạo',
    nameEn: 'Department of Education and Training',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['GDPT', 'Phòng Giáo dục phổ thông'],
      ['GDMN', 'Phòng Giáo dục mầm non'],
      ['KTQLCL', 'Phòng Khảo thí và Quản lý chất lượng'],
    ],
  },
  {
    code: 'SYT',
    type: 'agency',
    name: 'Sở Y tế',
    nameEn: 'Department of Health',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['NVY', 'Phòng Nghiệp vụ Y'],
      ['NVD', 'Phòng Nghiệp vụ Dược'],
      ['BTXH', 'Phòng Bảo trợ xã hội'],
    ],
  },
  {
    code: 'SVHTTDL',
    type: 'agency',
    name: 'Sở Văn hóa, Thể thao và Du lịch',
    nameEn: 'Department of Culture, Sports and Tourism',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [
      VP,
      ['QLVH', 'Phòng Quản lý văn hóa'],
      ['QLTDTT', 'Phòng Quản lý thể dục thể thao'],
      ['QLDL', 'Phòng Quản lý du lịch'],
    ],
  },
  {
    code: 'SDTTG',
    type: 'agency',
    name: 'Sở Dân tộc và Tôn giáo',
    nameEn: 'Department of Ethnic Minorities and Religions',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [VP, ['CTDT', 'Phòng Công tác dân tộc'], ['TG', 'Phòng Tôn giáo']],
  },
  {
    code: 'SNGV',
    type: 'agency',
    name: 'Sở Ngoại vụ',
    nameEn: 'Department of Foreign Affairs',
    head: 'giam_doc',
    deputy: 'pho_giam_doc',
    depts: [VP, ['LSHTQT', 'Phòng Lãnh sự và Hợp tác quốc tế']],
  },
  {
    code: 'TTT',
    type: 'agency',
    name: 'Thanh tra tỉnh',
    nameEn: 'Provincial Inspectorate',
    head: 'chanh_thanh_tra',
    deputy: 'pho_chanh_thanh_tra',
    staff: 'thanh_tra_vien',
    depts: [
      ['VP', 'Văn phòng Thanh tra tỉnh'],
      ['NV1', 'Phòng Nghiệp vụ 1'],
      ['TCD', 'Phòng Tiếp công dân và Xử lý đơn thư'],
      ['PCTN', 'Phòng Phòng, chống tham nhũng'],
    ],
  },
  {
    code: 'VPDDBQH',
    type: 'agency',
    name: 'Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh',
    nameEn: "Office of the National Assembly Delegation and the Provincial People's Council",
    head: 'chanh_van_phong',
    deputy: 'pho_chanh_van_phong',
    depts: [
      ['CTQH', 'Phòng Công tác Quốc hội'],
      ['CTHDND', 'Phòng Công tác Hội đồng nhân dân'],
      ['HCTCQT', 'Phòng Hành chính - Tổ chức - Quản trị'],
    ],
  },
  {
    code: 'VPTU',
    type: 'party_body',
    name: 'Văn phòng Tỉnh ủy',
    nameEn: 'Office of the Provincial Party Committee',
    head: 'chanh_van_phong',
    deputy: 'pho_chanh_van_phong',
    depts: [
      ['TH', 'Phòng Tổng hợp'],
      ['HCLT', 'Phòng Hành chính - Lưu trữ'],
      ['TCQT', 'Phòng Tài chính - Quản trị'],
    ],
  },
  {
    code: 'BTCTU',
    type: 'party_body',
    name: 'Ban Tổ chức Tỉnh ủy',
    nameEn: 'Organisation Commission of the Provincial Party Committee',
    head: 'truong_ban',
    deputy: 'pho_truong_ban',
    depts: [
      ['TCDDV', 'Phòng Tổ chức đảng, đảng viên'],
      ['CB', 'Phòng Cán bộ'],
      ['BVCT', 'Phòng Bảo vệ chính trị'],
    ],
  },
  {
    code: 'BTGDVTU',
    type: 'party_body',
    name: 'Ban Tuyên giáo và Dân vận Tỉnh ủy',
    nameEn: 'Propaganda, Education and Mass Mobilisation Commission',
    head: 'truong_ban',
    deputy: 'pho_truong_ban',
    depts: [
      ['TT', 'Phòng Tuyên truyền'],
      ['DV', 'Phòng Dân vận'],
      ['KG', 'Phòng Khoa giáo'],
    ],
  },
  {
    code: 'UBKTTU',
    type: 'party_body',
    name: 'Ủy ban Kiểm tra Tỉnh ủy',
    nameEn: 'Inspection Commission of the Provincial Party Committee',
    head: 'chu_nhiem_ubkt',
    deputy: 'pho_chu_nhiem_ubkt',
    depts: [
      ['KT1', 'Phòng Kiểm tra 1'],
      ['KT2', 'Phòng Kiểm tra 2'],
      ['TH', 'Phòng Tổng hợp'],
    ],
  },
  {
    code: 'BNCTU',
    type: 'party_body',
    name: 'Ban Nội chính Tỉnh ủy',
    nameEn: 'Internal Affairs Commission of the Provincial Party Committee',
    head: 'truong_ban',
    deputy: 'pho_truong_ban',
    depts: [
      ['NC', 'Phòng Nội chính'],
      ['PCTN', 'Phòng Phòng, chống tham nhũng, tiêu cực'],
    ],
  },
  {
    code: 'DUUBND',
    type: 'party_body',
    name: 'Đảng ủy Ủy ban nhân dân tỉnh',
    nameEn: "Party Committee of the Provincial People's Committee",
    head: 'bi_thu_dang_uy',
    deputy: 'pho_bi_thu_dang_uy',
    depts: [
      ['VP', 'Văn phòng Đảng ủy'],
      ['XDD', 'Ban Xây dựng Đảng'],
    ],
  },
  {
    code: 'DUCQD',
    type: 'party_body',
    name: 'Đảng ủy các cơ quan Đảng tỉnh',
    nameEn: 'Party Committee of the Provincial Party Agencies',
    head: 'bi_thu_dang_uy',
    deputy: 'pho_bi_thu_dang_uy',
    depts: [
      ['VP', 'Văn phòng Đảng ủy'],
      ['XDD', 'Ban Xây dựng Đảng'],
    ],
  },
];

const COMMUNE_DEPTS: readonly Dept[] = [
  ['VP', 'Văn phòng HĐND và UBND'],
  ['KT', 'Phòng Kinh tế'],
  ['VHXH', 'Phòng Văn hóa - Xã hội'],
  ['TTHCC', 'Trung tâm Phục vụ hành chính công'],
];
const WARD_DEPTS: readonly Dept[] = [
  ['VP', 'Văn phòng HĐND và UBND'],
  ['KT', 'Phòng Kinh tế, Hạ tầng và Đô thị'],
  ['VHXH', 'Phòng Văn hóa - Xã hội'],
  ['TTHCC', 'Trung tâm Phục vụ hành chính công'],
];

const PROVINCE_LEADERS = [
  'bi_thu_tinh_uy',
  'pho_bi_thu_thuong_truc',
  'chu_tich_hdnd_tinh',
  'chu_tich_ubnd_tinh',
  'pho_chu_tich_ubnd_tinh',
  'pho_chu_tich_ubnd_tinh',
  'pho_chu_tich_ubnd_tinh',
];

/** Default approval chains (DESIGN §1), per unit type and subject; nobody approves their own item. */
export const DEFAULT_APPROVAL_CHAINS: Record<
  Exclude<UnitTypeCode, 'province'>,
  Record<ApprovalSubject, [RoleCode, ApprovalScope][]>
> = (() => {
  const provincial = (
    evaluation: [RoleCode, ApprovalScope][],
  ): Record<ApprovalSubject, [RoleCode, ApprovalScope][]> => ({
    plan: [
      ['secretariat', 'province'],
      ['standing_committee', 'province'],
    ],
    amendment: [
      ['secretariat', 'province'],
      ['standing_committee', 'province'],
    ],
    period_reopen: [['secretariat', 'province']],
    delegation: [['unit_head', 'unit']],
    evaluation,
  });
  const state: [RoleCode, ApprovalScope][] = [
    ['secretariat', 'province'],
    ['standing_committee', 'province'],
  ];
  return {
    agency: provincial(state),
    commune: provincial(state),
    ward: provincial(state),
    party_body: provincial([
      ['organisation_department', 'province'],
      ['standing_committee', 'province'],
    ]),
    department: {
      plan: [['unit_head', 'parent']],
      amendment: [['unit_head', 'parent']],
      period_reopen: [['unit_head', 'parent']],
      delegation: [['supervisor', 'unit']],
      evaluation: [['unit_head', 'parent']],
    },
  };
})();

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Generates the demo province. Pure: no I/O, no clock, no Math.random. */
export function generateDemoProvince(seed: number = DEMO_SEED): DemoProvince {
  const rng = new Prng(seed);
  const provinceId = stableUuid(`unit:${DEMO_PROVINCE_CODE}`);
  const units: DemoUnit[] = [];
  const unitByCode = new Map<string, DemoUnit>();
  const addUnit = (
    u: Omit<DemoUnit, 'id' | 'province_id' | 'short_name_vi' | 'name_en' | 'active_to' | 'merged_into_id'> &
      Partial<DemoUnit>,
  ): DemoUnit => {
    const unit: DemoUnit = {
      id: stableUuid(`unit:${u.code}`),
      province_id: provinceId,
      short_name_vi: null,
      name_en: null,
      active_to: null,
      merged_into_id: null,
      ...u,
    };
    units.push(unit);
    unitByCode.set(unit.code, unit);
    return unit;
  };

  const province = addUnit({
    id: provinceId,
    type_code: 'province',
    parent_id: null,
    code: DEMO_PROVINCE_CODE,
    name_vi: DEMO_PROVINCE_NAME,
    short_name_vi: 'Sơn Hà',
    name_en: 'Sơn Hà Province',
    active_from: REFORM_DAY,
  });

  const people: DemoPerson[] = [];
  const employments: DemoEmployment[] = [];
  const roles: DemoRoleAssignment[] = [];
  const emails = new Set<string>(DEMO_ROSTER.map((r) => r.email));
  const grant = (personId: string, role: RoleCode, scope: DemoUnit, from: string) => {
    roles.push({
      id: stableUuid(`role:${personId}:${role}:${scope.code}`),
      person_id: personId,
      role_code: role,
      scope_unit_id: scope.id,
      valid_from: from,
      valid_to: null,
    });
  };

  const newPerson = (dutyGroup: DutyGroup): DemoPerson => {
    const male = rng.next() < 0.5;
    const family = rng.weighted(FAMILY_NAMES);
    const middle = rng.weighted(male ? MIDDLE_NAMES_MALE : MIDDLE_NAMES_FEMALE);
    const given = rng.pick(male ? GIVEN_NAMES_MALE : GIVEN_NAMES_FEMALE);
    const initials = [family, ...middle.split(' ')].map((w) => asciiFold(w)[0]).join('');
    const base = asciiFold(given).replace(/\s+/g, '') + initials;
    let email = `${base}@${DEMO_EMAIL_DOMAIN}`;
    for (let n = 2; emails.has(email); n++) email = `${base}${n}@${DEMO_EMAIL_DOMAIN}`;
    emails.add(email);
    const p: DemoPerson = {
      id: stableUuid(`person:${people.length + 1}`),
      full_name: `${family} ${middle} ${given}`,
      family_name: family,
      middle_name: middle,
      given_name: given,
      email,
      duty_group: dutyGroup,
    };
    people.push(p);
    return p;
  };

  /** Employs a new person in `unit` from its start (mostly) or a later day, and grants official there. */
  const hire = (
    unit: DemoUnit,
    position: string,
    dutyGroup: DutyGroup,
  ): { person: DemoPerson; from: string } => {
    const person = newPerson(dutyGroup);
    const from = rng.next() < 0.85 ? unit.active_from : addDays(unit.active_from, rng.int(1, 480));
    employments.push({
      id: stableUuid(`employment:${person.id}:${unit.code}`),
      person_id: person.id,
      org_unit_id: unit.id,
      position_code: position,
      valid_from: from,
      valid_to: null,
    });
    grant(person.id, 'official', unit, from);
    return { person, from };
  };

  const staffPosition = (override?: string) =>
    override ??
    rng.weighted([
      ['chuyen_vien', 60],
      ['chuyen_vien_chinh', 20],
      ['can_su', 8],
      ['nhan_vien', 4],
    ] as const);

  /** A department: its head (supervisor), deputies and staff; the first staff member is always a chuyên viên. */
  const staffDepartment = (
    dept: DemoUnit,
    opts: { deputies: [number, number]; staff: [number, number]; staffPos?: string; dutyGroup: DutyGroup },
  ) => {
    const centre = dept.name_vi.startsWith('Trung tâm');
    const office = dept.name_vi.startsWith('Văn phòng');
    const headPos = centre ? 'giam_doc_trung_tam' : office ? 'chanh_van_phong' : 'truong_phong';
    const deputyPos = centre ? 'pho_giam_doc_trung_tam' : office ? 'pho_chanh_van_phong' : 'pho_truong_phong';
    const group: DutyGroup = centre ? 'public_employee' : opts.dutyGroup;
    const head = hire(dept, headPos, group);
    grant(head.person.id, 'supervisor', dept, head.from);
    const deputies = rng.int(...opts.deputies);
    for (let i = 0; i < deputies; i++) hire(dept, deputyPos, group);
    const staff = rng.int(...opts.staff);
    for (let i = 0; i < staff; i++) {
      const pos =
        i === 0 ? (opts.staffPos ?? 'chuyen_vien') : centre ? 'vien_chuc' : staffPosition(opts.staffPos);
      hire(dept, pos, pos === 'nhan_vien' ? 'worker' : group);
    }
  };

  // province leadership: the standing committee
  for (const pos of PROVINCE_LEADERS) {
    const { person, from } = hire(province, pos, 'cadre');
    grant(person.id, 'standing_committee', province, from);
  }

  // provincial agencies and Party bodies
  for (const b of BODIES) {
    const body = addUnit({
      type_code: b.type,
      parent_id: province.id,
      code: b.code,
      name_vi: b.name,
      name_en: b.nameEn,
      active_from: AGENCY_DAY,
    });
    const head = hire(body, b.head, 'civil_servant');
    grant(head.person.id, 'unit_head', body, head.from);
    const deputies = rng.int(2, 3);
    for (let i = 0; i < deputies; i++) {
      const d = hire(body, b.deputy, 'civil_servant');
      grant(d.person.id, 'supervisor', body, d.from);
      if (b.code === 'BTCTU') grant(d.person.id, 'organisation_department', province, d.from);
    }
    if (b.code === 'VPTU') grant(head.person.id, 'secretariat', province, head.from);
    if (b.code === 'BTCTU') grant(head.person.id, 'organisation_department', province, head.from);
    if (b.code === 'TTT') grant(head.person.id, 'auditor', province, head.from);
    for (const [key, name] of b.depts) {
      const dept = addUnit({
        type_code: 'department',
        parent_id: body.id,
        code: `${b.code}.${key}`,
        name_vi: name === 'Văn phòng Sở' ? `Văn phòng ${b.name}` : name,
        short_name_vi: name,
        active_from: AGENCY_DAY,
      });
      const before = employments.length;
      staffDepartment(dept, {
        deputies: [1, 2],
        staff: [3, 9],
        staffPos: b.staff,
        dutyGroup: 'civil_servant',
      });
      const secretariat = b.code === 'VPTU' && key === 'TH';
      const orgDept = b.code === 'BTCTU' && key === 'CB';
      if (secretariat || orgDept) {
        for (const e of employments.slice(before)) {
          grant(e.person_id, secretariat ? 'secretariat' : 'organisation_department', province, e.valid_from);
        }
      }
    }
  }

  // communes and wards: 100 new units of the two-level local government, a few with their merged predecessors
  const names: string[] = [];
  const used = new Set(['Hòa An']);
  names.push('Hòa An');
  const pool = rng.shuffle(
    PLACE_FIRST.flatMap((a) => PLACE_SECOND.filter((b) => b !== a).map((b) => `${a} ${b}`)),
  );
  for (const n of pool) {
    if (names.length >= 100 + 30) break;
    if (used.has(n)) continue;
    used.add(n);
    names.push(n);
  }
  let xa = 0;
  let phuong = 0;
  const predecessorsNames = names.slice(100);
  for (let i = 0; i < 100; i++) {
    const ward = i > 0 && i % 5 === 0;
    const code = ward ? `P${String(++phuong).padStart(3, '0')}` : `X${String(++xa).padStart(3, '0')}`;
    const place = names[i]!;
    const unit = addUnit({
      type_code: ward ? 'ward' : 'commune',
      parent_id: province.id,
      code,
      name_vi: `${ward ? 'Phường' : 'Xã'} ${place}`,
      short_name_vi: place,
      active_from: REFORM_DAY,
    });
    const predecessors: DemoUnit[] = [];
    if (i < 12) {
      const count = i % 3 === 0 ? 3 : 2;
      for (let k = 0; k < count && predecessorsNames.length; k++) {
        const old = predecessorsNames.shift()!;
        predecessors.push(
          addUnit({
            type_code: 'commune',
            parent_id: province.id,
            code: `${code}.CU${k + 1}`,
            name_vi: `Xã ${old}`,
            short_name_vi: old,
            active_from: '2000-01-01',
            active_to: addDays(REFORM_DAY, -1),
            merged_into_id: unit.id,
          }),
        );
      }
    }
    const secretary = hire(unit, 'bi_thu_dang_uy_xa', 'cadre');
    grant(secretary.person.id, 'supervisor', unit, secretary.from);
    const chair = hire(unit, ward ? 'chu_tich_ubnd_phuong' : 'chu_tich_ubnd_xa', 'cadre');
    grant(chair.person.id, 'unit_head', unit, chair.from);
    for (let k = 0; k < 2; k++) {
      const vice = hire(unit, ward ? 'pho_chu_tich_ubnd_phuong' : 'pho_chu_tich_ubnd_xa', 'cadre');
      grant(vice.person.id, 'supervisor', unit, vice.from);
    }
    const firstOfUnit = employments.length - 4;
    for (const [key, name] of ward ? WARD_DEPTS : COMMUNE_DEPTS) {
      const dept = addUnit({
        type_code: 'department',
        parent_id: unit.id,
        code: `${code}.${key}`,
        name_vi: `${name} ${unit.name_vi.toLowerCase().startsWith('xã') ? 'xã' : 'phường'} ${place}`,
        short_name_vi: name,
        active_from: REFORM_DAY,
      });
      staffDepartment(dept, { deputies: [0, 1], staff: [3, 6], dutyGroup: 'civil_servant' });
    }
    // transfers from the merged communes: earlier periods end the day before the reform
    if (predecessors.length) {
      for (const e of employments.slice(firstOfUnit)) {
        if (e.valid_from !== REFORM_DAY || rng.next() < 0.4) continue;
        const old = rng.pick(predecessors);
        const start = addDays(old.active_from, rng.int(365, daysBetween(old.active_from, '2024-06-30')));
        employments.push({
          id: stableUuid(`employment:${e.person_id}:${old.code}`),
          person_id: e.person_id,
          org_unit_id: old.id,
          position_code:
            e.position_code.startsWith('chu_tich') || e.position_code.startsWith('pho_chu_tich')
              ? e.position_code.replace('phuong', 'xa')
              : e.position_code === 'bi_thu_dang_uy_xa'
                ? e.position_code
                : 'chuyen_vien',
          valid_from: start,
          valid_to: old.active_to,
        });
      }
    }
  }

  // the fixed demo accounts take the place of the generated person in their unit and position
  for (const r of DEMO_ROSTER) {
    const unit = unitByCode.get(r.unitCode);
    if (!unit) throw new Error(`demo roster: no unit ${r.unitCode}`);
    const e = employments.find(
      (x) => x.org_unit_id === unit.id && x.position_code === r.positionCode && x.valid_to === null,
    );
    if (!e) throw new Error(`demo roster: nobody is ${r.positionCode} in ${r.unitCode}`);
    const p = people.find((x) => x.id === e.person_id)!;
    const parts = r.fullName.split(' ');
    emails.delete(p.email);
    Object.assign(p, {
      full_name: r.fullName,
      family_name: parts[0]!,
      middle_name: parts.slice(1, -1).join(' '),
      given_name: parts.at(-1)!,
      email: r.email,
    });
    const scope = r.scope === 'province' ? province : unit;
    if (!roles.some((x) => x.person_id === p.id && x.role_code === r.role && x.scope_unit_id === scope.id)) {
      grant(p.id, r.role, scope, e.valid_from);
    }
  }

  const approvalChains: DemoApprovalChain[] = [];
  for (const [type, subjects] of Object.entries(DEFAULT_APPROVAL_CHAINS)) {
    for (const [subject, steps] of Object.entries(subjects)) {
      approvalChains.push({
        id: stableUuid(`chain:${type}:${subject}`),
        province_id: provinceId,
        unit_type_code: type as UnitTypeCode,
        subject: subject as ApprovalSubject,
        steps: steps.map(([role_code, scope], i) => ({ step_no: i + 1, role_code, scope })),
      });
    }
  }

  return {
    seed,
    provinceId,
    units,
    positions: POSITIONS.map((p) => ({ ...p })),
    people,
    employments,
    roleAssignments: roles,
    approvalChains,
  };
}
