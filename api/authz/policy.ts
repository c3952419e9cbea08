// THE one place for authorization (DESIGN §1): role grants with an org scope and the tiered rule.
// Pure: no I/O. Routes resolve the resource (its place in the org tree and its tier) and call authorize().
import type { RoleCode } from '../../db/schema.ts';

/**
 * Where a resource sits in the tiered management:
 * - 'province': province-wide settings (calendar profiles, approval chains, metric library, province roles);
 * - 'unit': unit-level data — a unit under the province itself, its head, its head's grants;
 * - 'internal': inside a unit — its departments, deputies, people and their grants.
 */
export type Tier = 'province' | 'unit' | 'internal';

export interface Resource {
  /** Ids from the province (root) down to the resource's unit. */
  path: readonly string[];
  tier: Tier;
  /** The person the item is about, for the "nobody acts on their own item" rule. */
  subjectPersonId?: string | undefined;
}

/** A grant with the province of its scope unit (resolved once per request). */
export interface ScopedGrant {
  role: RoleCode;
  scopeUnitId: string;
  provinceId: string;
  /** The unit directly under the province that holds the scope (the scope itself for a top unit; absent at
   * the province). Plan actions use it: a department's official works on their unit's plan. */
  topUnitId?: string | undefined;
}

export interface Subject {
  personId: string;
  grants: readonly ScopedGrant[];
}

/** What an action needs. 'read' = see admin data; 'manage' = change it; 'audit' = read the audit trail;
 * 'catalogue' = read shared reference data (any grant in the province); 'own' = the person's own items
 * (inbox, notifications, search: the resource's subject is the acting person); 'workflow' = workflow runs
 * and their histories (administrators: at the province every run of it, at a unit the runs of the unit
 * and inside it; a system run with no unit, path [], province administrators). */
export type ActionKind = 'read' | 'manage' | 'audit' | 'catalogue' | 'own' | 'plan' | 'workflow';

export interface ActionSpec {
  kind: ActionKind;
  /** Refuse when the acting person is the resource's subject (grants, employment, own record). */
  noSelf?: boolean;
  /** 'plan' actions: the roles allowed at the province (over unit-level plans) and inside a unit (over the
   * unit's own plan and the plans inside it, reached through the grant's top unit). 'read' actions: narrows the
   * readers to these roles (check-in.verify). */
  roles?: { province: readonly RoleCode[]; unit: readonly RoleCode[] };
}

const PLAN_READERS_AT_PROVINCE: RoleCode[] = [
  'administrator',
  'auditor',
  'secretariat',
  'standing_committee',
  'organisation_department',
];
const PLAN_STAFF: RoleCode[] = ['unit_head', 'supervisor', 'official'];

