import { randomBytes } from 'node:crypto';
import { parseSecretKey } from './secret-box.ts';

/** OpenID Connect relying-party settings (one provider per deployment). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Must equal the redirect URI registered at the provider (…/api/auth/oidc/callback). */
  redirectUri: string;
  scope?: string;
  /** Where the browser goes after a successful SSO sign-in. Default '/'. */
  afterSignInUrl?: string;
  /** Allows an http:// issuer (local development and tests only). */
  allowInsecureHttp?: boolean;
}

export interface AuthConfig {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Failures per account (login) before a lockout, counted in failureWindowMs. */
  maxFailures: number;
  /** Failures per client IP before further attempts are throttled (429). */
  maxFailuresPerIp: number;
  failureWindowMs: number;
  lockoutMs: number;
  /** Force the Secure cookie flag; otherwise set when the request arrives over TLS. */
  secureCookies: boolean;
  /** Trust X-Forwarded-Proto / X-Forwarded-For (only behind a reverse proxy that sets them). */
  trustProxy: boolean;
  /** Origins allowed on state-changing requests besides the API's own origin. */
  allowedOrigins: string[];
  /** Key for signing the short-lived OIDC cookie; a random per-process key when absent. */
  cookieSecret: string;
  /** Reject a TOTP code whose time step was already used (default true). */
  totpReplayProtection: boolean;
  totpIssuer: string;
  /** AES-256 key sealing TOTP secrets at rest (api/auth/secret-box.ts); without one they are stored as they are. */
  secretKey?: Buffer;
  oidc?: OidcConfig;
}

export const AUTH_DEFAULTS: Omit<AuthConfig, 'cookieSecret'> = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 60 * 60_000,
  maxFailures: 5,
  maxFailuresPerIp: 50,
  failureWindowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
  secureCookies: false,
  trustProxy: false,
  allowedOrigins: [],
  totpReplayProtection: true,
  totpIssuer: 'WOMS',
};

export function resolveAuthConfig(partial: Partial<AuthConfig> = {}): AuthConfig {
  return { ...AUTH_DEFAULTS, cookieSecret: randomBytes(32).toString('base64url'), ...partial };
}

/** Auth settings from the environment (README lists the variables). */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<AuthConfig> {
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const out: Partial<AuthConfig> = {};
  const idle = num(env.AUTH_IDLE_MINUTES);
  if (idle) out.idleTimeoutMs = idle * 60_000;
  const abs = num(env.AUTH_ABSOLUTE_HOURS);
  if (abs) out.absoluteTimeoutMs = abs * 3_600_000;
  const maxFailures = num(env.AUTH_MAX_FAILURES);
  if (maxFailures) out.maxFailures = maxFailures;
  const lockout = num(env.AUTH_LOCKOUT_MINUTES);
  if (lockout) out.lockoutMs = lockout * 60_000;
  if (env.AUTH_SECURE_COOKIES) out.secureCookies = env.AUTH_SECURE_COOKIES === 'true';
  if (env.AUTH_TRUST_PROXY) out.trustProxy = env.AUTH_TRUST_PROXY === 'true';
  if (env.AUTH_ALLOWED_ORIGINS) out.allowedOrigins = env.AUTH_ALLOWED_ORIGINS.split(',').map((s) => s.trim());
  if (env.AUTH_COOKIE_SECRET) out.cookieSecret = env.AUTH_COOKIE_SECRET;
  if (env.AUTH_SECRET_KEY) out.secretKey = parseSecretKey(env.AUTH_SECRET_KEY);
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET && env.OIDC_REDIRECT_URI) {
    out.oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      redirectUri: env.OIDC_REDIRECT_URI,
      ...(env.OIDC_SCOPE ? { scope: env.OIDC_SCOPE } : {}),
      ...(env.OIDC_AFTER_SIGN_IN_URL ? { afterSignInUrl: env.OIDC_AFTER_SIGN_IN_URL } : {}),
    };
  }
  return out;
}
