// Latency summaries for the benchmark: nearest-rank percentiles of milliseconds.

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(ms: readonly number[]): Summary {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : Number.NaN);
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s.at(-1) ?? Number.NaN };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at once (a bounded loop); resolves in order. */
export async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) out[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return out;
}

/** Times `n` sequential calls of `f`. */
export async function timeSequential(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    ms.push(performance.now() - t);
  }
  return ms;
}

export const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
export const ratio = (x: number, floor: number) =>
  Number.isFinite(x) && Number.isFinite(floor) && floor > 0 ? `${(x / floor).toFixed(1)}×` : '—';
