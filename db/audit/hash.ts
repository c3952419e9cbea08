import { createHash } from 'node:crypto';
import type { JsonValue } from '../schema.ts';

/** The prev_hash of a chain's first entry and of the first anchor. */
export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted (by UTF-16 code units) at every level; arrays keep their order. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

/** Brings any serialisable value to the JSON PostgreSQL's jsonb will give back (dates → ISO strings, undefined dropped). */
export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

export interface AuditContent {
  aggregateType: string;
  aggregateId: string;
  seq: number;
  actor: string;
  action: string;
  /** ISO 8601 with milliseconds (what a timestamptz written from a Date gives back). */
  at: string;
  before: JsonValue;
  after: JsonValue;
}

/** hash = sha256(prev_hash + "\n" + canonical JSON of the entry's content). */
export function auditEntryHash(prevHash: string, content: AuditContent): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(content as unknown as JsonValue)}`);
}
