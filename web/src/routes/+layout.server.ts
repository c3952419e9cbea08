import { abilities } from '#lib/session.ts';
import type { LayoutServerLoad } from './$types';

/** The signed-in person for the header (never the anti-forgery token: the page has no use for it). */
export const load: LayoutServerLoad = ({ locals }) => {
  const s = locals.session;
  const ready = s && (!s.secondFactorRequired || s.secondFactorDone) && !s.mustChangePassword;
  return {
    me: s
      ? {
          fullName: s.person.fullName,
          roles: [...new Set(s.grants.map((g) => g.role))],
          ready: Boolean(ready),
        }
      : null,
    can: ready ? abilities(s) : { admin: false, audit: false },
  };
};
