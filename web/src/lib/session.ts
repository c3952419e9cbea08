/** The signed-in person as the API's GET /api/auth/session reports it (shared by server and pages). */
export type RoleCode =
  | 'official'
  | 'supervisor'
  | 'unit_head'
  | 'secretariat'
  | 'standing_committee'
  | 'organisation_department'
  | 'administrator'
  | 'auditor';

export interface Grant {
  role: RoleCode;
  scopeUnitId: string;
}

/** A unit whose annual plan the person works on (the agency or commune directly under the province). */
export interface PlanningUnit {
  id: string;
  code: string;
  nameVi: string;
}

export interface Session {
  person: { id: string; fullName: string; email: string };
  grants: Grant[];
  /** From current employments, then unit-scoped grants; each unit once, the main employment's first. */
  planningUnits: PlanningUnit[];
  csrfToken: string;
  secondFactorDone: boolean;
  secondFactorRequired: boolean;
  totpEnrolled: boolean;
  mustChangePassword: boolean;
  expiresAt: string;
}

export const hasRole = (s: Pick<Session, 'grants'> | null | undefined, ...roles: RoleCode[]): boolean =>
  !!s?.grants.some((g) => roles.includes(g.role));

/** What the screens may offer (the API still decides every request). */
export function abilities(s: Pick<Session, 'grants'> | null | undefined) {
  return {
    admin: hasRole(s, 'administrator'),
    audit: hasRole(s, 'administrator', 'auditor'),
  };
}

/** Only same-site paths are followed after signing in, never another origin. */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\') &&
    !value.startsWith('/sign-in') &&
    !value.startsWith('/api/')
    ? value
    : fallback;
}
