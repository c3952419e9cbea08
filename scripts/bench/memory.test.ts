import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readCpu } from './memory.ts';

/** A shell whose child burns CPU for about half a second, then exits; the shell then waits. Run with it, then
 *  killed (after a second, so the burn is over). */
async function withBurner(test: (child: ChildProcess) => Promise<void>): Promise<void> {
  const child = spawn('sh', ['-c', 'timeout 0.5 sh -c "while :; do :; done"; sleep 5'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1000));
    await test(child);
  } finally {
    child.kill();
  }
}

describe('readCpu', () => {
  it('counts the CPU time of a process’s descendants, live and exited', () =>
    withBurner(async (child) => {
      const [cpu] = await readCpu([child.pid]);
      expect(cpu).toBeGreaterThan(0.2);
      expect(cpu).toBeLessThan(5);
    }));

  it('is undefined for a process that is not there', async () => {
    expect(await readCpu([2 ** 22 + 1, undefined])).toEqual([undefined, undefined]);
  });

  it('leaves the listed processes out of their parent’s figure', () =>
    // the parent (this test) burns no CPU of note beside its child
    withBurner(async (child) => {
      const [childCpu] = await readCpu([child.pid]);
      const [parentAlone, childListed] = await readCpu([process.pid, child.pid]);
      const [parentTree] = await readCpu([process.pid]);
      expect(childCpu).toBeGreaterThan(0.2);
      expect(childListed).toBeCloseTo(childCpu!, 0);
      // the parent's tree holds the child's time; listed beside it, the child's part is its own
      expect(parentTree! - parentAlone!).toBeGreaterThan(0.2);
    }));
});
