import type { Actor } from './actor.ts';
import { unauthenticated } from './problems.ts';

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}
