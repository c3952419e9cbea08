// Peak memory and CPU time of the benchmark's processes (issue 9 point 1): a process's resident set and its
// high-water mark as Linux keeps them in /proc/<pid>/status (VmRSS, VmHWM), and the CPU time of the process with
// its descendants (/proc/<pid>/stat), read at the checkpoints of a run. The CPU time says which process a phase
// waited for on a machine of few cores.
import { readdir, readFile } from 'node:fs/promises';

export interface MemoryReading {
  /** Resident set now, bytes. */
  rss: number;
  /** The peak resident set so far (VmHWM), bytes. */
  peak: number;
}

/** The process's VmRSS and VmHWM; undefined when it is gone or /proc is not there (not Linux). */
export async function readMemory(pid: number | undefined): Promise<MemoryReading | undefined> {
  if (pid === undefined) return undefined;
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : Number.NaN;
  };
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

export const mib = (bytes: number | undefined) =>
  bytes !== undefined && Number.isFinite(bytes) ? (bytes / 1_048_576).toFixed(1) : '—';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/** The fields of /proc/<pid>/stat after the command (which may hold spaces and parentheses). */
async function statFields(pid: string): Promise<string[] | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return text?.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds of each of `pids` with its descendants (user and system time of each live process of its tree, with
 * the time of the children already waited for: PostgreSQL's backends come and go under the postmaster), less the
 * trees of the other `pids` inside it (the bench starts the servers it measures: its own figure is its own work).
 * Undefined for a process that is gone, or everywhere when /proc is not there (not Linux).
 */
export async function readCpu(pids: readonly (number | undefined)[]): Promise<(number | undefined)[]> {
  const all = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  const procs = new Map<string, { ppid: string; ticks: number }>();
  for (const p of all) {
    const f = await statFields(p);
    // after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    if (f)
      procs.set(p, { ppid: f[1]!, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
  }
  const roots = pids.map((p) => (p === undefined || !procs.has(String(p)) ? undefined : String(p)));
  /** The listed root a process belongs to: the nearest one up its ancestry. */
  const rootOf = (p: string): string | undefined => {
    for (let q: string | undefined = p, guard = 0; q && guard < 64; q = procs.get(q)?.ppid, guard++)
      if (roots.includes(q)) return q;
    return undefined;
  };
  const ticks = new Map<string, number>();
  for (const [p, v] of procs) {
    const r = rootOf(p);
    if (r) ticks.set(r, (ticks.get(r) ?? 0) + v.ticks);
  }
  return roots.map((r) => (r === undefined ? undefined : (ticks.get(r) ?? 0) / TICKS_PER_SECOND));
}

/** Checkpoints of the named processes' memory and CPU time over a run. */
export class MemoryLog {
  readonly checkpoints: {
    label: string;
    /** Date.now() at the checkpoint. */
    at: number;
    readings: Map<string, MemoryReading | undefined>;
    cpu: Map<string, number | undefined>;
  }[] = [];
  private readonly processes: Map<string, () => number | undefined>;
  constructor(processes: Map<string, () => number | undefined>) {
    this.processes = processes;
  }

  async checkpoint(label: string): Promise<void> {
    const readings = new Map<string, MemoryReading | undefined>();
    for (const [name, pid] of this.processes) readings.set(name, await readMemory(pid()));
    const seconds = await readCpu([...this.processes.values()].map((pid) => pid()));
    const cpu = new Map([...this.processes.keys()].map((name, i) => [name, seconds[i]]));
    this.checkpoints.push({ label, at: Date.now(), readings, cpu });
  }

  /** Each process's CPU seconds between checkpoint i−1 (or the start of the log's processes) and i. */
  cpuBetween(name: string, i: number): number | undefined {
    const now = this.checkpoints[i]?.cpu.get(name);
    const before = i === 0 ? 0 : this.checkpoints[i - 1]?.cpu.get(name);
    return now === undefined || before === undefined ? undefined : now - before;
  }

  /** The highest VmHWM seen of each process (the last reading's, as the mark only rises). */
  peaks(): Map<string, number | undefined> {
    const out = new Map<string, number | undefined>();
    for (const name of this.processes.keys()) {
      const seen = this.checkpoints
        .map((c) => c.readings.get(name)?.peak)
        .filter((x): x is number => x !== undefined && Number.isFinite(x));
      out.set(name, seen.length ? Math.max(...seen) : undefined);
    }
    return out;
  }
}
