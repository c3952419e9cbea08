import { HTTPException } from 'hono/http-exception';
import { DbRuleError, isDbConnectionError, translateDbError } from '../db/errors.ts';
import { ApiProblem, dependencyDown, internalError } from './problem.ts';

/** A database rule rejection as a problem with its stable code. */
export function dbProblem(e: DbRuleError): ApiProblem {
  return new ApiProblem({
    status: e.status as ApiProblem['status'],
    code: e.code,
    vi: e.messageVi,
    en: e.messageEn,
  });
}

function httpProblem(err: HTTPException): ApiProblem {
  if (err.status === 413)
    return new ApiProblem({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      vi: 'Dữ liệu gửi lên quá lớn.',
      en: 'The request body is too large.',
    });
  if (err.status === 415)
    return new ApiProblem({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      vi: 'Kiểu dữ liệu gửi lên không được hỗ trợ.',
      en: 'The request content type is not supported.',
    });
  if (err.status === 400 && /malformed json/i.test(err.message))
    return new ApiProblem({
      status: 400,
      code: 'MALFORMED_JSON',
      vi: 'Nội dung JSON gửi lên bị lỗi cú pháp.',
      en: 'The JSON body is malformed.',
    });
  return new ApiProblem({
    status: err.status as ApiProblem['status'],
    code: 'BAD_REQUEST',
    vi: 'Yêu cầu không hợp lệ.',
    en: err.message || 'Bad request.',
  });
}

/** Seconds a client waits before trying again after PostgreSQL was unreachable (a restart takes seconds). */
export const POSTGRES_RETRY_AFTER_S = 5;
let lastLogged = 0;

/** PostgreSQL unreachable or the connection lost (db/errors.ts isDbConnectionError): 503 DEPENDENCY_UNAVAILABLE
 *  with Retry-After, never a 500 — nothing was changed, the client tries again. Logged at most once a second. */
export function postgresDown(err: unknown): ApiProblem {
  if (Date.now() - lastLogged > 1000) {
    lastLogged = Date.now();
    console.error(`[api] PostgreSQL unavailable: ${(err as Error)?.message ?? String(err)}`);
  }
  return dependencyDown('PostgreSQL', POSTGRES_RETRY_AFTER_S);
}

/** Translates anything thrown in a route into one problem. Unknown errors are logged, never leaked. */
export function translateApiError(err: unknown): ApiProblem {
  if (err instanceof ApiProblem) return err;
  if (err instanceof HTTPException) return httpProblem(err);
  if (isDbConnectionError(err)) return postgresDown(err);
  const db = err instanceof DbRuleError ? err : translateDbError(err);
  if (db) return dbProblem(db);
  console.error('[api] unhandled error', err);
  return internalError();
}
