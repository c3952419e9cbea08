// Plan outlines (Phụ lục 1 and 2 of seed 004), the metric library and metric suggestions (DESIGN §2).

export { AGENCY_OUTLINE } from './agency-outline.ts';
export { COMMUNE_OUTLINE } from './commune-outline.ts';
export { METRIC_LIBRARY, metricById, OUTLINES, outlineKeyResults } from './metric-library.ts';
export type { MetricSuggestion, SuggestOptions } from './suggest.ts';
export { suggestMetrics } from './suggest.ts';
export type * from './types.ts';
