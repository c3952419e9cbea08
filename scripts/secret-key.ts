// The local deployment's AUTH_SECRET_KEY (sealing TOTP secrets at rest): kept in the data folder so that
// it survives restarts and goes with `npm run reset`; an AUTH_SECRET_KEY in the environment wins.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function localSecretKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'auth-secret.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32).toString('base64url');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
