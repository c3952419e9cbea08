import { hash, verify } from '@node-rs/argon2';
import { passwordPolicy } from './problems.ts';

// argon2id (the library default) with the OWASP baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against the stored hash; without one (unknown account) verifies against a dummy hash so the
 * answer takes as long either way.
 */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('woms-dummy-password-for-timing');
    await verify(await dummyHash, password.normalize('NFC')).catch(() => false);
    return false;
  }
  return verify(storedHash, password.normalize('NFC')).catch(() => false);
}

/** Throws a problem with a stable code when the new password breaks the policy. */
export function checkPasswordPolicy(password: string, email: string): void {
  const p = password.normalize('NFC');
  const length = [...p].length;
  if (length < MIN_PASSWORD_LENGTH)
    throw passwordPolicy(
      'PASSWORD_TOO_SHORT',
      `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`,
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  if (length > MAX_PASSWORD_LENGTH)
    throw passwordPolicy(
      'PASSWORD_TOO_LONG',
      `Mật khẩu không được dài quá ${MAX_PASSWORD_LENGTH} ký tự.`,
      `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`,
    );
  if (p.trim().toLowerCase() === email.trim().toLowerCase())
    throw passwordPolicy(
      'PASSWORD_EQUALS_EMAIL',
      'Mật khẩu không được trùng với địa chỉ thư điện tử.',
      'The password must not equal the e-mail address.',
    );
  if (/\p{Cc}/u.test(p))
    throw passwordPolicy(
      'PASSWORD_INVALID_CHARACTERS',
      'Mật khẩu không được chứa ký tự điều khiển.',
      'The password must not contain control characters.',
    );
}
