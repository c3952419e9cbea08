import { api } from '#lib/server/api.ts';
import { abilities } from '#lib/session.ts';
import type { LayoutServerLoad } from './$types';

/** The signed-in person for the header (never the anti-forgery token: the page has no use for it). */
export const load: LayoutServerLoad = async (event) => {
  const s = event.locals.session;
  const ready = s && (!s.secondFactorRequired || s.secondFactorDone) && !s.mustChangePassword;
  // The inbox badge and the notification bell; a failing call only leaves them out.
  const [inbox, notes] = ready
    ? await Promise.all([
        api<{ counts: { open: number; overdue: number } }>(event, 'GET', '/api/inbox?limit=1'),
        api<{ unread: number }>(event, 'GET', '/api/notifications?limit=1'),
      ])
    : [null, null];
  return {
    me: s
      ? {
          fullName: s.person.fullName,
          roles: [...new Set(s.grants.map((g) => g.role))],
          ready: Boolean(ready),
        }
      : null,
    can: ready ? abilities(s) : { admin: false, audit: false },
    badges: {
      inbox: inbox?.ok ? inbox.data.counts.open : null,
      overdue: inbox?.ok ? inbox.data.counts.overdue : null,
      unread: notes?.ok ? notes.data.unread : null,
    },
  };
};
