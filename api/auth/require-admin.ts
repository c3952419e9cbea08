import type { Actor } from './actor.ts';
import { forbidden, unauthenticated } from './problems.ts';

/**
 * The administrator check of the account-administration routes, kept in one function so the central
 * authorization module (api/authz) can replace it.
 */
export function requireAdministrator(actor: Actor | undefined): Actor {
  if (!actor) throw unauthenticated();
  if (!actor.grants.some((g) => g.role === 'administrator')) throw forbidden();
  return actor;
}

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}
