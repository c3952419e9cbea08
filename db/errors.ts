// PostgreSQL rejections → stable error codes with a Vietnamese and an English message and an HTTP status.
// Every named constraint of the schema (and each trigger's pseudo-constraint) has an entry; a test checks
// the catalogue against pg_constraint so a new constraint cannot ship without its code.

export class DbRuleError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messageVi: string;
  readonly messageEn: string;
  readonly constraint: string | undefined;
  readonly sqlState: string;

  constructor(init: {
    code: string;
    status: number;
    messageVi: string;
    messageEn: string;
    constraint?: string | undefined;
    sqlState: string;
    cause?: unknown;
  }) {
    super(`${init.code}: ${init.messageEn}`, { cause: init.cause });
    this.name = 'DbRuleError';
    this.code = init.code;
    this.status = init.status;
    this.messageVi = init.messageVi;
    this.messageEn = init.messageEn;
    this.constraint = init.constraint;
    this.sqlState = init.sqlState;
  }
}

/** A rule: the stable code, HTTP status and messages for one constraint. */
export interface DbRule {
  code: string;
  status: number;
  vi: string;
  en: string;
}
type Rule = DbRule;
/** A foreign key has two faces: the referenced row is missing (insert/update) or still in use (delete). */
export interface ForeignKeyRule extends DbRule {
  inUse: DbRule;
}

const conflict = (code: string, vi: string, en: string): Rule => ({ code, status: 409, vi, en });
const invalid = (code: string, vi: string, en: string): Rule => ({ code, status: 422, vi, en });
const fk = (missing: Rule, inUse: Rule): ForeignKeyRule => ({ ...missing, inUse });

const PERSON_IN_USE = conflict(
  'PERSON_IN_USE',
  'Không thể xóa người này vì còn dữ liệu liên quan.',
  'This person cannot be deleted while other records refer to them.',
);
const ROLE_UNKNOWN = invalid('ROLE_UNKNOWN', 'Vai trò không tồn tại.', 'The role does not exist.');
const ROLE_IN_USE = conflict('ROLE_IN_USE', 'Vai trò đang được sử dụng.', 'The role is in use.');
const UNIT_TYPE_UNKNOWN = invalid(
  'ORG_UNIT_TYPE_UNKNOWN',
  'Loại đơn vị không tồn tại.',
  'The unit type does not exist.',
);
const UNIT_TYPE_IN_USE = conflict(
  'ORG_UNIT_TYPE_IN_USE',
  'Loại đơn vị đang được sử dụng.',
  'The unit type is in use.',
);
const UNIT_HAS_CHILDREN = conflict(
  'ORG_UNIT_HAS_CHILDREN',
  'Không thể xóa đơn vị vì còn đơn vị trực thuộc.',
  'The unit cannot be deleted while it has units under it.',
);
const UNIT_IN_USE = conflict(
  'ORG_UNIT_IN_USE',
  'Không thể xóa đơn vị vì còn dữ liệu liên quan (nhân sự, vai trò, cấu hình).',
  'The unit cannot be deleted while people, roles or settings refer to it.',
);
const PROFILE_MISSING = fk(
  invalid('CALENDAR_PROFILE_MISSING', 'Hồ sơ lịch không tồn tại.', 'The calendar profile does not exist.'),
  conflict('CALENDAR_PROFILE_IN_USE', 'Hồ sơ lịch đang được sử dụng.', 'The calendar profile is in use.'),
);
const AUDIT_ENTRY_INVALID = invalid(
  'AUDIT_ENTRY_INVALID',
  'Bản ghi nhật ký không hợp lệ.',
  'The audit entry is invalid.',
);

