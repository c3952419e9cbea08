// The plan content of the plan editor (DESIGN §2): the zod shape of a domain Plan with its section tree,
// the plan built from a template (Phụ lục 1 agencies, Phụ lục 2 communes), and the field-by-field diff of
// two versions. Pure: no I/O.
import type { Direction, KeyResult, Plan, Task } from '../../../domain/plan/model.ts';
import { PERSPECTIVES } from '../../../domain/plan/model.ts';
import { AGENCY_OUTLINE, COMMUNE_OUTLINE } from '../../../domain/plan/templates/index.ts';
import type { TemplateKeyResult, TemplateSection } from '../../../domain/plan/templates/types.ts';
import { plainText, z } from '../../contract.ts';

/** A plain decimal string ("12", "-0.5"); empty while the drafter has not set it yet. */
export const decimalText = z
  .string()
  .max(40)
  .regex(/^([-+]?[0-9]+(\.[0-9]+)?)?$/, { message: 'DECIMAL_INVALID' });
const itemId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9:/._-]*$/, { message: 'ID_INVALID' });
const localDate = z.iso.date();

const DirectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('higher') }).strict(),
  z.object({ kind: z.literal('lower') }).strict(),
  z.object({ kind: z.literal('range'), lo: decimalText, hi: decimalText, tolerance: decimalText }).strict(),
  z.object({ kind: z.literal('milestone'), dueDate: localDate }).strict(),
  z.object({ kind: z.literal('zeroTolerance') }).strict(),
]);

export const KeyResultSchema = z
  .object({
    id: itemId,
    title: plainText(1000),
    type: z.enum(['KPI', 'OKR']),
    breakthrough: z.boolean(),
    unit: z.string().max(50),
    direction: DirectionSchema,
    baseline: decimalText.optional(),
    target: decimalText,
    periodTargets: z.record(z.string().regex(/^\d{4}-(Q[1-4]|\d{2})$/), decimalText).optional(),
    weight: decimalText,
    cadence: z.enum(['day', 'week', 'month', 'quarter', 'year']),
    aggregation: z.enum(['sum', 'average', 'last', 'min', 'max', 'allDone']),
    evidenceRequired: z.boolean(),
    ownerId: z.uuid().optional(),
    parentKeyResultId: itemId.optional(),
    metricId: z.string().max(100).optional(),
    cascade: z
      .object({ mode: z.enum(['mandatory', 'suggested']), to: z.array(z.uuid()).min(1).max(500).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('PlanKeyResult');

export const TaskSchema = z
  .object({
    id: itemId,
    title: plainText(2000),
    perspective: z.enum(PERSPECTIVES),
    sectionId: itemId.optional(),
    weight: decimalText,
    keyResults: z.array(KeyResultSchema).max(20),
  })
  .strict()
  .openapi('PlanTask');

export const SectionSchema = z
  .object({
    id: itemId,
    code: z.string().max(40).optional(),
    title: plainText(1000),
    perspective: z.enum(PERSPECTIVES),
    parentId: itemId.optional(),
  })
  .strict()
  .openapi('PlanSection');

/** What the editor sends: the sections and tasks (the plan's id, year and owner come from the plan). */
export const PlanContentInput = z
  .object({
    sections: z.array(SectionSchema).max(500).default([]),
    tasks: z.array(TaskSchema).max(1000),
    perspectiveWeights: z.partialRecord(z.enum(PERSPECTIVES), decimalText).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    const dup = (id: string, path: (string | number)[]) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: 'ID_DUPLICATE', path });
      seen.add(id);
    };
    const sections = new Set(p.sections.map((s) => s.id));
    p.sections.forEach((s, i) => {
      dup(s.id, ['sections', i, 'id']);
    });
    p.tasks.forEach((t, i) => {
      dup(t.id, ['tasks', i, 'id']);
      if (t.sectionId !== undefined && !sections.has(t.sectionId))
        ctx.addIssue({ code: 'custom', message: 'SECTION_UNKNOWN', path: ['tasks', i, 'sectionId'] });
      t.keyResults.forEach((k, j) => {
        dup(k.id, ['tasks', i, 'keyResults', j, 'id']);
      });
    });
  })
  .openapi('PlanContentInput');
export type PlanContentInput = z.infer<typeof PlanContentInput>;
export type PlanSection = z.infer<typeof SectionSchema>;

/** The stored content of a version: a domain Plan plus its section tree. */
export type PlanContent = Plan & { sections: PlanSection[] };

export const PlanContentSchema = z
  .object({
    id: z.string(),
    year: z.number().int(),
    owner: z.union([
      z.object({ kind: z.literal('unit'), unitId: z.string() }),
      z.object({ kind: z.literal('person'), personId: z.string() }),
    ]),
    sections: z.array(SectionSchema),
    tasks: z.array(TaskSchema),
    perspectiveWeights: z.partialRecord(z.enum(PERSPECTIVES), z.string()).optional(),
  })
  .openapi('PlanContent');

export function contentOf(plan: Pick<Plan, 'id' | 'year' | 'owner'>, input: PlanContentInput): PlanContent {
  return {
    id: plan.id,
    year: plan.year,
    owner: plan.owner,
    sections: input.sections,
    tasks: input.tasks as Task[],
    ...(input.perspectiveWeights ? { perspectiveWeights: input.perspectiveWeights } : {}),
  };
}

// ---- templates

export const TEMPLATES = ['agency', 'commune'] as const;
export type TemplateId = (typeof TEMPLATES)[number];

function directionOf(kind: TemplateKeyResult['direction'], year: number): Direction {
  switch (kind) {
    case 'range':
      return { kind: 'range', lo: '', hi: '', tolerance: '' };
    case 'milestone':
      return { kind: 'milestone', dueDate: `${year}-12-31` };
    default:
      return { kind };
  }
}

function keyResultOf(k: TemplateKeyResult, year: number): KeyResult & { metricId: string } {
  return {
    id: k.id,
    title: k.title,
    type: k.type,
    breakthrough: k.breakthrough,
    unit: k.unit,
    direction: directionOf(k.direction, year),
    target: '',
    weight: '1',
    cadence: k.cadence,
    aggregation: k.aggregation,
    evidenceRequired: true,
    metricId: k.metricId,
  };
}

/** A plan's first draft from an outline: its section tree and its example tasks with their key results
 * (targets left for the drafter). */
export function contentFromTemplate(
  plan: Pick<Plan, 'id' | 'year' | 'owner'>,
  template: TemplateId | undefined,
): PlanContent {
  const sections: PlanSection[] = [];
  const tasks: Task[] = [];
  const walk = (list: readonly TemplateSection[], parentId?: string) => {
    for (const s of list) {
      sections.push({
        id: s.id,
        code: s.code,
        title: s.title,
        perspective: s.perspective,
        ...(parentId ? { parentId } : {}),
      });
      for (const t of s.tasks)
        tasks.push({
          id: t.id,
          title: t.title,
          perspective: s.perspective,
          sectionId: s.id,
          weight: '1',
          keyResults: t.keyResults.map((k) => keyResultOf(k, plan.year)),
        });
      walk(s.children, s.id);
    }
  };
  if (template) walk((template === 'agency' ? AGENCY_OUTLINE : COMMUNE_OUTLINE).sections);
  return { id: plan.id, year: plan.year, owner: plan.owner, sections, tasks };
}

// ---- diff

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}
export interface ItemChange {
  id: string;
  title: string;
  taskId?: string;
  changes: FieldChange[];
}
export interface PlanDiff {
  tasks: { added: ItemChange[]; removed: ItemChange[]; changed: ItemChange[] };
  keyResults: { added: ItemChange[]; removed: ItemChange[]; changed: ItemChange[] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function fieldChanges(a: Record<string, unknown>, b: Record<string, unknown>, skip: string[]): FieldChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.includes(k)).sort();
  return keys
    .filter((k) => !same(a[k], b[k]))
    .map((k) => ({ field: k, from: a[k] ?? null, to: b[k] ?? null }));
}

