import { type Kysely, sql } from 'kysely';

// Org units as a tree under a province (DESIGN §1), with their unit types and active periods
// (mergers after the 2025 reform: merged_into + dates).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);

  await sql`
    CREATE TABLE org_unit_type (
      code text CONSTRAINT org_unit_type_pk PRIMARY KEY,
      name_vi text NOT NULL,
      name_en text NOT NULL,
      is_party boolean NOT NULL DEFAULT false,
      ranking_needs_org_appraisal boolean NOT NULL DEFAULT false,
      CONSTRAINT org_unit_type_code_ck CHECK (code ~ '^[a-z][a-z_]*$')
    )`.execute(db);

  await sql`
    INSERT INTO org_unit_type (code, name_vi, name_en, is_party, ranking_needs_org_appraisal) VALUES
      ('province', 'Tỉnh, thành phố', 'Province', false, false),
      ('agency', 'Cơ quan chuyên môn cấp tỉnh', 'Provincial agency', false, false),
      ('party_body', 'Cơ quan Đảng', 'Party body', true, true),
      ('commune', 'Xã', 'Commune', false, false),
      ('ward', 'Phường', 'Ward', false, false),
      ('department', 'Phòng, đơn vị trực thuộc', 'Department', false, false)`.execute(db);

  await sql`
    CREATE TABLE org_unit (
      id uuid CONSTRAINT org_unit_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      type_code text NOT NULL CONSTRAINT org_unit_type_fk REFERENCES org_unit_type (code),
      province_id uuid NOT NULL,
      parent_id uuid,
      code text NOT NULL,
      name_vi text NOT NULL,
      short_name_vi text,
      name_en text,
      active_from date NOT NULL,
      active_to date,
      merged_into_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT org_unit_id_province_uq UNIQUE (id, province_id),
      CONSTRAINT org_unit_code_uq UNIQUE (province_id, code),
      CONSTRAINT org_unit_province_fk FOREIGN KEY (province_id) REFERENCES org_unit (id),
      CONSTRAINT org_unit_parent_fk FOREIGN KEY (parent_id, province_id) REFERENCES org_unit (id, province_id),
      CONSTRAINT org_unit_merged_into_fk FOREIGN KEY (merged_into_id, province_id) REFERENCES org_unit (id, province_id),
      CONSTRAINT org_unit_code_ck CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
      CONSTRAINT org_unit_name_ck CHECK (length(btrim(name_vi)) > 0),
      CONSTRAINT org_unit_root_ck CHECK ((type_code = 'province') = (parent_id IS NULL)
                                         AND (type_code = 'province') = (id = province_id)),
      CONSTRAINT org_unit_active_period_ck CHECK (active_to IS NULL OR active_to >= active_from),
      CONSTRAINT org_unit_merged_ck CHECK (merged_into_id IS NULL OR (active_to IS NOT NULL AND merged_into_id <> id))
    )`.execute(db);
  await sql`CREATE INDEX org_unit_parent_ix ON org_unit (parent_id)`.execute(db);

  // The tree: a parent is never the unit itself or one of its descendants; province_id names a province.
  await sql`
    CREATE FUNCTION org_unit_tree_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      cur uuid := NEW.parent_id;
      depth int := 0;
    BEGIN
      IF NEW.id <> NEW.province_id
         AND EXISTS (SELECT 1 FROM org_unit WHERE id = NEW.province_id AND type_code <> 'province') THEN
        RAISE EXCEPTION 'org unit % names a province_id that is not a province', NEW.id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'org_unit_province_type_ck', TABLE = 'org_unit';
      END IF;
      WHILE cur IS NOT NULL LOOP
        IF cur = NEW.id OR depth > 64 THEN
          RAISE EXCEPTION 'org unit % would become its own ancestor', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'org_unit_cycle_ck', TABLE = 'org_unit';
        END IF;
        SELECT parent_id INTO cur FROM org_unit WHERE id = cur;
        depth := depth + 1;
      END LOOP;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER org_unit_tree_trg BEFORE INSERT OR UPDATE OF parent_id, province_id, type_code ON org_unit
      FOR EACH ROW EXECUTE FUNCTION org_unit_tree_check()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE org_unit`.execute(db);
  await sql`DROP FUNCTION org_unit_tree_check()`.execute(db);
  await sql`DROP TABLE org_unit_type`.execute(db);
}
