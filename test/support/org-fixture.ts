// A small province for authorization and administration tests: province P with units A and B (and their
// departments), another province Q, people with accounts holding each role at province or unit scope, signed
// in through the real sign-in routes.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/connection.ts';
import type { RoleCode } from '../../db/schema.ts';
import { createTestPerson, ensureTestProvince, type RequestableApp, type SignedIn, signIn } from './auth.ts';

export const PASSWORD = 'mật-khẩu-thử-nghiệm-2026';
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const ACTORS = [
  'adminP',
  'auditorP',
  'secretariatP',
  'standingP',
  'orgdeptP',
  'adminA',
  'headA',
  'supervisorA',
  'officialA',
  'auditorA',
  'adminQ',
] as const;
export type ActorKey = (typeof ACTORS)[number];

export interface OrgFixture {
  unit: Record<'P' | 'Q' | 'A' | 'B' | 'AD1' | 'AD2' | 'BD1' | 'QA' | 'AM1' | 'AM2' | 'M1' | 'M2', string>;
  person: Record<ActorKey | 'staffA' | 'staffB' | 'headB' | 'staffQ' | 'leaverA', string>;
  session: Record<ActorKey, SignedIn>;
}

async function unit(
  db: Database,
  o: { code: string; type: string; province: string; parent: string | null; id?: string },
) {
  const id = o.id ?? randomUUID();
  await db
    .insertInto('org_unit')
    .values({
      id,
      type_code: o.type,
      province_id: o.province,
      parent_id: o.parent,
      code: o.code,
      name_vi: `Đơn vị ${o.code}`,
      active_from: '2025-07-01',
    })
    .execute();
  return id;
}

export async function grant(
  db: Database,
  personId: string,
  role: RoleCode,
  scope: string,
  validFrom = '2025-07-01',
) {
  const r = await db
    .insertInto('role_assignment')
    .values({ person_id: personId, role_code: role, scope_unit_id: scope, valid_from: validFrom })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function employ(db: Database, personId: string, unitId: string, position = 'chuyen_vien') {
  await db
    .insertInto('employment')
    .values({ person_id: personId, org_unit_id: unitId, position_code: position, valid_from: '2025-07-01' })
    .execute();
}

async function plainPerson(db: Database, name: string) {
  const p = await db
    .insertInto('person')
    .values({
      full_name: name,
      email: `${randomUUID().slice(0, 8)}@test.woms.vn`,
      duty_group: 'civil_servant',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return p.id;
}

export async function buildOrg(db: Database, app: RequestableApp): Promise<OrgFixture> {
  await db
    .insertInto('job_position')
    .values([
      { code: 'chuyen_vien', title_vi: 'Chuyên viên', title_en: 'Officer' },
      { code: 'giam_doc', title_vi: 'Giám đốc', title_en: 'Director', is_leader: true },
    ])
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const P = await ensureTestProvince(db);
  const Qid = randomUUID();
  const Q = await unit(db, { id: Qid, code: 'QTEST', type: 'province', province: Qid, parent: null });
  const A = await unit(db, { code: 'A', type: 'agency', province: P, parent: P });
  const B = await unit(db, { code: 'B', type: 'agency', province: P, parent: P });
  const M1 = await unit(db, { code: 'M1', type: 'commune', province: P, parent: P });
  const M2 = await unit(db, { code: 'M2', type: 'commune', province: P, parent: P });
  const AD1 = await unit(db, { code: 'A.D1', type: 'department', province: P, parent: A });
  const AD2 = await unit(db, { code: 'A.D2', type: 'department', province: P, parent: A });
  const AM1 = await unit(db, { code: 'A.M1', type: 'department', province: P, parent: A });
  const AM2 = await unit(db, { code: 'A.M2', type: 'department', province: P, parent: A });
  const BD1 = await unit(db, { code: 'B.D1', type: 'department', province: P, parent: B });
  const QA = await unit(db, { code: 'QA', type: 'agency', province: Q, parent: Q });

  const specs: Record<
    ActorKey,
    { role: RoleCode; scope: string; unit: string; position?: string; totp?: boolean }
  > = {
    adminP: { role: 'administrator', scope: P, unit: M2, totp: true },
    auditorP: { role: 'auditor', scope: P, unit: M2 },
    secretariatP: { role: 'secretariat', scope: P, unit: M2, totp: true },
    standingP: { role: 'standing_committee', scope: P, unit: M2 },
    orgdeptP: { role: 'organisation_department', scope: P, unit: M2 },
    adminA: { role: 'administrator', scope: A, unit: A, totp: true },
    headA: { role: 'unit_head', scope: A, unit: A, position: 'giam_doc' },
    supervisorA: { role: 'supervisor', scope: AD1, unit: AD1 },
    officialA: { role: 'official', scope: AD1, unit: AD1 },
    auditorA: { role: 'auditor', scope: A, unit: A },
    adminQ: { role: 'administrator', scope: Q, unit: QA, totp: true },
  };
  const person = {} as OrgFixture['person'];
  const session = {} as OrgFixture['session'];
  for (const key of Object.keys(specs) as ActorKey[]) {
    const s = specs[key];
    const email = `${key.toLowerCase()}@test.woms.vn`;
    const id = await createTestPerson(db, {
      email,
      password: PASSWORD,
      roles: [],
      employInTestAgency: false,
      fullName: `Người ${key}`,
      ...(s.totp ? { totpSecret: TOTP_SECRET } : {}),
    });
    await grant(db, id, s.role, s.scope);
    await employ(db, id, s.unit, s.position);
    person[key] = id;
  }
  for (const key of Object.keys(specs) as ActorKey[]) {
    const s = specs[key];
    session[key] = await signIn(
      app,
      `${key.toLowerCase()}@test.woms.vn`,
      PASSWORD,
      s.totp ? { totpSecret: TOTP_SECRET } : {},
    );
  }
  person.staffA = await plainPerson(db, 'Nguyễn Văn An');
  await employ(db, person.staffA, AD1);
  person.leaverA = await plainPerson(db, 'Trần Thị Bình');
  await employ(db, person.leaverA, AD2);
  person.staffB = await plainPerson(db, 'Lê Văn Cường');
  await employ(db, person.staffB, BD1);
  person.headB = await plainPerson(db, 'Phạm Thị Dung');
  await employ(db, person.headB, B, 'giam_doc');
  await grant(db, person.headB, 'unit_head', B);
  person.staffQ = await plainPerson(db, 'Hoàng Văn Em');
  await employ(db, person.staffQ, QA);
  return { unit: { P, Q, A, B, AD1, AD2, BD1, QA, AM1, AM2, M1, M2 }, person, session };
}

/** A request as a signed-in actor (or anonymous). */
export function requestAs(
  app: RequestableApp,
  who: SignedIn | undefined,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...(who ? who.headers : {}), ...extraHeaders };
  if (body === undefined && !extraHeaders['content-type']) delete headers['content-type'];
  else if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers };
  if (body !== undefined)
    init.body =
      typeof body === 'string' || body instanceof Uint8Array
        ? (body as RequestInit['body'])
        : JSON.stringify(body);
  return Promise.resolve(app.request(path, init));
}
