import { type Kysely, sql } from 'kysely';

// Administration catalogues (DESIGN §2, §4): the metric library of measurable key-result templates per
// province, and the versioned catalogue of conversion coefficients per job position (a new version
// supersedes the previous one, which stays for history).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE metric_template (
      id uuid CONSTRAINT metric_template_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      province_id uuid NOT NULL CONSTRAINT metric_template_province_fk REFERENCES org_unit (id),
      code text NOT NULL,
      title_vi text NOT NULL,
      title_en text,
      unit text NOT NULL,
      direction text NOT NULL,
      aggregation text NOT NULL,
      perspective text NOT NULL,
      example_source text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT metric_template_code_uq UNIQUE (province_id, code),
      CONSTRAINT metric_template_code_ck CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
      CONSTRAINT metric_template_title_ck CHECK (length(btrim(title_vi)) > 0),
      CONSTRAINT metric_template_direction_ck CHECK (direction IN ('higher', 'lower', 'range', 'milestone', 'zeroTolerance')),
      CONSTRAINT metric_template_aggregation_ck CHECK (aggregation IN ('sum', 'average', 'last', 'min', 'max', 'allDone')),
      CONSTRAINT metric_template_perspective_ck CHECK (perspective IN ('citizens', 'budget', 'processes', 'learning'))
    )`.execute(db);

  await sql`
    CREATE TABLE conversion_catalogue (
      id uuid CONSTRAINT conversion_catalogue_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      unit_id uuid NOT NULL CONSTRAINT conversion_catalogue_unit_fk REFERENCES org_unit (id),
      version integer NOT NULL,
      valid_from date NOT NULL,
      approved_by text NOT NULL,
      approved_on date NOT NULL,
      superseded_by_id uuid CONSTRAINT conversion_catalogue_superseded_fk REFERENCES conversion_catalogue (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT conversion_catalogue_version_uq UNIQUE (unit_id, version),
      CONSTRAINT conversion_catalogue_version_ck CHECK (version >= 1)
    )`.execute(db);
  await sql`
    CREATE TABLE conversion_coefficient (
      catalogue_id uuid NOT NULL CONSTRAINT conversion_coefficient_catalogue_fk REFERENCES conversion_catalogue (id),
      position_code text NOT NULL CONSTRAINT conversion_coefficient_position_fk REFERENCES job_position (code),
      product_code text NOT NULL,
      product_name_vi text NOT NULL,
      product_name_en text,
      coefficient numeric(12, 4) NOT NULL,
      CONSTRAINT conversion_coefficient_pk PRIMARY KEY (catalogue_id, position_code, product_code),
      CONSTRAINT conversion_coefficient_value_ck CHECK (coefficient > 0),
      CONSTRAINT conversion_coefficient_product_ck CHECK (product_code ~ '^[A-Za-z][A-Za-z0-9_]*$')
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE conversion_coefficient`.execute(db);
  await sql`DROP TABLE conversion_catalogue`.execute(db);
  await sql`DROP TABLE metric_template`.execute(db);
}
