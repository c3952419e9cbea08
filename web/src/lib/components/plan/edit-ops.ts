// The structural edits of the draft editor (issue 5): add and remove tasks and key results, and a key
// result from a metric of the library. Each is applied to the content the form produced and saved as a new
// version like any other edit. Pure: ids come from the caller.
import {
  type Direction,
  type KeyResult,
  MAX_KEY_RESULTS,
  MIN_KEY_RESULTS,
  type PlanContent,
  type Task,
} from './content.ts';

/** What a submit button of the editor asks for, from its `op` value. */
export type EditOp =
  | { kind: 'add-task' }
  | { kind: 'add-kr'; taskId: string }
  | { kind: 'remove-task'; taskId: string }
  | { kind: 'remove-kr'; keyResultId: string }
  | { kind: 'metric'; taskId: string; metricId: string };

/** Parses an `op` value (`add-task`, `add-kr|<task>`, `remove-task|<task>`, `remove-kr|<kr>`,
 * `metric|<task>|<metric>`); ids never contain '|'. */
export function parseOp(raw: string): EditOp | null {
  const [kind, a, b] = raw.split('|');
  if (kind === 'add-task' && a === undefined) return { kind };
  if (!a) return null;
  if (kind === 'add-kr' || kind === 'remove-task') return { kind, taskId: a };
  if (kind === 'remove-kr') return { kind, keyResultId: a };
  if (kind === 'metric' && b) return { kind, taskId: a, metricId: b };
  return null;
}

/** Why an edit cannot be made (the page words it from the catalogue). */
export type EditRefusal = 'TITLE_REQUIRED' | 'TOO_MANY_KEY_RESULTS' | 'LAST_KEY_RESULT' | 'NOT_FOUND';

export type EditResult =
  | { ok: true; content: PlanContent; focus?: string }
  | { ok: false; reason: EditRefusal };

/** The fields a metric of the library gives a key result. */
export interface MetricFields {
  id: string;
  title: string;
  unit: string;
  direction: Direction['kind'];
  aggregation: string;
  cadence: string;
  type: 'KPI' | 'OKR';
}

const clone = (c: PlanContent): PlanContent => ({
  ...c,
  tasks: c.tasks.map((t) => ({ ...t, keyResults: t.keyResults.map((k) => ({ ...k })) })),
});

function directionOf(kind: Direction['kind'], year: number): Direction {
  if (kind === 'range') return { kind, lo: '', hi: '', tolerance: '' };
  if (kind === 'milestone') return { kind, dueDate: `${year}-12-31` };
  return { kind };
}

/** A key result with the editor's defaults (target left for the drafter). */
export function blankKeyResult(id: string, title: string): KeyResult {
  return {
    id,
    title,
    type: 'KPI',
    breakthrough: false,
    unit: '',
    direction: { kind: 'higher' },
    target: '',
    weight: '1',
    cadence: 'month',
    aggregation: 'sum',
    evidenceRequired: true,
  };
}

/** A key result filled from a metric of the library: title, unit, direction, aggregation and cadence. */
export function keyResultFromMetric(id: string, metric: MetricFields, year: number): KeyResult {
  return {
    ...blankKeyResult(id, metric.title),
    type: metric.type,
    unit: metric.unit,
    direction: directionOf(metric.direction, year),
    aggregation: metric.aggregation,
    cadence: metric.cadence,
    metricId: metric.id,
  };
}

/**
 * Applies one structural edit. `where` is a section id or `perspective:<code>` (a new task's place),
 * `title` the new task's or key result's title, `newId` the id of what is added.
 */
export function applyOp(
  content: PlanContent,
  op: EditOp,
  input: { title?: string; where?: string; newId: string; metric?: MetricFields },
): EditResult {
  const next = clone(content);
  const task = (id: string) => next.tasks.find((t) => t.id === id);
  switch (op.kind) {
    case 'add-task': {
      const title = input.title?.trim() ?? '';
      if (!title) return { ok: false, reason: 'TITLE_REQUIRED' };
      const where = input.where ?? '';
      const section = next.sections.find((s) => s.id === where);
      const perspective = section?.perspective ?? where.replace(/^perspective:/, '');
      if (!section && !['citizens', 'budget', 'processes', 'learning'].includes(perspective))
        return { ok: false, reason: 'NOT_FOUND' };
      const t: Task = {
        id: input.newId,
        title,
        perspective,
        ...(section ? { sectionId: section.id } : {}),
        weight: '1',
        keyResults: [],
      };
      // after the last task of the same place, so it shows where it was added
      const last = next.tasks.findLastIndex((x) =>
        section ? x.sectionId === section.id : x.perspective === perspective && !x.sectionId,
      );
      next.tasks.splice(last < 0 ? next.tasks.length : last + 1, 0, t);
      return { ok: true, content: next, focus: t.id };
    }
    case 'add-kr':
    case 'metric': {
      const t = task(op.taskId);
      if (!t) return { ok: false, reason: 'NOT_FOUND' };
      if (t.keyResults.length >= MAX_KEY_RESULTS) return { ok: false, reason: 'TOO_MANY_KEY_RESULTS' };
      let kr: KeyResult;
      if (op.kind === 'metric') {
        if (!input.metric) return { ok: false, reason: 'NOT_FOUND' };
        kr = keyResultFromMetric(input.newId, input.metric, content.year);
      } else {
        const title = input.title?.trim() ?? '';
        if (!title) return { ok: false, reason: 'TITLE_REQUIRED' };
        kr = blankKeyResult(input.newId, title);
      }
      t.keyResults.push(kr);
      return { ok: true, content: next, focus: kr.id };
    }
    case 'remove-task': {
      const i = next.tasks.findIndex((t) => t.id === op.taskId);
      if (i < 0) return { ok: false, reason: 'NOT_FOUND' };
      next.tasks.splice(i, 1);
      return { ok: true, content: next };
    }
    case 'remove-kr': {
      const t = next.tasks.find((x) => x.keyResults.some((k) => k.id === op.keyResultId));
      if (!t) return { ok: false, reason: 'NOT_FOUND' };
      if (t.keyResults.length <= MIN_KEY_RESULTS) return { ok: false, reason: 'LAST_KEY_RESULT' };
      t.keyResults = t.keyResults.filter((k) => k.id !== op.keyResultId);
      return { ok: true, content: next, focus: t.id };
    }
  }
}
