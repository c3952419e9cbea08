// The quick `smtp-outage` drill (issue 9 point 2) on servers of its own: mail queued while SMTP is down arrives
// exactly once after it comes back; a worker killed mid-batch resends at most the message in flight, with the
// same Message-ID.
import { describe, expect, it } from 'vitest';
import { passed } from './drill.ts';
import { SMTP_CHECKS, smtpOutageDrill } from './smtp-outage.ts';

describe('drill smtp-outage (quick)', () => {
  it('keeps the mail queued through the outage, delivers it once, and resends only the in-flight message after a kill', async () => {
    const lines: string[] = [];
    const r = await smtpOutageDrill.run({ quick: true, log: (l) => lines.push(l) });
    const byWhat = new Map(r.checks.map((c) => [c.what, c]));
    for (const what of Object.values(SMTP_CHECKS)) {
      expect(byWhat.get(what), `${what}: ${byWhat.get(what)?.detail}`).toMatchObject({ ok: true });
    }
    expect(Number(r.figures['queued during the outage'])).toBeGreaterThan(0);
    expect(Number(r.figures['attempts per message (max)'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.figures['in flight at the kill'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.figures['received twice'])).toBeLessThanOrEqual(
      Number(r.figures['in flight at the kill']),
    );
    expect(passed(r), JSON.stringify(r.checks, null, 1)).toBe(true);
  }, 600_000);
});
