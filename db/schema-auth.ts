// Table types of the sign-in migration (0100_auth), added to DB by module augmentation so db/schema.ts
// stays with its owner. Import this module (type-only is enough) wherever these tables are queried.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from './schema.ts';

export type SessionMethod = 'password' | 'oidc';

export interface AccountTable {
  person_id: string;
  /** argon2id PHC string; null for an account that signs in only by SSO. */
  password_hash: string | null;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  password_changed_at: Timestamp | null;
  /** Confirmed TOTP secret (base32). */
  totp_secret: string | null;
  /** A secret being enrolled, not yet confirmed by a code. */
  totp_pending_secret: string | null;
  /** Last accepted TOTP time step (BIGINT as string): a code is never accepted twice. */
  totp_last_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface AuthSessionTable {
  id: ColumnType<string, string | undefined, never>;
  /** sha256 (hex) of the cookie token; the token itself is never stored. */
  token_hash: string;
  person_id: string;
  csrf_token: string;
  method: SessionMethod;
  second_factor_required: boolean;
  second_factor_done: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  client_ip: string | null;
  user_agent: string | null;
}

export interface AuthThrottleTable {
  key: string;
  failures: number;
  window_start: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuthRecoveryCodeTable {
  id: ColumnType<string, string | undefined, never>;
  person_id: string;
  code_hash: string;
  created_at: GeneratedTimestamp;
  used_at: Timestamp | null;
}

export interface OidcIdentityTable {
  issuer: string;
  subject: string;
  person_id: string;
  created_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    account: AccountTable;
    auth_session: AuthSessionTable;
    auth_throttle: AuthThrottleTable;
    auth_recovery_code: AuthRecoveryCodeTable;
    oidc_identity: OidcIdentityTable;
  }
}

export type Account = Selectable<AccountTable>;
export type AuthSession = Selectable<AuthSessionTable>;
