export {
  type AnchoredHead,
  type AnchorProblem,
  type AnchorVerification,
  type AuditAnchor,
  getAnchor,
  verifyAnchors,
  writeDailyAnchor,
} from './anchor.ts';
export {
  type AppendedAudit,
  type AuditEntry,
  appendAudit,
  type ChainVerification,
  verifyAllChains,
  verifyChain,
} from './chain.ts';
export { canonicalJson, GENESIS_HASH } from './hash.ts';