export const ACTIONS = {
  'org.unit.read': { kind: 'read' },
  'org.unit.create': { kind: 'manage' },
  'org.unit.update': { kind: 'manage' },
  'org.unit.move': { kind: 'manage' },
  'org.unit.deactivate': { kind: 'manage' },
  'org.unit.merge': { kind: 'manage' },
  'person.read': { kind: 'read' },
  'person.create': { kind: 'manage' },
  'person.update': { kind: 'manage', noSelf: true },
  'employment.read': { kind: 'read' },
  'employment.change': { kind: 'manage', noSelf: true },
  'role.catalogue.read': { kind: 'catalogue' },
  'role.assignment.read': { kind: 'read' },
  'role.grant': { kind: 'manage', noSelf: true },
  'role.revoke': { kind: 'manage', noSelf: true },
  'approval.chain.read': { kind: 'catalogue' },
  'approval.chain.manage': { kind: 'manage' },
  'calendar.profile.read': { kind: 'catalogue' },
  'calendar.profile.manage': { kind: 'manage' },
  'metric.read': { kind: 'catalogue' },
  'metric.manage': { kind: 'manage' },
  'conversion.read': { kind: 'read' },
  'conversion.manage': { kind: 'manage' },
  'import.run': { kind: 'manage' },
  'import.template': { kind: 'catalogue' },
  'audit.read': { kind: 'audit' },
  /** Workflow runs and their event histories (Temporal, and the exported store after retention). */
  'workflow.history.read': { kind: 'workflow' },
  /** Password resets and unlocks of a person's account (api/auth): the person's managers, never oneself. */
  'account.manage': { kind: 'manage', noSelf: true },
  /** The inbox, the notification centre and search (issue 5, point 4): one's own. */
  'inbox.read': { kind: 'own' },
  'notification.read': { kind: 'own' },
  'notification.mark': { kind: 'own' },
  'search.run': { kind: 'own' },
  /** Plans (DESIGN §1, §2): the unit's people draft and submit their unit's plan; the province reads unit
   * plans, the secretariat appraises and the standing committee decides them; nobody on their own plan. */
  'plan.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: [...PLAN_STAFF, 'administrator', 'auditor'] },
  },
  'plan.draft': { kind: 'plan', roles: { province: [], unit: PLAN_STAFF } },
  'plan.submit': { kind: 'plan', roles: { province: [], unit: PLAN_STAFF } },
  'plan.appraise': { kind: 'plan', noSelf: true, roles: { province: ['secretariat'], unit: [] } },
  'plan.decide': { kind: 'plan', noSelf: true, roles: { province: ['standing_committee'], unit: [] } },
  /** Delegations (DESIGN §3): one asks for one's own, lists the ones one is party to; the delegation's approver
   * decides it (the resource's subject is the approver); its principal or approver revokes it. */
  'delegation.request': { kind: 'own' },
  'delegation.read': { kind: 'own' },
  'delegation.decide': { kind: 'own' },
  'delegation.revoke': { kind: 'own' },
  /** A sub-unit's or a person's plan (inside a unit) is approved by the unit's leadership (DESIGN §2). The
   * routes use it instead of plan.decide / plan.amendment.review when the plan's tier is 'internal'. */
  'plan.decide.internal': { kind: 'plan', noSelf: true, roles: { province: [], unit: ['unit_head'] } },
  /** Decomposition (DESIGN §2 Cascading): the unit's plan staff create sub-unit and person plans from an
   * approved or filed plan and declare the decomposition done. */
  'plan.decompose': { kind: 'plan', roles: { province: [], unit: PLAN_STAFF } },
  /** Mid-year amendments: the unit's people propose; the amendment chain reviews (the province's levels for a
   * unit's plan, the unit's head — plan.decide.internal — for a plan inside a unit). */
  'plan.amend': { kind: 'plan', roles: { province: [], unit: PLAN_STAFF } },
  'plan.amendment.review': {
    kind: 'plan',
    noSelf: true,
    roles: { province: ['secretariat', 'standing_committee'], unit: [] },
  },
  /** The Q1 and monthly plans: the unit's people submit, the unit's head approves (DESIGN §3). */
  'plan.period.submit': { kind: 'plan', roles: { province: [], unit: PLAN_STAFF } },
  'plan.period.decide': { kind: 'plan', roles: { province: [], unit: ['unit_head'] } },
  /** Handing a person's key results over (DESIGN §1: transfers, leavers): the head of the unit whose plan holds
   * them, or its administrator (a plan inside the unit reached by a grant on its path; never the province). */
  'key-result.reassign': { kind: 'plan', roles: { province: [], unit: ['unit_head', 'administrator'] } },
  /** Check-ins, the content half (DESIGN §3, §5): one's own draft values; the completion tracker (persons for
   * the unit's readers — heads, supervisors of their department, administrators, auditors —, counts per unit
   * only for the province); a key result's history as its plan is read (and by its owner). */
  'check-in.own': { kind: 'own' },
  'check-in.track': { kind: 'read' },
  'check-in.history.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: [...PLAN_STAFF, 'administrator', 'auditor'] },
  },
  /** Check-ins, the process half: one submits one's own; the supervisor or the unit head over the person's unit
   * (a grant on the unit's path, never the province: the tiered rule) verifies, never their own. */
  'check-in.submit': { kind: 'own' },
  'check-in.verify': {
    kind: 'read',
    noSelf: true,
    roles: { province: [], unit: ['supervisor', 'unit_head'] },
  },
  /** Period assessments (DESIGN §3, RULES.md): the direct manager (a supervisor over the person's unit) and the
   * unit head list, compute, waive, score the general criteria and confirm — never their own, never the
   * province (an individual's assessment is internal to the unit: the tiered rule). The person reads their own
   * (the routes allow the subject). */
  'assessment.manage': {
    kind: 'read',
    noSelf: true,
    roles: { province: [], unit: ['supervisor', 'unit_head'] },
  },
  /** An agency's assessment cadence (month | quarter; issue 6 loose ends): set by the administrators of the
   * province or of the agency; read also by the auditors and the agency's head. */
  'assessment.cadence.read': {
    kind: 'plan',
    roles: { province: ['administrator', 'auditor'], unit: ['administrator', 'auditor', 'unit_head'] },
  },
  'assessment.cadence.manage': {
    kind: 'plan',
    roles: { province: ['administrator'], unit: ['administrator'] },
  },
  /** The monthly unit report (DESIGN §3), a unit-level document (DESIGN §1): the unit's leadership (its head, and
   * its administrators and auditors) reads its own; the province's levels read every unit's; the unit head signs
   * and sends it (the process path). */
  'report.monthly.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: ['unit_head', 'administrator', 'auditor'] },
  },
  'report.monthly.send': { kind: 'plan', roles: { province: [], unit: ['unit_head'] } },
  /** The quarterly unit report (issue 7 point 1): read like the monthly one; the unit head writes its narrative. */
  'report.quarterly.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: ['unit_head', 'administrator', 'auditor'] },
  },
  'report.quarterly.write': { kind: 'plan', roles: { province: [], unit: ['unit_head'] } },
  'report.quarterly.send': { kind: 'plan', roles: { province: [], unit: ['unit_head'] } },
  /** The quarterly giao ban (issue 7 point 2), per unit on its agenda (a unit-level resource; the session itself is
   * the resource [province] of tier 'unit'): the province's levels read every unit's row, a unit's leadership
   * (head, administrator, auditor) its own unit's; the secretariat records and publishes the conclusions; the unit
   * head reports on the unit's directions. */
  'giao-ban.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: ['unit_head', 'administrator', 'auditor'] },
  },
  'giao-ban.conclude': { kind: 'plan', roles: { province: ['secretariat'], unit: [] } },
  'giao-ban.direction.report': { kind: 'plan', roles: { province: [], unit: ['unit_head'] } },
  /** A locked unit report's period (monthly or quarterly; DESIGN §3 "reopens only by a request with a reason,
   * approved by … the secretariat (unit items)"): the unit head asks (or their delegate); the province's
   * secretariat decides — or the standing committee its undecided request climbs to. */
  'report.reopen.request': { kind: 'plan', roles: { province: [], unit: ['unit_head'] } },
  'report.reopen.decide': {
    kind: 'plan',
    noSelf: true,
    roles: { province: ['secretariat', 'standing_committee'], unit: [] },
  },
  /** A locked period's reopen request of a person is decided by the unit head (DESIGN §3), never the person; the
   * route binds an open request to its assignee (and their delegate). */
  'check-in.reopen.decide': {
    kind: 'read',
    noSelf: true,
    roles: { province: [], unit: ['unit_head'] },
  },
  /** Moving an open verify item to another verifier: the route allows the unit head or the current verifier (or
   * their delegate), never the person. */
  'check-in.verifier.reassign': {
    kind: 'read',
    noSelf: true,
    roles: { province: [], unit: ['supervisor', 'unit_head'] },
  },
  /** Evidence files (DESIGN §5): read by whoever may read what they are evidence of — the person, the
   * supervisor or head over the person's unit (a grant on the unit's path); the province only for a
   * unit-level subject (the tiered rule: a 'read' never reaches inside a unit from the province). */
  'evidence.read': {
    kind: 'read',
    roles: {
      province: ['secretariat', 'standing_committee', 'organisation_department', 'auditor'],
      unit: ['supervisor', 'unit_head'],
    },
  },
  /** The verify/return queue: the check-ins whose verify task is one's own (issue 6, point 5). */
  'check-in.queue': { kind: 'own' },
  /** My calendar (issue 7 point 5): one's own deadlines, and one's own private feed link (create, rotate, revoke). */
  'calendar.read': { kind: 'own' },
  'calendar.feed.manage': { kind: 'own' },
  /** Dashboards (issue 7 point 4), by the tiered rule: the province's levels read the province dashboard (units and
   * counts) and every unit's dashboard; a unit's leadership (head, administrator, auditor) reads its unit's; a
   * person reads their own. */
  'dashboard.province.read': { kind: 'plan', roles: { province: PLAN_READERS_AT_PROVINCE, unit: [] } },
  'dashboard.unit.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: ['unit_head', 'administrator', 'auditor'] },
  },
  'dashboard.own.read': { kind: 'own' },
  /** Escalations (DESIGN §1 tiered rule, §3 ladder): the readers of a unit see its individuals' overdue items,
   * the province's readers unit-level and heads' items (individuals only as counts); a nudge is the
   * supervisor's, the unit head's or the province's (secretariat, standing committee), never on one's own item. */
  'escalation.read': { kind: 'read' },
  'escalation.nudge': {
    kind: 'read',
    noSelf: true,
    roles: { province: ['secretariat', 'standing_committee'], unit: ['supervisor', 'unit_head'] },
  },
  /** The ranking of a unit's people for a year (issue 8): a unit-level document — the unit's head, administrators
   * and auditors read their own, the province's levels read every unit's; the unit head drafts, decides,
   * requests a quota exception and publishes; the standing committee decides exceptions. */
  'ranking.read': {
    kind: 'plan',
    roles: { province: PLAN_READERS_AT_PROVINCE, unit: ['unit_head', 'administrator', 'auditor'] },
  },
  'ranking.decide': {
    kind: 'plan',
    roles: { province: [], unit: ['unit_head'] },
  },
  'ranking.exception.decide': {
    kind: 'plan',
    roles: { province: ['standing_committee'], unit: [] },
  },
  /** Ranking notices and appeals (issue 8 point 4): the ranked person's own notices and appeal; the level above
   * (the province's organisation department and standing committee) decides appeals — never their own. */
  'ranking.notice.own': { kind: 'own' },
  'ranking.appeal.decide': {
    kind: 'read',
    noSelf: true,
    roles: { province: ['organisation_department', 'standing_committee'], unit: [] },
  },
  /** The province ranking of its top units and their heads (issue 8): a province-level document — the province's
   * levels read it; the secretariat compiles the draft; the standing committee (the heads' superior body)
   * decides, records a quota exception and publishes. */
  'provinceRanking.read': {
    kind: 'read',
    roles: {
      province: ['secretariat', 'standing_committee', 'organisation_department', 'administrator', 'auditor'],
      unit: [],
    },
  },
  'provinceRanking.compile': { kind: 'read', roles: { province: ['secretariat'], unit: [] } },
  'provinceRanking.decide': { kind: 'read', roles: { province: ['standing_committee'], unit: [] } },
  /** Year-end evaluation records (issue 8 point 3): discipline decisions and conclusions, a person's duty group
   * and Party membership, by the tiered rule — the province's organisation department and administrators for
   * unit-level subjects (a unit under the province, its head), a unit's head and administrators for the people
   * and departments inside their unit; never about oneself; auditors read. */
  'evaluation.record.read': {
    kind: 'read',
    roles: {
      province: ['organisation_department', 'administrator', 'auditor', 'standing_committee'],
      unit: ['unit_head', 'administrator', 'auditor'],
    },
  },
  'evaluation.record.manage': {
    kind: 'manage',
    noSelf: true,
    roles: { province: ['organisation_department', 'administrator'], unit: ['unit_head', 'administrator'] },
  },
  /** The year-end assessment (issue 8 points 1–2): the person's own self-assessment; the direct manager (a
   * supervisor over the person's unit) and the unit head assess — never their own, never the province (internal
   * to the unit); the province's organisation department appraises where the unit type requires it (the
   * routes pass the unit-level resource of the person's unit). */
  'year-end.self': { kind: 'own' },
  'year-end.assess': {
    kind: 'read',
    noSelf: true,
    roles: { province: [], unit: ['supervisor', 'unit_head'] },
  },
  'year-end.appraise': {
    kind: 'read',
    noSelf: true,
    roles: { province: ['organisation_department'], unit: [] },
  },
} as const satisfies Record<string, ActionSpec>;

