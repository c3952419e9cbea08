// The worker's only workflow entry: every workflow type is re-exported here. Names are wire contracts.
export { auditAnchorWorkflow } from './audit-anchor.ts';
