// The notice PDF through the web app (the browser talks only to this server): the API's answer passed on as is,
// with the signed-in person's session.
import { error } from '@sveltejs/kit';
import { SESSION_COOKIE } from '#lib/server/api.ts';
import { apiUrl } from '#lib/server/config.ts';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET: RequestHandler = async (event) => {
  if (!UUID.test(event.params.id)) error(404);
  const token = event.cookies.get(SESSION_COOKIE);
  const headers = new Headers({ accept: 'application/pdf, application/problem+json' });
  if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
  let res: Response;
  try {
    res = await fetch(`${apiUrl()}/api/ranking-notices/${event.params.id}/notice.pdf`, {
      headers,
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    error(502);
  }
  if (!res.ok) {
    const p = (await res.json().catch(() => null)) as { message?: { vi: string } } | null;
    error(res.status, p?.message?.vi ?? String(res.status));
  }
  const out = new Headers({ 'content-type': 'application/pdf', 'cache-control': 'private, no-store' });
  const disposition = res.headers.get('content-disposition');
  if (disposition) out.set('content-disposition', disposition);
  return new Response(await res.arrayBuffer(), { status: 200, headers: out });
};
