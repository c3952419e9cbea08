// Which failures of an activity's database work are final (real PostgreSQL): a rule refusal and a malformed value
// fail for good with their code as the failure type; a serialization failure and anything else stay retryable.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DbRuleError } from '../db/errors.ts';
import { freshDatabase } from '../test/support/database.ts';
import { refusedForGood } from './business-refusal.ts';

const { db } = await freshDatabase();

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('refusedForGood', () => {
  it('answers what the work answers', async () => {
    expect(await refusedForGood(async () => 42)).toBe(42);
  });

  it('fails a malformed value for good, with its code and both messages', async () => {
    const e = await failure(refusedForGood(() => sql`SELECT ${'sim-not-a-uuid'}::uuid`.execute(db)));
    expect(e).toBeInstanceOf(ApplicationFailure);
    const f = e as ApplicationFailure;
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('INVALID_INPUT');
    expect(f.message).toBe('Giá trị không đúng định dạng.');
    expect(f.details).toEqual(['A value has the wrong format.']);
  });

  it("fails a database rule's refusal for good", async () => {
    const rule = new DbRuleError({
      code: 'RANKING_DECIDED',
      status: 409,
      messageVi: 'Bảng xếp loại đã được quyết định.',
      messageEn: 'The ranking is already decided.',
      sqlState: 'P0001',
    });
    const f = (await failure(refusedForGood(() => Promise.reject(rule)))) as ApplicationFailure;
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('RANKING_DECIDED');
  });

  it('leaves a serialization failure and other errors retryable (rethrown as they are)', async () => {
    const serialization = Object.assign(new Error('could not serialize access'), { code: '40001' });
    expect(await failure(refusedForGood(() => Promise.reject(serialization)))).toBe(serialization);
    const syntax = await failure(refusedForGood(() => sql`SELEC 1`.execute(db)));
    expect(syntax).not.toBeInstanceOf(ApplicationFailure);
    expect((syntax as { code?: string }).code).toBe('42601');
  });
});
