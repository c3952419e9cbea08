// Evidence files (DESIGN §5): accepted kinds, size limits and content sniffing.
export {
  classifyEvidence,
  type EvidenceClassification,
  type EvidenceVerdict,
  isPlainText,
} from './classify.ts';
export {
  allowedList,
  cleanFileName,
  DEFAULT_EVIDENCE_LIMITS,
  EVIDENCE_HARD_MAX_BYTES,
  EVIDENCE_KIND_LIST,
  EVIDENCE_KINDS,
  EVIDENCE_MAX_NAME_LENGTH,
  EVIDENCE_MESSAGES,
  type EvidenceKind,
  type EvidenceLimits,
  type EvidenceRejection,
  type EvidenceRejectionCode,
  extensionOf,
  formatBytes,
} from './policy.ts';
