// The encrypted backup file (scripts/backup/crypto.ts): round trip, and every way it must refuse — a wrong key,
// a header or ciphertext altered, a truncated file, something that is not a backup, no key at all.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BackupAuthenticationError,
  BackupFormatError,
  BackupKeyError,
  BackupNoKeyError,
  backupKey,
  HEADER_LENGTH,
  parseBackupKey,
  readEncrypted,
  TAG_AT,
  verifyEncrypted,
  writeEncrypted,
} from './crypto.ts';

const dir = await mkdtemp(join(tmpdir(), 'woms-backup-crypto-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const plain = Buffer.concat([
  Buffer.from('WOMS-DUMP 1\n{"tables":[]}\nTABLE person\nNguyễn Văn An\tsở tài chính\n\\.\nEND\n'),
  Buffer.from(randomBytes(150_000).toString('hex')),
]);
const key = randomBytes(32);

async function readAll(file: string, k: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readEncrypted(file, k, async (s) => {
    for await (const c of s) parts.push(c);
  });
  return Buffer.concat(parts);
}

const setByte = (at: number, f: (v: number) => number) => (b: Buffer) => {
  b[at] = f(b[at]!);
  return b;
};

async function variant(name: string, edit: (b: Buffer) => Buffer): Promise<string> {
  const f = join(dir, name);
  await writeFile(f, edit(Buffer.from(await readFile(join(dir, 'good.enc')))));
  return f;
}

describe('encrypted backup file', () => {
  it('round-trips the dump, encrypted (no plaintext in the file), mode 0600, no partial file left', async () => {
    const file = join(dir, 'good.enc');
    const size = await writeEncrypted(
      Readable.from([plain.subarray(0, 1000), plain.subarray(1000)]),
      file,
      key,
    );
    const bytes = await readFile(file);
    expect(bytes.length).toBe(size);
    expect(bytes.subarray(0, 9).toString('latin1')).toBe('WOMSBKUP\x01');
    expect(bytes.includes(Buffer.from('WOMS-DUMP'))).toBe(false);
    expect(bytes.includes(Buffer.from('Nguyễn'))).toBe(false);
    expect(bytes.subarray(TAG_AT, HEADER_LENGTH).equals(Buffer.alloc(16))).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(stat(`${file}.partial`)).rejects.toThrow(/ENOENT/);
    expect((await verifyEncrypted(file, key)).bytes).toBeGreaterThan(0);
    expect((await readAll(file, key)).equals(plain)).toBe(true);
  });

  it('refuses a wrong key before reading anything, naming it', async () => {
    const file = join(dir, 'good.enc');
    await expect(verifyEncrypted(file, randomBytes(32))).rejects.toBeInstanceOf(BackupKeyError);
    await expect(readAll(file, randomBytes(32))).rejects.toThrow(/the key does not open/);
  });

  it('fails authentication when a ciphertext bit, the IV or the tag is altered, or the file is cut short', async () => {
    const flip = (at: (b: Buffer) => number) => (b: Buffer) => {
      const i = at(b);
      b[i] = b[i]! ^ 0x80;
      return b;
    };
    const files = [
      await variant(
        'body.enc',
        flip((b) => b.length - 50),
      ),
      await variant(
        'iv.enc',
        flip(() => 30),
      ),
      await variant(
        'tag.enc',
        flip(() => TAG_AT + 3),
      ),
      await variant('short.enc', (b) => b.subarray(0, b.length - 1)),
    ];
    for (const f of files) {
      await expect(verifyEncrypted(f, key), f).rejects.toBeInstanceOf(BackupAuthenticationError);
      await expect(readAll(f, key), f).rejects.toThrow(/failed authentication|incorrect header|invalid/);
    }
  });

  it('tells a salt or key-check change (the key no longer opens it) and a file that is no backup', async () => {
    await expect(
      verifyEncrypted(
        await variant(
          'salt.enc',
          setByte(12, (v) => v ^ 1),
        ),
        key,
      ),
    ).rejects.toBeInstanceOf(BackupKeyError);
    await expect(
      verifyEncrypted(await variant('junk.enc', () => Buffer.from('PGDMP plain dump')), key),
    ).rejects.toBeInstanceOf(BackupFormatError);
    await expect(
      verifyEncrypted(
        await variant(
          'v2.enc',
          setByte(8, () => 2),
        ),
        key,
      ),
    ).rejects.toThrow(/format 2/);
  });

  it('takes BACKUP_KEY, else the local secret key file, and never writes without a key', async () => {
    const b64 = key.toString('base64');
    expect((await backupKey({ BACKUP_KEY: b64 }, dir)).key.equals(key)).toBe(true);
    expect(parseBackupKey(key.toString('base64url'), 'x').equals(key)).toBe(true);
    expect(parseBackupKey(key.toString('hex'), 'x').equals(key)).toBe(true);
    expect(() => parseBackupKey('c2hvcnQ=', 'BACKUP_KEY')).toThrow(BackupNoKeyError);
    await expect(backupKey({}, dir)).rejects.toThrow(/no backup key/);
    await writeFile(join(dir, 'auth-secret.key'), `${key.toString('base64url')}\n`);
    const local = await backupKey({}, dir);
    expect(local.key.equals(key)).toBe(true);
    expect(local.from).toContain('auth-secret.key');
  });
});
