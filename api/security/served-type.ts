import { EVIDENCE_KINDS } from '../../domain/evidence/policy.ts';

const SERVABLE: ReadonlySet<string> = new Set(Object.values(EVIDENCE_KINDS).map((k) => k.mime));

/**
 * The Content-Type an evidence file is served with: its sniffed type when it is one of the accepted kinds, else
 * `application/octet-stream` — so a row that somehow holds a web page or an SVG (uploads refuse them) is never
 * handed to the browser as active content (defence in depth beside attachment, nosniff and the CSP sandbox).
 */
export const servedEvidenceType = (sniffedType: string): string =>
  SERVABLE.has(sniffedType) ? sniffedType : 'application/octet-stream';
