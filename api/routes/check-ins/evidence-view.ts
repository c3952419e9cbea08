// How an evidence file's metadata is answered (the upload, my check-in's key results).
import type { EvidenceFileMeta } from '../../../db/queries/evidence.ts';
import { z } from '../../contract.ts';

export const EvidenceFile = z
  .object({
    id: z.string(),
    fileName: z.string(),
    type: z.string().openapi({ description: 'The MIME type sniffed from the content' }),
    size: z.number().int(),
    sha256: z.string(),
    uploadedBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('EvidenceFile');

export const evidenceView = (f: EvidenceFileMeta) => ({
  id: f.id,
  fileName: f.fileName,
  type: f.sniffedType,
  size: f.size,
  sha256: f.sha256,
  uploadedBy: f.uploadedBy,
  createdAt: f.createdAt.toISOString(),
});
