// A delegation (DESIGN §3, §5): a person on leave names a delegate for a window of local days; the
// approver (the 'delegation' chain's party, by default the supervisor) decides it from an inbox task.
// REQUESTED → (Update decideDelegation) APPROVED | REJECTED; APPROVED → ACTIVE at 00:00 VN of `from` →
// ENDED at the end of `to`; REQUESTED | APPROVED | ACTIVE → REVOKED (Update revokeDelegation by the
// principal or the approver). One reminder to the approver at 08:00 VN of the task's due day; a request
// still undecided when its window has passed lapses (REJECTED by the system). The workflow writes
// PostgreSQL only through activities (task inbox, the delegation read model, notifications + outbox
// e-mail); its clock is virtual time (plan-time.ts) so tests compress days into seconds.
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DelegationProjection } from '../activities/delegations.ts';
import type { Activities } from '../activities/index.ts';
import type { NotifyInput } from '../activities/notifications.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
import {
  addCalendarDays,
  endOfVnDay,
  startOfVnDay,
  vnInstant,
  vnLocalDate,
} from '../domain/calendar/vn-time.ts';
import {
  type DelegationInput,
  type DelegationPhase,
  type DelegationUpdateResult,
  type DelegationView,
  decideDelegation,
  getDelegation,
  revokeDelegation,
} from './delegation.messages.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';

export * from './delegation.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

const SYSTEM = 'system:delegation';
const LINK = '/account/delegation';

type Effect =
  | { t: 'open'; input: OpenTaskInput }
  | { t: 'close'; input: CloseTaskInput }
  | { t: 'rung'; input: FireRungInput }
  | { t: 'project'; input: DelegationProjection };

const GRANTED: ReadonlySet<DelegationPhase> = new Set(['APPROVED', 'ACTIVE']);
const OPEN: ReadonlySet<DelegationPhase> = new Set(['REQUESTED', 'APPROVED', 'ACTIVE']);

