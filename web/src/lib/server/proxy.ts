import { apiUrl } from './config.ts';
import { publicOrigin } from './origin.ts';

/** Request headers that describe the hop to this server, not the request itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/**
 * Forwards a browser request for /api/* to the API on the same path: method, body, cookies and the
 * other end-to-end headers go through, and the answer (status, body, Set-Cookie) comes back as is,
 * so the browser only ever talks to the web app's own origin.
 */
export async function proxyToApi(request: Request, url: URL, clientAddress: string): Promise<Response> {
  const target = `${apiUrl()}${url.pathname}${url.search}`;
  const headers = new Headers();
  for (const [k, v] of request.headers) if (!HOP_BY_HOP.has(k.toLowerCase())) headers.set(k, v);
  const origin = new URL(publicOrigin(request) ?? url.origin);
  headers.set('x-forwarded-host', origin.host);
  headers.set('x-forwarded-proto', origin.protocol.replace(':', ''));
  const prior = request.headers.get('x-forwarded-for');
  headers.set('x-forwarded-for', prior ? `${prior}, ${clientAddress}` : clientAddress);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      redirect: 'manual',
      // Streams a request body through without buffering it (required by fetch for a stream body).
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch {
    return new Response(
      JSON.stringify({
        type: 'urn:woms:problem:API_UNREACHABLE',
        title: 'The API server cannot be reached.',
        status: 502,
        code: 'API_UNREACHABLE',
        message: { vi: 'Không kết nối được tới máy chủ API.', en: 'The API server cannot be reached.' },
      }),
      { status: 502, headers: { 'content-type': 'application/problem+json; charset=utf-8' } },
    );
  }
  const out = new Headers();
  for (const [k, v] of upstream.headers) {
    const key = k.toLowerCase();
    // fetch already decoded the body; its length and encoding no longer apply. Cookies are copied below.
    if (key === 'content-encoding' || key === 'content-length' || key === 'set-cookie' || HOP_BY_HOP.has(key))
      continue;
    out.set(k, v);
  }
  for (const c of upstream.headers.getSetCookie()) out.append('set-cookie', c);
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: out,
  });
}
