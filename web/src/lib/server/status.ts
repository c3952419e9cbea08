import { apiUrl } from './config.ts';

/** The dependencies the API reports on; each has a sentence in the catalogues. */
export type Service = 'postgres' | 'temporal' | 'unknown';

export type SystemStatus =
  | { state: 'ready' }
  | { state: 'down'; services: Service[] }
  | { state: 'unreachable' };

const KNOWN: readonly Service[] = ['postgres', 'temporal'];

/** Which services a 503 problem from /api/ready names: structured details when present, else its English text. */
function downServices(body: unknown): Service[] {
  const b = (body ?? {}) as {
    details?: { checks?: Record<string, string>; down?: string[] };
    message?: { en?: string };
  };
  let names: string[] = [];
  if (b.details?.checks)
    names = Object.entries(b.details.checks)
      .filter(([, v]) => v !== 'up')
      .map(([k]) => k);
  else if (Array.isArray(b.details?.down)) names = b.details.down;
  else if (typeof b.message?.en === 'string')
    names = KNOWN.filter((k) => b.message?.en?.toLowerCase().includes(k));
  const services = names.map((n): Service => (KNOWN.includes(n as Service) ? (n as Service) : 'unknown'));
  return services.length ? [...new Set(services)] : ['unknown'];
}

/** Asks the API whether it and its dependencies are ready; never throws. */
export async function fetchSystemStatus(fetchFn: typeof fetch): Promise<SystemStatus> {
  try {
    const res = await fetchFn(`${apiUrl()}/api/ready`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (res.ok) {
      const body = (await res.json()) as { status?: string };
      if (body.status === 'ready') return { state: 'ready' };
      return { state: 'down', services: ['unknown'] };
    }
    if (res.status === 503)
      return { state: 'down', services: downServices(await res.json().catch(() => null)) };
    return { state: 'unreachable' };
  } catch {
    return { state: 'unreachable' };
  }
}
