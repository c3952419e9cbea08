// TOTP secrets at rest: sealed under AUTH_SECRET_KEY, bound to their account, legacy values sealed on use.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cookieFrom, createTestPerson, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';
import { isSealed, openSecret, parseSecretKey, sealSecret } from './secret-box.ts';
import { totpCode } from './totp.ts';

const { db } = await freshDatabase();
const key = randomBytes(32);
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  auth: { secretKey: key },
});
const PASSWORD = 'mật-khẩu-đủ-dài-2026';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const storedSecret = async (personId: string) =>
  await db
    .selectFrom('account')
    .select(['totp_secret', 'totp_pending_secret'])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();

describe('secret box', () => {
  it('seals and opens for the same account only, and refuses a wrong key', () => {
    const sealed = sealSecret(SECRET, 'person-a', key);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(SECRET);
    expect(sealSecret(SECRET, 'person-a', key)).not.toBe(sealed); // a fresh IV each time
    expect(openSecret(sealed, 'person-a', key)).toBe(SECRET);
    expect(() => openSecret(sealed, 'person-b', key)).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
    expect(() => openSecret(sealed, 'person-a', randomBytes(32))).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
    expect(() => openSecret(sealed, 'person-a', undefined)).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
    // without a key nothing is sealed; an unsealed value reads as it is
    expect(sealSecret(SECRET, 'person-a', undefined)).toBe(SECRET);
    expect(openSecret(SECRET, 'person-a', key)).toBe(SECRET);
  });

  it('parses a 32-byte key as base64, base64url or hex and refuses anything else', () => {
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64url'))).toEqual(key);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(() => parseSecretKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('stores an enrolled TOTP secret sealed, and the second factor still passes with it', async () => {
    const id = await createTestPerson(db, {
      email: 'seal-new@test.woms.vn',
      password: PASSWORD,
      roles: ['administrator'],
    });
    const res = await app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'seal-new@test.woms.vn', password: PASSWORD }),
    });
    const body = (await res.json()) as { csrfToken: string };
    const headers = {
      cookie: cookieFrom(res)!,
      'x-csrf-token': body.csrfToken,
      'content-type': 'application/json',
    };
    const enrol = await app.request('/api/auth/totp/enrol', { method: 'POST', headers });
    const { secret } = (await enrol.json()) as { secret: string };
    const pending = await storedSecret(id);
    expect(isSealed(pending.totp_pending_secret!)).toBe(true);
    expect(pending.totp_pending_secret).not.toContain(secret);
    const confirm = await app.request('/api/auth/totp/confirm', {
      method: 'POST',
      headers,
      body: JSON.stringify({ code: totpCode(secret, new Date()) }),
    });
    expect(confirm.status).toBe(200);
    const after = await storedSecret(id);
    expect(isSealed(after.totp_secret!)).toBe(true);
    expect(openSecret(after.totp_secret!, id, key)).toBe(secret);
    await expect(
      signIn(app, 'seal-new@test.woms.vn', PASSWORD, { totpSecret: secret }),
    ).resolves.toBeDefined();
  });

  it('seals a secret stored before the key existed on its first use', async () => {
    const id = await createTestPerson(db, {
      email: 'seal-legacy@test.woms.vn',
      password: PASSWORD,
      roles: ['administrator'],
      totpSecret: SECRET,
    });
    expect((await storedSecret(id)).totp_secret).toBe(SECRET);
    await signIn(app, 'seal-legacy@test.woms.vn', PASSWORD, { totpSecret: SECRET });
    const after = (await storedSecret(id)).totp_secret!;
    expect(isSealed(after)).toBe(true);
    expect(openSecret(after, id, key)).toBe(SECRET);
    // and it keeps working sealed
    await expect(
      signIn(app, 'seal-legacy@test.woms.vn', PASSWORD, { totpSecret: SECRET }),
    ).resolves.toBeDefined();
  });
});
