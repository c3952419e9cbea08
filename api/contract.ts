// The shared contract of the content API: zod schemas for common fields, the page envelope, the problem
// body, and the OpenAPIHono factory whose validation failures become problem+json with stable codes.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AuthzEnv } from './authz/middleware.ts';
import { ApiProblem } from './problem.ts';

export { z };

export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

export const validationFailed = (issues: ValidationIssue[]) =>
  new ApiProblem({
    status: 400,
    code: 'VALIDATION_FAILED',
    vi: 'Dữ liệu gửi lên không hợp lệ.',
    en: 'The request data is invalid.',
    details: { issues },
  });

/** Text that must not hide or reorder what people read: zero-width, bidi controls, other control characters. */
/** Control (Cc) and format (Cf) characters: zero-width spaces and joiners, bidi overrides and isolates, BOM. */
const HIDDEN = /[\p{Cc}\p{Cf}]/u;
/** Names: letters (any script, with combining marks), digits, spaces and . , - ( ) ' / & only. */
const NAME_CHARS = /^[\p{L}\p{M}\p{N} .,\-()'/&]+$/u;

function textBase(max: number) {
  return z
    .string()
    .max(max * 4)
    .refine((s) => !HIDDEN.test(s), { message: 'TEXT_HIDDEN_CHARACTER' })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max, { message: 'TEXT_TOO_LONG' }));
}

/** A person's or unit's name: NFC, trimmed, 1..max, a restricted character set (no markup, no statement syntax). */
export const nameText = (max = 200) =>
  textBase(max).pipe(
    z
      .string()
      .min(1, { message: 'TEXT_REQUIRED' })
      .regex(NAME_CHARS, { message: 'TEXT_FORBIDDEN_CHARACTER' }),
  );

/** Free text (descriptions, sources): NFC, trimmed, no markup brackets, no hidden characters. */
export const plainText = (max = 1000) =>
  textBase(max).pipe(
    z
      .string()
      .min(1, { message: 'TEXT_REQUIRED' })
      .regex(/^[^<>]*$/u, { message: 'TEXT_FORBIDDEN_CHARACTER' }),
  );

export const codeText = (max = 64) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'CODE_INVALID' });

export const uuid = z.uuid();
export const isoDate = z.iso.date();
export const email = z
  .string()
  .max(254)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email({ message: 'EMAIL_INVALID' }));

export const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    message: z.object({ vi: z.string(), en: z.string() }),
    details: z.unknown().optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: Problem } };
/** The error answers every content route may give. */
export const errorResponses = {
  400: {
    description: 'Invalid request (VALIDATION_FAILED, MALFORMED_JSON, CURSOR_INVALID)',
    content: problemContent,
  },
  401: { description: 'Not signed in (UNAUTHENTICATED)', content: problemContent },
  403: { description: 'Not allowed in this scope (FORBIDDEN)', content: problemContent },
  404: { description: 'Not found', content: problemContent },
  409: { description: 'Conflict with saved data', content: problemContent },
  413: { description: 'Body too large (PAYLOAD_TOO_LARGE)', content: problemContent },
  422: { description: 'A data rule refused the change', content: problemContent },
  503: {
    description:
      'PostgreSQL unreachable, or no answer within the request timeout API_REQUEST_TIMEOUT_MS (DEPENDENCY_UNAVAILABLE, with Retry-After)',
    content: problemContent,
  },
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
export const jsonOk = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

/**
 * A JSON content type with an empty body (a client that always sends `Content-Type: application/json`) is
 * treated as no body: the content type is dropped, so an optional body is absent and a required one fails its
 * schema (400 VALIDATION_FAILED) instead of 400 MALFORMED_JSON. Register it after the body limit (it reads
 * the body; Hono caches it, so the validator reuses it).
 */
export const emptyJsonIsNoBody: MiddlewareHandler = async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (
    c.req.method !== 'GET' &&
    c.req.method !== 'HEAD' &&
    /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type) &&
    // a clone is read, so a route that reads the raw stream itself (the evidence upload's body limit) still
    // can: reading c.req.text() here locked it and a JSON-typed upload ended in a 500 (issue 9 security checks)
    (c.req.header('content-length') === '0' || (await c.req.raw.clone().text()).trim() === '')
  ) {
    const headers = new Headers(c.req.raw.headers);
    headers.delete('content-type');
    c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers, signal: c.req.raw.signal });
    c.req.bodyCache = {};
  }
  await next();
};

/** One sub-app per resource; zod failures become VALIDATION_FAILED problems. */
export function contentApp() {
  return new OpenAPIHono<AuthzEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationFailed(
          result.error.issues.map((i) => ({
            path: i.path.map(String).join('.'),
            code: /^[A-Z_]+$/.test(i.message) ? i.message : i.code.toUpperCase(),
            message: i.message,
          })),
        );
      }
    },
  });
}

/** Keyset cursor: the sort key and the id of the last row of a page. */
export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      v[1].length <= 64
    )
      return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new ApiProblem({
    status: 400,
    code: 'CURSOR_INVALID',
    vi: 'Con trỏ phân trang không hợp lệ.',
    en: 'The page cursor is invalid.',
  });
}

/** Cuts a fetched limit+1 rows into a page. */
export function pageFrom<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => [string, string]) {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(...key(last)) : null };
}
