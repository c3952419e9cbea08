// OpenAPI entries of the routes that are not built with OpenAPIHono (health, sign-in): their zod schemas are
// registered here so /api/openapi.json documents every route of the API (api/openapi.test.ts checks it).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import * as auth from './auth/schemas.ts';
import { errorResponses, jsonBody, jsonOk } from './contract.ts';

const health = z.object({ status: z.literal('ok'), version: z.string() });
const ready = z.object({
  status: z.literal('ready'),
  checks: z.record(z.string(), z.enum(['up', 'down'])),
});
type OpenAPIRegistry = OpenAPIHono['openAPIRegistry'];

const noContent = { 204: { description: 'Done' } };
const redirect = { 302: { description: 'Redirect to the identity provider or back to the app' } };
const publicRoute: { security: [] } = { security: [] };
const personIdParams = z.object({ personId: z.uuid() });

export function registerCorePaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Liveness',
    ...publicRoute,
    responses: { 200: jsonOk(health) },
  });
  registry.registerPath({
    method: 'get',
    path: '/ready',
    summary: 'Readiness of PostgreSQL and Temporal (503 DEPENDENCY_UNAVAILABLE with Retry-After)',
    ...publicRoute,
    responses: {
      200: jsonOk(ready),
      503: { description: 'A dependency is down', content: errorResponses[409].content },
    },
  });
  const authPaths: [method: 'get' | 'post', path: string, summary: string, extra: object][] = [
    [
      'post',
      '/auth/sign-in',
      'Sign in with e-mail and password',
      {
        ...publicRoute,
        request: { body: jsonBody(auth.signInBody) },
        responses: { 200: jsonOk(auth.signInResult), ...errorResponses },
      },
    ],
    [
      'post',
      '/auth/second-factor',
      'Pass the second factor (TOTP or a recovery code)',
      {
        request: { body: jsonBody(auth.codeBody) },
        responses: { 200: jsonOk(auth.secondFactorResult), ...errorResponses },
      },
    ],
    [
      'post',
      '/auth/totp/enrol',
      'Start TOTP enrolment',
      { responses: { 200: jsonOk(auth.totpEnrolment), ...errorResponses } },
    ],
    [
      'post',
      '/auth/totp/confirm',
      'Confirm TOTP enrolment with a code',
      {
        request: { body: jsonBody(auth.codeBody) },
        responses: { 200: jsonOk(auth.totpConfirmed), ...errorResponses },
      },
    ],
    ['post', '/auth/sign-out', 'Sign out', { responses: { ...noContent, ...errorResponses } }],
    [
      'get',
      '/auth/session',
      'The signed-in person, grants and CSRF token',
      { responses: { 200: jsonOk(auth.sessionView), ...errorResponses } },
    ],
    [
      'post',
      '/auth/password',
      'Change the password',
      {
        request: { body: jsonBody(auth.passwordChangeBody) },
        responses: { ...noContent, ...errorResponses },
      },
    ],
    [
      'get',
      '/auth/oidc/start',
      'Start single sign-on (OpenID Connect)',
      { ...publicRoute, responses: { ...redirect, ...errorResponses } },
    ],
    [
      'get',
      '/auth/oidc/callback',
      'Single sign-on callback',
      {
        ...publicRoute,
        request: { query: auth.oidcCallbackQuery },
        responses: { ...redirect, ...errorResponses },
      },
    ],
    [
      'post',
      '/admin/accounts/{personId}/reset-password',
      'Reset a password to a temporary one',
      {
        request: { params: personIdParams },
        responses: { 200: jsonOk(auth.passwordReset), ...errorResponses },
      },
    ],
    [
      'post',
      '/admin/accounts/{personId}/unlock',
      'Unlock a locked sign-in',
      {
        request: { params: personIdParams },
        responses: { 200: jsonOk(auth.unlockResult), ...errorResponses },
      },
    ],
  ];
  for (const [method, path, summary, extra] of authPaths) {
    registry.registerPath({ method, path, summary, tags: ['auth'], ...extra } as Parameters<
      OpenAPIRegistry['registerPath']
    >[0]);
  }
}
