import { type Kysely, sql } from 'kysely';

// Roles with an org scope (DESIGN §1) and approval chains per unit type and subject.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE role (
      code text CONSTRAINT role_pk PRIMARY KEY,
      name_vi text NOT NULL,
      name_en text NOT NULL,
      read_only boolean NOT NULL DEFAULT false
    )`.execute(db);
  await sql`
    INSERT INTO role (code, name_vi, name_en, read_only) VALUES
      ('official', 'Cán bộ, công chức, viên chức', 'Official', false),
      ('supervisor', 'Trưởng phòng (người quản lý trực tiếp)', 'Supervisor', false),
      ('unit_head', 'Thủ trưởng, người đứng đầu đơn vị', 'Unit head', false),
      ('secretariat', 'Văn phòng Tỉnh ủy, cơ quan tham mưu', 'Secretariat', false),
      ('standing_committee', 'Ban Thường vụ, Thường trực', 'Standing committee', false),
      ('organisation_department', 'Ban Tổ chức', 'Organisation department', false),
      ('administrator', 'Quản trị hệ thống', 'Administrator', false),
      ('auditor', 'Kiểm tra, giám sát', 'Auditor', true)`.execute(db);

  await sql`
    CREATE TABLE role_assignment (
      id uuid CONSTRAINT role_assignment_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT role_assignment_person_fk REFERENCES person (id),
      role_code text NOT NULL CONSTRAINT role_assignment_role_fk REFERENCES role (code),
      scope_unit_id uuid NOT NULL CONSTRAINT role_assignment_scope_fk REFERENCES org_unit (id),
      valid_from date NOT NULL,
      valid_to date,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT role_assignment_period_ck CHECK (valid_to IS NULL OR valid_to >= valid_from),
      CONSTRAINT role_assignment_no_overlap_ex EXCLUDE USING gist (
        person_id WITH =, role_code WITH =, scope_unit_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&
      )
    )`.execute(db);
  await sql`CREATE INDEX role_assignment_scope_ix ON role_assignment (scope_unit_id, role_code)`.execute(db);

  await sql`
    CREATE TABLE approval_chain (
      id uuid CONSTRAINT approval_chain_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      province_id uuid NOT NULL CONSTRAINT approval_chain_province_fk REFERENCES org_unit (id),
      unit_type_code text NOT NULL CONSTRAINT approval_chain_unit_type_fk REFERENCES org_unit_type (code),
      subject text NOT NULL,
      CONSTRAINT approval_chain_subject_ck CHECK (subject IN ('plan', 'amendment', 'period_reopen', 'delegation', 'evaluation')),
      CONSTRAINT approval_chain_uq UNIQUE (province_id, unit_type_code, subject)
    )`.execute(db);
  await sql`
    CREATE TABLE approval_chain_step (
      chain_id uuid NOT NULL CONSTRAINT approval_chain_step_chain_fk REFERENCES approval_chain (id) ON DELETE CASCADE,
      step_no smallint NOT NULL,
      role_code text NOT NULL CONSTRAINT approval_chain_step_role_fk REFERENCES role (code),
      scope text NOT NULL,
      CONSTRAINT approval_chain_step_pk PRIMARY KEY (chain_id, step_no),
      CONSTRAINT approval_chain_step_no_ck CHECK (step_no >= 1),
      CONSTRAINT approval_chain_step_scope_ck CHECK (scope IN ('unit', 'parent', 'province')),
      CONSTRAINT approval_chain_step_role_ck CHECK (role_code NOT IN ('official', 'auditor', 'administrator'))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE approval_chain_step`.execute(db);
  await sql`DROP TABLE approval_chain`.execute(db);
  await sql`DROP TABLE role_assignment`.execute(db);
  await sql`DROP TABLE role`.execute(db);
}