export type Action = keyof typeof ACTIONS;

export type Decision =
  | { allowed: true }
  | { allowed: false; reason: 'NO_GRANT' | 'TIER' | 'SELF' | 'READ_ONLY' };

/** Roles that may change data, per tier. Auditors never change anything. */
const MANAGERS_AT_PROVINCE: ReadonlySet<RoleCode> = new Set(['administrator']);
const MANAGERS_IN_UNIT: ReadonlySet<RoleCode> = new Set(['administrator', 'unit_head']);
/** Roles that may read admin data, per where their grant sits. */
const READERS_AT_PROVINCE: ReadonlySet<RoleCode> = new Set([
  'administrator',
  'auditor',
  'secretariat',
  'standing_committee',
  'organisation_department',
]);
const READERS_IN_UNIT: ReadonlySet<RoleCode> = new Set([
  'administrator',
  'auditor',
  'unit_head',
  'supervisor',
]);
const AUDIT_READERS: ReadonlySet<RoleCode> = new Set(['administrator', 'auditor']);

/**
 * A grant at the province reaches 'province' and 'unit' resources of that province (never what is inside
 * a unit); a grant at a unit reaches 'internal' resources of that unit and its descendants, and may read
 * (never change) the unit's own unit-level record; never province settings.
 */
function reaches(g: ScopedGrant, r: Resource, kind: ActionKind): boolean {
  const province = r.path[0];
  if (province === undefined) return false;
  const atProvince = g.scopeUnitId === g.provinceId;
  if (atProvince) return g.scopeUnitId === province && r.tier !== 'internal';
  const inPath = r.path.indexOf(g.scopeUnitId) > 0;
  // a unit's own people see their unit's unit-level record (and its heads), but only the province changes it
  return inPath && (r.tier === 'internal' || (r.tier === 'unit' && kind !== 'manage'));
}