const RULES: Record<string, Rule | ForeignKeyRule> = {
  // org units and their types
  org_unit_type_pk: conflict(
    'ORG_UNIT_TYPE_EXISTS',
    'Mã loại đơn vị đã tồn tại.',
    'The unit type code already exists.',
  ),
  org_unit_type_code_ck: invalid(
    'ORG_UNIT_TYPE_CODE_INVALID',
    'Mã loại đơn vị chỉ gồm chữ thường và dấu gạch dưới.',
    'A unit type code is lower-case letters and underscores.',
  ),
  org_unit_pk: conflict('ORG_UNIT_EXISTS', 'Đơn vị đã tồn tại.', 'The unit already exists.'),
  org_unit_id_province_uq: conflict('ORG_UNIT_EXISTS', 'Đơn vị đã tồn tại.', 'The unit already exists.'),
  org_unit_type_fk: fk(UNIT_TYPE_UNKNOWN, UNIT_TYPE_IN_USE),
  org_unit_code_uq: conflict(
    'ORG_UNIT_CODE_TAKEN',
    'Mã đơn vị đã được dùng trong tỉnh.',
    'The unit code is already used in this province.',
  ),
  org_unit_province_fk: fk(
    invalid(
      'ORG_UNIT_PROVINCE_MISSING',
      'Tỉnh của đơn vị không tồn tại.',
      "The unit's province does not exist.",
    ),
    UNIT_HAS_CHILDREN,
  ),
  org_unit_parent_fk: fk(
    invalid(
      'ORG_UNIT_PARENT_MISSING',
      'Đơn vị cấp trên không tồn tại hoặc thuộc tỉnh khác.',
      'The parent unit does not exist or belongs to another province.',
    ),
    UNIT_HAS_CHILDREN,
  ),
  org_unit_merged_into_fk: fk(
    invalid(
      'ORG_UNIT_MERGE_TARGET_MISSING',
      'Đơn vị tiếp nhận sáp nhập không tồn tại hoặc thuộc tỉnh khác.',
      'The unit merged into does not exist or belongs to another province.',
    ),
    conflict(
      'ORG_UNIT_HAS_MERGED_UNITS',
      'Không thể xóa đơn vị đã tiếp nhận đơn vị sáp nhập.',
      'The unit cannot be deleted while merged units refer to it.',
    ),
  ),
  org_unit_code_ck: invalid(
    'ORG_UNIT_CODE_INVALID',
    'Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới.',
    'A unit code is letters, digits, dots, hyphens and underscores.',
  ),
  org_unit_name_ck: invalid(
    'ORG_UNIT_NAME_REQUIRED',
    'Tên đơn vị là bắt buộc.',
    'The unit name is required.',
  ),
  org_unit_root_ck: invalid(
    'ORG_UNIT_ROOT_INVALID',
    'Chỉ cấp tỉnh là gốc của cây tổ chức; mọi đơn vị khác phải có đơn vị cấp trên.',
    'Only a province is the root of the tree; every other unit needs a parent.',
  ),
  org_unit_active_period_ck: invalid(
    'ORG_UNIT_PERIOD_INVALID',
    'Ngày kết thúc hoạt động phải sau ngày bắt đầu.',
    'The end of the active period must not precede its start.',
  ),
  org_unit_merged_ck: invalid(
    'ORG_UNIT_MERGE_INVALID',
    'Đơn vị đã sáp nhập phải có ngày kết thúc và không sáp nhập vào chính nó.',
    'A merged unit needs an end date and cannot merge into itself.',
  ),
  org_unit_province_type_ck: invalid(
    'ORG_UNIT_PROVINCE_INVALID',
    'Đơn vị được chỉ định làm tỉnh không phải cấp tỉnh.',
    'The unit named as province is not a province.',
  ),
  org_unit_cycle_ck: invalid(
    'ORG_UNIT_CYCLE',
    'Không thể đặt đơn vị dưới chính nó hoặc đơn vị trực thuộc của nó.',
    'A unit cannot be placed under itself or one of its sub-units.',
  ),
  // people, positions, employment
  person_pk: conflict('PERSON_EXISTS', 'Người này đã tồn tại.', 'The person already exists.'),
  person_email_uq: conflict(
    'PERSON_EMAIL_TAKEN',
    'Địa chỉ email đã được sử dụng.',
    'The e-mail address is already in use.',
  ),
  person_email_ck: invalid(
    'PERSON_EMAIL_INVALID',
    'Địa chỉ email không hợp lệ (viết thường, dạng ten@mien).',
    'The e-mail address is invalid (lower case, name@domain).',
  ),
  person_name_ck: invalid('PERSON_NAME_REQUIRED', 'Họ và tên là bắt buộc.', 'The full name is required.'),
  person_duty_group_ck: invalid(
    'PERSON_DUTY_GROUP_INVALID',
    'Nhóm đối tượng không hợp lệ (cán bộ, công chức, viên chức, người lao động).',
    'The duty group is invalid (cadre, civil servant, public employee, worker).',
  ),
  job_position_pk: conflict(
    'POSITION_CODE_TAKEN',
    'Mã chức vụ đã tồn tại.',
    'The position code already exists.',
  ),
  job_position_code_ck: invalid(
    'POSITION_CODE_INVALID',
    'Mã chức vụ chỉ gồm chữ thường, số và dấu gạch dưới.',
    'A position code is lower-case letters, digits and underscores.',
  ),
  employment_pk: conflict(
    'EMPLOYMENT_EXISTS',
    'Quá trình công tác đã tồn tại.',
    'The employment period already exists.',
  ),
  employment_person_fk: fk(
    invalid(
      'EMPLOYMENT_PERSON_MISSING',
      'Người được bố trí không tồn tại.',
      'The employed person does not exist.',
    ),
    PERSON_IN_USE,
  ),
  employment_org_unit_fk: fk(
    invalid(
      'EMPLOYMENT_UNIT_MISSING',
      'Đơn vị công tác không tồn tại.',
      'The unit of employment does not exist.',
    ),
    UNIT_IN_USE,
  ),
  employment_position_fk: fk(
    invalid('EMPLOYMENT_POSITION_UNKNOWN', 'Chức vụ không tồn tại.', 'The position does not exist.'),
    conflict('POSITION_IN_USE', 'Chức vụ đang được sử dụng.', 'The position is in use.'),
  ),
  employment_period_ck: invalid(
    'EMPLOYMENT_PERIOD_INVALID',
    'Ngày kết thúc công tác phải sau ngày bắt đầu.',
    'The end of employment must not precede its start.',
  ),
  employment_no_overlap_ex: invalid(
    'EMPLOYMENT_PERIODS_OVERLAP',
    'Quá trình công tác bị trùng thời gian với một quá trình khác của cùng người (trừ kiêm nhiệm).',
    'The employment period overlaps another period of the same person (concurrent posts excepted).',
  ),
  // roles and approval chains
  role_pk: conflict('ROLE_EXISTS', 'Vai trò đã tồn tại.', 'The role already exists.'),
  role_assignment_pk: conflict(
    'ROLE_ASSIGNMENT_EXISTS',
    'Phân quyền đã tồn tại.',
    'The role assignment already exists.',
  ),
  role_assignment_person_fk: fk(
    invalid(
      'ROLE_ASSIGNMENT_PERSON_MISSING',
      'Người được phân quyền không tồn tại.',
      'The person does not exist.',
    ),
    PERSON_IN_USE,
  ),
  role_assignment_role_fk: fk(ROLE_UNKNOWN, ROLE_IN_USE),
  role_assignment_scope_fk: fk(
    invalid(
      'ROLE_SCOPE_MISSING',
      'Đơn vị phạm vi của vai trò không tồn tại.',
      "The role's scope unit does not exist.",
    ),
    UNIT_IN_USE,
  ),
  role_assignment_period_ck: invalid(
    'ROLE_ASSIGNMENT_PERIOD_INVALID',
    'Ngày hết hiệu lực của vai trò phải sau ngày bắt đầu.',
    'The end of the role assignment must not precede its start.',
  ),
  role_assignment_no_overlap_ex: invalid(
    'ROLE_ASSIGNMENT_OVERLAP',
    'Người này đã có vai trò này trong cùng phạm vi và thời gian.',
    'The person already holds this role in this scope for an overlapping period.',
  ),
  approval_chain_pk: conflict(
    'APPROVAL_CHAIN_EXISTS',
    'Quy trình phê duyệt đã tồn tại.',
    'The approval chain already exists.',
  ),
  approval_chain_province_fk: fk(
    invalid('APPROVAL_CHAIN_PROVINCE_MISSING', 'Tỉnh không tồn tại.', 'The province does not exist.'),
    UNIT_IN_USE,
  ),
  approval_chain_unit_type_fk: fk(UNIT_TYPE_UNKNOWN, UNIT_TYPE_IN_USE),
  approval_chain_subject_ck: invalid(
    'APPROVAL_CHAIN_SUBJECT_INVALID',
    'Loại việc phê duyệt không hợp lệ.',
    'The approval subject is invalid.',
  ),
  approval_chain_uq: conflict(
    'APPROVAL_CHAIN_EXISTS',
    'Loại đơn vị này đã có quy trình phê duyệt cho loại việc này.',
    'This unit type already has an approval chain for this subject.',
  ),
  approval_chain_step_pk: conflict(
    'APPROVAL_STEP_DUPLICATE',
    'Bước phê duyệt này đã tồn tại.',
    'This approval step already exists.',
  ),
  approval_chain_step_chain_fk: fk(
    invalid(
      'APPROVAL_CHAIN_MISSING',
      'Quy trình phê duyệt không tồn tại.',
      'The approval chain does not exist.',
    ),
    conflict(
      'APPROVAL_CHAIN_IN_USE',
      'Quy trình phê duyệt đang được sử dụng.',
      'The approval chain is in use.',
    ),
  ),
  approval_chain_step_role_fk: fk(ROLE_UNKNOWN, ROLE_IN_USE),
  approval_chain_step_no_ck: invalid(
    'APPROVAL_STEP_NO_INVALID',
    'Số thứ tự bước phải từ 1.',
    'Step numbers start at 1.',
  ),
  approval_chain_step_scope_ck: invalid(
    'APPROVAL_STEP_SCOPE_INVALID',
    'Phạm vi của bước phê duyệt không hợp lệ.',
    'The approval step scope is invalid.',
  ),
  approval_chain_step_role_ck: invalid(
    'APPROVAL_STEP_ROLE_NOT_APPROVER',
    'Vai trò này không được phê duyệt.',
    'This role cannot approve.',
  ),
  // calendar
  calendar_profile_pk: conflict(
    'CALENDAR_PROFILE_EXISTS',
    'Hồ sơ lịch đã tồn tại.',
    'The calendar profile already exists.',
  ),
  calendar_profile_province_fk: fk(
    invalid(
      'CALENDAR_PROFILE_PROVINCE_MISSING',
      'Tỉnh của hồ sơ lịch không tồn tại.',
      "The profile's province does not exist.",
    ),
    UNIT_IN_USE,
  ),
  calendar_profile_time_zone_ck: invalid(
    'CALENDAR_TIME_ZONE_INVALID',
    'Múi giờ phải là Asia/Ho_Chi_Minh.',
    'The time zone must be Asia/Ho_Chi_Minh.',
  ),
  calendar_profile_weekend_ck: invalid(
    'CALENDAR_WEEKEND_INVALID',
    'Ngày nghỉ cuối tuần phải là thứ trong tuần (1–7) và không được nghỉ cả tuần.',
    'Weekend days are ISO weekdays 1–7 and cannot cover the whole week.',
  ),
  calendar_profile_deadline_settings_ck: invalid(
    'CALENDAR_DEADLINE_SETTINGS_INVALID',
    'Cấu hình thời hạn phải là một đối tượng JSON.',
    'Deadline settings must be a JSON object.',
  ),
  calendar_holiday_pk: conflict(
    'CALENDAR_HOLIDAY_DUPLICATE',
    'Ngày nghỉ lễ này đã có trong hồ sơ lịch.',
    'This holiday is already in the profile.',
  ),
  calendar_holiday_profile_fk: PROFILE_MISSING,
  calendar_make_up_day_pk: conflict(
    'CALENDAR_MAKE_UP_DAY_DUPLICATE',
    'Ngày làm bù này đã có trong hồ sơ lịch.',
    'This make-up working day is already in the profile.',
  ),
  calendar_make_up_day_profile_fk: PROFILE_MISSING,
  // administration catalogues (0200_admin): metric library, conversion coefficients
  metric_template_pk: conflict(
    'METRIC_TEMPLATE_EXISTS',
    'Thước đo đã tồn tại.',
    'The metric template already exists.',
  ),
  metric_template_province_fk: fk(
    invalid(
      'METRIC_TEMPLATE_PROVINCE_MISSING',
      'Tỉnh của thước đo không tồn tại.',
      "The metric's province does not exist.",
    ),
    UNIT_IN_USE,
  ),
  metric_template_code_uq: conflict(
    'METRIC_TEMPLATE_CODE_TAKEN',
    'Mã thước đo đã được dùng trong tỉnh.',
    'The metric code is already used in this province.',
  ),
  metric_template_code_ck: invalid(
    'METRIC_TEMPLATE_CODE_INVALID',
    'Mã thước đo chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới.',
    'A metric code is letters, digits, dots, hyphens and underscores.',
  ),
  metric_template_title_ck: invalid(
    'METRIC_TEMPLATE_TITLE_REQUIRED',
    'Tên thước đo là bắt buộc.',
    'The metric title is required.',
  ),
  metric_template_direction_ck: invalid(
    'METRIC_TEMPLATE_DIRECTION_INVALID',
    'Chiều đánh giá không hợp lệ.',
    'The direction is invalid.',
  ),
  metric_template_aggregation_ck: invalid(
    'METRIC_TEMPLATE_AGGREGATION_INVALID',
    'Quy tắc tổng hợp không hợp lệ.',
    'The aggregation rule is invalid.',
  ),
  metric_template_perspective_ck: invalid(
    'METRIC_TEMPLATE_PERSPECTIVE_INVALID',
    'Khía cạnh không hợp lệ.',
    'The perspective is invalid.',
  ),
  conversion_catalogue_pk: conflict(
    'CONVERSION_CATALOGUE_EXISTS',
    'Bảng hệ số quy đổi đã tồn tại.',
    'The conversion catalogue already exists.',
  ),
  conversion_catalogue_unit_fk: fk(
    invalid(
      'CONVERSION_CATALOGUE_UNIT_MISSING',
      'Đơn vị của bảng hệ số không tồn tại.',
      "The catalogue's unit does not exist.",
    ),
    UNIT_IN_USE,
  ),
  conversion_catalogue_superseded_fk: fk(
    invalid(
      'CONVERSION_CATALOGUE_MISSING',
      'Bảng hệ số quy đổi không tồn tại.',
      'The conversion catalogue does not exist.',
    ),
    conflict(
      'CONVERSION_CATALOGUE_IN_USE',
      'Bảng hệ số quy đổi đang được tham chiếu.',
      'The conversion catalogue is referred to.',
    ),
  ),
  conversion_catalogue_version_uq: conflict(
    'CONVERSION_CATALOGUE_VERSION_TAKEN',
    'Phiên bản bảng hệ số đã tồn tại; hãy thử lại.',
    'This catalogue version already exists; retry.',
  ),
  conversion_catalogue_version_ck: invalid(
    'CONVERSION_CATALOGUE_VERSION_INVALID',
    'Số phiên bản phải từ 1.',
    'Versions start at 1.',
  ),
  conversion_coefficient_pk: conflict(
    'CONVERSION_COEFFICIENT_DUPLICATE',
    'Hệ số cho chức vụ và loại sản phẩm này bị trùng.',
    'This position and product appear twice.',
  ),
  conversion_coefficient_catalogue_fk: fk(
    invalid(
      'CONVERSION_CATALOGUE_MISSING',
      'Bảng hệ số quy đổi không tồn tại.',
      'The conversion catalogue does not exist.',
    ),
    conflict(
      'CONVERSION_CATALOGUE_IN_USE',
      'Bảng hệ số quy đổi đang được tham chiếu.',
      'The conversion catalogue is referred to.',
    ),
  ),
  conversion_coefficient_position_fk: fk(
    invalid('CONVERSION_POSITION_UNKNOWN', 'Chức vụ không tồn tại.', 'The position does not exist.'),
    conflict('POSITION_IN_USE', 'Chức vụ đang được sử dụng.', 'The position is in use.'),
  ),
  conversion_coefficient_value_ck: invalid(
    'CONVERSION_COEFFICIENT_INVALID',
    'Hệ số quy đổi phải lớn hơn 0.',
    'A conversion coefficient must be positive.',
  ),
  conversion_coefficient_product_ck: invalid(
    'CONVERSION_PRODUCT_CODE_INVALID',
    'Mã loại sản phẩm không hợp lệ.',
    'The product code is invalid.',
  ),
  // audit
  audit_log_pk: conflict(
    'AUDIT_ENTRY_EXISTS',
    'Bản ghi nhật ký đã tồn tại.',
    'The audit entry already exists.',
  ),
  audit_log_seq_uq: conflict(
    'AUDIT_SEQ_CONFLICT',
    'Số thứ tự nhật ký bị trùng; hãy thử lại.',
    'The audit sequence number is taken; retry.',
  ),
  audit_log_seq_ck: AUDIT_ENTRY_INVALID,
  audit_log_hash_ck: AUDIT_ENTRY_INVALID,
  audit_log_append_only: conflict(
    'AUDIT_LOG_APPEND_ONLY',
    'Nhật ký kiểm tra chỉ được ghi thêm, không được sửa hoặc xóa.',
    'The audit log is append-only: entries cannot be changed or deleted.',
  ),
  audit_chain_head_pk: conflict(
    'AUDIT_CHAIN_EXISTS',
    'Chuỗi nhật ký đã tồn tại.',
    'The audit chain already exists.',
  ),
  audit_chain_head_seq_ck: AUDIT_ENTRY_INVALID,
  audit_anchor_pk: conflict(
    'AUDIT_ANCHOR_EXISTS',
    'Đã có bản neo nhật ký cho ngày này.',
    'An audit anchor already exists for this day.',
  ),
  audit_anchor_hash_ck: AUDIT_ENTRY_INVALID,
  audit_anchor_append_only: conflict(
    'AUDIT_ANCHOR_APPEND_ONLY',
    'Bản neo nhật ký không được sửa hoặc xóa.',
    'Audit anchors cannot be changed or deleted.',
  ),
  // mail and notifications
  mail_outbox_pk: conflict('MAIL_EXISTS', 'Thư đã tồn tại.', 'The message already exists.'),
  mail_outbox_idempotency_key_uq: conflict(
    'MAIL_IDEMPOTENCY_KEY_TAKEN',
    'Thư với khóa chống trùng này đã được ghi.',
    'A message with this idempotency key is already recorded.',
  ),
  mail_outbox_message_id_uq: conflict(
    'MAIL_MESSAGE_ID_TAKEN',
    'Message-ID đã được dùng.',
    'The Message-ID is already used.',
  ),
  mail_outbox_message_id_ck: invalid(
    'MAIL_MESSAGE_ID_INVALID',
    'Message-ID không hợp lệ (dạng <ma@mien>).',
    'The Message-ID is invalid (<id@domain>).',
  ),
  mail_outbox_to_ck: invalid(
    'MAIL_RECIPIENT_REQUIRED',
    'Thư phải có ít nhất một người nhận.',
    'A message needs a recipient.',
  ),
  mail_outbox_status_ck: invalid(
    'MAIL_STATUS_INVALID',
    'Trạng thái thư phải là PENDING, SENT hoặc FAILED.',
    'The mail status must be PENDING, SENT or FAILED.',
  ),
  mail_outbox_attempts_ck: invalid(
    'MAIL_ATTEMPTS_INVALID',
    'Số lần gửi không được âm.',
    'Attempts cannot be negative.',
  ),
  mail_outbox_sent_ck: invalid(
    'MAIL_SENT_AT_INCONSISTENT',
    'Thư đã gửi phải có thời điểm gửi, và chỉ thư đã gửi mới có.',
    'A sent message has a sent time, and only a sent message has one.',
  ),
  mail_outbox_person_fk: fk(
    invalid('MAIL_PERSON_MISSING', 'Người nhận không tồn tại.', 'The recipient person does not exist.'),
    PERSON_IN_USE,
  ),
  notification_pk: conflict(
    'NOTIFICATION_EXISTS',
    'Thông báo đã tồn tại.',
    'The notification already exists.',
  ),
  notification_person_fk: fk(
    invalid(
      'NOTIFICATION_PERSON_MISSING',
      'Người nhận thông báo không tồn tại.',
      'The notified person does not exist.',
    ),
    PERSON_IN_USE,
  ),
  notification_idempotency_key_uq: conflict(
    'NOTIFICATION_DUPLICATE',
    'Thông báo này đã được gửi.',
    'This notification was already sent.',
  ),
  notification_read_ck: invalid(
    'NOTIFICATION_READ_BEFORE_CREATED',
    'Thời điểm đọc không thể trước thời điểm tạo thông báo.',
    'A notification cannot be read before it was created.',
  ),
};

