// Catalogue labels of the plan editor's codes (statuses, cadences, directions, aggregations, perspectives).
import { m } from '#lib/paraglide/messages.js';

const pick = (table: Record<string, () => string>, code: string) => table[code]?.() ?? code;

export const statusLabel = (s: string) =>
  pick(
    {
      DRAFTING: m.plan_status_DRAFTING,
      SUBMITTED: m.plan_status_SUBMITTED,
      APPRAISED: m.plan_status_APPRAISED,
      FILED: m.plan_status_FILED,
      APPROVED: m.plan_status_APPROVED,
      CLOSED: m.plan_status_CLOSED,
    },
    s,
  );
export const PERSPECTIVE_LABEL: Record<string, () => string> = {
  citizens: m.perspective_citizens,
  budget: m.perspective_budget,
  processes: m.perspective_processes,
  learning: m.perspective_learning,
};
export const CADENCES = ['day', 'week', 'month', 'quarter', 'year'] as const;
export const cadenceLabel = (c: string) =>
  pick(
    {
      day: m.plan_cadence_day,
      week: m.plan_cadence_week,
      month: m.plan_cadence_month,
      quarter: m.plan_cadence_quarter,
      year: m.plan_cadence_year,
    },
    c,
  );
export const DIRECTIONS = ['higher', 'lower', 'range', 'milestone', 'zeroTolerance'] as const;
export const directionLabel = (d: string) =>
  pick(
    {
      higher: m.direction_higher,
      lower: m.direction_lower,
      range: m.direction_range,
      milestone: m.direction_milestone,
      zeroTolerance: m.direction_zeroTolerance,
    },
    d,
  );
export const AGGREGATIONS = ['sum', 'average', 'last', 'min', 'max', 'allDone'] as const;
export const aggregationLabel = (a: string) =>
  pick(
    {
      sum: m.aggregation_sum,
      average: m.aggregation_average,
      last: m.aggregation_last,
      min: m.aggregation_min,
      max: m.aggregation_max,
      allDone: m.aggregation_allDone,
    },
    a,
  );
export const findingLabel = (sev: string) =>
  pick({ error: m.plan_finding_error, warning: m.plan_finding_warning, info: m.plan_finding_info }, sev);

const FIELD: Record<string, () => string> = {
  title: m.plan_kr_title,
  type: m.plan_kr_type,
  breakthrough: m.plan_kr_breakthrough,
  unit: m.plan_kr_unit,
  direction: m.plan_kr_direction,
  baseline: m.plan_kr_baseline,
  target: m.plan_kr_target,
  weight: m.plan_weight,
  cadence: m.plan_kr_cadence,
  aggregation: m.plan_kr_aggregation,
  evidenceRequired: m.plan_kr_evidence,
  taskId: m.plan_kr_task,
  sectionId: m.plan_section,
  periodTargets: m.plan_field_periodTargets,
  perspective: m.plan_field_perspective,
};
/** The label of a field named in a diff. */
export const fieldLabel = (f: string) => pick(FIELD, f);

/** A value of a diff, as a reader sees it. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined || v === '') return m.plan_value_empty();
  if (typeof v === 'boolean') return v ? m.plan_value_yes() : m.plan_value_no();
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'object' && v && 'kind' in v) {
    const { kind, ...rest } = v as { kind: string };
    const extra = Object.values(rest).filter(Boolean).join(' – ');
    return extra ? `${directionLabel(kind)} (${extra})` : directionLabel(kind);
  }
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${String(x)}`)
    .join(', ');
}
