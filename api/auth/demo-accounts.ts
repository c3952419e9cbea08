import { DEMO_ROSTER } from '../../db/demo/roster.ts';
import type { Executor } from '../../db/executor.ts';
import { ensureAccount, normaliseEmail, SECOND_FACTOR_ROLES } from './accounts.ts';
import { auditAccount } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { sealSecret } from './secret-box.ts';

/** The demo password of every demo-roster account (printed by the `npm start` banner; demo data only). */
export const DEMO_PASSWORD = 'WomsDemo@2026';
/** The demo TOTP secret (base32) of the administrator and secretariat demo accounts. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface DemoAccountResult {
  email: string;
  personId: string;
  totp: boolean;
}

/**
 * Gives every person of the demo roster an account with the demo password and, for the administrator and
 * secretariat entries, the demo TOTP secret. Idempotent; roster people missing from the database are skipped.
 */
export async function ensureDemoAccounts(
  db: Executor,
  opts: { password?: string; totpSecret?: string; secretKey?: Buffer } = {},
): Promise<DemoAccountResult[]> {
  const password = opts.password ?? DEMO_PASSWORD;
  const totpSecret = opts.totpSecret ?? DEMO_TOTP_SECRET;
  const hash = await hashPassword(password);
  const out: DemoAccountResult[] = [];
  for (const entry of DEMO_ROSTER) {
    const person = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', normaliseEmail(entry.email))
      .executeTakeFirst();
    if (!person) continue;
    const totp = SECOND_FACTOR_ROLES.has(entry.role);
    await ensureAccount(db, person.id);
    await db
      .updateTable('account')
      .set({
        password_hash: hash,
        must_change_password: false,
        totp_secret: totp ? sealSecret(totpSecret, person.id, opts.secretKey) : null,
        totp_pending_secret: null,
        totp_last_step: null,
        updated_at: new Date(),
      })
      .where('person_id', '=', person.id)
      .execute();
    await auditAccount(db, {
      personId: person.id,
      actor: 'system:demo',
      action: 'account.demo_provisioned',
      at: new Date(),
      after: { totpEnrolled: totp },
    });
    out.push({ email: entry.email, personId: person.id, totp });
  }
  return out;
}
