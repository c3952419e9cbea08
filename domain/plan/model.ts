// The plan as the rules see it (DESIGN §2): plain, serialisable values with no I/O, shared by every layer.

/** The four perspectives of the public-sector Balanced Scorecard, in their fixed order. */
export const PERSPECTIVES = ['citizens', 'budget', 'processes', 'learning'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

export type KeyResultType = 'KPI' | 'OKR';

/** How attainment is measured. */
export type Direction =
  | { kind: 'higher' }
  | { kind: 'lower' } // uses the key result's baseline when it has one
  | { kind: 'range'; lo: string; hi: string; tolerance: string } // P falls linearly to 0 at `tolerance` outside
  | { kind: 'milestone'; dueDate: string } // done / not done by a date (yyyy-mm-dd, Asia/Ho_Chi_Minh)
  | { kind: 'zeroTolerance' }; // e.g. "no new capital-construction debt": any occurrence fails

/** How period values make the year's value, and how children make the parent's. */
export type AggregationRule = 'sum' | 'average' | 'last' | 'min' | 'max' | 'allDone';

export type Cadence = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Numbers are decimal strings ("12.5") so no binary rounding enters a score. */
export type DecimalString = string;

export interface KeyResult {
  id: string;
  title: string;
  type: KeyResultType;
  breakthrough: boolean;
  unit: string;
  direction: Direction;
  baseline?: DecimalString;
  target: DecimalString;
  /** Period key ("2026-Q1", "2026-03") → target for that period. */
  periodTargets?: Record<string, DecimalString>;
  weight: DecimalString;
  cadence: Cadence;
  aggregation: AggregationRule;
  evidenceRequired: boolean;
  ownerId?: string;
  parentKeyResultId?: string;
  /** Marked for cascade to the plans decomposed from this one (DESIGN §2 Cascading): 'mandatory' key results
   *  are copied into the children's drafts and cannot be removed or lowered there; 'suggested' ones may be
   *  adopted. `to` lists the owner ids (sub-unit or person) it goes to; absent = every child. */
  cascade?: KeyResultCascade;
}

export interface KeyResultCascade {
  mode: 'mandatory' | 'suggested';
  to?: string[];
}

export interface Task {
  id: string;
  title: string;
  perspective: Perspective;
  sectionId?: string;
  weight: DecimalString;
  keyResults: KeyResult[];
}

export interface Plan {
  id: string;
  year: number;
  owner: { kind: 'unit'; unitId: string } | { kind: 'person'; personId: string };
  tasks: Task[];
  /** Relative perspective weights; equal when absent. */
  perspectiveWeights?: Partial<Record<Perspective, DecimalString>>;
}
