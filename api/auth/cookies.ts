import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuthConfig } from './config.ts';

export const SESSION_COOKIE = 'woms_session';
export const OIDC_COOKIE = 'woms_oidc';
export const OIDC_COOKIE_PATH = '/api/auth/oidc';

/** TLS as seen by the API, or by the reverse proxy in front when it is trusted. */
export function isSecureRequest(c: Context, config: AuthConfig): boolean {
  if (config.secureCookies) return true;
  if (config.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

export const readSessionToken = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE) || undefined;

export function setSessionCookie(c: Context, config: AuthConfig, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c, config),
    path: '/',
  });
}

export function clearSessionCookie(c: Context, config: AuthConfig): void {
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c, config),
    path: '/',
  });
}

export function setOidcCookie(c: Context, config: AuthConfig, value: string, maxAgeSeconds: number): void {
  setCookie(c, OIDC_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c, config),
    path: OIDC_COOKIE_PATH,
    maxAge: maxAgeSeconds,
  });
}

export const readOidcCookie = (c: Context): string | undefined => getCookie(c, OIDC_COOKIE) || undefined;

export function clearOidcCookie(c: Context, config: AuthConfig): void {
  deleteCookie(c, OIDC_COOKIE, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c, config),
    path: OIDC_COOKIE_PATH,
  });
}

/** The client address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(c: Context, config: AuthConfig): string {
  if (config.trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
