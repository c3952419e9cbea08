// The metric library (thư viện thước đo, DESIGN §2): every distinct measure in the example key results of
// seed 004, with the places it comes from. Definitions are in metric-definitions.ts; the sources from the
// two outlines are gathered here from the outlines themselves, so they cannot drift apart.

import { AGENCY_OUTLINE } from './agency-outline.ts';
import { COMMUNE_OUTLINE } from './commune-outline.ts';
import { METRIC_DEFINITIONS } from './metric-definitions.ts';
import type { MetricEntry, PlanOutline, SeedSource, TemplateKeyResult, TemplateSection } from './types.ts';

export const OUTLINES: readonly PlanOutline[] = [AGENCY_OUTLINE, COMMUNE_OUTLINE];

/** Every example key result of an outline with the section it sits in (depth-first, seed order). */
export function outlineKeyResults(
  outline: PlanOutline,
): { section: TemplateSection; keyResult: TemplateKeyResult; line: number }[] {
  const out: { section: TemplateSection; keyResult: TemplateKeyResult; line: number }[] = [];
  const walk = (s: TemplateSection): void => {
    for (const k of s.suggestedKeyResults) out.push({ section: s, keyResult: k, line: s.seedLine });
    for (const t of s.tasks)
      for (const k of t.keyResults) out.push({ section: s, keyResult: k, line: t.seedLine });
    for (const c of s.children) walk(c);
  };
  for (const s of outline.sections) walk(s);
  return out;
}

function gatherSources(): Map<string, SeedSource[]> {
  const byMetric = new Map<string, SeedSource[]>();
  for (const outline of OUTLINES) {
    for (const { section, keyResult, line } of outlineKeyResults(outline)) {
      const list = byMetric.get(keyResult.metricId) ?? [];
      if (!list.some((s) => s.doc === outline.doc && s.section === section.code && s.line === line)) {
        list.push({ doc: outline.doc, section: section.code, line });
      }
      byMetric.set(keyResult.metricId, list);
    }
  }
  return byMetric;
}

const OUTLINE_SOURCES = gatherSources();

export const METRIC_LIBRARY: readonly MetricEntry[] = METRIC_DEFINITIONS.map((d) => ({
  ...d,
  sources: [...(OUTLINE_SOURCES.get(d.id) ?? []), ...d.extraSources],
}));

const BY_ID: ReadonlyMap<string, MetricEntry> = new Map(METRIC_LIBRARY.map((m) => [m.id, m]));

export function metricById(id: string): MetricEntry | undefined {
  return BY_ID.get(id);
}
