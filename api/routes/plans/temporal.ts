// The API's side of the annual-plan workflow (TEMPORAL.md §1.3): start it with a business-key id, send
// Updates bounded by a deadline with an idempotent update id, and translate Temporal's errors at the
// boundary (rejected → 422 with the validator's reason, not found → 404, already started → 409,
// unreachable or too slow → 503 with Retry-After).
import {
  type Client,
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { dependencyDown } from '../../problem.ts';
import { rule } from '../admin/common.ts';

/** How long a request waits for a worker to accept an Update or a start. */
export const UPDATE_DEADLINE_MS = 10_000;

export const updateRejected = (reason: string) => rule(422, 'UPDATE_REJECTED', reason, reason);

export function translateTemporal(e: unknown): never {
  if (e instanceof WorkflowUpdateFailedError) {
    const reason = (e.cause as Error | undefined)?.message ?? e.message;
    throw updateRejected(reason);
  }
  if (e instanceof WorkflowNotFoundError)
    throw rule(
      404,
      'WORKFLOW_NOT_FOUND',
      'Không tìm thấy quy trình của kế hoạch.',
      'The plan workflow was not found.',
    );
  if (e instanceof WorkflowExecutionAlreadyStartedError)
    throw rule(
      409,
      'WORKFLOW_ALREADY_STARTED',
      'Quy trình kế hoạch của năm này đã được khởi động.',
      'The plan workflow of this year is already running.',
    );
  if (
    e instanceof ServiceError ||
    e instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    isGrpcServiceError(e)
  )
    throw unavailable(e);
  throw e;
}

function unavailable(e: unknown) {
  console.error('[plans] Temporal unavailable or too slow:', (e as Error)?.message ?? e);
  return dependencyDown('Temporal', 5);
}

/** Runs `fn` with the one Temporal client under a deadline; every failure is a problem. */
export async function withTemporal<R>(
  temporal: () => Promise<Client>,
  fn: (client: Client) => Promise<R>,
  deadlineMs = UPDATE_DEADLINE_MS,
): Promise<R> {
  let client: Client;
  try {
    client = await temporal();
  } catch (e) {
    throw unavailable(e); // no connection
  }
  try {
    return await client.withDeadline(Date.now() + deadlineMs, () => fn(client));
  } catch (e) {
    translateTemporal(e);
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;

/** The update id: the client's Idempotency-Key (a double click sends the same), else a derived one. */
export function updateIdOf(header: string | undefined, derived: string): string {
  if (header === undefined || header === '') return derived;
  if (!KEY.test(header))
    throw rule(
      422,
      'IDEMPOTENCY_KEY_INVALID',
      'Khóa chống gửi trùng (Idempotency-Key) không hợp lệ.',
      'The Idempotency-Key header is invalid.',
    );
  return `key:${header}`;
}
