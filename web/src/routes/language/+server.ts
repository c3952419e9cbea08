import { redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '#lib/paraglide/runtime.js';
import { publicOrigin } from '#lib/server/origin.ts';
import type { RequestHandler } from './$types';

/** Only same-site paths are followed after switching, never another origin. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\')
    ? value
    : '/';
}

/**
 * The language switch: a plain form post (works without JavaScript) that stores the choice in the
 * locale cookie for a year and returns to the page it came from.
 */
export const POST: RequestHandler = async ({ request, cookies }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (typeof locale === 'string' && isLocale(locale)) {
    cookies.set(cookieName, locale, {
      path: '/',
      maxAge: 60 * 60 * 24 * 365,
      sameSite: 'lax',
      // The client runtime reads the cookie to render in the same language after hydration.
      httpOnly: false,
      secure: publicOrigin(request)?.startsWith('https:') ?? false,
    });
  }
  redirect(303, safeReturnPath(form.get('returnTo')));
};
