// Plan outlines (templates) and the metric library as plain data (DESIGN §2, seed 004 Phụ lục 1, 2, 3, 4).
// No I/O: every layer (API, web, workflows) may import these.

import type { AggregationRule, Cadence, Direction, KeyResultType, Perspective } from '../model.ts';

/** The kind of a key result's direction; a template cannot know the dates or bounds a plan will set. */
export type DirectionKind = Direction['kind'];

/** Where in seed 004 something comes from: the document part, a section code inside it, and the line. */
export interface SeedSource {
  /** 'PL1'…'PL4' = Phụ lục 1…4; 'body' = the main text before the appendices. */
  doc: 'PL1' | 'PL2' | 'PL3' | 'PL4' | 'body';
  /** Section code within the part, e.g. 'II', 'P1.I.2' (outlines) or '2.3' (Phụ lục 4). */
  section: string;
  /** 1-based line of seeds/004_f7138e65d59d58e5.txt. */
  line: number;
}

/** The fields a metric carries into a key result. */
export interface MetricFields {
  unit: string;
  direction: DirectionKind;
  aggregation: AggregationRule;
  cadence: Cadence;
  type: KeyResultType;
}

/** A metric definition before its sources from the outlines are gathered (see metric-library.ts). */
export interface MetricDefinition extends MetricFields {
  /** Stable slug (ASCII, kebab-case): never renamed once shipped, plans refer to it. */
  id: string;
  /** Vietnamese title, normalised (the seed's wording of the measure, without the example's target). */
  title: string;
  /** English title (our translation). */
  titleEn: string;
  perspective: Perspective;
  /** Vietnamese search terms (with diacritics; matching folds them). */
  keywords: string[];
  /** A measurable stand-in for a qualitative task ("weigh the elephant", DESIGN §2, Phụ lục 4 §2.3). */
  proxy: boolean;
  /** Sources outside the two outlines (main text, Phụ lục 3 and 4). */
  extraSources: SeedSource[];
}

export interface MetricEntry extends MetricDefinition {
  /** Every place in the seed the metric comes from: outline key results first, then `extraSources`. */
  sources: SeedSource[];
}

/** An example key result of an outline, as the seed words it, with the fields of its metric. */
export interface TemplateKeyResult extends MetricFields {
  id: string;
  /** Verbatim from the seed (NFC, whitespace collapsed, list bullets and "Mục tiêu then chốt n:" removed). */
  title: string;
  /** The seed's explanation of the measure, when it gives one (verbatim). */
  note?: string;
  metricId: string;
  breakthrough: boolean;
}

export interface TemplateTask {
  id: string;
  /** The seed's own number ("2.1", "Nhiệm vụ 3") when it gives one. */
  number?: string;
  /** Verbatim from the seed; for a long paragraph, its first sentence (the rest is in `detail`). */
  title: string;
  detail?: string;
  /** Resolutions, directives or conclusions the task cites, as the seed writes them. */
  resolutions: string[];
  /** "Nhiệm vụ mang tính đột phá": shown in its own colour, excluded from appraisal by default. */
  breakthrough: boolean;
  seedLine: number;
  keyResults: TemplateKeyResult[];
}

export interface TemplateSection {
  /** Unique across both outlines, e.g. 'pl2:P1.I.1'. */
  id: string;
  /** Position in the tree, e.g. 'P1.I.1' (commune) or 'IV.2' (agency). */
  code: string;
  /** The label as printed in the seed: 'I/', 'Phần II', '2.3'. */
  number: string;
  title: string;
  perspective: Perspective;
  seedLine: number;
  /** The general aim the seed states for the section ("Nhiệm vụ: …") when it is not an example task. */
  aim?: string;
  /** Drafting guidance the seed gives for the section (kept verbatim). */
  guidance?: string;
  tasks: TemplateTask[];
  /** Key results the seed suggests for the section without naming a task. */
  suggestedKeyResults: TemplateKeyResult[];
  children: TemplateSection[];
}

export interface PlanOutline {
  id: 'agency' | 'commune';
  /** 'PL1' or 'PL2'. */
  doc: 'PL1' | 'PL2';
  title: string;
  subtitle: string;
  sections: TemplateSection[];
}
