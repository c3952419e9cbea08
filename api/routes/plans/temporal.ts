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
import { NamespaceNotFoundError } from '@temporalio/common';
import { ApiProblem, dependencyDown } from '../../problem.ts';
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
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpcCodeOf(e) === GRPC_DEADLINE_EXCEEDED)
    throw tooSlow(e);
  // An overloaded dev server can answer a start with its namespace not found (seen in the scale-1 bench): the
  // same as Temporal being unreachable, for the screen and for a retry.
  if (e instanceof ServiceError || e instanceof NamespaceNotFoundError || isGrpcServiceError(e))
    throw unavailable(e);
  throw e;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const grpcCodeOf = (e: unknown): number | undefined => {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    if (isGrpcServiceError(cur)) return cur.code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
};

function unavailable(e: unknown) {
  console.error('[plans] Temporal unavailable:', (e as Error)?.message ?? e);
  return dependencyDown('Temporal', 5);
}

/** Temporal answered, but the workflow did not take the Update within the deadline: its worker is down or busy,
 *  or the activity the Update waits for is held up (e.g. by the database). The Update may still be applied. */
function tooSlow(e: unknown) {
  console.error('[plans] the workflow did not answer in time:', (e as Error)?.message ?? e);
  return new ApiProblem({
    status: 503,
    code: 'DEPENDENCY_UNAVAILABLE',
    vi: 'Quy trình chưa trả lời kịp (máy xử lý quy trình hoặc cơ sở dữ liệu đang bận). Yêu cầu có thể đã được ghi nhận: hãy tải lại sau ít phút; gửi lại cũng không bị tính hai lần.',
    en: 'The workflow did not answer in time (its worker or the database is busy). The request may have been taken: reload in a few minutes; sending it again is not counted twice.',
    details: { dependency: 'workflow', reason: 'update-deadline' },
    headers: { 'Retry-After': '5' },
  });
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
