// A business refusal inside an activity fails it for good: retrying cannot change the answer. A rule of the
// database (db/errors.ts DbRuleError) carries its Vietnamese message and code (the failure type); a malformed
// value (SQLSTATE class 22: an id that is no uuid, a date out of range) is refused as the API would refuse it.
// Connection losses, serialization failures and everything else stay retryable.
import { ApplicationFailure } from '@temporalio/common';
import { DbRuleError, translateDbError } from '../db/errors.ts';

export async function refusedForGood<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DbRuleError) throw ApplicationFailure.nonRetryable(e.messageVi, e.code, e.messageEn);
    const code = (e as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('22')) {
      const rule = translateDbError(e);
      if (rule) throw ApplicationFailure.nonRetryable(rule.messageVi, rule.code, rule.messageEn);
    }
    throw e;
  }
}