/** Constraint names the catalogue knows (tests compare it with the database). */
export function knownConstraints(): string[] {
  return Object.keys(RULES);
}

/**
 * Adds the rules of a feature's own migration (e.g. sign-in tables) to the catalogue. Call at module load
 * of the feature's db code; registering a constraint again with another code is an error.
 */
export function registerDbRules(rules: Record<string, DbRule | ForeignKeyRule>): void {
  for (const [name, rule] of Object.entries(rules)) {
    const existing = RULES[name];
    if (existing && existing.code !== rule.code) {
      throw new Error(`constraint ${name} is already mapped to ${existing.code}`);
    }
    RULES[name] = rule;
  }
}

const BY_SQLSTATE: Record<string, Rule> = {
  '23505': conflict('UNIQUE_VIOLATION', 'Dữ liệu đã tồn tại.', 'The record already exists.'),
  '23503': invalid(
    'REFERENCE_MISSING',
    'Dữ liệu được tham chiếu không tồn tại.',
    'A referenced record does not exist.',
  ),
  '23514': invalid('CHECK_VIOLATION', 'Dữ liệu không hợp lệ.', 'The data is invalid.'),
  '23P01': invalid(
    'EXCLUSION_VIOLATION',
    'Dữ liệu bị trùng lặp về thời gian.',
    'The record overlaps another.',
  ),
  '23502': invalid('VALUE_REQUIRED', 'Thiếu giá trị bắt buộc.', 'A required value is missing.'),
  '22P02': invalid('INVALID_INPUT', 'Giá trị không đúng định dạng.', 'A value has the wrong format.'),
  '22007': invalid('INVALID_DATE', 'Ngày giờ không hợp lệ.', 'The date or time is invalid.'),
  '22008': invalid('INVALID_DATE', 'Ngày giờ không hợp lệ.', 'The date or time is invalid.'),
  '22001': invalid('VALUE_TOO_LONG', 'Giá trị quá dài.', 'A value is too long.'),
  '40001': conflict(
    'CONCURRENT_UPDATE',
    'Dữ liệu vừa được người khác thay đổi; hãy thử lại.',
    'Concurrent change; retry.',
  ),
  '40P01': conflict(
    'CONCURRENT_UPDATE',
    'Dữ liệu vừa được người khác thay đổi; hãy thử lại.',
    'Concurrent change; retry.',
  ),
};

