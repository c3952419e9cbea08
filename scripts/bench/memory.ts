// Peak memory of the benchmark's processes (issue 9 point 1): a process's resident set and its high-water mark as
// Linux keeps them in /proc/<pid>/status (VmRSS, VmHWM), read at the checkpoints of a run.
import { readFile } from 'node:fs/promises';

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

/** Checkpoints of the named processes' memory over a run. */
export class MemoryLog {
  readonly checkpoints: { label: string; readings: Map<string, MemoryReading | undefined> }[] = [];
  private readonly processes: Map<string, () => number | undefined>;
  constructor(processes: Map<string, () => number | undefined>) {
    this.processes = processes;
  }

  async checkpoint(label: string): Promise<void> {
    const readings = new Map<string, MemoryReading | undefined>();
    for (const [name, pid] of this.processes) readings.set(name, await readMemory(pid()));
    this.checkpoints.push({ label, readings });
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
