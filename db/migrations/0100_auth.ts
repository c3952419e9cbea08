import { type Kysely, sql } from 'kysely';

// Sign-in (issue 4): one account per person, sessions (token stored hashed), sign-in throttling,
// TOTP recovery codes and links from OpenID Connect identities to people.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE account (
      person_id uuid CONSTRAINT account_pk PRIMARY KEY CONSTRAINT account_person_fk REFERENCES person (id),
      password_hash text,
      must_change_password boolean NOT NULL DEFAULT false,
      password_changed_at timestamptz,
      totp_secret text,
      totp_pending_secret text,
      totp_last_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT account_password_hash_ck CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%')
    )`.execute(db);

  await sql`
    CREATE TABLE auth_session (
      id uuid CONSTRAINT auth_session_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash text NOT NULL,
      person_id uuid NOT NULL CONSTRAINT auth_session_account_fk REFERENCES account (person_id),
      csrf_token text NOT NULL,
      method text NOT NULL,
      second_factor_required boolean NOT NULL,
      second_factor_done boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_reason text,
      client_ip text,
      user_agent text,
      CONSTRAINT auth_session_token_uq UNIQUE (token_hash),
      CONSTRAINT auth_session_token_ck CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      CONSTRAINT auth_session_method_ck CHECK (method IN ('password', 'oidc'))
    )`.execute(db);
  await sql`CREATE INDEX auth_session_person_ix ON auth_session (person_id) WHERE revoked_at IS NULL`.execute(
    db,
  );

  // Failures per key ('login:<e-mail>' or 'ip:<address>'), counted in a window; a key may be locked.
  await sql`
    CREATE TABLE auth_throttle (
      key text CONSTRAINT auth_throttle_pk PRIMARY KEY,
      failures integer NOT NULL,
      window_start timestamptz NOT NULL,
      locked_until timestamptz,
      CONSTRAINT auth_throttle_failures_ck CHECK (failures >= 0)
    )`.execute(db);

  await sql`
    CREATE TABLE auth_recovery_code (
      id uuid CONSTRAINT auth_recovery_code_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT auth_recovery_code_account_fk REFERENCES account (person_id),
      code_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz,
      CONSTRAINT auth_recovery_code_uq UNIQUE (person_id, code_hash)
    )`.execute(db);

  await sql`
    CREATE TABLE oidc_identity (
      issuer text NOT NULL,
      subject text NOT NULL,
      person_id uuid NOT NULL CONSTRAINT oidc_identity_person_fk REFERENCES person (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT oidc_identity_pk PRIMARY KEY (issuer, subject)
    )`.execute(db);
  await sql`CREATE INDEX oidc_identity_person_ix ON oidc_identity (person_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE oidc_identity`.execute(db);
  await sql`DROP TABLE auth_recovery_code`.execute(db);
  await sql`DROP TABLE auth_throttle`.execute(db);
  await sql`DROP TABLE auth_session`.execute(db);
  await sql`DROP TABLE account`.execute(db);
}
