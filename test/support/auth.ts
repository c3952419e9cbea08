import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../api/auth/passwords.ts';
import type { Database } from '../../db/connection.ts';
import '../../db/schema-auth.ts';
import { totpCode } from '../../api/auth/totp.ts';
import type { RoleCode } from '../../db/schema.ts';

/** Anything with Hono's `request` (the app from createApp). */
export interface RequestableApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export interface SignedIn {
  /** `woms_session=…`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request as this person (Cookie, X-CSRF-Token, JSON content type). */
  headers: Record<string, string>;
}

/** The `name=value` of a Set-Cookie header for `name`, if the response sets it. */
export function cookieFrom(res: Response, name = 'woms_session'): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/**
 * Signs in through the real routes. When the person needs a second factor, passes it with a TOTP code of
 * `opts.totpSecret` (demo accounts: DEMO_TOTP_SECRET); the next time step is tried when the current one was
 * already used (replay protection), so two sign-ins of one person within 30 s still work.
 */
export async function signIn(
  app: RequestableApp,
  email: string,
  password: string,
  opts: { totpSecret?: string; now?: () => Date } = {},
): Promise<SignedIn> {
  const res = await app.request('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { requiresSecondFactor: boolean; csrfToken: string };
  const cookie = cookieFrom(res);
  if (!cookie) throw new Error('sign-in set no session cookie');
  const headers = { cookie, 'x-csrf-token': body.csrfToken, 'content-type': 'application/json' };
  if (body.requiresSecondFactor) {
    if (!opts.totpSecret) throw new Error(`${email} needs a second factor: pass opts.totpSecret`);
    const now = (opts.now ?? (() => new Date()))();
    let last = '';
    for (const offset of [0, 30_000]) {
      const code = totpCode(opts.totpSecret, new Date(now.getTime() + offset));
      const r = await app.request('/api/auth/second-factor', {
        method: 'POST',
        headers,
        body: JSON.stringify({ code }),
      });
      if (r.status === 200) return { cookie, csrfToken: body.csrfToken, headers };
      last = `${r.status} ${await r.text()}`;
    }
    throw new Error(`second factor of ${email} failed: ${last}`);
  }
  return { cookie, csrfToken: body.csrfToken, headers };
}

// ---- Fixtures: people with accounts, straight into the database (for tests of the sign-in routes and others).

/** A province unit for role scopes (created once per database, code 'TEST'). */
export async function ensureTestProvince(db: Database): Promise<string> {
  const found = await db
    .selectFrom('org_unit')
    .select('id')
    .where('code', '=', 'TEST')
    .where('type_code', '=', 'province')
    .executeTakeFirst();
  if (found) return found.id;
  const id = randomUUID();
  await db
    .insertInto('org_unit')
    .values({
      id,
      type_code: 'province',
      province_id: id,
      parent_id: null,
      code: 'TEST',
      name_vi: 'Tỉnh Thử nghiệm',
      active_from: '2020-01-01',
    })
    .execute();
  return id;
}

const PROVINCE_ROLES: ReadonlySet<RoleCode> = new Set([
  'secretariat',
  'standing_committee',
  'organisation_department',
]);

/** An agency directly under the test province (code 'TEST.A'), and the job position its people hold. */
export async function ensureTestAgency(db: Database, province: string): Promise<string> {
  await db
    .insertInto('job_position')
    .values({ code: 'test_officer', title_vi: 'Chuyên viên (thử nghiệm)', title_en: 'Officer (test)' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const found = await db.selectFrom('org_unit').select('id').where('code', '=', 'TEST.A').executeTakeFirst();
  if (found) return found.id;
  const id = randomUUID();
  await db
    .insertInto('org_unit')
    .values({
      id,
      type_code: 'agency',
      province_id: province,
      parent_id: province,
      code: 'TEST.A',
      name_vi: 'Sở Thử nghiệm',
      active_from: '2020-01-01',
    })
    .execute();
  return id;
}

/** A person with an account (and the given roles over the test province); returns the person id. */
export async function createTestPerson(
  db: Database,
  p: {
    email: string;
    password?: string;
    roles?: RoleCode[];
    totpSecret?: string;
    mustChangePassword?: boolean;
    fullName?: string;
    active?: boolean;
    /** false: no employment and no role scopes are invented (the caller places the person itself). */
    employInTestAgency?: boolean;
  },
): Promise<string> {
  const province = await ensureTestProvince(db);
  const person = await db
    .insertInto('person')
    .values({
      full_name: p.fullName ?? p.email,
      email: p.email,
      duty_group: 'civil_servant',
      active: p.active ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('account')
    .values({
      person_id: person.id,
      password_hash: p.password ? await hashPassword(p.password) : null,
      must_change_password: p.mustChangePassword ?? false,
      totp_secret: p.totpSecret ?? null,
    })
    .execute();
  // Everyone works in the test agency; unit roles are held over it (so, by the tiered rule, its administrator
  // manages its officials), province roles over the province.
  if (p.employInTestAgency === false) return person.id;
  const agency = await ensureTestAgency(db, province);
  await db
    .insertInto('employment')
    .values({
      person_id: person.id,
      org_unit_id: agency,
      position_code: 'test_officer',
      valid_from: '2020-01-01',
    })
    .execute();
  for (const role of p.roles ?? []) {
    await db
      .insertInto('role_assignment')
      .values({
        person_id: person.id,
        role_code: role,
        scope_unit_id: PROVINCE_ROLES.has(role) ? province : agency,
        valid_from: '2020-01-01',
        valid_to: null,
      })
      .execute();
  }
  return person.id;
}
