import { describe, expect, it } from 'vitest';
import { passed } from './drill.ts';
import { workerKillDrill } from './worker-kill.ts';

// The quick version of the fault drill `worker-kill` (issue 9 point 2) on servers of its own: the worker SIGKILLed
// mid check-in storm and started again. Asserts the drill passed and, by name, its key checks (so a failure says
// which), and that the kill really fell in the storm.
describe('drill worker-kill', () => {
  it('kills the worker mid-storm: exactly once, every workflow resumes and meets its next deadline', {
    timeout: 600_000,
  }, async () => {
    const r = await workerKillDrill.run({ quick: true, log: (l) => console.log(`[worker-kill] ${l}`) });
    for (const c of r.checks) console.log(`${c.ok ? '✔' : '✘'} ${c.what} — ${c.detail ?? ''}`);
    console.log(JSON.stringify(r.figures));
    const by = (start: string) => r.checks.find((c) => c.what.startsWith(start));
    for (const what of [
      'the worker was killed in the middle of the storm',
      'every submission is accepted in the end',
      'while the worker was away the API answered 503 DEPENDENCY_UNAVAILABLE',
      'every accepted check-in is present exactly once',
      'every check-in workflow resumed',
      'the reminders that fell due while the worker was down fired',
      'the first reminder due after the restart fired',
    ])
      expect(by(what), `${what}: ${by(what)?.detail ?? 'missing'}`).toMatchObject({ ok: true });
    expect(passed(r), JSON.stringify(r.checks, null, 1)).toBe(true);
    expect(Number(r.figures['accepted before the kill'])).toBeGreaterThan(0);
    expect(r.figures.accepted).toBe(r.figures.persons);
    expect(r.figures['present exactly once']).toBe(r.figures.accepted);
  });
});
