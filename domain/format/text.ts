// Search that ignores Vietnamese diacritics and case: "ke hoach" finds "Kế hoạch", "dang uy" finds
// "Đảng ủy". đ/Đ are letters of their own (not a d with a combining mark), so they are folded explicitly.

const COMBINING_MARKS = /\p{M}+/gu;

/** Folds text for search: đ/Đ → d, lower case, diacritics removed (NFD + strip marks), spaces collapsed. */
export function foldForSearch(s: string): string {
  return s
    .replace(/[đĐ]/g, 'd')
    .toLowerCase() // before stripping: lower-casing may itself add a mark ("İ" → "i̇")
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * True when every word of `query` occurs in `haystack`, ignoring diacritics and case.
 * An empty query matches everything.
 */
export function matches(haystack: string, query: string): boolean {
  const folded = foldForSearch(haystack);
  const words = foldForSearch(query)
    .split(' ')
    .filter((w) => w !== '');
  return words.every((w) => folded.includes(w));
}

/**
 * `foldForSearch` as a character translation for SQL `translate(lower(x), from, to)`: every precomposed
 * Latin letter that folds to one ASCII letter, then the combining marks (which have no counterpart in
 * `to`, so translate() deletes them from decomposed text).
 */
export const FOLD_TRANSLATION: { from: string; to: string } = (() => {
  let from = '';
  let to = '';
  for (const [lo, hi] of [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ] as const) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      const f = foldForSearch(ch);
      if (/^[a-z]$/.test(f) && f !== ch) {
        from += ch;
        to += f;
      }
    }
  }
  for (let cp = 0x300; cp <= 0x36f; cp++) from += String.fromCodePoint(cp);
  return { from, to };
})();