/** A plan action: a province grant reaches the province's unit-level plans; a unit grant reaches the plans of
 * its top unit (the unit's own plan and everything inside it). */
function authorizePlan(subject: Subject, spec: ActionSpec, r: Resource): Decision {
  const province = r.path[0];
  let anyGrantInReach = false;
  let allowed = false;
  for (const g of subject.grants) {
    const atProvince = g.scopeUnitId === g.provinceId;
    const reach = atProvince
      ? g.scopeUnitId === province && r.tier === 'unit'
      : g.topUnitId !== undefined && r.path[1] === g.topUnitId && r.tier !== 'province';
    if (!reach) continue;
    anyGrantInReach = true;
    if ((atProvince ? spec.roles?.province : spec.roles?.unit)?.includes(g.role)) allowed = true;
  }
  if (!allowed) return { allowed: false, reason: anyGrantInReach ? 'NO_GRANT' : 'TIER' };
  if (spec.noSelf && r.subjectPersonId !== undefined && r.subjectPersonId === subject.personId)
    return { allowed: false, reason: 'SELF' };
  return { allowed: true };
}

/** Workflow inspection: administrators only, by where their grant sits (see ActionKind). */
function authorizeWorkflow(subject: Subject, resource: Resource): Decision {
  const admins = subject.grants.filter((g) => g.role === 'administrator');
  if (admins.length === 0) return { allowed: false, reason: 'NO_GRANT' };
  const province = resource.path[0];
  const ok = admins.some((g) => {
    const atProvince = g.scopeUnitId === g.provinceId;
    if (province === undefined) return atProvince;
    return atProvince ? g.scopeUnitId === province : resource.path.indexOf(g.scopeUnitId) > 0;
  });
  return ok ? { allowed: true } : { allowed: false, reason: 'TIER' };
}

