// Security checks across every route of the API (issue 9, point 3). The routes are read from the app's router
// (api/authz/registry.ts, as the authorization matrix does), so a new route is checked without a new row:
// - every state-changing route refuses a forged request — the session cookie without the anti-forgery token,
//   with a wrong one, or the right one sent from another site — with 403 CSRF_REJECTED before any effect (no
//   row written anywhere, the audit log included);
// - every response carries the security headers (nosniff, frame-ancestors 'none' and X-Frame-Options DENY, a
//   referrer policy, a Content-Security-Policy) and an answer to a signed-in person is never stored by a cache;
// - the session cookie is HttpOnly, SameSite=Lax, Path=/, host-only, Secure over TLS or when configured;
// - failed sign-ins are throttled per account (423 ACCOUNT_LOCKED) and per address (429 TOO_MANY_ATTEMPTS),
//   both with Retry-After, and the right password works again once the lock has run out;
// - evidence is never served as active content: web pages and SVG are refused at upload, a stored file comes
//   back as an attachment with a safe type, nosniff and a CSP sandbox, and only to those in scope.
// The SvelteKit app's own headers are checked in web/tests/security-headers.test.ts.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkInPlans } from '../../test/support/check-in-plans.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, type OrgFixture, PASSWORD, requestAs } from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';
import { routeTable } from '../authz/registry.ts';

const { db } = await freshDatabase();
let now = new Date();
const deps = {
  db,
  temporal: () => Promise.reject(new Error('no Temporal in this test')),
  version: 'test',
  clock: () => now,
};
const app = createApp(deps);
let f: OrgFixture;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Sign-in and the SSO callback: no session yet, so nothing to forge (api/auth/middleware.ts). */
const NO_SESSION_YET = new Set(['POST /api/auth/sign-in', 'POST /api/auth/oidc/callback']);
const routes = routeTable(app);
const mutating = routes.filter(
  (r) => STATE_CHANGING.has(r.method) && !NO_SESSION_YET.has(`${r.method} ${r.path}`),
);

/** A concrete path for a route pattern (the values need not exist: refusals come before any lookup). */
const concrete = (pattern: string) =>
  pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'period') return '2026-03';
    if (name === 'year') return '2026';
    if (name === 'session') return '2026-Q1';
    if (name === 'file') return 'x.pdf';
    return randomUUID();
  });

/** Exact row counts of every table of the database. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db
    .selectFrom('information_schema.tables' as never)
    .select(['table_name' as never])
    .where('table_schema' as never, '=', 'public' as never)
    .where('table_type' as never, '=', 'BASE TABLE' as never)
    .execute();
  const out: Record<string, number> = {};
  for (const t of tables as unknown as { table_name: string }[]) {
    const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(t.table_name)}`.execute(
      db,
    );
    out[t.table_name] = Number(r.rows[0]?.n);
  }
  return out;
}

async function problemCode(res: Response): Promise<string | undefined> {
  if (!res.headers.get('content-type')?.includes('json')) return undefined;
  const body = (await res.json().catch(() => null)) as { code?: string } | null;
  return body?.code;
}

/** What a response lacks of the API's security headers (empty when all are there). */
function missingHeaders(res: Response, signedIn: boolean): string[] {
  const h = res.headers;
  const missing: string[] = [];
  if (h.get('x-content-type-options') !== 'nosniff') missing.push('nosniff');
  if (!/frame-ancestors 'none'/.test(h.get('content-security-policy') ?? '')) missing.push('frame-ancestors');
  if (h.get('x-frame-options') !== 'DENY') missing.push('x-frame-options');
  if (!h.get('referrer-policy')) missing.push('referrer-policy');
  if (!/default-src 'none'|sandbox/.test(h.get('content-security-policy') ?? '')) missing.push('csp');
  if (signedIn && h.get('content-type')?.includes('json') && !/no-store/.test(h.get('cache-control') ?? ''))
    missing.push('cache-control no-store');
  return missing;
}

