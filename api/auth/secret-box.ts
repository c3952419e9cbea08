// Secrets kept at rest (TOTP seeds): sealed with AES-256-GCM under the deployment's AUTH_SECRET_KEY, bound to
// the account they belong to (the person id is the additional authenticated data, so a sealed value copied
// onto another account does not open). Node's crypto does the cryptography; this module only frames it:
// 'v1:' + base64url(iv 12 bytes | tag 16 bytes | ciphertext). A value without the prefix is a secret stored
// before sealing existed (or with no key configured) and is read as it is.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApiProblem } from '../problem.ts';

const PREFIX = 'v1:';

/** Parses AUTH_SECRET_KEY: 32 bytes as base64, base64url or hex. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64url');
  if (key.length !== 32)
    throw new Error(
      'AUTH_SECRET_KEY must be 32 bytes, written as base64 or hex (e.g. `openssl rand -base64 32`)',
    );
  return key;
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/** Seals `secret` for `personId`; without a key the secret is returned as it is. */
export function sealSecret(secret: string, personId: string, key: Buffer | undefined): string {
  if (!key) return secret;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(personId, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export const secretUnreadable = () =>
  new ApiProblem({
    status: 500,
    code: 'SECRET_UNREADABLE',
    vi: 'Không đọc được khóa xác thực đã lưu (khóa bí mật của hệ thống không khớp). Hãy báo quản trị viên.',
    en: 'A stored authentication secret cannot be read (the system secret key does not match). Tell an administrator.',
  });

/** Opens a value written by sealSecret (or an unsealed legacy value). */
export function openSecret(stored: string, personId: string, key: Buffer | undefined): string {
  if (!isSealed(stored)) return stored;
  if (!key) throw secretUnreadable();
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(personId, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw secretUnreadable();
  }
}
