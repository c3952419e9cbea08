// How the API translates Temporal's errors at the boundary (api/routes/plans/temporal.ts): the transient ones are
// a 503 with Retry-After and a problem code, never an unhandled 500. The errors are the SDK's own classes, as its
// client throws them (no server needed to construct them).
import { NamespaceNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../problem.ts';
import { translateTemporal } from './temporal.ts';

const problemOf = (e: unknown): ApiProblem => {
  try {
    translateTemporal(e);
  } catch (p) {
    return p as ApiProblem;
  }
  throw new Error('translateTemporal returned');
};

describe('translateTemporal', () => {
  it('answers a namespace not found (an overloaded dev server) with 503, Retry-After and DEPENDENCY_UNAVAILABLE', () => {
    const p = problemOf(new NamespaceNotFoundError('default'));
    expect(p).toBeInstanceOf(ApiProblem);
    expect(p.status).toBe(503);
    expect(p.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(p.headers?.['Retry-After']).toBeDefined();
  });

  it('lets an error that is not Temporal’s through unchanged', () => {
    const e = new TypeError('a bug');
    expect(problemOf(e)).toBe(e);
  });
});
