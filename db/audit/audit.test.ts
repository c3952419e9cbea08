import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/database.ts';
import { translateDbError } from '../errors.ts';
import { contentOf } from './chain.ts';
import { auditEntryHash, canonicalJson, GENESIS_HASH } from './hash.ts';
import { appendAudit, verifyAllChains, verifyAnchors, verifyChain, writeDailyAnchor } from './index.ts';

const { db } = await freshDatabase();

async function chainOf(n: number, type = 'plan') {
  const id = randomUUID();
  for (let i = 1; i <= n; i++) {
    await appendAudit(db, {
      aggregateType: type,
      aggregateId: id,
      actor: 'person:1',
      action: `step.${i}`,
      before: i === 1 ? null : { n: i - 1, title: 'Kế hoạch năm' },
      after: {
        n: i,
        title: 'Kế hoạch năm',
        at: new Date('2026-01-02T03:04:05.678Z'),
        nested: { b: 1, a: [1, 'x'] },
      },
    });
  }
  return id;
}

describe('appendAudit', () => {
  it('chains entries per aggregate and verifies', async () => {
    const id = await chainOf(4);
    const v = await verifyChain(db, 'plan', id);
    expect(v).toMatchObject({ ok: true, length: 4 });
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('aggregate_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[3]?.after).toEqual({
      n: 4,
      title: 'Kế hoạch năm',
      at: '2026-01-02T03:04:05.678Z',
      nested: { b: 1, a: [1, 'x'] },
    });
  });

  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('commits and rolls back with the caller transaction', async () => {
    const id = randomUUID();
    await expect(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, { aggregateType: 'person', aggregateId: id, actor: 'a', action: 'x' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await db.selectFrom('audit_log').select('id').where('aggregate_id', '=', id).execute()).toEqual(
      [],
    );
    await db
      .transaction()
      .execute((trx) =>
        appendAudit(trx, { aggregateType: 'person', aggregateId: id, actor: 'a', action: 'x' }),
      );
    expect((await verifyChain(db, 'person', id)).length).toBe(1);
  });

  it('serialises concurrent appends on one aggregate without gaps or conflicts', async () => {
    const id = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        appendAudit(db, { aggregateType: 'unit', aggregateId: id, actor: 'a', action: `a${i}` }),
      ),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(await verifyChain(db, 'unit', id)).toMatchObject({ ok: true, length: 12 });
  });

  it('does not make another aggregate wait', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await appendAudit(db, { aggregateType: 'unit', aggregateId: a, actor: 'x', action: 'create' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holder = db.transaction().execute(async (trx) => {
      await appendAudit(trx, { aggregateType: 'unit', aggregateId: a, actor: 'x', action: 'hold' });
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const other = await Promise.race([
      appendAudit(db, { aggregateType: 'unit', aggregateId: b, actor: 'x', action: 'free' }).then(
        () => 'done',
      ),
      new Promise((r) => setTimeout(() => r('blocked'), 2000)),
    ]);
    const same = Promise.race([
      appendAudit(db, { aggregateType: 'unit', aggregateId: a, actor: 'x', action: 'waits' }).then(
        () => 'done',
      ),
      new Promise((r) => setTimeout(() => r('blocked'), 300)),
    ]);
    expect(await same).toBe('blocked');
    release();
    await holder;
    expect(other).toBe('done');
    await new Promise((r) => setTimeout(r, 200));
    expect(await verifyChain(db, 'unit', a)).toMatchObject({ ok: true, length: 3 });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE with a stable code', async () => {
    const id = await chainOf(1);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e) => translateDbError(e)?.code,
      );
    expect(
      await code(db.updateTable('audit_log').set({ actor: 'evil' }).where('aggregate_id', '=', id).execute()),
    ).toBe('AUDIT_LOG_APPEND_ONLY');
    expect(await code(db.deleteFrom('audit_log').where('aggregate_id', '=', id).execute())).toBe(
      'AUDIT_LOG_APPEND_ONLY',
    );
    expect(await code(sql`TRUNCATE audit_log`.execute(db))).toBe('AUDIT_LOG_APPEND_ONLY');
    const { anchor } = await writeDailyAnchor(db, '2020-01-01');
    expect(await code(db.deleteFrom('audit_anchor').where('day', '=', anchor.day).execute())).toBe(
      'AUDIT_ANCHOR_APPEND_ONLY',
    );
    const translated = await db
      .deleteFrom('audit_log')
      .execute()
      .then(
        () => undefined,
        (e) => translateDbError(e),
      );
    expect(translated?.status).toBe(409);
  });
});

