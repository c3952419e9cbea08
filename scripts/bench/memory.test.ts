import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readCpu } from './memory.ts';

describe('readCpu of one process', () => {
  it('counts the CPU time of a process’s descendants, live and exited', async () => {
    // a shell whose child burns CPU for about half a second, then exits; the shell then waits
    const child = spawn('sh', ['-c', 'timeout 0.5 sh -c "while :; do :; done"; sleep 5'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const [cpu] = await readCpu([child.pid]);
      expect(cpu).toBeGreaterThan(0.2);
      expect(cpu).toBeLessThan(5);
    } finally {
      child.kill();
    }
  });

  it('is undefined for a process that is not there', async () => {
    expect(await readCpu([2 ** 22 + 1, undefined])).toEqual([undefined, undefined]);
  });
});

describe('readCpu', () => {
  it('leaves the listed processes out of their parent’s figure', async () => {
    // the parent (this test) burns no CPU of note; the child burns about half a second and keeps running
    const child = spawn('sh', ['-c', 'timeout 0.5 sh -c "while :; do :; done"; sleep 5'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const [childCpu] = await readCpu([child.pid]);
      const [parentAlone, childListed] = await readCpu([process.pid, child.pid]);
      const [parentTree] = await readCpu([process.pid]);
      expect(childCpu).toBeGreaterThan(0.2);
      expect(childListed).toBeCloseTo(childCpu!, 0);
      // the parent's tree holds the child's time; listed beside it, the child's part is its own
      expect(parentTree! - parentAlone!).toBeGreaterThan(0.2);
    } finally {
      child.kill();
    }
  });
});
