// How an evidence file is described next to its download link: a short, language-neutral name of the type
// sniffed from its content, and its size the Vietnamese or the English way ("1,5 MB" / "1.5 MB").
import { m } from '#lib/paraglide/messages.js';
import { formatBytes } from '../../../domain/evidence/policy.ts';

/** An evidence file as the API lists it (type: sniffed from the content). */
export interface EvidenceFileView {
  id: string;
  fileName: string;
  type: string;
  size: number;
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'text/plain': 'TXT',
  'text/csv': 'CSV',
};

/** "PDF, 1,5 MB" in Vietnamese, "PDF, 1.5 MB" in English. */
export function evidenceFacts(f: Pick<EvidenceFileView, 'type' | 'size'>, locale: 'vi' | 'en'): string {
  return m.evidence_facts({ type: TYPE_NAMES[f.type] ?? f.type, size: formatBytes(f.size, locale) });
}

/** Where the browser downloads the file (the API serves it as an attachment, through the web app). */
export const evidenceHref = (f: Pick<EvidenceFileView, 'id'>) => `/api/evidence/${encodeURIComponent(f.id)}`;
