// The plan content the editor shows and the form that edits it: every field is named `t|<taskId>|<field>`
// or `k|<keyResultId>|<field>`, so a task or key result keeps its id (and its history) when it moves.
export type Direction =
  | { kind: 'higher' }
  | { kind: 'lower' }
  | { kind: 'range'; lo: string; hi: string; tolerance: string }
  | { kind: 'milestone'; dueDate: string }
  | { kind: 'zeroTolerance' };

export interface KeyResult {
  id: string;
  title: string;
  type: 'KPI' | 'OKR';
  breakthrough: boolean;
  unit: string;
  direction: Direction;
  baseline?: string;
  target: string;
  periodTargets?: Record<string, string>;
  weight: string;
  cadence: string;
  aggregation: string;
  evidenceRequired: boolean;
  [more: string]: unknown;
}
export interface Task {
  id: string;
  title: string;
  perspective: string;
  sectionId?: string;
  weight: string;
  keyResults: KeyResult[];
}
export interface Section {
  id: string;
  code?: string;
  title: string;
  perspective: string;
  parentId?: string;
}
export interface PlanContent {
  id: string;
  year: number;
  sections: Section[];
  tasks: Task[];
  perspectiveWeights?: Record<string, string>;
}
export interface VersionSummary {
  id: string;
  number: number;
  createdAt: string;
}
export interface PlanDetail {
  id: string;
  year: number;
  ownerKind?: 'unit' | 'person';
  unitId?: string | null;
  personId?: string | null;
  submittedVersionId?: string | null;
  /** The versions submitted so far, oldest first. */
  submittedVersionIds?: string[];
  status: string;
  phase: string;
  filed: boolean;
  editable: boolean;
  inForceVersionId: string | null;
  version: VersionSummary;
  versions: VersionSummary[];
  content: PlanContent;
  prechecks: {
    findings: {
      code: string;
      severity: string;
      targetKind: string;
      target: string;
      params: Record<string, string>;
    }[];
  };
}

export const QUARTERS = ['1', '2', '3', '4'] as const;
export const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;
export const PERSPECTIVE_CODES = ['citizens', 'budget', 'processes', 'learning'] as const;
/** Key results per task (issue 5: one to five). */
export const MIN_KEY_RESULTS = 1;
export const MAX_KEY_RESULTS = 5;

/** The content with the form's fields applied (fields absent from the form keep their value). */
export function applyForm(content: PlanContent, form: FormData): PlanContent {
  const get = (name: string): string | undefined => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const sections = new Map(content.sections.map((s) => [s.id, s]));
  const tasks: Task[] = content.tasks.map((t) => ({ ...t, keyResults: t.keyResults.map((k) => ({ ...k })) }));
  const moves: { kr: KeyResult; to: string; from: string }[] = [];
  for (const t of tasks) {
    const p = `t|${t.id}|`;
    t.title = get(`${p}title`) ?? t.title;
    t.weight = get(`${p}weight`) ?? t.weight;
    const section = get(`${p}section`);
    if (section !== undefined) {
      if (section.startsWith('perspective:')) {
        delete t.sectionId;
        t.perspective = section.slice('perspective:'.length);
      } else if (sections.has(section)) {
        t.sectionId = section;
        t.perspective = sections.get(section)!.perspective;
      }
    }
    for (const k of t.keyResults) {
      const q = `k|${k.id}|`;
      if (get(`${q}title`) === undefined) continue;
      k.title = get(`${q}title`) ?? k.title;
      k.type = get(`${q}type`) === 'OKR' ? 'OKR' : 'KPI';
      k.breakthrough = form.has(`${q}breakthrough`);
      k.evidenceRequired = form.has(`${q}evidence`);
      k.unit = get(`${q}unit`) ?? k.unit;
      k.target = get(`${q}target`) ?? k.target;
      k.weight = get(`${q}weight`) ?? k.weight;
      k.cadence = get(`${q}cadence`) ?? k.cadence;
      k.aggregation = get(`${q}aggregation`) ?? k.aggregation;
      const baseline = get(`${q}baseline`);
      if (baseline) k.baseline = baseline;
      else delete k.baseline;
      const kind = get(`${q}direction`) ?? k.direction.kind;
      const old = k.direction as Record<string, string>;
      if (kind === 'range')
        k.direction = {
          kind,
          lo: get(`${q}lo`) ?? old.lo ?? '',
          hi: get(`${q}hi`) ?? old.hi ?? '',
          tolerance: get(`${q}tolerance`) ?? old.tolerance ?? '',
        };
      else if (kind === 'milestone')
        k.direction = { kind, dueDate: get(`${q}due`) || old.dueDate || `${content.year}-12-31` };
      else if (kind === 'higher' || kind === 'lower' || kind === 'zeroTolerance') k.direction = { kind };
      const periods: Record<string, string> = {};
      for (const [key, v] of Object.entries(k.periodTargets ?? {}))
        if (!/-Q[1-4]$/.test(key)) periods[key] = v;
      for (const qn of QUARTERS) {
        const v = get(`${q}q${qn}`);
        if (v) periods[`${content.year}-Q${qn}`] = v;
        else if (v === undefined && k.periodTargets?.[`${content.year}-Q${qn}`])
          periods[`${content.year}-Q${qn}`] = k.periodTargets[`${content.year}-Q${qn}`]!;
      }
      for (const mn of MONTHS) {
        const key = `${content.year}-${mn}`;
        const v = get(`${q}m${mn}`);
        if (v === undefined) continue; // the form has no month fields: keep what was there
        if (v) periods[key] = v;
        else delete periods[key];
      }
      if (Object.keys(periods).length) k.periodTargets = periods;
      else delete k.periodTargets;
      const to = get(`${q}task`);
      if (to && to !== t.id) moves.push({ kr: k, to, from: t.id });
    }
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  for (const mv of moves) {
    const target = byId.get(mv.to);
    const source = byId.get(mv.from);
    if (!target || !source) continue;
    source.keyResults = source.keyResults.filter((k) => k.id !== mv.kr.id);
    target.keyResults.push(mv.kr);
  }
  const weights: Record<string, string> = { ...(content.perspectiveWeights ?? {}) };
  let weighted = false;
  for (const p of PERSPECTIVE_CODES) {
    const v = get(`pw|${p}`);
    if (v === undefined) continue;
    weighted = true;
    if (v) weights[p] = v;
    else delete weights[p];
  }
  const next: PlanContent = { ...content, tasks };
  if (weighted) {
    if (Object.keys(weights).length) next.perspectiveWeights = weights;
    else delete next.perspectiveWeights;
  }
  return next;
}
