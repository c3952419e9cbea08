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
