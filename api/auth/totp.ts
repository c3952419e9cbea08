import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { sha256Hex } from './tokens.ts';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export function totpFor(secretBase32: string, label = 'WOMS', issuer = 'WOMS'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The time step the code belongs to (±1 step of `now`), or null when it matches none. */
export function verifyTotp(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD) + delta;
}

/** The code for `at` (tests, demo banner). */
export const totpCode = (secretBase32: string, at: Date = new Date()): string =>
  totpFor(secretBase32).generate({ timestamp: at.getTime() });

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz023456789'; // 32 symbols: no modulo bias

/** 10 codes like `k7mq-x2pa-9rtw` (60 bits each); shown once, stored as sha256. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export const normaliseRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');
export const hashRecoveryCode = (code: string): string => sha256Hex(normaliseRecoveryCode(code));
