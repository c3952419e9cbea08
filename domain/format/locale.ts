// The two interface languages of WOMS: Vietnamese first, English second (DESIGN §5).

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in both interface languages. */
export interface LocalizedText {
  vi: string;
  en: string;
}
