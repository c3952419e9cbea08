import type { RequestEvent } from '@sveltejs/kit';
import { apiUrl } from './config.ts';

/**
 * Whether the API offers single sign-on: its start route redirects to the provider when configured and
 * answers OIDC_NOT_CONFIGURED otherwise. The answer is kept for a minute so the sign-in page does not ask
 * the provider on every view.
 */
let cached: { at: number; base: string; value: boolean } | undefined;

export async function ssoConfigured(_event: Pick<RequestEvent, 'url'>): Promise<boolean> {
  const base = apiUrl();
  if (cached && cached.base === base && Date.now() - cached.at < 60_000) return cached.value;
  let value = false;
  try {
    const res = await fetch(`${base}/api/auth/oidc/start`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    value = res.status >= 300 && res.status < 400;
  } catch {
    value = false;
  }
  cached = { at: Date.now(), base, value };
  return value;
}