/** Plan process actions a delegate may take for the assignee of the open item (DESIGN §3 delegation). */
export const DELEGABLE_PLAN_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'plan.submit',
  'plan.appraise',
  'plan.decide',
  'plan.decide.internal',
  'plan.decompose',
  'plan.amend',
  'plan.amendment.review',
  'plan.period.submit',
  'plan.period.decide',
]);

/** The party an open process item (a row of `task`) is assigned to: a person, or a role at a unit. The
 * workflow spells level roles with hyphens ('standing-committee', 'unit-head'); role grants with underscores. */
export interface ItemAssignee {
  personId?: string | null | undefined;
  role?: string | null | undefined;
  unitId?: string | null | undefined;
}

const roleCodeOf = (role: string): string => role.trim().replace(/-/g, '_');

/** Review steps bound to their open item: when the item is assigned to a role at a unit (the workflow checks
 * only a person-assigned level), the role rule alone does not reach it — a secretariat member may not appraise
 * at a level the chain gave to the unit's heads. */
export const ITEM_BOUND_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'plan.appraise',
  'plan.decide',
  'plan.decide.internal',
  'plan.amendment.review',
  'plan.period.decide',
]);

/** The open item of a review step is assigned to a role (not a person) and so binds the step to that role. */
export function itemBindsRole(action: Action, assignee: ItemAssignee | undefined): boolean {
  return (
    !!assignee && ITEM_BOUND_ACTIONS.has(action) && !assignee.personId && !!assignee.role && !!assignee.unitId
  );
}

/**
 * The open item's assignee may take a process step on it, whatever the role rule says (a configured approval
 * chain — DESIGN §2 — may put the unit's head or another party at a level): the item is assigned to the
 * person, or to a role the person holds (a grant in force, as `subject.grants` are) at the item's unit. Only
 * process actions; never on one's own plan or amendment (the resource's subject).
 */