describe('tamper detection', () => {
  it('names an edited row', async () => {
    const id = await chainOf(5);
    await asSuperuserIn(db, () =>
      db
        .updateTable('audit_log')
        .set({ actor: 'person:intruder' })
        .where('aggregate_id', '=', id)
        .where('seq', '=', 3)
        .execute(),
    );
    expect(await verifyChain(db, 'plan', id)).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: 'hash_mismatch' },
    });
  });

  it('names an edited timestamp or JSON value', async () => {
    const id = await chainOf(3);
    await asSuperuserIn(db, () =>
      db
        .updateTable('audit_log')
        .set({ at: new Date('2020-01-01T00:00:00Z') })
        .where('aggregate_id', '=', id)
        .where('seq', '=', 2)
        .execute(),
    );
    expect(await verifyChain(db, 'plan', id)).toMatchObject({ ok: false, brokenAt: { seq: 2 } });
    const id2 = await chainOf(3);
    await asSuperuserIn(db, () =>
      sql`UPDATE audit_log SET after = jsonb_set(after, '{n}', '99') WHERE aggregate_id = ${id2} AND seq = 1`.execute(
        db,
      ),
    );
    expect(await verifyChain(db, 'plan', id2)).toMatchObject({
      ok: false,
      brokenAt: { seq: 1, reason: 'hash_mismatch' },
    });
  });

  it('names a deleted row in the middle and at the tail', async () => {
    const id = await chainOf(5);
    await asSuperuserIn(db, () =>
      db.deleteFrom('audit_log').where('aggregate_id', '=', id).where('seq', '=', 2).execute(),
    );
    expect(await verifyChain(db, 'plan', id)).toMatchObject({
      ok: false,
      brokenAt: { seq: 2, reason: 'seq_gap' },
    });
    const tail = await chainOf(4);
    await asSuperuserIn(db, () =>
      db.deleteFrom('audit_log').where('aggregate_id', '=', tail).where('seq', '=', 4).execute(),
    );
    expect(await verifyChain(db, 'plan', tail)).toMatchObject({
      ok: false,
      brokenAt: { seq: 4, reason: 'head_mismatch' },
    });
    const all = await verifyAllChains(db);
    expect(all.broken.map((b) => b.aggregateId)).toEqual(expect.arrayContaining([id, tail]));
  });
});