interface PgErrorLike {
  code: string;
  constraint?: string;
  column?: string;
  message: string;
}

function asPgError(e: unknown): PgErrorLike | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const o = cur as Record<string, unknown>;
    if (typeof o.code === 'string' && /^[0-9A-Z]{5}$/.test(o.code) && typeof o.message === 'string') {
      return o as unknown as PgErrorLike;
    }
    cur = o.cause;
  }
  return undefined;
}

/**
 * Maps a PostgreSQL error to a DbRuleError by constraint name, else by SQLSTATE class; undefined when
 * the error is not a data-rule rejection (connection loss, syntax errors: those stay 500s).
 */
export function translateDbError(e: unknown): DbRuleError | undefined {
  if (e instanceof DbRuleError) return e;
  const pg = asPgError(e);
  if (!pg) return undefined;
  const known: Rule | ForeignKeyRule | undefined = pg.constraint ? RULES[pg.constraint] : undefined;
  let rule: Rule | undefined = known;
  if (pg.code === '23503') {
    const deleting = /^update or delete on table/.test(pg.message);
    if (known && 'inUse' in known && deleting) rule = (known as ForeignKeyRule).inUse;
    else if (!known && deleting)
      rule = conflict('RECORD_IN_USE', 'Dữ liệu đang được sử dụng.', 'The record is still referred to.');
  }
  rule ??= BY_SQLSTATE[pg.code];
  if (!rule) return undefined;
  const column = pg.code === '23502' && pg.column ? ` (${pg.column})` : '';
  return new DbRuleError({
    code: rule.code,
    status: rule.status,
    messageVi: rule.vi + column,
    messageEn: rule.en + column,
    constraint: pg.constraint,
    sqlState: pg.code,
    cause: e,
  });
}