export function assigneeMay(
  subject: Subject,
  action: Action,
  resource: Resource,
  assignee: ItemAssignee | undefined,
): Decision {
  if (!assignee || !DELEGABLE_PLAN_ACTIONS.has(action)) return { allowed: false, reason: 'NO_GRANT' };
  const byPerson = !!assignee.personId && assignee.personId === subject.personId;
  const role = assignee.role ? roleCodeOf(assignee.role) : undefined;
  const byRole =
    !assignee.personId &&
    role !== undefined &&
    !!assignee.unitId &&
    subject.grants.some((g) => g.role === role && g.scopeUnitId === assignee.unitId);
  if (!byPerson && !byRole) return { allowed: false, reason: 'NO_GRANT' };
  if (resource.subjectPersonId !== undefined && resource.subjectPersonId === subject.personId)
    return { allowed: false, reason: 'SELF' };
  return { allowed: true };
}

/**
 * Acting on behalf of another person: allowed only when the route found an approved delegation from the
 * principal to the acting person in force now (`delegation`), the action is delegable, the principal is the
 * assignee of the open item and would be allowed the action on the resource (by the role rule, or as the
 * item's `assignee` — assigneeMay), and the acting person is not the resource's subject (nobody acts on their
 * own item, not even as someone's delegate).
 */
export function authorizeOnBehalf(
  delegate: Subject,
  principal: Subject,
  action: Action,
  resource: Resource,
  delegation: { active: true; principalId: string; delegateId: string } | undefined,
  assignee?: ItemAssignee,
): Decision {
  if (
    !delegation ||
    delegation.delegateId !== delegate.personId ||
    delegation.principalId !== principal.personId
  )
    return { allowed: false, reason: 'NO_GRANT' };
  if (!DELEGABLE_PLAN_ACTIONS.has(action)) return { allowed: false, reason: 'NO_GRANT' };
  const spec: ActionSpec = ACTIONS[action];
  if (spec.noSelf && resource.subjectPersonId !== undefined && resource.subjectPersonId === delegate.personId)
    return { allowed: false, reason: 'SELF' };
  const byRule = authorize(principal, action, resource);
  if (byRule.allowed || !assignee) return byRule;
  const byItem = assigneeMay(principal, action, resource, assignee);
  return byItem.allowed ? byItem : byRule;
}

export function authorize(subject: Subject | undefined, action: Action, resource: Resource): Decision {
  if (!subject) return { allowed: false, reason: 'NO_GRANT' };
  const spec: ActionSpec = ACTIONS[action];
  if (spec.kind === 'workflow') return authorizeWorkflow(subject, resource);
  if (spec.kind === 'plan') return authorizePlan(subject, spec, resource);
  const own = resource.subjectPersonId !== undefined && resource.subjectPersonId === subject.personId;
  if (spec.kind === 'own') return own ? { allowed: true } : { allowed: false, reason: 'NO_GRANT' };
  const province = resource.path[0];
  let anyGrantInReach = false;
  let allowed = false;
  for (const g of subject.grants) {
    const atProvince = g.scopeUnitId === g.provinceId;
    if (spec.kind === 'catalogue') {
      // shared reference data: any grant in the province; a path of [] is national (any grant at all)
      if (province === undefined || g.provinceId === province) allowed = true;
      continue;
    }
    if (!reaches(g, resource, spec.kind)) continue;
    anyGrantInReach = true;
    // a 'read' action naming roles (check-in.verify) narrows the readers to them; a 'manage' one
    // (evaluation.record.manage) names its managers
    const narrowed =
      (spec.kind === 'read' || spec.kind === 'manage') && spec.roles
        ? atProvince
          ? spec.roles.province
          : spec.roles.unit
        : undefined;
    const set: ReadonlySet<RoleCode> = narrowed
      ? new Set(narrowed)
      : spec.kind === 'manage'
        ? atProvince
          ? MANAGERS_AT_PROVINCE
          : MANAGERS_IN_UNIT
        : spec.kind === 'audit'
          ? AUDIT_READERS
          : atProvince
            ? READERS_AT_PROVINCE
            : READERS_IN_UNIT;
    if (set.has(g.role)) allowed = true;
  }
  if (!allowed) {
    if (
      spec.kind === 'manage' &&
      subject.grants.some((g) => g.role === 'auditor' && reaches(g, resource, 'read'))
    )
      return { allowed: false, reason: 'READ_ONLY' };
    return { allowed: false, reason: anyGrantInReach ? 'NO_GRANT' : 'TIER' };
  }
  if (spec.noSelf && resource.subjectPersonId !== undefined && resource.subjectPersonId === subject.personId)
    return { allowed: false, reason: 'SELF' };
  return { allowed: true };
}
