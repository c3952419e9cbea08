/** Where the web server reaches the API (server-side loads and the /api proxy). Read per call so tests can set it. */
export function apiUrl(): string {
  return (process.env.API_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
}
