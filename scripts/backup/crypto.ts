// The encrypted backup file (issue 9 point 2): AES-256-GCM over the gzipped dump, streamed, never written in
// the clear. Layout (format version 1):
//
//   offset  size  field
//        0     8  magic "WOMSBKUP"
//        8     1  format version (1)
//        9     1  key derivation (1 = HKDF-SHA256 of the master key with the salt)
//       10    16  salt (random per file)
//       26    12  GCM IV (random per file)
//       38    16  key check: HKDF(master, salt, "woms-backup v1 key check") — tells a wrong key from a damaged file
//       54    16  GCM authentication tag (written last, once the whole stream is encrypted)
//       70     …  ciphertext
//
// Bytes 0–53 are the GCM additional data, so the header cannot be altered without the tag failing. The master
// key is 32 bytes: BACKUP_KEY (base64) or the local secret key file (.data/auth-secret.key, as scripts/secret-key.ts
// keeps it). There is no way to write a backup without a key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

export const MAGIC = Buffer.from('WOMSBKUP', 'ascii');
export const FORMAT_VERSION = 1;
const KDF_HKDF_SHA256 = 1;
const SALT_AT = 10;
const IV_AT = 26;
const CHECK_AT = 38;
export const TAG_AT = 54;
export const HEADER_LENGTH = 70;

/** The key does not open this backup (another key, or a header altered). Nothing was written. */
export class BackupKeyError extends Error {
  override name = 'BackupKeyError';
}
/** The content failed authentication (altered, truncated or damaged). Nothing was written. */
export class BackupAuthenticationError extends Error {
  override name = 'BackupAuthenticationError';
}
/** Not a backup of this format (or none at all). */
export class BackupFormatError extends Error {
  override name = 'BackupFormatError';
}
/** No key to encrypt with: a backup is never written unencrypted. */
export class BackupNoKeyError extends Error {
  override name = 'BackupNoKeyError';
}

/** A 32-byte key from base64, base64url or hex text; throws naming where it came from when it is not one. */
export function parseBackupKey(text: string, from: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex'); // as AUTH_SECRET_KEY accepts
  const key = Buffer.from(t.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t) || key.length !== 32)
    throw new BackupNoKeyError(
      `${from} must be 32 bytes in base64 or hex (e.g. \`openssl rand -base64 32\`)`,
    );
  return key;
}

/** The master key: BACKUP_KEY, else the local secret key file in the data folder (never created here). */
export async function backupKey(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<{ key: Buffer; from: string }> {
  if (env.BACKUP_KEY) return { key: parseBackupKey(env.BACKUP_KEY, 'BACKUP_KEY'), from: 'BACKUP_KEY' };
  const file = join(dataDir, 'auth-secret.key');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new BackupNoKeyError(
      `no backup key: set BACKUP_KEY (32 bytes, base64) or keep the local secret key file ${file}; a backup is never written unencrypted`,
    );
  }
  return { key: parseBackupKey(text, file), from: file };
}

function derive(master: Buffer, salt: Buffer) {
  if (master.length !== 32) throw new BackupNoKeyError('the backup key must be 32 bytes');
  const k = (info: string, n: number) => Buffer.from(hkdfSync('sha256', master, salt, info, n));
  return { key: k('woms-backup v1 aes-256-gcm', 32), check: k('woms-backup v1 key check', 16) };
}

/**
 * Streams `source` (the plain dump) → gzip → AES-256-GCM into `file`, written as `<file>.partial` (mode 0600)
 * and renamed when complete with its tag in the header. Returns the file's size in bytes.
 */
