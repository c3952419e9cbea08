// Evidence files (DESIGN §5): what may be uploaded as evidence of a key-result value and how large it may be.
// A file's type is decided from its content, never from its name alone: the name's extension says what the
// uploader claims, the content must agree. Pure: no I/O.
import type { Locale, LocalizedText } from '../format/locale.ts';
import { formatNumber } from '../format/number.ts';
import { fillTemplate } from '../format/template.ts';

/** The kinds of evidence accepted, with their canonical MIME type and the extensions that claim them. */
export const EVIDENCE_KINDS = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'], text: false },
  png: { mime: 'image/png', extensions: ['png'], text: false },
  jpeg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], text: false },
  webp: { mime: 'image/webp', extensions: ['webp'], text: false },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    text: false,
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    text: false,
  },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], text: false },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], text: false },
  txt: { mime: 'text/plain', extensions: ['txt'], text: true },
  csv: { mime: 'text/csv', extensions: ['csv'], text: true },
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;
export const EVIDENCE_KIND_LIST = Object.keys(EVIDENCE_KINDS) as EvidenceKind[];

export interface EvidenceLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** The kinds accepted (a subset of EVIDENCE_KINDS). */
  kinds: readonly EvidenceKind[];
}

/** The database refuses anything above this whatever the configuration (migration 0400_evidence). */
export const EVIDENCE_HARD_MAX_BYTES = 50 * 1024 * 1024;

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = {
  maxBytes: 10 * 1024 * 1024,
  kinds: EVIDENCE_KIND_LIST,
};

/** Longest file name kept (characters). */
export const EVIDENCE_MAX_NAME_LENGTH = 255;

export type EvidenceRejectionCode =
  | 'EVIDENCE_EMPTY'
  | 'EVIDENCE_TOO_LARGE'
  | 'EVIDENCE_NAME_INVALID'
  | 'EVIDENCE_TYPE_NOT_ALLOWED'
  | 'EVIDENCE_TYPE_MISMATCH';

export const EVIDENCE_MESSAGES = {
  EVIDENCE_EMPTY: {
    vi: 'Tệp "{name}" không có nội dung.',
    en: 'The file "{name}" is empty.',
  },
  EVIDENCE_TOO_LARGE: {
    vi: 'Tệp "{name}" có dung lượng {size}, vượt quá giới hạn {max} cho mỗi tệp minh chứng.',
    en: 'The file "{name}" is {size}, above the limit of {max} per evidence file.',
  },
  EVIDENCE_NAME_INVALID: {
    vi: 'Tên tệp không hợp lệ: tên phải có từ 1 đến {max} ký tự và không chứa ký tự điều khiển.',
    en: 'The file name is invalid: it must have 1 to {max} characters and no control characters.',
  },
  EVIDENCE_TYPE_NOT_ALLOWED: {
    vi: 'Không nhận tệp "{name}": chỉ nhận minh chứng dạng {allowed}.',
    en: 'The file "{name}" is not accepted: evidence must be one of {allowed}.',
  },
  EVIDENCE_TYPE_MISMATCH: {
    vi: 'Nội dung tệp "{name}" không phải {declared} như tên tệp khai báo (nội dung thực tế: {actual}). Tệp bị từ chối.',
    en: 'The content of "{name}" is not {declared} as its name claims (actual content: {actual}). The file is refused.',
  },
} as const satisfies Record<EvidenceRejectionCode, LocalizedText>;

export interface EvidenceRejection {
  ok: false;
  code: EvidenceRejectionCode;
  /** The template parameters (Vietnamese notation for numbers). */
  params: Record<string, string>;
  message: LocalizedText;
}

/**
 * A rejection with its messages; `byLocale` overrides parameters whose notation differs between the two
 * languages (sizes: "1,5 MB" / "1.5 MB").
 */
export function rejection(
  code: EvidenceRejectionCode,
  params: Record<string, string>,
  byLocale: Partial<Record<Locale, Record<string, string>>> = {},
): EvidenceRejection {
  const t = EVIDENCE_MESSAGES[code];
  const vi = { ...params, ...byLocale.vi };
  const en = { ...params, ...byLocale.en };
  return { ok: false, code, params: vi, message: { vi: fillTemplate(t.vi, vi), en: fillTemplate(t.en, en) } };
}

/** A byte count as people read it: "512 B", "1,5 MB" (vi) / "1.5 MB" (en). */
export function formatBytes(bytes: number, locale: Locale): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / 1024 / 1024, 'MB'];
  return `${formatNumber(value, locale, { maxFractionDigits: 1 })} ${unit}`;
}

/** The extension of a file name, lower case, without the dot ("" when it has none). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The name kept for a file: its last path segment, trimmed; null when empty, too long or with controls. */
export function cleanFileName(name: string): string | null {
  const base = name
    .slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
    .normalize('NFC')
    .trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (base === '' || [...base].length > EVIDENCE_MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(base))
    return null;
  return base;
}

/** The kind an extension claims among `kinds`, if any. */
export function kindOfExtension(ext: string, kinds: readonly EvidenceKind[]): EvidenceKind | undefined {
  return kinds.find((k) => (EVIDENCE_KINDS[k].extensions as readonly string[]).includes(ext));
}

/** The kind a MIME type names among `kinds`, if any (parameters such as "; charset=utf-8" ignored). */
export function kindOfMime(mime: string, kinds: readonly EvidenceKind[]): EvidenceKind | undefined {
  const bare = mime.split(';')[0]!.trim().toLowerCase();
  return kinds.find((k) => EVIDENCE_KINDS[k].mime === bare);
}

export function allowedList(kinds: readonly EvidenceKind[]): string {
  return kinds.flatMap((k) => EVIDENCE_KINDS[k].extensions.map((e) => `.${e}`)).join(', ');
}
