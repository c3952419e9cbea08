// The TrueType DejaVu fonts the reports embed (package dejavu-fonts-ttf): they cover every Vietnamese letter
// (ă â đ ê ô ơ ư with the five tones, capitals included) and pdfkit embeds them as subsets.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ttf = (file: string) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);

/** The font names the PDF renderers register, mapped to their files. */
export const REPORT_FONTS = {
  serif: ttf('DejaVuSerif.ttf'),
  serifBold: ttf('DejaVuSerif-Bold.ttf'),
  serifItalic: ttf('DejaVuSerif-Italic.ttf'),
  serifBoldItalic: ttf('DejaVuSerif-BoldItalic.ttf'),
  /** The table uses the condensed cut of the same family so that numbers fit their columns. */
  table: ttf('DejaVuSerifCondensed.ttf'),
  tableBold: ttf('DejaVuSerifCondensed-Bold.ttf'),
  tableItalic: ttf('DejaVuSerifCondensed-Italic.ttf'),
} as const;

export type ReportFont = keyof typeof REPORT_FONTS;