/** Added, removed and changed tasks and key results, field by field (a key result moved to another task
 * shows as a change of its `taskId`). */
export function diffPlans(from: Pick<Plan, 'tasks'>, to: Pick<Plan, 'tasks'>): PlanDiff {
  const krs = (p: Pick<Plan, 'tasks'>) =>
    new Map(p.tasks.flatMap((t) => t.keyResults.map((k) => [k.id, { ...k, taskId: t.id }] as const)));
  const tasksA = new Map(from.tasks.map((t) => [t.id, t]));
  const tasksB = new Map(to.tasks.map((t) => [t.id, t]));
  const d: PlanDiff = {
    tasks: { added: [], removed: [], changed: [] },
    keyResults: { added: [], removed: [], changed: [] },
  };
  for (const [id, t] of tasksB) if (!tasksA.has(id)) d.tasks.added.push({ id, title: t.title, changes: [] });
  for (const [id, t] of tasksA) {
    const b = tasksB.get(id);
    if (!b) d.tasks.removed.push({ id, title: t.title, changes: [] });
    else {
      const changes = fieldChanges(
        t as unknown as Record<string, unknown>,
        b as unknown as Record<string, unknown>,
        ['keyResults'],
      );
      if (changes.length) d.tasks.changed.push({ id, title: b.title, changes });
    }
  }
  const ka = krs(from);
  const kb = krs(to);
  for (const [id, k] of kb)
    if (!ka.has(id)) d.keyResults.added.push({ id, title: k.title, taskId: k.taskId, changes: [] });
  for (const [id, k] of ka) {
    const b = kb.get(id);
    if (!b) d.keyResults.removed.push({ id, title: k.title, taskId: k.taskId, changes: [] });
    else {
      const changes = fieldChanges(k, b, []);
      if (changes.length) d.keyResults.changed.push({ id, title: b.title, taskId: b.taskId, changes });
    }
  }
  return d;
}
