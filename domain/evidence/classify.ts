// Classifies an uploaded evidence file from its bytes (DESIGN §5: type sniffed from content). The name's
// extension is what the uploader claims; file-type reads the content's signature (for office files, the
// zip's parts); the two must agree. Plain text and CSV have no signature: their content must be UTF-8 text
// with no binary control characters and not markup (an HTML page renamed .txt is refused). Pure: file-type
// reads the given bytes only.
import { fileTypeFromBuffer } from 'file-type';
import {
  allowedList,
  cleanFileName,
  DEFAULT_EVIDENCE_LIMITS,
  EVIDENCE_KINDS,
  EVIDENCE_MAX_NAME_LENGTH,
  type EvidenceKind,
  type EvidenceLimits,
  type EvidenceRejection,
  extensionOf,
  formatBytes,
  kindOfExtension,
  kindOfMime,
  rejection,
} from './policy.ts';

export interface EvidenceClassification {
  ok: true;
  kind: EvidenceKind;
  /** The canonical MIME type of the sniffed kind (what is stored and served). */
  mime: string;
  /** The cleaned file name (last path segment, NFC, trimmed). */
  fileName: string;
  size: number;
}

export type EvidenceVerdict = EvidenceClassification | EvidenceRejection;

// biome-ignore lint/suspicious/noControlCharactersInRegex: binary control characters mark a non-text file
const BINARY_CONTROLS = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f]/;
const MARKUP = /^\s*<(?:!doctype|html|head|body|script|svg|iframe|\?xml|!--)/i;

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** True when the bytes read as UTF-8 text (BOM allowed) without binary control characters or markup. */
export function isPlainText(bytes: Uint8Array): boolean {
  const text = utf8(bytes);
  return text !== null && !BINARY_CONTROLS.test(text) && !MARKUP.test(text);
}

/** What signature-less content is, for the rejection message: a web page, plain text, or unknown. */
function unsignedContent(bytes: Uint8Array): string {
  if (MARKUP.test(new TextDecoder().decode(bytes.subarray(0, 1024)))) return 'text/html';
  return isPlainText(bytes) ? 'text/plain' : 'unknown';
}

/**
 * Decides whether `bytes` may be stored as evidence named `declaredName` (declared MIME type
 * `declaredType`, as the browser sent it, or null). Answers the sniffed kind, or a rejection with its
 * code and messages: EVIDENCE_EMPTY, EVIDENCE_TOO_LARGE, EVIDENCE_NAME_INVALID, EVIDENCE_TYPE_NOT_ALLOWED
 * (the extension is not an accepted kind), EVIDENCE_TYPE_MISMATCH (the content is not what the name or the
 * declared type claims, e.g. a program or a web page renamed .pdf).
 */
export async function classifyEvidence(
  bytes: Uint8Array,
  declaredName: string,
  declaredType: string | null,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): Promise<EvidenceVerdict> {
  const fileName = cleanFileName(declaredName);
  if (fileName === null) return rejection('EVIDENCE_NAME_INVALID', { max: String(EVIDENCE_MAX_NAME_LENGTH) });
  const name = fileName;
  if (bytes.byteLength === 0) return rejection('EVIDENCE_EMPTY', { name });
  if (bytes.byteLength > limits.maxBytes) {
    return rejection(
      'EVIDENCE_TOO_LARGE',
      { name },
      {
        vi: { size: formatBytes(bytes.byteLength, 'vi'), max: formatBytes(limits.maxBytes, 'vi') },
        en: { size: formatBytes(bytes.byteLength, 'en'), max: formatBytes(limits.maxBytes, 'en') },
      },
    );
  }
  const claimed = kindOfExtension(extensionOf(name), limits.kinds);
  if (claimed === undefined)
    return rejection('EVIDENCE_TYPE_NOT_ALLOWED', { name, allowed: allowedList(limits.kinds) });

  const sniffed = await fileTypeFromBuffer(bytes);
  const claimedMime = EVIDENCE_KINDS[claimed].mime;
  const mismatch = (actual: string) =>
    rejection('EVIDENCE_TYPE_MISMATCH', { name, declared: claimedMime, actual });

  let kind: EvidenceKind;
  if (sniffed === undefined) {
    // No signature: acceptable only as text, and only when the name claims a text kind.
    if (!EVIDENCE_KINDS[claimed].text || !isPlainText(bytes)) return mismatch(unsignedContent(bytes));
    kind = claimed;
  } else {
    const sniffedKind = kindOfMime(sniffed.mime, limits.kinds) ?? kindOfExtension(sniffed.ext, limits.kinds);
    if (sniffedKind !== claimed) return mismatch(sniffed.mime);
    kind = sniffedKind;
  }
  // A declared MIME type naming another accepted kind contradicts the content; an unknown or generic one
  // (application/octet-stream, a browser's guess for .csv) is only recorded.
  if (declaredType) {
    const declaredKind = kindOfMime(declaredType, limits.kinds);
    if (declaredKind !== undefined && declaredKind !== kind) {
      return rejection('EVIDENCE_TYPE_MISMATCH', {
        name,
        declared: EVIDENCE_KINDS[declaredKind].mime,
        actual: EVIDENCE_KINDS[kind].mime,
      });
    }
  }
  return { ok: true, kind, mime: EVIDENCE_KINDS[kind].mime, fileName, size: bytes.byteLength };
}
