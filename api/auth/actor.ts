import type { RoleCode } from '../../db/schema.ts';

/** A role held over an org scope (DESIGN §1): the unit it is granted on and, by the tiered rule, what it reaches. */
export interface RoleGrant {
  role: RoleCode;
  scopeUnitId: string;
}

/** Who is acting on this request, resolved from the session by the auth middleware. */
export interface Actor {
  accountId: string;
  personId: string;
  grants: RoleGrant[];
  /** True once a required second factor (TOTP or a recovery code) was passed in this session. */
  secondFactorDone: boolean;
  /** The person holds a role that needs a second factor (administrator, secretariat) in this session. */
  secondFactorRequired: boolean;
  /** A temporary password was set by an administrator: only the password change is open. */
  mustChangePassword: boolean;
  sessionId: string;
}

/** Hono environment of every route: the actor is set by the session middleware (undefined = anonymous). */
export interface AppEnv {
  Variables: {
    actor: Actor | undefined;
  };
}
