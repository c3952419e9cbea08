import { sql } from 'kysely';
import { type Executor, inTransaction } from '../executor.ts';
import type { AuditLogRow, JsonValue } from '../schema.ts';
import { type AuditContent, auditEntryHash, GENESIS_HASH, toJsonValue } from './hash.ts';

export interface AuditEntry {
  /** e.g. 'plan', 'person', 'org_unit' — one hash chain per (aggregateType, aggregateId). */
  aggregateType: string;
  aggregateId: string;
  /** Person id, or 'system:<component>'. */
  actor: string;
  /** e.g. 'plan.submitted', 'person.updated'. */
  action: string;
  /** Defaults to now; stored and hashed with millisecond precision. */
  at?: Date;
  before?: unknown;
  after?: unknown;
}

export interface AppendedAudit {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
  at: Date;
}

/**
 * Appends one entry to its aggregate's chain, inside the caller's transaction when given one (so the audit
 * row commits or rolls back with the change it records). Appends to the same aggregate serialise on the
 * chain head row (SELECT … FOR UPDATE); different aggregates never wait for each other.
 */
export function appendAudit(executor: Executor, entry: AuditEntry): Promise<AppendedAudit> {
  return inTransaction(executor, async (trx) => {
    await trx
      .insertInto('audit_chain_head')
      .values({
        aggregate_type: entry.aggregateType,
        aggregate_id: entry.aggregateId,
        seq: 0,
        hash: GENESIS_HASH,
      })
      .onConflict((oc) => oc.columns(['aggregate_type', 'aggregate_id']).doNothing())
      .execute();
    const head = await trx
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .where('aggregate_type', '=', entry.aggregateType)
      .where('aggregate_id', '=', entry.aggregateId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const at = new Date(entry.at ?? Date.now());
    const content: AuditContent = {
      aggregateType: entry.aggregateType,
      aggregateId: entry.aggregateId,
      seq: head.seq + 1,
      actor: entry.actor,
      action: entry.action,
      at: at.toISOString(),
      before: toJsonValue(entry.before),
      after: toJsonValue(entry.after),
    };
    const hash = auditEntryHash(head.hash, content);
    const row = await trx
      .insertInto('audit_log')
      .values({
        aggregate_type: content.aggregateType,
        aggregate_id: content.aggregateId,
        seq: content.seq,
        actor: content.actor,
        action: content.action,
        at,
        before: content.before === null ? null : JSON.stringify(content.before),
        after: content.after === null ? null : JSON.stringify(content.after),
        prev_hash: head.hash,
        hash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('audit_chain_head')
      .set({ seq: content.seq, hash, updated_at: sql`now()` })
      .where('aggregate_type', '=', entry.aggregateType)
      .where('aggregate_id', '=', entry.aggregateId)
      .execute();
    return { id: row.id, seq: content.seq, prevHash: head.hash, hash, at };
  });
}

export function contentOf(row: AuditLogRow): AuditContent {
  return {
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    seq: row.seq,
    actor: row.actor,
    action: row.action,
    at: row.at.toISOString(),
    before: (row.before ?? null) as JsonValue,
    after: (row.after ?? null) as JsonValue,
  };
}

export type ChainBreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';

export type ChainVerification =
  | { ok: true; aggregateType: string; aggregateId: string; length: number; headHash: string }
  | {
      ok: false;
      aggregateType: string;
      aggregateId: string;
      length: number;
      /** The first broken link: the seq where the chain stops being verifiable. */
      brokenAt: { seq: number; reason: ChainBreakReason; message: string };
    };

/**
 * Recomputes one aggregate's chain from its first entry and names the first broken link: an edited row
 * (hash_mismatch), a deleted or reordered row (seq_gap / prev_hash_mismatch) or a deleted tail
 * (head_mismatch against the chain head row). A chain rewritten consistently — every hash recomputed and the
 * head row updated — passes here; verifyAnchors catches it.
 */
export async function verifyChain(
  executor: Executor,
  aggregateType: string,
  aggregateId: string,
): Promise<ChainVerification> {
  const rows = await executor
    .selectFrom('audit_log')
    .selectAll()
    .where('aggregate_type', '=', aggregateType)
    .where('aggregate_id', '=', aggregateId)
    .orderBy('seq')
    .execute();
  const head = await executor
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('aggregate_type', '=', aggregateType)
    .where('aggregate_id', '=', aggregateId)
    .executeTakeFirst();
  const base = { aggregateType, aggregateId, length: rows.length };
  const broken = (seq: number, reason: ChainBreakReason, message: string): ChainVerification => ({
    ok: false,
    ...base,
    brokenAt: { seq, reason, message },
  });
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      return broken(
        expectedSeq,
        'seq_gap',
        `entry ${expectedSeq} is missing (next stored entry is ${row.seq})`,
      );
    }
    if (row.prev_hash !== prev) {
      return broken(row.seq, 'prev_hash_mismatch', `entry ${row.seq} does not link to entry ${row.seq - 1}`);
    }
    const recomputed = auditEntryHash(prev, contentOf(row));
    if (recomputed !== row.hash) {
      return broken(row.seq, 'hash_mismatch', `entry ${row.seq} was altered after it was written`);
    }
    prev = row.hash;
    expectedSeq++;
  }
  const lastSeq = expectedSeq - 1;
  if (head && (head.seq !== lastSeq || head.hash !== prev)) {
    return broken(
      lastSeq + 1,
      'head_mismatch',
      `the chain head records entry ${head.seq} but the log ends at entry ${lastSeq}`,
    );
  }
  if (!head && rows.length > 0) {
    return broken(lastSeq, 'head_mismatch', 'the chain has entries but no head row');
  }
  return { ok: true, ...base, headHash: prev };
}

/** Walks the whole log in (aggregate, seq) order in pages, so memory stays bounded. */
export async function walkAuditLog(
  executor: Executor,
  onRow: (row: AuditLogRow) => void,
  pageSize = 5000,
): Promise<void> {
  let after: { t: string; i: string; s: number } | undefined;
  for (;;) {
    let q = executor.selectFrom('audit_log').selectAll();
    if (after) {
      const a = after;
      q = q.where(sql<boolean>`(aggregate_type, aggregate_id, seq) > (${a.t}, ${a.i}, ${a.s})`);
    }
    const page = await q
      .orderBy('aggregate_type')
      .orderBy('aggregate_id')
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) onRow(row);
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = { t: last.aggregate_type, i: last.aggregate_id, s: last.seq };
  }
}

/** verifyChain over every aggregate; returns only the broken chains. */
export async function verifyAllChains(
  executor: Executor,
): Promise<{ checked: number; broken: ChainVerification[] }> {
  const aggregates = await executor
    .selectFrom('audit_chain_head')
    .select(['aggregate_type', 'aggregate_id'])
    .union(executor.selectFrom('audit_log').select(['aggregate_type', 'aggregate_id']))
    .execute();
  const broken: ChainVerification[] = [];
  for (const a of aggregates) {
    const v = await verifyChain(executor, a.aggregate_type, a.aggregate_id);
    if (!v.ok) broken.push(v);
  }
  return { checked: aggregates.length, broken };
}
