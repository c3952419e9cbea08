import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodType } from 'zod';
import { malformedJson, payloadTooLarge, unsupportedMediaType, validationFailed } from './problems.ts';

export const MAX_BODY_BYTES = 64 * 1024;

/** Rejects bodies over 64 KB with 413 PAYLOAD_TOO_LARGE. */
export const limitBody = (maxSize = MAX_BODY_BYTES): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw payloadTooLarge(maxSize);
    },
  });

/**
 * Before zValidator('json'): a JSON content type (415 UNSUPPORTED_MEDIA_TYPE) and a body that parses
 * (400 MALFORMED_JSON). Hono caches the parsed body, so the validator reuses it.
 */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]+\+)?json(\s*;|$)/i.test(type)) throw unsupportedMediaType();
  try {
    await c.req.json();
  } catch (err) {
    if (err instanceof Error && err.name === 'BodyLimitError') throw payloadTooLarge(MAX_BODY_BYTES);
    throw malformedJson();
  }
  await next();
};

/** zValidator whose failures become 400 VALIDATION_FAILED problems listing each issue's path. */
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw validationFailed(
        result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
    }
  });
