import { describe, expect, it } from 'vitest';
import { passed } from './drill.ts';
import { temporalRestartDrill } from './temporal-restart.ts';

// The quick version of the fault drill `temporal-restart` (issue 9 point 2) on servers of its own: the Temporal dev
// server stopped while workflows run and started again on its SQLite file. Asserts the drill passed and, by name,
// its key checks (so a failure says which).
describe('drill temporal-restart', () => {
  it('stops Temporal: 503 with Retry-After while down, then every workflow resumes, nothing lost or doubled', {
    timeout: 600_000,
  }, async () => {
    const r = await temporalRestartDrill.run({
      quick: true,
      log: (l) => console.log(`[temporal-restart] ${l}`),
    });
    for (const c of r.checks) console.log(`${c.ok ? '✔' : '✘'} ${c.what} — ${c.detail ?? ''}`);
    console.log(JSON.stringify(r.figures));
    const by = (start: string) => r.checks.find((c) => c.what.startsWith(start));
    for (const what of [
      'half the month submitted before the stop',
      'a content save (PostgreSQL only) works while Temporal is down',
      'while Temporal is down a submit answers 503 DEPENDENCY_UNAVAILABLE',
      'while Temporal is down /api/ready answers 503 DEPENDENCY_UNAVAILABLE',
      'the worker and the API reconnected by themselves',
      'after the restart every submission is accepted',
      'nothing accepted is lost or doubled',
      'every check-in workflow is there after the restart',
      'the reminders (timers) that fell due while Temporal was down fired',
      'the first reminder due after the restart fired',
    ])
      expect(by(what), `${what}: ${by(what)?.detail ?? 'missing'}`).toMatchObject({ ok: true });
    expect(passed(r), JSON.stringify(r.checks, null, 1)).toBe(true);
    expect(Number(r.figures['503 answers while down'])).toBeGreaterThan(0);
    expect(r.figures['present exactly once']).toBe(r.figures.persons);
  });
});
