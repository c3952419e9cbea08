// Builds an outline's tree from compact seed transcriptions: assigns ids, normalises text (NFC, collapsed
// whitespace), makes every section inherit its top-level perspective and copies each key result's fields
// from its metric definition.

import type { KeyResultType, Perspective } from '../model.ts';
import { METRIC_DEFINITIONS } from './metric-definitions.ts';
import type {
  MetricDefinition,
  PlanOutline,
  TemplateKeyResult,
  TemplateSection,
  TemplateTask,
} from './types.ts';

/** A key result as transcribed: metric id, title (verbatim), optional note, and type when it differs. */
export interface KrIn {
  m: string;
  t: string;
  note?: string;
  type?: KeyResultType;
}

export interface TaskIn {
  n?: string;
  t: string;
  detail?: string;
  res?: string[];
  /** Breakthrough ("nhiệm vụ mang tính đột phá"): its key results become breakthrough OKRs. */
  bt?: boolean;
  line: number;
  krs?: KrIn[];
}

export interface SectionIn {
  code: string;
  n: string;
  t: string;
  line: number;
  /** Required on top-level sections; children inherit it. */
  p?: Perspective;
  aim?: string;
  guidance?: string;
  tasks?: TaskIn[];
  krs?: KrIn[];
  children?: SectionIn[];
}

const BY_ID: ReadonlyMap<string, MetricDefinition> = new Map(METRIC_DEFINITIONS.map((d) => [d.id, d]));

/** NFC, whitespace collapsed, trimmed. */
export function clean(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

function keyResult(id: string, k: KrIn, breakthrough: boolean): TemplateKeyResult {
  const metric = BY_ID.get(k.m);
  if (metric === undefined) throw new Error(`outline key result ${id} names unknown metric ${k.m}`);
  const kr: TemplateKeyResult = {
    id,
    title: clean(k.t),
    metricId: metric.id,
    unit: metric.unit,
    direction: metric.direction,
    aggregation: metric.aggregation,
    cadence: metric.cadence,
    type: breakthrough ? 'OKR' : (k.type ?? metric.type),
    breakthrough,
  };
  if (k.note !== undefined) kr.note = clean(k.note);
  return kr;
}

function task(id: string, t: TaskIn): TemplateTask {
  const bt = t.bt ?? false;
  const out: TemplateTask = {
    id,
    title: clean(t.t),
    resolutions: (t.res ?? []).map(clean),
    breakthrough: bt,
    seedLine: t.line,
    keyResults: (t.krs ?? []).map((k, i) => keyResult(`${id}/kr${i + 1}`, k, bt)),
  };
  if (t.n !== undefined) out.number = clean(t.n);
  if (t.detail !== undefined) out.detail = clean(t.detail);
  return out;
}

function section(prefix: string, s: SectionIn, inherited: Perspective | undefined): TemplateSection {
  const perspective = inherited ?? s.p;
  if (perspective === undefined) throw new Error(`top-level section ${s.code} has no perspective`);
  if (inherited !== undefined && s.p !== undefined && s.p !== inherited) {
    throw new Error(`section ${s.code} contradicts its parent's perspective`);
  }
  const id = `${prefix}:${s.code}`;
  const out: TemplateSection = {
    id,
    code: s.code,
    number: clean(s.n),
    title: clean(s.t),
    perspective,
    seedLine: s.line,
    tasks: (s.tasks ?? []).map((t, i) => task(`${id}/t${i + 1}`, t)),
    suggestedKeyResults: (s.krs ?? []).map((k, i) => keyResult(`${id}/kr${i + 1}`, k, false)),
    children: (s.children ?? []).map((c) => section(prefix, c, perspective)),
  };
  if (s.aim !== undefined) out.aim = clean(s.aim);
  if (s.guidance !== undefined) out.guidance = clean(s.guidance);
  return out;
}

export function buildOutline(
  id: PlanOutline['id'],
  doc: PlanOutline['doc'],
  title: string,
  subtitle: string,
  sections: SectionIn[],
): PlanOutline {
  const prefix = doc.toLowerCase();
  return {
    id,
    doc,
    title: clean(title),
    subtitle: clean(subtitle),
    sections: sections.map((s) => section(prefix, s, undefined)),
  };
}
