import { describe, expect, it } from 'vitest';
import { passed } from './drill.ts';
import { postgresRestartDrill } from './postgres-restart.ts';

// The quick version of the fault drill `postgres-restart` (issue 9 point 2) on servers of its own: PostgreSQL
// stopped for a few seconds while the API serves reads, saves and submits, and started again; then hung (SIGSTOP)
// past the request timeout and continued. Asserts the drill passed and, by name, its key checks (so a failure
// says which), and the figures behind them.
describe('drill postgres-restart', () => {
  it('stops PostgreSQL under load: 503 with Retry-After while down, everything recovers and nothing is lost', {
    timeout: 600_000,
  }, async () => {
    const r = await postgresRestartDrill.run({
      quick: true,
      log: (l) => console.log(`[postgres-restart] ${l}`),
    });
    for (const c of r.checks) console.log(`${c.ok ? '✔' : '✘'} ${c.what} — ${c.detail ?? ''}`);
    console.log(r.figures);
    const by = (start: string) => r.checks.find((c) => c.what.startsWith(start));
    for (const what of [
      'a submit was accepted by its workflow and its read-model activity was running',
      'every answer while PostgreSQL was down was 503 DEPENDENCY_UNAVAILABLE with Retry-After',
      'each answer while down came within the request timeout',
      'no answer at any time was anything else',
      '/api/ready said PostgreSQL was down',
      'the API and the worker recovered by themselves',
      'every submit accepted before the stop is present exactly once',
      'every submit sent during the outage was accepted after the start',
      'nothing saved was lost',
      'the submit in flight at the stop',
      'every check-in workflow still runs',
      'while PostgreSQL hung, every answer was 503 DEPENDENCY_UNAVAILABLE with Retry-After within the request timeout',
      'the request timeout answered the requests PostgreSQL never answered',
      'every submit sent while PostgreSQL hung was accepted once it answered',
    ])
      expect(by(what), `${what}: ${by(what)?.detail ?? 'missing'}`).toMatchObject({ ok: true });
    expect(passed(r), JSON.stringify(r.checks, null, 1)).toBe(true);
    expect(Number(r.figures['answers while down'])).toBeGreaterThan(0);
    expect(Number.parseInt(String(r.figures['in-flight write attempts']), 10)).toBeGreaterThan(1);
  });
});
