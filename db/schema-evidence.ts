// Kysely types of evidence files (migration 0400_evidence), added to DB by module augmentation.
import type { Generated, Insertable, Selectable } from 'kysely';
import type { GeneratedTimestamp } from './schema.ts';

export interface EvidenceFileTable {
  id: Generated<string>;
  /** The unit whose scope may read the file. */
  unit_id: string;
  uploaded_by: string;
  /** What the file is evidence for, e.g. 'check_in', 'key_result_value', 'late_cause'. */
  subject_type: string;
  subject_id: string;
  file_name: string;
  /** The MIME type the uploader's browser declared, as sent (not trusted). */
  declared_type: string | null;
  /** The MIME type sniffed from the content (domain/evidence classifyEvidence). */
  sniffed_type: string;
  size_bytes: number;
  /** Hex sha256 of `bytes` (checked by the database). */
  sha256: string;
  bytes: Buffer;
  created_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    evidence_file: EvidenceFileTable;
  }
}

export type EvidenceFileRow = Selectable<EvidenceFileTable>;
export type NewEvidenceFile = Insertable<EvidenceFileTable>;
