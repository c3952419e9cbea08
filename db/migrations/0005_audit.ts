import { type Kysely, sql } from 'kysely';

// The audit log (DESIGN §5): append-only, hash-chained per aggregate, with chain heads (the lock rows
// appends serialise on) and a daily anchor over all chain heads.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT audit_log_pk PRIMARY KEY,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      seq integer NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      at timestamptz NOT NULL,
      before jsonb,
      after jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      CONSTRAINT audit_log_seq_uq UNIQUE (aggregate_type, aggregate_id, seq),
      CONSTRAINT audit_log_seq_ck CHECK (seq >= 1),
      CONSTRAINT audit_log_hash_ck CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$')
    )`.execute(db);
  await sql`
    CREATE TABLE audit_chain_head (
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      seq integer NOT NULL,
      hash text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT audit_chain_head_pk PRIMARY KEY (aggregate_type, aggregate_id),
      CONSTRAINT audit_chain_head_seq_ck CHECK (seq >= 0)
    )`.execute(db);
  await sql`
    CREATE TABLE audit_anchor (
      day date CONSTRAINT audit_anchor_pk PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      head_count integer NOT NULL,
      heads jsonb NOT NULL,
      prev_anchor_hash text NOT NULL,
      anchor_hash text NOT NULL,
      CONSTRAINT audit_anchor_hash_ck CHECK (anchor_hash ~ '^[0-9a-f]{64}$')
    )`.execute(db);

  await sql`
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only', TABLE = TG_TABLE_NAME;
    END $$`.execute(db);
  for (const table of ['audit_log', 'audit_anchor']) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_append_only_trg`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_no_truncate_trg`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit_anchor`.execute(db);
  await sql`DROP TABLE audit_chain_head`.execute(db);
  await sql`DROP TABLE audit_log`.execute(db);
  await sql`DROP FUNCTION audit_append_only()`.execute(db);
}