describe('daily anchors', () => {
  it('are idempotent, cover every chain head and catch a consistently rewritten chain', async () => {
    const { db: adb } = await freshDatabase();
    const ids = [] as string[];
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      ids.push(id);
      for (let s = 1; s <= 4; s++)
        await appendAudit(adb, {
          aggregateType: 'plan',
          aggregateId: id,
          actor: 'p',
          action: `a${s}`,
          after: { s },
        });
    }
    const first = await writeDailyAnchor(adb, '2026-03-01');
    expect(first.created).toBe(true);
    expect(first.anchor.headCount).toBe(3);
    expect(first.anchor.heads.map((h) => h.seq)).toEqual([4, 4, 4]);
    const again = await writeDailyAnchor(adb, '2026-03-01');
    expect(again).toMatchObject({ created: false, anchor: { anchorHash: first.anchor.anchorHash } });
    expect(await adb.selectFrom('audit_anchor').select('day').execute()).toHaveLength(1);
    await expect(writeDailyAnchor(adb, '2026-02-28')).rejects.toThrow(/day order/);

    // later entries do not disturb an older anchor
    await appendAudit(adb, { aggregateType: 'plan', aggregateId: ids[0]!, actor: 'p', action: 'later' });
    const second = await writeDailyAnchor(adb, '2026-03-02');
    expect(second.anchor.prevAnchorHash).toBe(first.anchor.anchorHash);
    expect(await verifyAnchors(adb)).toMatchObject({ ok: true, anchorsChecked: 2, problems: [] });

    // a superuser rewrites chain 2 consistently: every hash recomputed, the head updated
    const victim = ids[1]!;
    await rewriteIn(adb, 'plan', victim, 2, { s: 2, forged: true });
    expect(await verifyChain(adb, 'plan', victim)).toMatchObject({ ok: true });
    const v = await verifyAnchors(adb);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ day: '2026-03-01', reason: 'head_rewritten', aggregateId: victim, seq: 4 }),
        expect.objectContaining({ day: '2026-03-02', reason: 'head_rewritten', aggregateId: victim, seq: 4 }),
      ]),
    );
    expect(v.problems.every((p) => p.aggregateId === victim)).toBe(true);
  });

  it('catch a deleted chain, an edited anchor and a re-forged anchor against its printed hash', async () => {
    const { db: adb } = await freshDatabase();
    const id = randomUUID();
    const gone = randomUUID();
    for (const a of [id, gone])
      await appendAudit(adb, { aggregateType: 'unit', aggregateId: a, actor: 'p', action: 'create' });
    const { anchor } = await writeDailyAnchor(adb, '2026-04-01');
    const printed = { '2026-04-01': anchor.anchorHash };
    expect((await verifyAnchors(adb, { printed })).ok).toBe(true);

    await asSuperuserIn(adb, () => adb.deleteFrom('audit_log').where('aggregate_id', '=', gone).execute());
    expect((await verifyAnchors(adb)).problems).toEqual([
      expect.objectContaining({ reason: 'head_missing', aggregateId: gone, seq: 1 }),
    ]);

    // hide the deletion by dropping the head from the anchor: the anchor hash no longer matches
    const heads = anchor.heads.filter((h) => h.aggregateId !== gone);
    await asSuperuserIn(adb, () =>
      adb
        .updateTable('audit_anchor')
        .set({ heads: JSON.stringify(heads), head_count: 1 } as never)
        .execute(),
    );
    expect((await verifyAnchors(adb)).problems.map((p) => p.reason)).toEqual(['anchor_hash_mismatch']);

    // recompute the anchor hash too: only the printed copy gives it away
    const { anchorHash } = await import('./anchor.ts');
    await asSuperuserIn(adb, () =>
      adb
        .updateTable('audit_anchor')
        .set({ anchor_hash: anchorHash(anchor.prevAnchorHash, anchor.day, heads) } as never)
        .execute(),
    );
    expect((await verifyAnchors(adb)).ok).toBe(true);
    expect((await verifyAnchors(adb, { printed })).problems.map((p) => p.reason)).toEqual([
      'printed_hash_mismatch',
    ]);
  });
});

/** What a database superuser could do: switch the append-only triggers off for a moment. */
async function asSuperuserIn(d: typeof db, fn: () => Promise<unknown>) {
  await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(d);
  await sql`ALTER TABLE audit_anchor DISABLE TRIGGER USER`.execute(d);
  try {
    await fn();
  } finally {
    await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(d);
    await sql`ALTER TABLE audit_anchor ENABLE TRIGGER USER`.execute(d);
  }
}

/** A consistent rewrite: change an entry's content, then recompute every later hash and the head. */
async function rewriteIn(d: typeof db, type: string, id: string, seq: number, after: unknown) {
  await asSuperuserIn(d, async () => {
    await d
      .updateTable('audit_log')
      .set({ after: JSON.stringify(after) } as never)
      .where('aggregate_type', '=', type)
      .where('aggregate_id', '=', id)
      .where('seq', '=', seq)
      .execute();
    const rows = await d
      .selectFrom('audit_log')
      .selectAll()
      .where('aggregate_type', '=', type)
      .where('aggregate_id', '=', id)
      .orderBy('seq')
      .execute();
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = auditEntryHash(prev, contentOf(r));
      await d.updateTable('audit_log').set({ prev_hash: prev, hash }).where('id', '=', r.id).execute();
      prev = hash;
    }
    await d
      .updateTable('audit_chain_head')
      .set({ hash: prev })
      .where('aggregate_type', '=', type)
      .where('aggregate_id', '=', id)
      .execute();
  });
}
