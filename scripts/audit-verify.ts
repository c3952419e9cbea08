import { readFile } from 'node:fs/promises';
import { verifyAllChains, verifyAnchors } from '../db/audit/index.ts';
import { createDb } from '../db/connection.ts';
import type { Executor } from '../db/executor.ts';
import { stackConfig } from './config.ts';

// `npm run audit:verify`: walks every audit hash chain and the daily anchors of the configured database
// (DATABASE_URL, else the embedded default of a running `npm start`), prints a summary and exits 1 naming the
// first broken link (aggregate, seq, reason). `--printed <file.json>` also checks the anchors against hashes
// kept outside the database ({"yyyy-mm-dd": "<anchor hash>"}). Exit 2: the database could not be reached.

export interface AuditVerifyResult {
  exitCode: 0 | 1;
  lines: string[];
}

/** The check itself, on an open database: the summary lines and the exit code. */
export async function auditVerify(
  db: Executor,
  opts: { printed?: Record<string, string> } = {},
): Promise<AuditVerifyResult> {
  const chains = await verifyAllChains(db);
  const anchors = await verifyAnchors(db, opts);
  const lines = [
    `audit chains checked: ${chains.checked}, broken: ${chains.broken.length}`,
    `anchors checked: ${anchors.anchorsChecked} (chain heads ${anchors.headsChecked}), problems: ${anchors.problems.length}`,
  ];
  // The first broken link: chains in (aggregate type, aggregate id) order, then the anchors in day order.
  const firstChain = [...chains.broken].sort((a, b) =>
    a.aggregateType === b.aggregateType
      ? a.aggregateId.localeCompare(b.aggregateId)
      : a.aggregateType.localeCompare(b.aggregateType),
  )[0];
  if (firstChain && !firstChain.ok) {
    const { seq, reason, message } = firstChain.brokenAt;
    lines.push(
      `FIRST BROKEN LINK: aggregate ${firstChain.aggregateType}/${firstChain.aggregateId} seq ${seq} reason ${reason}: ${message}`,
    );
  } else if (anchors.problems[0]) {
    const p = anchors.problems[0];
    const where = p.aggregateType ? ` aggregate ${p.aggregateType}/${p.aggregateId} seq ${p.seq}` : '';
    lines.push(`FIRST BROKEN LINK: anchor ${p.day}${where} reason ${p.reason}`);
  }
  for (const b of chains.broken.slice(0, 20)) {
    if (!b.ok && b !== firstChain)
      lines.push(
        `  also broken: ${b.aggregateType}/${b.aggregateId} seq ${b.brokenAt.seq} ${b.brokenAt.reason}`,
      );
  }
  const broken = chains.broken.length > 0 || anchors.problems.length > 0;
  lines.push(broken ? 'audit:verify FAILED' : 'audit:verify OK');
  return { exitCode: broken ? 1 : 0, lines };
}

async function main(): Promise<number> {
  const cfg = stackConfig();
  const url = cfg.databaseUrl ?? `postgres://postgres:woms@127.0.0.1:${cfg.pgPort}/${cfg.database}`;
  const at = process.argv.indexOf('--printed');
  const printedFile = at >= 0 ? process.argv[at + 1] : undefined;
  const printed = printedFile
    ? (JSON.parse(await readFile(printedFile, 'utf8')) as Record<string, string>)
    : undefined;
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  const db = createDb(url, { max: 2 });
  try {
    await db.selectFrom('audit_chain_head').select('seq').limit(1).execute();
  } catch (e) {
    console.error(
      `[audit:verify] cannot read ${safe}: ${(e as Error).message} (set DATABASE_URL, or run npm start for the embedded default)`,
    );
    await db.destroy();
    return 2;
  }
  try {
    console.log(`[audit:verify] database ${safe}`);
    const r = await auditVerify(db, printed ? { printed } : {});
    for (const line of r.lines) console.log(`[audit:verify] ${line}`);
    return r.exitCode;
  } finally {
    await db.destroy();
  }
}

if (import.meta.main) process.exitCode = await main();
