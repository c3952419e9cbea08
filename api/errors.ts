import { HTTPException } from 'hono/http-exception';
import { ApiProblem, internalError } from './problem.ts';

/** Translates anything thrown in a route into one problem. Unknown errors are logged, never leaked. */
export function translateApiError(err: unknown): ApiProblem {
  if (err instanceof ApiProblem) return err;
  if (err instanceof HTTPException) {
    return new ApiProblem({
      status: err.status as ApiProblem['status'],
      code: 'BAD_REQUEST',
      vi: 'Yêu cầu không hợp lệ.',
      en: err.message || 'Bad request.',
    });
  }
  console.error('[api] unhandled error', err);
  return internalError();
}
