import { sql } from 'kysely';
import type { Database } from '../connection.ts';
import type { Executor } from '../executor.ts';
import type { JsonValue } from '../schema.ts';
import { contentOf, walkAuditLog } from './chain.ts';
import { auditEntryHash, canonicalJson, GENESIS_HASH, sha256Hex } from './hash.ts';

export interface AnchoredHead {
  aggregateType: string;
  aggregateId: string;
  seq: number;
  hash: string;
}

export interface AuditAnchor {
  day: string;
  createdAt: Date;
  headCount: number;
  heads: AnchoredHead[];
  prevAnchorHash: string;
  /** Printable: sha256(prev anchor hash + day + canonical JSON of the heads). */
  anchorHash: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function anchorHash(prevAnchorHash: string, day: string, heads: AnchoredHead[]): string {
  return sha256Hex(`${prevAnchorHash}\n${day}\n${canonicalJson(heads as unknown as JsonValue)}`);
}

const byKey = (a: AnchoredHead, b: AnchoredHead) =>
  a.aggregateType < b.aggregateType
    ? -1
    : a.aggregateType > b.aggregateType
      ? 1
      : a.aggregateId < b.aggregateId
        ? -1
        : a.aggregateId > b.aggregateId
          ? 1
          : 0;

function toAnchor(row: {
  day: string;
  created_at: Date;
  head_count: number;
  heads: JsonValue;
  prev_anchor_hash: string;
  anchor_hash: string;
}): AuditAnchor {
  return {
    day: row.day,
    createdAt: row.created_at,
    headCount: row.head_count,
    heads: row.heads as unknown as AnchoredHead[],
    prevAnchorHash: row.prev_anchor_hash,
    anchorHash: row.anchor_hash,
  };
}

/**
 * Writes the anchor of `day` ('yyyy-mm-dd'): the head (last seq and hash) of every chain at this moment
 * and a hash over them, linked to the previous anchor. Idempotent: a second call for the same day returns
 * the stored anchor with created = false. Anchors are written in day order.
 */
export async function writeDailyAnchor(
  db: Database,
  day: string,
): Promise<{ created: boolean; anchor: AuditAnchor }> {
  if (!DAY.test(day)) throw new RangeError(`day must be yyyy-mm-dd, got ${day}`);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('woms.audit_anchor'))`.execute(trx);
    const existing = await trx
      .selectFrom('audit_anchor')
      .selectAll()
      .where('day', '=', day)
      .executeTakeFirst();
    if (existing) return { created: false, anchor: toAnchor(existing) };
    const latest = await trx
      .selectFrom('audit_anchor')
      .selectAll()
      .orderBy('day', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.day > day) {
      throw new RangeError(
        `an anchor for the later day ${latest.day} exists; anchors are written in day order`,
      );
    }
    const rows = await trx
      .selectFrom('audit_log')
      .select(['aggregate_type', 'aggregate_id', 'seq', 'hash'])
      .distinctOn(['aggregate_type', 'aggregate_id'])
      .orderBy('aggregate_type')
      .orderBy('aggregate_id')
      .orderBy('seq', 'desc')
      .execute();
    const heads = rows
      .map((r) => ({
        aggregateType: r.aggregate_type,
        aggregateId: r.aggregate_id,
        seq: r.seq,
        hash: r.hash,
      }))
      .sort(byKey);
    const prev = latest?.anchor_hash ?? GENESIS_HASH;
    const row = await trx
      .insertInto('audit_anchor')
      .values({
        day,
        head_count: heads.length,
        heads: JSON.stringify(heads),
        prev_anchor_hash: prev,
        anchor_hash: anchorHash(prev, day, heads),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { created: true, anchor: toAnchor(row) };
  });
}

export type AnchorProblemReason =
  | 'anchor_hash_mismatch' // the anchor row itself was edited
  | 'anchor_link_broken' // an anchor was removed or replaced
  | 'printed_hash_mismatch' // differs from the hash printed/kept outside the database
  | 'head_rewritten' // the chain, recomputed from the stored rows, no longer gives the anchored hash
  | 'head_missing'; // the anchored entry no longer exists

export interface AnchorProblem {
  day: string;
  reason: AnchorProblemReason;
  aggregateType?: string;
  aggregateId?: string;
  seq?: number;
  expected?: string;
  actual?: string;
}

export interface AnchorVerification {
  ok: boolean;
  anchorsChecked: number;
  headsChecked: number;
  problems: AnchorProblem[];
}

const key = (t: string, i: string, s: number) => `${t}\u0000${i}\u0000${s}`;

/**
 * Checks every anchor: its own hash and link to the previous one, optionally against hashes kept outside
 * the database (`printed`: day → anchor hash), and that each anchored chain head is still what the stored
 * log gives when every hash is recomputed from the chain's first entry. A chain rewritten consistently
 * after the anchor (edited content, hashes and head all recomputed) is reported as head_rewritten.
 */
export async function verifyAnchors(
  executor: Executor,
  opts: { printed?: Record<string, string> } = {},
): Promise<AnchorVerification> {
  const anchors = (await executor.selectFrom('audit_anchor').selectAll().orderBy('day').execute()).map(
    toAnchor,
  );
  const problems: AnchorProblem[] = [];
  const wanted = new Map<string, { day: string; hash: string }[]>();
  let prev = GENESIS_HASH;
  for (const a of anchors) {
    if (a.prevAnchorHash !== prev) {
      problems.push({ day: a.day, reason: 'anchor_link_broken', expected: prev, actual: a.prevAnchorHash });
    }
    const recomputed = anchorHash(a.prevAnchorHash, a.day, a.heads);
    if (recomputed !== a.anchorHash) {
      problems.push({
        day: a.day,
        reason: 'anchor_hash_mismatch',
        expected: a.anchorHash,
        actual: recomputed,
      });
    }
    const printed = opts.printed?.[a.day];
    if (printed !== undefined && printed !== a.anchorHash) {
      problems.push({ day: a.day, reason: 'printed_hash_mismatch', expected: printed, actual: a.anchorHash });
    }
    prev = a.anchorHash;
    for (const h of a.heads) {
      const k = key(h.aggregateType, h.aggregateId, h.seq);
      const list = wanted.get(k) ?? [];
      list.push({ day: a.day, hash: h.hash });
      wanted.set(k, list);
    }
  }
  if (opts.printed) {
    for (const day of Object.keys(opts.printed)) {
      if (!anchors.some((a) => a.day === day))
        problems.push({ day, reason: 'anchor_link_broken', expected: opts.printed[day] });
    }
  }

  // Recompute every chain from genesis, ignoring the stored hashes, and compare at the anchored seqs.
  const seen = new Set<string>();
  let chain = '';
  let recomputedPrev = GENESIS_HASH;
  await walkAuditLog(executor, (row) => {
    const c = `${row.aggregate_type}\u0000${row.aggregate_id}`;
    if (c !== chain) {
      chain = c;
      recomputedPrev = GENESIS_HASH;
    }
    recomputedPrev = auditEntryHash(recomputedPrev, contentOf(row));
    const k = key(row.aggregate_type, row.aggregate_id, row.seq);
    const list = wanted.get(k);
    if (!list) return;
    seen.add(k);
    for (const w of list) {
      if (w.hash !== recomputedPrev) {
        problems.push({
          day: w.day,
          reason: 'head_rewritten',
          aggregateType: row.aggregate_type,
          aggregateId: row.aggregate_id,
          seq: row.seq,
          expected: w.hash,
          actual: recomputedPrev,
        });
      }
    }
  });
  for (const [k, list] of wanted) {
    if (seen.has(k)) continue;
    const [t, i, s] = k.split('\u0000') as [string, string, string];
    for (const w of list) {
      problems.push({
        day: w.day,
        reason: 'head_missing',
        aggregateType: t,
        aggregateId: i,
        seq: Number(s),
        expected: w.hash,
      });
    }
  }
  return { ok: problems.length === 0, anchorsChecked: anchors.length, headsChecked: wanted.size, problems };
}

/** The anchor of a day, for printing. */
export async function getAnchor(executor: Executor, day: string): Promise<AuditAnchor | undefined> {
  const row = await executor.selectFrom('audit_anchor').selectAll().where('day', '=', day).executeTakeFirst();
  return row ? toAnchor(row) : undefined;
}
