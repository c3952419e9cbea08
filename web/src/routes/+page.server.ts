import { fetchSystemStatus } from '#lib/server/status.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, depends }) => {
  depends('woms:status');
  return { status: await fetchSystemStatus(fetch) };
};
