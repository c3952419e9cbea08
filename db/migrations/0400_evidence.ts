import { type Kysely, sql } from 'kysely';

// Evidence files (DESIGN §5): kept in PostgreSQL so that one backup holds everything. A file belongs to a
// unit (the scope that may read it), was uploaded by a person and is attached to a subject (a check-in, a
// key-result value, a late-cause record …, named by type and id). Its type is the one sniffed from its
// content (domain/evidence); the declared MIME type is kept as sent. The database bounds the size (a hard
// ceiling; the configured limit is lower) and checks that the stored sha256 is the digest of the stored
// bytes. The same bytes are stored once per subject (unique subject + sha256).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE evidence_file (
      id uuid CONSTRAINT evidence_file_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      unit_id uuid NOT NULL CONSTRAINT evidence_file_unit_fk REFERENCES org_unit (id),
      uploaded_by uuid NOT NULL CONSTRAINT evidence_file_uploader_fk REFERENCES person (id),
      subject_type text NOT NULL,
      subject_id text NOT NULL,
      file_name text NOT NULL,
      declared_type text,
      sniffed_type text NOT NULL,
      size_bytes integer NOT NULL,
      sha256 text NOT NULL,
      bytes bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT evidence_file_subject_ck
        CHECK (subject_type ~ '^[a-z][a-z_]{0,62}$' AND length(subject_id) BETWEEN 1 AND 200),
      CONSTRAINT evidence_file_name_ck
        CHECK (length(btrim(file_name)) BETWEEN 1 AND 255 AND file_name !~ '[\\x01-\\x1f\\x7f/\\\\]'),
      CONSTRAINT evidence_file_type_ck
        CHECK (sniffed_type ~ '^[a-z]+/[a-z0-9.+-]+$' AND (declared_type IS NULL OR length(declared_type) <= 255)),
      CONSTRAINT evidence_file_size_ck
        CHECK (size_bytes > 0 AND size_bytes <= 52428800 AND size_bytes = octet_length(bytes)),
      CONSTRAINT evidence_file_sha256_ck
        CHECK (sha256 ~ '^[0-9a-f]{64}$' AND sha256 = encode(sha256(bytes), 'hex')),
      CONSTRAINT evidence_file_subject_sha256_uq UNIQUE (subject_type, subject_id, sha256)
    )`.execute(db);
  await sql`CREATE INDEX evidence_file_unit_ix ON evidence_file (unit_id, created_at)`.execute(db);
  await sql`CREATE INDEX evidence_file_uploader_ix ON evidence_file (uploaded_by)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE evidence_file`.execute(db);
}