export async function writeEncrypted(source: Readable, file: string, master: Buffer): Promise<number> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = derive(master, salt);
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header[8] = FORMAT_VERSION;
  header[9] = KDF_HKDF_SHA256;
  salt.copy(header, SALT_AT);
  iv.copy(header, IV_AT);
  check.copy(header, CHECK_AT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header.subarray(0, TAG_AT));
  const partial = `${file}.partial`;
  let ok = false;
  try {
    // the header first (its tag still zero), then the ciphertext; the tag goes in once the stream is done
    const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    await pipeline(
      source,
      createGzip({ level: 6 }),
      cipher,
      async function* (encrypted: AsyncIterable<Buffer>) {
        yield header;
        yield* encrypted;
      },
      out,
    );
    const fh = await open(partial, 'r+');
    try {
      await fh.write(cipher.getAuthTag(), 0, 16, TAG_AT);
      await fh.sync();
      const { size } = await fh.stat();
      ok = true;
      return size;
    } finally {
      await fh.close();
    }
  } finally {
    if (ok) await rename(partial, file);
    else await rm(partial, { force: true });
  }
}

interface OpenedBackup {
  key: Buffer;
  iv: Buffer;
  tag: Buffer;
  aad: Buffer;
}

async function openHeader(file: string, master: Buffer): Promise<OpenedBackup> {
  const fh = await open(file, 'r');
  const header = Buffer.alloc(HEADER_LENGTH);
  try {
    const { bytesRead } = await fh.read(header, 0, HEADER_LENGTH, 0);
    if (bytesRead < HEADER_LENGTH || !header.subarray(0, 8).equals(MAGIC))
      throw new BackupFormatError(`${file} is not a WOMS backup (no WOMSBKUP header)`);
  } finally {
    await fh.close();
  }
  if (header[8] !== FORMAT_VERSION || header[9] !== KDF_HKDF_SHA256)
    throw new BackupFormatError(
      `${file} is a backup of format ${header[8]}.${header[9]}; this version reads format ${FORMAT_VERSION}.${KDF_HKDF_SHA256}`,
    );
  const { key, check } = derive(master, header.subarray(SALT_AT, IV_AT));
  if (!timingSafeEqual(check, header.subarray(CHECK_AT, TAG_AT)))
    throw new BackupKeyError(
      `the key does not open ${file} (another BACKUP_KEY or secret key file, or its header was altered); nothing was restored`,
    );
  return {
    key,
    iv: header.subarray(IV_AT, CHECK_AT),
    tag: header.subarray(TAG_AT, HEADER_LENGTH),
    aad: header.subarray(0, TAG_AT),
  };
}

const authFailed = (file: string) =>
  new BackupAuthenticationError(
    `${file} failed authentication: it was altered, truncated or damaged after it was written; nothing was restored`,
  );

const isAuthFailure = (e: unknown) =>
  e instanceof Error && /unable to authenticate|Unsupported state/i.test(e.message);

function decipherOf(o: OpenedBackup) {
  const d = createDecipheriv('aes-256-gcm', o.key, o.iv);
  d.setAAD(o.aad);
  d.setAuthTag(o.tag);
  return d;
}

/** Reads the whole file once and checks its key and tag, keeping nothing. Throws BackupKeyError / BackupAuthenticationError. */
export async function verifyEncrypted(file: string, master: Buffer): Promise<{ bytes: number }> {
  const o = await openHeader(file, master);
  let bytes = 0;
  try {
    await pipeline(
      createReadStream(file, { start: HEADER_LENGTH }),
      decipherOf(o),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          cb();
        },
      }),
    );
  } catch (e) {
    throw isAuthFailure(e) ? authFailed(file) : e;
  }
  return { bytes };
}

/**
 * The plain dump of `file` as a stream (decrypted and gunzipped), handed to `consume`; the tag is checked when
 * the stream ends, so `consume` must treat its work as provisional until this resolves.
 */
export async function readEncrypted(
  file: string,
  master: Buffer,
  consume: (plain: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const o = await openHeader(file, master);
  try {
    await pipeline(
      createReadStream(file, { start: HEADER_LENGTH }),
      decipherOf(o),
      createGunzip(),
      async (plain: AsyncIterable<Buffer>) => consume(plain),
    );
  } catch (e) {
    throw isAuthFailure(e) ? authFailed(file) : e;
  }
}
