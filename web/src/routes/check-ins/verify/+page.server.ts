// The verify/return queue (issue 6 point 5): the submitted check-ins waiting for the signed-in supervisor's (or
// unit head's, or their delegate's) verdict, by due date, each linking to its verify screen.
import { redirect } from '@sveltejs/kit';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export interface VerifyQueueItem {
  taskId: string;
  checkInId: string;
  person: { id: string; name: string };
  unit: { id: string; name: string };
  period: string;
  status: string;
  submittedAt: string | null;
  dueDate: string;
  overdue: boolean;
  escalationLevel: number;
  forwarded: boolean;
  onBehalfOf: { personId: string; name: string } | null;
  link: string;
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const r = await apiGet<{ day: string; items: VerifyQueueItem[] }>(
    event,
    '/api/check-ins/awaiting-verification',
  );
  return { day: r.day, items: r.items };
};
