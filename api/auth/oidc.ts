import type { Context } from 'hono';
import * as client from 'openid-client';
import { findPersonByEmail } from './accounts.ts';
import type { AppEnv } from './actor.ts';
import { auditAccount, SYSTEM_AUTH } from './audit.ts';
import type { OidcConfig } from './config.ts';
import { clearOidcCookie, readOidcCookie, setOidcCookie } from './cookies.ts';
import { oidcFailed, oidcNoPerson, oidcNotConfigured } from './problems.ts';
import type { AuthRuntime } from './runtime.ts';
import { type SignInResult, startSession } from './sign-in.ts';
import { signValue, verifySignedValue } from './tokens.ts';

/** How long the browser has to come back from the provider. */
const FLOW_SECONDS = 600;

interface FlowState {
  v: string; // PKCE code verifier
  s: string; // state
  n: string; // nonce
  exp: number; // epoch ms
}

const configs = new WeakMap<AuthRuntime, Promise<client.Configuration>>();

/** The provider's discovered configuration, fetched once per runtime (retried after a failure). */
function providerConfig(rt: AuthRuntime, oidc: OidcConfig): Promise<client.Configuration> {
  let p = configs.get(rt);
  if (!p) {
    p = client.discovery(
      new URL(oidc.issuer),
      oidc.clientId,
      undefined,
      client.ClientSecretBasic(oidc.clientSecret),
      oidc.allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    p.catch(() => configs.delete(rt));
    configs.set(rt, p);
  }
  return p;
}

function requireOidc(rt: AuthRuntime): OidcConfig {
  if (!rt.config.oidc) throw oidcNotConfigured();
  return rt.config.oidc;
}

/** Builds the provider's authorization URL (PKCE S256, state, nonce) and keeps the secrets in a signed cookie. */
export async function startOidc(c: Context<AppEnv>, rt: AuthRuntime): Promise<URL> {
  const oidc = requireOidc(rt);
  const config = await providerConfig(rt, oidc).catch((err: unknown) => {
    throw oidcFailed(`discovery: ${err instanceof Error ? err.message : String(err)}`);
  });
  const flow: FlowState = {
    v: client.randomPKCECodeVerifier(),
    s: client.randomState(),
    n: client.randomNonce(),
    exp: rt.now().getTime() + FLOW_SECONDS * 1000,
  };
  setOidcCookie(c, rt.config, signValue(rt.config.cookieSecret, flow), FLOW_SECONDS);
  return client.buildAuthorizationUrl(config, {
    redirect_uri: oidc.redirectUri,
    scope: oidc.scope ?? 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(flow.v),
    code_challenge_method: 'S256',
    state: flow.s,
    nonce: flow.n,
  });
}

function readFlow(c: Context, rt: AuthRuntime): FlowState {
  const raw = readOidcCookie(c);
  const flow = raw
    ? (verifySignedValue(rt.config.cookieSecret, raw) as Partial<FlowState> | undefined)
    : undefined;
  if (
    !flow ||
    typeof flow.v !== 'string' ||
    typeof flow.s !== 'string' ||
    typeof flow.n !== 'string' ||
    typeof flow.exp !== 'number'
  )
    throw oidcFailed('missing or invalid sign-in state cookie');
  if (flow.exp < rt.now().getTime()) throw oidcFailed('sign-in state expired');
  return flow as FlowState;
}

/** Maps (issuer, subject) to a person: an existing link, else the verified e-mail (then linked, audited). */
interface Identity {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
}

async function personFor(rt: AuthRuntime, issuer: string, claims: Identity): Promise<string> {
  const link = await rt.db
    .selectFrom('oidc_identity')
    .select('person_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', claims.sub)
    .executeTakeFirst();
  if (link) return link.person_id;
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  if (!email || claims.email_verified !== true) throw oidcNoPerson();
  const person = await findPersonByEmail(rt.db, email);
  if (!person?.active) throw oidcNoPerson();
  await rt.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('oidc_identity')
      .values({ issuer, subject: claims.sub, person_id: person.id })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
      .execute();
    await auditAccount(trx, {
      personId: person.id,
      actor: SYSTEM_AUTH,
      action: 'account.oidc_linked',
      at: rt.now(),
      after: { issuer, subject: claims.sub, by: 'verified_email' },
    });
  });
  return person.id;
}

/** Completes the code flow (state, nonce and PKCE checked by openid-client) and opens a session. */
export async function finishOidc(c: Context<AppEnv>, rt: AuthRuntime): Promise<SignInResult> {
  const oidc = requireOidc(rt);
  const flow = readFlow(c, rt);
  clearOidcCookie(c, rt.config);
  const config = await providerConfig(rt, oidc);
  const current = new URL(oidc.redirectUri);
  current.search = new URL(c.req.url).search;
  let identity: Identity;
  try {
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.v,
      expectedState: flow.s,
      expectedNonce: flow.n,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    identity = { sub: claims.sub, email: claims.email, email_verified: claims.email_verified };
    // A conforming provider may keep scope claims out of the ID token: ask the UserInfo endpoint.
    if (typeof identity.email !== 'string' && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      identity = { sub: claims.sub, email: info.email, email_verified: info.email_verified };
    }
  } catch (err) {
    throw oidcFailed(err instanceof Error ? err.message : String(err));
  }
  const personId = await personFor(rt, config.serverMetadata().issuer, identity);
  return startSession(c, rt, personId, 'oidc');
}

export const afterSignInUrl = (rt: AuthRuntime): string => rt.config.oidc?.afterSignInUrl ?? '/';
