// The web app's request body limit, derived from the evidence file limit (one setting, EVIDENCE_MAX_BYTES).
// The check-in screen posts its values and the chosen evidence file through a SvelteKit form action
// (adapter-node refuses a body above BODY_SIZE_LIMIT before our code sees it), which forwards the file to
// the API (which refuses a file above EVIDENCE_MAX_BYTES with EVIDENCE_TOO_LARGE). So the web limit is the
// evidence limit plus room for the multipart envelope and the form's other fields — a file just above the
// evidence limit reaches the API and gets its stable code and message — and never below what the plan
// workbook import needs (workbooks of up to 5 MB through a form action).
import { DEFAULT_EVIDENCE_LIMITS, EVIDENCE_HARD_MAX_BYTES } from './policy.ts';

/** Room for the multipart boundaries and part headers and the check-in form's fields (values, explanations). */
export const WEB_FORM_ROOM_BYTES = 1024 * 1024;
/** The least the web app accepts: a plan workbook (5 MB) with its envelope. */
export const WEB_MIN_BODY_BYTES = 6 * 1024 * 1024;

/** The evidence file limit EVIDENCE_MAX_BYTES sets (10 MiB when unset or not a positive integer, at most
 *  50 MiB) — the same value the API applies. */
export function evidenceMaxBytesOf(env: Record<string, string | undefined>): number {
  const n = Number(env.EVIDENCE_MAX_BYTES);
  const max = Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_EVIDENCE_LIMITS.maxBytes;
  return Math.min(max, EVIDENCE_HARD_MAX_BYTES);
}

/** The web app's BODY_SIZE_LIMIT, in bytes, for an evidence limit. */
export function webBodySizeLimit(evidenceMaxBytes: number): number {
  return Math.max(evidenceMaxBytes + WEB_FORM_ROOM_BYTES, WEB_MIN_BODY_BYTES);
}

/** BODY_SIZE_LIMIT for the web app's environment: the one given explicitly, else derived from
 *  EVIDENCE_MAX_BYTES. */
export function webBodySizeLimitEnv(env: Record<string, string | undefined>): string {
  return env.BODY_SIZE_LIMIT || String(webBodySizeLimit(evidenceMaxBytesOf(env)));
}
