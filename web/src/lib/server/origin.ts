/**
 * The origin browsers use to reach this app. SvelteKit 3's adapter-node dropped its ORIGIN variable
 * (the origin became a build-time option) and otherwise assumes https, so the app reads ORIGIN
 * itself at run time; without it, the request's Host header (over http) is trusted.
 */
export function publicOrigin(request: Request): string | null {
  const configured = process.env.ORIGIN?.trim();
  if (configured) return new URL(configured).origin;
  const host = request.headers.get('host');
  return host ? `http://${host}` : null;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Cross-site request forgery guard, as SvelteKit's own (which cannot know the run-time origin):
 * a state-changing request that a plain HTML form on another site could send is refused unless its
 * Origin is this app's.
 */
export function isCrossSiteFormPost(request: Request): boolean {
  if (!MUTATING.has(request.method)) return false;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && !FORM_TYPES.includes(type)) return false;
  const origin = request.headers.get('origin');
  return !origin || origin !== publicOrigin(request);
}
