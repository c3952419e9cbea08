// Suggests metrics from the library while a task is typed (DESIGN §2: a qualitative task such as "Tăng cường
// công tác tư tưởng" is offered measurable key results). Matching ignores diacritics and case
// (foldForSearch), works on partial input (the last word may be unfinished) and ranks by:
// - phrases: a title or keyword found whole in the task scores 2 per syllable; a title or keyword that
//   contains the whole (partial) task scores 1 per syllable of the task;
// - words: each task word found in the entry scores its rarity across the library (ln(1 + N/df)),
//   so "tư tưởng" weighs more than "tỷ lệ"; common verbs and function words are ignored;
// - perspective: +1.5 when the caller knows the task's perspective and the entry has it.
// Entries scoring under a quarter of the best are dropped: a stray syllable ("kiểm" of "tiết kiệm" in
// "kiểm toán") should not fill the list.

import { foldForSearch } from '../../format/text.ts';
import type { Perspective } from '../model.ts';
import { METRIC_LIBRARY } from './metric-library.ts';
import type { MetricEntry } from './types.ts';

export interface SuggestOptions {
  /** How many suggestions to return (default 5). */
  limit?: number;
  /** The perspective the task is being typed under, when known. */
  perspective?: Perspective;
  /** The library to search (default METRIC_LIBRARY). */
  library?: readonly MetricEntry[];
}

export interface MetricSuggestion {
  metric: MetricEntry;
  /** Higher is better; only entries with a positive score are returned. */
  score: number;
  /** The entry's title or keywords that matched (as written in the library). */
  matched: string[];
}

/** Folded words that say nothing about what to measure (function words, generic verbs of task titles). */
const IGNORED = new Set([
  'va',
  'cac',
  'cua',
  'cho',
  'trong',
  'theo',
  'la',
  'de',
  'voi',
  'nhung',
  'mot',
  'duoc',
  'tren',
  'o',
  've',
  'tai',
  'tu',
  'den',
  'nay',
  'do',
  'hoac',
  'khac',
  'nhat',
  'thuc',
  'hien',
  'lam',
  'tot',
  'tang',
  'cuong',
  'nang',
  'cao',
  'day',
  'manh',
  'trien',
  'khai',
  'nhiem',
  'vu',
  'cong',
  'tac',
  'chi',
  'dao',
  'tiep',
  'tuc',
]);

const PERSPECTIVE_BONUS = 1.5;
const MIN_SHARE_OF_BEST = 0.25;

function words(s: string): string[] {
  return foldForSearch(s)
    .split(/[^a-z0-9]+/u)
    .filter((w) => w !== '');
}

interface Indexed {
  metric: MetricEntry;
  /** [as written, folded words joined by one space] for the title and each keyword. */
  phrases: [string, string][];
  tokens: Set<string>;
}

const indexCache = new WeakMap<readonly MetricEntry[], { entries: Indexed[]; idf: Map<string, number> }>();

function indexOf(library: readonly MetricEntry[]): { entries: Indexed[]; idf: Map<string, number> } {
  const cached = indexCache.get(library);
  if (cached !== undefined) return cached;
  const entries = library.map((metric): Indexed => {
    const phrases: [string, string][] = [];
    const seen = new Set<string>();
    for (const p of [metric.title, ...metric.keywords]) {
      const folded = words(p).join(' ');
      if (folded !== '' && !seen.has(folded)) {
        seen.add(folded);
        phrases.push([p, folded]);
      }
    }
    const tokens = new Set(phrases.flatMap(([, f]) => f.split(' ')));
    return { metric, phrases, tokens };
  });
  const df = new Map<string, number>();
  for (const e of entries) for (const t of e.tokens) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [t, n] of df) idf.set(t, Math.log(1 + entries.length / n));
  const built = { entries, idf };
  indexCache.set(library, built);
  return built;
}

/** Ranks library entries for a task title being typed; the best first, at most `limit`. */
export function suggestMetrics(taskTitle: string, options: SuggestOptions = {}): MetricSuggestion[] {
  const limit = options.limit ?? 5;
  const { entries, idf } = indexOf(options.library ?? METRIC_LIBRARY);
  const all = words(taskTitle);
  if (all.length === 0 || limit <= 0) return [];
  const query = ` ${all.join(' ')} `;
  // The task as typed, its last word possibly unfinished: "tuyen tru" matches "tuyen truyen …".
  const partial = new RegExp(`(^| )${all.join(' ')}[a-z0-9]*( |$)`, 'u');
  const meaningful = [...new Set(all.filter((w) => !IGNORED.has(w)))];
  const last = all[all.length - 1] ?? '';

  const scored: { s: MetricSuggestion; order: number }[] = [];
  entries.forEach((e, order) => {
    let score = 0;
    const matched: string[] = [];
    for (const [written, folded] of e.phrases) {
      let hit = false;
      if (query.includes(` ${folded} `)) {
        score += 2 * folded.split(' ').length;
        hit = true;
      } else if (partial.test(folded)) {
        score += all.length;
        hit = true;
      }
      if (hit) matched.push(written);
    }
    for (const w of meaningful) {
      if (e.tokens.has(w)) score += idf.get(w) ?? 0;
    }
    // An unfinished last word that no whole word matched yet: a small nudge towards its completions.
    if (!IGNORED.has(last) && !e.tokens.has(last) && last.length >= 2) {
      for (const t of e.tokens) {
        if (t.startsWith(last)) {
          score += 0.5;
          break;
        }
      }
    }
    if (score <= 0) return;
    if (options.perspective !== undefined && e.metric.perspective === options.perspective)
      score += PERSPECTIVE_BONUS;
    scored.push({ s: { metric: e.metric, score: Math.round(score * 1000) / 1000, matched }, order });
  });
  scored.sort((a, b) => b.s.score - a.s.score || a.order - b.order);
  const best = scored[0]?.s.score ?? 0;
  return scored
    .filter((x) => x.s.score >= best * MIN_SHARE_OF_BEST)
    .slice(0, limit)
    .map((x) => x.s);
}
