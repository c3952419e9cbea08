// What the plan page shows of a plan in force (issue 5 after approval): the workflow's view (decomposition,
// Q1 and monthly plans, amendments) and the assigned (child) plans with their coverage, as the API answers.
export interface ProcessView {
  planId: string;
  phase: string;
  status: string;
  filed: boolean;
  inForceVersionId: string | null;
  parentPlanId: string | null;
  /** The workflow's open items (the amendment's level: 'amend-appraise' endorses, 'amend-decide' approves). */
  openItems?: { taskId: string; kind: string; partyRole: string }[];
  decomposition: { status: 'open' | 'done'; childPlanIds: string[] } | null;
  periodPlans: {
    period: string;
    status: 'open' | 'submitted' | 'approved' | 'returned';
    versionId?: string;
    submittedOn?: string;
    decidedOn?: string;
    /** The unit head's comments when returned. */
    comments?: { text: string }[];
    /** A Q2–Q4 draft decided at the giao ban (not by the unit head), its decision and note. */
    decider?: 'giao-ban';
    decision?: 'approved' | 'adjusted';
    note?: string;
  }[];
  amendments: {
    number: number;
    versionId: string;
    reason: string;
    by: string;
    date: string;
    status: 'open' | 'approved' | 'returned';
    decidedOn?: string;
    comments?: { text: string }[];
  }[];
}

export interface ChildList {
  items: {
    id: string;
    ownerKind: 'unit' | 'person';
    unitId: string | null;
    personId: string | null;
    status: string;
    latestVersion: number | null;
  }[];
  coverage: {
    checked: number;
    gaps: number;
    findings: { code: string; severity: string; message: { vi: string; en: string } }[];
  };
}

/** A sub-unit the plan can be assigned to. */
export interface UnitOption {
  id: string;
  name: string;
}