/** Runs `fn`, rethrowing data-rule rejections as DbRuleError. */
export async function withDbRules<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translateDbError(e) ?? e;
  }
}

// ---- the database unreachable (issue 9 point 2) ----

/** SQLSTATEs of a lost or refused connection: class 08 (connection exception), 57P01 terminated by an
 *  administrator (a fast shutdown), 57P02 crash shutdown, 57P03 cannot connect now (starting or shutting
 *  down), 53300 too many connections. */
const CONNECTION_SQLSTATES = /^(08...|57P0[123]|53300)$/;
/** Socket errors of node:net while connecting or talking to the server. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Messages of node-postgres (pg, pg-pool) for a connection that ended, timed out or never came. */
const CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection terminated due to connection timeout)/;

/**
 * True when `e` (or an error in its cause chain, or one of an AggregateError's errors) says PostgreSQL could not
 * be reached or dropped the connection — a restart, a failover, a full pool past its connect timeout — as opposed
 * to a rejection of the data. The API answers these 503 DEPENDENCY_UNAVAILABLE with Retry-After (api/errors.ts).
 */
export function isDbConnectionError(e: unknown): boolean {
  const seen = new Set<unknown>();
  // A socket error counts only as thrown (node-postgres passes the connect error through) or inside the
  // AggregateError of a multi-address connect — not as the cause of another error: `fetch failed` with an
  // ECONNREFUSED cause is some other service down, not PostgreSQL.
  const walk = (cur: unknown, depth: number, socketLevel: boolean): boolean => {
    if (!cur || typeof cur !== 'object' || depth > 6 || seen.has(cur)) return false;
    seen.add(cur);
    const o = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof o.code === 'string' && CONNECTION_SQLSTATES.test(o.code)) return true;
    if (socketLevel && typeof o.code === 'string' && CONNECTION_ERRNOS.has(o.code)) return true;
    if (typeof o.message === 'string' && CONNECTION_MESSAGES.test(o.message)) return true;
    if (Array.isArray(o.errors) && o.errors.some((x) => walk(x, depth + 1, socketLevel))) return true;
    return walk(o.cause, depth + 1, false);
  };
  return walk(e, 0, true);
}