export async function delegationWorkflow(input: DelegationInput): Promise<DelegationView> {
  const warp = input.warp;
  const now = () => virtualNow(warp);
  const wid = input.delegationId;
  const taskId = `${wid}:approve`;
  const window = `${input.from} – ${input.to}`;

  let status: DelegationPhase = 'REQUESTED';
  let stateVersion = 0;
  let decidedBy: string | undefined;
  let decidedAt: number | undefined;
  let decisionNote: string | undefined;
  let revokedBy: string | undefined;
  let revokedAt: number | undefined;
  let reminded = false;
  let taskOpen = false;
  let changes = 0;
  const effects: Effect[] = [];
  let enqueued = 0;
  let flushed = 0;

  const requestDay = vnLocalDate(now());
  const dayBeforeFrom = addCalendarDays(input.from, -1);
  const dueDate = input.approveBy ?? ([dayBeforeFrom, requestDay].sort()[1] as string);
  const remindAt = vnInstant(dueDate, 8);
  const startAt = startOfVnDay(input.from);
  const endAt = endOfVnDay(input.to);

  const push = (e: Effect) => {
    effects.push(e);
    enqueued++;
  };
  const both = (
    key: string,
    titleVi: string,
    titleEn: string,
    bodyVi: string,
    bodyEn: string,
  ): NotifyInput => ({
    key: `${wid}:${key}`,
    recipients: [{ personId: input.principalId }, { personId: input.delegateId }],
    kind: 'delegation',
    titleVi,
    titleEn,
    bodyVi,
    bodyEn,
    link: LINK,
    logicalDate: vnLocalDate(now()),
  });
  const project = (actor: string, action: string, notify?: NotifyInput) => {
    stateVersion++;
    push({
      t: 'project',
      input: {
        id: wid,
        workflowId: wid,
        principalId: input.principalId,
        delegateId: input.delegateId,
        approverId: input.approverId,
        unitId: input.unitId,
        from: input.from,
        to: input.to,
        reason: input.reason,
        requestedBy: input.principalId,
        status,
        stateVersion,
        ...(decidedBy ? { decidedBy } : {}),
        ...(decidedAt !== undefined ? { decidedAt } : {}),
        ...(decisionNote ? { decisionNote } : {}),
        ...(revokedBy ? { revokedBy } : {}),
        ...(revokedAt !== undefined ? { revokedAt } : {}),
        actor,
        action,
        ...(notify ? { notify } : {}),
      },
    });
  };
  const closeTask = (st: 'done' | 'cancelled', by: string, reason?: string) => {
    if (!taskOpen) return;
    taskOpen = false;
    push({ t: 'close', input: { id: taskId, status: st, by, ...(reason ? { reason } : {}) } });
  };
  const result = (): DelegationUpdateResult => ({ id: wid, status });
  const view = (): DelegationView => ({
    status,
    ...(decidedBy ? { decidedBy } : {}),
    ...(revokedBy ? { revokedBy } : {}),
    reminded,
  });

  /** Records a refusal of an approval that would overlap another granted delegation (found by the activity). */
  const refuseOverlap = () => {
    status = 'REJECTED';
    decisionNote = 'DELEGATION_OVERLAP';
    project(
      SYSTEM,
      'delegation.rejected',
      both(
        'overlap',
        'Ủy quyền không có hiệu lực',
        'Delegation not in force',
        `Ủy quyền ${window} trùng thời gian với một ủy quyền khác đã được duyệt nên không có hiệu lực.`,
        `The delegation ${window} overlaps another approved delegation and is not in force.`,
      ),
    );
  };

  async function flush() {
    while (effects.length > 0) {
      const e = effects[0] as Effect;
      if (e.t === 'open') await acts.openTask(e.input);
      else if (e.t === 'close') await acts.closeTask(e.input);
      else if (e.t === 'rung') await acts.fireRung(e.input);
      else {
        const r = await acts.projectDelegation(e.input);
        if (r.conflict && GRANTED.has(e.input.status) && status === e.input.status) refuseOverlap();
      }
      effects.shift();
      flushed++;
    }
  }
  /** Applies a transition and waits until the read model has it (read-your-write for the API). */
  const apply = async (fn: () => void): Promise<DelegationUpdateResult> => {
    fn();
    changes++;
    // everything enqueued so far, and what the flush adds in answer (a refused overlapping approval)
    await condition(() => effects.length === 0 && flushed >= enqueued);
    return result();
  };
  const checkBy = (by: unknown) => {
    if (typeof by !== 'string' || by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
  };

  // ---- start: the approval task, before the handlers (an Update in the first task finds it open) ----
  taskOpen = true;
  push({
    t: 'open',
    input: {
      id: taskId,
      workflowId: wid,
      updateName: 'decideDelegation',
      kind: 'delegation.approve',
      subjectType: 'delegation',
      subjectId: wid,
      assignee: { personId: input.approverId },
      dueAt: endOfVnDay(dueDate),
      logicalDueDate: dueDate,
      details: {
        principalId: input.principalId,
        principalName: input.principalName,
        delegateId: input.delegateId,
        delegateName: input.delegateName,
        from: input.from,
        to: input.to,
      },
      actor: input.principalId,
      notify: {
        key: `${wid}:requested`,
        recipients: [{ personId: input.approverId }],
        kind: 'delegation.approve',
        titleVi: 'Đề nghị duyệt ủy quyền',
        titleEn: 'Delegation to approve',
        bodyVi: `${input.principalName} đề nghị ủy quyền cho ${input.delegateName} từ ${input.from} đến ${input.to}. Lý do: ${input.reason}`,
        bodyEn: `${input.principalName} asks to delegate to ${input.delegateName} from ${input.from} to ${input.to}. Reason: ${input.reason}`,
        link: LINK,
        logicalDate: dueDate,
      },
    },
  });

  setHandler(
    decideDelegation,
    (a) =>
      apply(() => {
        const t = now();
        decidedBy = a.by;
        decidedAt = t;
        if (a.note?.trim()) decisionNote = a.note.trim();
        closeTask('done', a.by);
        if (a.decision === 'approve') {
          status = t >= endAt ? 'ENDED' : t >= startAt ? 'ACTIVE' : 'APPROVED';
          project(
            a.by,
            'delegation.approved',
            both(
              'approved',
              'Ủy quyền đã được duyệt',
              'Delegation approved',
              `Ủy quyền của ${input.principalName} cho ${input.delegateName} từ ${input.from} đến ${input.to} đã được duyệt.`,
              `The delegation from ${input.principalName} to ${input.delegateName}, ${input.from} to ${input.to}, was approved.`,
            ),
          );
        } else {
          status = 'REJECTED';
          project(
            a.by,
            'delegation.rejected',
            both(
              'rejected',
              'Ủy quyền không được duyệt',
              'Delegation rejected',
              `Ủy quyền của ${input.principalName} cho ${input.delegateName} từ ${input.from} đến ${input.to} không được duyệt.`,
              `The delegation from ${input.principalName} to ${input.delegateName}, ${input.from} to ${input.to}, was rejected.`,
            ),
          );
        }
      }),
    {
      validator: (a) => {
        checkBy(a?.by);
        if (a.decision !== 'approve' && a.decision !== 'reject') throw new Error('Quyết định không hợp lệ');
        if (status !== 'REQUESTED')
          throw new Error(`Ủy quyền đang ở trạng thái ${status}, không thể quyết định`);
        if (a.by === input.principalId) throw new Error('Không ai tự duyệt ủy quyền của chính mình');
        if (a.by === input.delegateId)
          throw new Error('Người được ủy quyền không tự duyệt ủy quyền cho mình');
        if (a.by !== input.approverId) throw new Error('Người thực hiện không phải người duyệt ủy quyền này');
      },
    },
  );

  setHandler(
    revokeDelegation,
    (a) =>
      apply(() => {
        revokedBy = a.by;
        revokedAt = now();
        if (a.reason?.trim()) decisionNote = a.reason.trim();
        closeTask('cancelled', a.by, 'revoked');
        status = 'REVOKED';
        project(
          a.by,
          'delegation.revoked',
          both(
            'revoked',
            'Ủy quyền đã bị thu hồi',
            'Delegation revoked',
            `Ủy quyền của ${input.principalName} cho ${input.delegateName} từ ${input.from} đến ${input.to} đã bị thu hồi.`,
            `The delegation from ${input.principalName} to ${input.delegateName}, ${input.from} to ${input.to}, was revoked.`,
          ),
        );
      }),
    {
      validator: (a) => {
        checkBy(a?.by);
        if (!OPEN.has(status)) throw new Error(`Ủy quyền đang ở trạng thái ${status}, không thể thu hồi`);
        if (a.by !== input.principalId && a.by !== input.approverId)
          throw new Error('Chỉ người ủy quyền hoặc người duyệt được thu hồi ủy quyền');
      },
    },
  );

  setHandler(getDelegation, () => view());

  /** Transitions due at the current virtual time; true when one happened. */
  function processTime(): boolean {
    const t = now();
    if (status === 'REQUESTED') {
      if (t >= endAt) {
        status = 'REJECTED';
        decidedBy = SYSTEM;
        decidedAt = t;
        decisionNote = 'DELEGATION_LAPSED';
        closeTask('cancelled', SYSTEM, 'lapsed');
        project(
          SYSTEM,
          'delegation.lapsed',
          both(
            'lapsed',
            'Đề nghị ủy quyền hết hạn',
            'Delegation request lapsed',
            `Đề nghị ủy quyền ${window} không được quyết định trước khi hết thời gian ủy quyền.`,
            `The delegation request ${window} was not decided before its window ended.`,
          ),
        );
        return true;
      }
      if (!reminded && t >= remindAt) {
        reminded = true;
        push({
          t: 'rung',
          input: {
            event: {
              key: `remind:${wid}:approve`,
              taskId,
              kind: 'reminded',
              actor: SYSTEM,
              recipientPersonId: input.approverId,
              logicalDate: dueDate,
            },
            notify: {
              key: `${wid}:remind`,
              recipients: [{ personId: input.approverId }],
              kind: 'delegation.approve',
              titleVi: 'Nhắc: đề nghị ủy quyền chờ duyệt',
              titleEn: 'Reminder: delegation to approve',
              bodyVi: `Đề nghị ủy quyền của ${input.principalName} cho ${input.delegateName} (${window}) cần được quyết định trong ngày ${dueDate}.`,
              bodyEn: `The delegation request of ${input.principalName} to ${input.delegateName} (${window}) is due for a decision on ${dueDate}.`,
              link: LINK,
              logicalDate: dueDate,
            },
            audit: { aggregateType: 'delegation', aggregateId: wid },
          },
        });
        return true;
      }
      return false;
    }
    if (status === 'APPROVED' && t >= startAt) {
      status = t >= endAt ? 'ENDED' : 'ACTIVE';
      project(
        SYSTEM,
        status === 'ACTIVE' ? 'delegation.activated' : 'delegation.ended',
        status === 'ACTIVE'
          ? both(
              'active',
              'Ủy quyền bắt đầu có hiệu lực',
              'Delegation in force',
              `Từ hôm nay ${input.delegateName} thay mặt ${input.principalName} đến hết ngày ${input.to}.`,
              `From today ${input.delegateName} acts on behalf of ${input.principalName} until the end of ${input.to}.`,
            )
          : undefined,
      );
      return true;
    }
    if (status === 'ACTIVE' && t >= endAt) {
      status = 'ENDED';
      project(
        SYSTEM,
        'delegation.ended',
        both(
          'ended',
          'Ủy quyền đã hết hiệu lực',
          'Delegation ended',
          `Ủy quyền của ${input.principalName} cho ${input.delegateName} đã hết hiệu lực sau ngày ${input.to}.`,
          `The delegation from ${input.principalName} to ${input.delegateName} ended after ${input.to}.`,
        ),
      );
      return true;
    }
    return false;
  }

  // ---- main loop ----
  for (;;) {
    await flush();
    if (processTime()) continue;
    if (!OPEN.has(status)) break;
    const c = changes;
    const wake =
      status === 'REQUESTED'
        ? reminded
          ? endAt
          : Math.min(remindAt, endAt)
        : status === 'APPROVED'
          ? startAt
          : endAt;
    await condition(() => changes !== c || effects.length > 0, realDelayUntil(warp, wake));
  }
  for (;;) {
    await flush();
    if (allHandlersFinished() && effects.length === 0) break;
    await condition(() => effects.length > 0 || allHandlersFinished());
  }
  return view();
}
