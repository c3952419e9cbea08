import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A domain or request error with a stable code and a message in Vietnamese and English (RFC 9457 body). */
export class ApiProblem extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly messageVi: string;
  readonly messageEn: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(p: {
    status: ContentfulStatusCode;
    code: string;
    vi: string;
    en: string;
    details?: unknown;
    headers?: Record<string, string>;
  }) {
    super(p.en);
    this.status = p.status;
    this.code = p.code;
    this.messageVi = p.vi;
    this.messageEn = p.en;
    this.details = p.details;
    this.headers = p.headers;
  }
}

export function problemResponse(c: Context, p: ApiProblem): Response {
  const body = {
    type: `urn:woms:problem:${p.code}`,
    title: p.messageEn,
    status: p.status,
    code: p.code,
    message: { vi: p.messageVi, en: p.messageEn },
    ...(p.details === undefined ? {} : { details: p.details }),
  };
  for (const [k, v] of Object.entries(p.headers ?? {})) c.header(k, v);
  c.header('Content-Type', 'application/problem+json; charset=utf-8');
  return c.body(JSON.stringify(body), p.status);
}

export const notFound = () =>
  new ApiProblem({
    status: 404,
    code: 'NOT_FOUND',
    vi: 'Không tìm thấy tài nguyên.',
    en: 'Resource not found.',
  });

export const internalError = () =>
  new ApiProblem({
    status: 500,
    code: 'INTERNAL_ERROR',
    vi: 'Lỗi hệ thống. Dữ liệu đã lưu không bị thay đổi; vui lòng thử lại.',
    en: 'Internal error. Nothing saved was changed; please try again.',
  });

export const dependencyDown = (what: string, retryAfterSeconds = 5, details?: unknown) =>
  new ApiProblem({
    details,
    status: 503,
    code: 'DEPENDENCY_UNAVAILABLE',
    vi: `Hệ thống tạm thời không sẵn sàng (${what}). Vui lòng thử lại sau.`,
    en: `The system is temporarily unavailable (${what}). Please try again later.`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
