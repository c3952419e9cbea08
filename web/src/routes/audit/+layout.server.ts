import { error } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { hasRole } from '#lib/session.ts';
import type { LayoutServerLoad } from './$types';

/** Audit trails are for administrators and auditors (the API checks the scope of each one). */
export const load: LayoutServerLoad = ({ locals }) => {
  if (!hasRole(locals.session, 'administrator', 'auditor')) error(403, m.error_forbidden());
  return {};
};