beforeAll(async () => {
  f = await buildOrg(db, app);
});

describe('every route', () => {
  it('the router lists the routes these checks walk', () => {
    expect(routes.length).toBeGreaterThan(150);
    expect(mutating.length).toBeGreaterThan(80);
    expect(mutating.map((r) => `${r.method} ${r.path}`)).toContain(
      'POST /api/check-ins/mine/:period/evidence',
    );
  });

  it('refuses a forged state-changing request with 403 CSRF_REJECTED, before any effect', async () => {
    const s = f.session.officialA;
    const before = await rowCounts();
    const failures: string[] = [];
    for (const r of mutating) {
      const path = concrete(r.path);
      const body = {};
      const attempts: [string, Record<string, string> | undefined, Record<string, string>][] = [
        ['no token', { cookie: s.cookie, 'content-type': 'application/json' }, {}],
        ['wrong token', { ...s.headers, 'x-csrf-token': `${s.csrfToken.slice(0, -2)}xx` }, {}],
        ['another site (Origin)', s.headers, { origin: 'https://evil.example' }],
        ['another site (Sec-Fetch-Site)', s.headers, { 'sec-fetch-site': 'cross-site' }],
        ['opaque origin', s.headers, { origin: 'null' }],
        ['anonymous, another site', undefined, { origin: 'https://evil.example' }],
      ];
      for (const [what, headers, extra] of attempts) {
        const res = await app.request(path, {
          method: r.method,
          headers: { ...(headers ?? { 'content-type': 'application/json' }), ...extra },
          body: JSON.stringify(body),
        });
        const code = await problemCode(res);
        if (res.status !== 403 || code !== 'CSRF_REJECTED')
          failures.push(`${r.method} ${r.path} (${what}): ${res.status} ${code ?? ''}`);
        const miss = missingHeaders(res, headers !== undefined);
        if (miss.length) failures.push(`${r.method} ${r.path} (${what}): headers missing ${miss.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it('lets the same request through with the token from our own origin (the refusals above are not vacuous)', async () => {
    const s = (await import('../../test/support/auth.ts')).signIn;
    const own = await s(app, 'officiala@test.woms.vn', PASSWORD);
    const sessionsOf = () =>
      db
        .selectFrom('auth_session')
        .select('revoked_at')
        .where('person_id', '=', f.person.officialA)
        .where('revoked_at', 'is not', null)
        .execute();
    const revokedBefore = (await sessionsOf()).length;
    const forged = await app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie: own.cookie },
    });
    expect(forged.status).toBe(403);
    expect((await sessionsOf()).length).toBe(revokedBefore);
    const res = await app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { ...own.headers, origin: 'http://localhost' },
    });
    expect(res.status).toBe(204);
    expect((await sessionsOf()).length).toBe(revokedBefore + 1);
  });

  it('answers every route with the security headers, signed in or not', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const path = concrete(r.path);
      for (const who of ['anon', 'officialA', 'adminP'] as const) {
        // signed-in state-changing requests are covered (refused) above; here only reads run signed in
        if (who !== 'anon' && STATE_CHANGING.has(r.method)) continue;
        const res = await requestAs(
          app,
          who === 'anon' ? undefined : f.session[who],
          r.method,
          path,
          STATE_CHANGING.has(r.method) ? {} : undefined,
        );
        const miss = missingHeaders(res, who !== 'anon');
        if (miss.length) failures.push(`${who} ${r.method} ${r.path} → ${res.status}: ${miss.join(', ')}`);
        // a stranger's request never reaches an internal error (the JSON-typed evidence upload once did)
        // (503: the readiness check, Temporal being out of reach in this test)
        if (who === 'anon' && res.status >= 500 && res.status !== 503)
          failures.push(`anon ${r.method} ${r.path} → ${res.status}`);
        await res.arrayBuffer();
      }
    }
    const unknown = await app.request('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(missingHeaders(unknown, false)).toEqual([]);
    expect(failures).toEqual([]);
  });
});

describe('the session cookie', () => {
  const setCookieOf = (res: Response) =>
    res.headers.getSetCookie().find((c) => c.startsWith('woms_session='));
  const attrs = (line: string) =>
    line
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
  const signInAt = (a: { request: typeof app.request }, url: string) =>
    a.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'officiala@test.woms.vn', password: PASSWORD }),
    });

  it('is HttpOnly, SameSite=Lax, Path=/ and host-only; Secure over TLS', async () => {
    const plain = setCookieOf(await signInAt(app, 'http://localhost/api/auth/sign-in'));
    expect(plain).toBeDefined();
    const a = attrs(plain ?? '');
    expect(a).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(a.some((x) => x.startsWith('domain='))).toBe(false);
    expect(a).not.toContain('secure');
    const tls = attrs(setCookieOf(await signInAt(app, 'https://localhost/api/auth/sign-in')) ?? '');
    expect(tls).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'secure']));
  });

  it('is Secure when configured (AUTH_SECURE_COOKIES behind a TLS proxy), and cleared the same way', async () => {
    const secureApp = createApp({ ...deps, auth: { secureCookies: true } });
    const res = await signInAt(secureApp, 'http://localhost/api/auth/sign-in');
    const line = setCookieOf(res) ?? '';
    expect(attrs(line)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'secure']));
    const body = (await res.json()) as { csrfToken: string };
    const out = await secureApp.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie: line.split(';')[0] ?? '', 'x-csrf-token': body.csrfToken },
    });
    expect(out.status).toBe(204);
    const cleared = attrs(setCookieOf(out) ?? '');
    expect(cleared).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'secure', 'max-age=0']),
    );
  });

  it('is never readable from the response body, and a signed-out token no longer works', async () => {
    const res = await signInAt(app, 'http://localhost/api/auth/sign-in');
    const token = (setCookieOf(res) ?? '').split(';')[0]?.split('=')[1] ?? '';
    const text = await res.text();
    expect(token.length).toBeGreaterThan(20);
    expect(text).not.toContain(token);
  });
});

describe('sign-in throttling', () => {
  let clock = new Date('2026-11-26T03:00:00Z');
  const throttled = createApp({
    ...deps,
    clock: () => clock,
    auth: { trustProxy: true, maxFailures: 5, maxFailuresPerIp: 8 },
  });
  const attempt = async (email: string, password: string, ip: string) => {
    const res = await throttled.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });
    return { status: res.status, code: await problemCode(res), retryAfter: res.headers.get('retry-after') };
  };

  it('locks an account after 5 failures (423 with Retry-After), whatever the address; the lock runs out', async () => {
    const email = 'supervisora@test.woms.vn';
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) seen.push((await attempt(email, 'sai-mật-khẩu', `10.1.0.${i}`)).status);
    expect(seen).toEqual([401, 401, 401, 401, 401]);
    const locked = await attempt(email, PASSWORD, '10.1.0.99');
    expect(locked).toMatchObject({ status: 423, code: 'ACCOUNT_LOCKED', retryAfter: '900' });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect(await attempt(email, PASSWORD, '10.1.0.99')).toMatchObject({ status: 423, retryAfter: '300' });
    clock = new Date(clock.getTime() + 5 * 60_000 + 1000);
    expect((await attempt(email, PASSWORD, '10.1.0.99')).status).toBe(200);
  });

  it('throttles an address after its failures across accounts (429 with Retry-After); other addresses go on', async () => {
    const ip = '10.2.0.1';
    for (let i = 0; i < 8; i++)
      expect((await attempt(`nobody${i}@test.woms.vn`, 'x-sai', ip)).status).toBe(401);
    const blocked = await attempt('officiala@test.woms.vn', PASSWORD, ip);
    expect(blocked).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect((await attempt('officiala@test.woms.vn', PASSWORD, '10.2.0.2')).status).toBe(200);
    clock = new Date(clock.getTime() + 15 * 60_000 + 1000);
    expect((await attempt('officiala@test.woms.vn', PASSWORD, ip)).status).toBe(200);
  });
});

describe('evidence is never served as active content', () => {
  const NOW = new Date('2026-03-10T03:00:00Z');
  let planA = '';
  const upload = async (name: string, bytes: Uint8Array, type: string, keyResult?: string) => {
    const fd = new FormData();
    fd.append('file', new File([bytes], name, { type }));
    if (keyResult) fd.append('keyResult', keyResult);
    const headers: Record<string, string> = { ...f.session.officialA.headers };
    delete headers['content-type'];
    const res = await app.request('/api/check-ins/mine/2026-03/evidence', {
      method: 'POST',
      headers,
      body: fd,
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
    };
  };
  const enc = (s: string) => new TextEncoder().encode(s);

  beforeAll(async () => {
    now = NOW;
    planA = (await checkInPlans(db, f, 2026)).A;
  });

  it('refuses web pages, SVG and scripts at upload, whatever they are named, keeping nothing', async () => {
    const before = await rowCounts();
    const page = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const refused: string[] = [];
    for (const [name, text, type] of [
      ['trang.html', page, 'text/html'],
      ['hinh.svg', svg, 'image/svg+xml'],
      ['bao-cao.pdf', page, 'application/pdf'],
      ['ghi-chu.txt', page, 'text/plain'],
      ['so-lieu.csv', svg, 'text/csv'],
      ['anh.png', svg, 'image/png'],
    ] as const) {
      const r = await upload(name, enc(text), type, `${planA}/k-ms`);
      if (r.status < 400 || !/^EVIDENCE_TYPE_/.test(String((r.body as { code?: string })?.code)))
        refused.push(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    expect(refused).toEqual([]);
    const after = await rowCounts();
    expect(after.evidence_file).toBe(before.evidence_file);
    expect(after.audit_log).toBe(before.audit_log);
  });

  it('serves a kept text file as a sandboxed attachment with a safe type, only to those in scope', async () => {
    const r = await upload(
      'ghi-chú "x".txt',
      enc('Số liệu tháng 3: 12 hồ sơ.\n'),
      'text/html',
      `${planA}/k-ms`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = (r.body as { file: { id: string } }).file.id;
    const res = await requestAs(app, f.session.officialA, 'GET', `/api/evidence/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]*"; filename\*=UTF-8''/,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox\b/);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const outside: Record<string, number> = {};
    for (const who of ['adminQ', 'auditorP', 'adminA'] as const)
      outside[who] = (await requestAs(app, f.session[who], 'GET', `/api/evidence/${id}`)).status;
    expect(outside).toEqual({ adminQ: 404, auditorP: 404, adminA: 404 });
    expect((await requestAs(app, undefined, 'GET', `/api/evidence/${id}`)).status).toBe(401);

    // a row holding a web page or an SVG (uploads refuse them; say, restored from elsewhere) is still served
    // as an opaque download, never with its active type
    const kept = await db
      .selectFrom('evidence_file')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    for (const [type, text] of [
      ['text/html', '<script>alert(1)</script>'],
      ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ] as const) {
      const bytes = Buffer.from(text);
      const row = await db
        .insertInto('evidence_file')
        .values({
          unit_id: kept.unit_id,
          uploaded_by: kept.uploaded_by,
          subject_type: kept.subject_type,
          subject_id: kept.subject_id,
          file_name: 'trang.html',
          declared_type: type,
          sniffed_type: type,
          size_bytes: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const got = await requestAs(app, f.session.officialA, 'GET', `/api/evidence/${row.id}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(got.headers.get('content-security-policy')).toMatch(/^sandbox\b/);
    }
  });
});
