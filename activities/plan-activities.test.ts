// The plan, task and notification activities against a real PostgreSQL, and the outbox sender against a real
// SMTP server: every activity is idempotent by its business key, projections are order-independent, a SENT
// message is never sent again.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetRevisionsOf } from '../db/queries/check-ins.ts';
import { createPlanVersion, ensurePlan, getPlan } from '../db/queries/plans.ts';
import { eventsOfTask, getTask, inboxOf } from '../db/queries/tasks.ts';
import { type MailCatcher, startMailCatcher } from '../devstack/mail-catcher.ts';
import { draftVersion, type PlanPeople, seedPlanPeople } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { annualPlanId } from '../workflows/annual-plan.messages.ts';
import { createActivities } from './index.ts';
import { deliverDueMail, type Mailer, sendOutboxRow, smtpMailer } from './mail-sender.ts';
import type { OpenTaskInput } from './tasks.ts';

const { db } = await freshDatabase();
const acts = createActivities({ db });
let p: PlanPeople;
let planId: string;
let catcher: MailCatcher;

beforeAll(async () => {
  p = await seedPlanPeople(db);
  planId = annualPlanId(p.unitId, 2027);
  catcher = await startMailCatcher({ smtpPort: 0 });
});
afterAll(() => catcher.stop());

const task = (over: Partial<OpenTaskInput> = {}): OpenTaskInput => ({
  id: `${planId}:submit:1`,
  workflowId: planId,
  updateName: 'submitPlan',
  kind: 'plan.submit',
  subjectType: 'plan',
  subjectId: planId,
  assignee: { personId: p.drafter },
  dueAt: Date.UTC(2026, 10, 30, 17),
  logicalDueDate: '2026-11-30',
  actor: 'system:test',
  ...over,
});
const auditActions = async () =>
  (
    await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', planId)
      .orderBy('seq')
      .execute()
  ).map((r) => r.action);

describe('plan activities', () => {
  it('projectPlanStatus is guarded by state_version: stale and repeated projections change nothing', async () => {
    const base = {
      planId,
      ownerKind: 'unit' as const,
      unitId: p.unitId,
      year: 2027,
      workflowId: planId,
      filed: false,
      overdueLevel: 0,
      actor: 'system:test',
    };
    expect(
      await acts.projectPlanStatus({
        ...base,
        status: 'DRAFTING',
        phase: 'DRAFTING',
        stateVersion: 1,
        action: 'plan.started',
      }),
    ).toEqual({ applied: true });
    expect(
      await acts.projectPlanStatus({
        ...base,
        status: 'SUBMITTED',
        phase: 'SUBMITTED',
        stateVersion: 3,
        action: 'plan.submitted',
      }),
    ).toEqual({ applied: true });
    // An out-of-order retry of version 2 and a repeat of version 3 are ignored.
    expect(
      await acts.projectPlanStatus({
        ...base,
        status: 'DRAFTING',
        phase: 'DRAFTING',
        stateVersion: 2,
        action: 'plan.escalated',
      }),
    ).toEqual({ applied: false });
    expect(
      await acts.projectPlanStatus({
        ...base,
        status: 'SUBMITTED',
        phase: 'SUBMITTED',
        stateVersion: 3,
        action: 'plan.submitted',
      }),
    ).toEqual({ applied: false });
    expect(await getPlan(db, planId)).toMatchObject({ status: 'SUBMITTED', state_version: 3 });
    expect(await auditActions()).toEqual(['plan.started', 'plan.submitted']);
    // a projection's details go to the audit entry, never over the plan's own (its creator, its template)
    await db
      .updateTable('plan')
      .set({ details: JSON.stringify({ createdBy: 'creator-1' }) })
      .where('id', '=', planId)
      .execute();
    await acts.projectPlanStatus({
      ...base,
      status: 'APPRAISED',
      phase: 'APPRAISED',
      stateVersion: 4,
      action: 'plan.appraised',
      details: { opinion: 'endorse' },
    });
    expect((await getPlan(db, planId))?.details).toEqual({ createdBy: 'creator-1' });
  });

  it('an approved amendment writes each changed target to the key result’s history, once', async () => {
    const amendedId = annualPlanId(p.unitId, 2028);
    await ensurePlan(db, {
      id: amendedId,
      ownerKind: 'unit',
      unitId: p.unitId,
      year: 2028,
      workflowId: amendedId,
    });
    const kr = (target: string, periodTargets: Record<string, string>) => ({
      id: 'kr1',
      title: 'Tỷ lệ hồ sơ giải quyết đúng hạn',
      type: 'KPI',
      breakthrough: false,
      unit: 'hồ sơ',
      direction: { kind: 'higher' },
      target,
      weight: '1',
      cadence: 'month',
      aggregation: 'sum',
      evidenceRequired: false,
      periodTargets,
    });
    const content = (target: string, periodTargets: Record<string, string>) => ({
      id: amendedId,
      year: 2028,
      owner: { kind: 'unit', unitId: p.unitId },
      sections: [],
      tasks: [
        {
          id: 't1',
          title: 'Cải cách hành chính',
          perspective: 'process',
          weight: '1',
          keyResults: [kr(target, periodTargets)],
        },
      ],
    });
    const v1 = await createPlanVersion(db, {
      planId: amendedId,
      content: content('120', { '2028-06': '10' }),
      createdBy: p.drafter,
    });
    const v2 = await createPlanVersion(db, {
      planId: amendedId,
      content: content('150', { '2028-06': '12' }),
      createdBy: p.drafter,
    });
    const amended = {
      planId: amendedId,
      ownerKind: 'unit' as const,
      unitId: p.unitId,
      year: 2028,
      workflowId: amendedId,
      filed: false,
      overdueLevel: 0,
      status: 'APPROVED' as const,
      phase: 'IN_FORCE',
      inForceVersionId: v2.id,
      stateVersion: 9,
      actor: p.committee,
      action: 'plan.amended',
      details: {
        amendment: 1,
        versionId: v2.id,
        previousVersionId: v1.id,
        reason: 'Bổ sung chỉ tiêu theo Nghị quyết 57',
      },
    };
    expect(await acts.projectPlanStatus(amended)).toEqual({ applied: true });
    // a retry of the same projection is stale: no second history
    expect(await acts.projectPlanStatus(amended)).toEqual({ applied: false });
    const revisions = await targetRevisionsOf(db, amendedId, 'kr1');
    expect(
      revisions.map((r) => [r.period, r.old_target, r.new_target, r.changed_by, r.reason, r.plan_version_id]),
    ).toEqual([
      [null, '120', '150', p.committee, 'Bổ sung chỉ tiêu theo Nghị quyết 57', v2.id],
      ['2028-06', '10', '12', p.committee, 'Bổ sung chỉ tiêu theo Nghị quyết 57', v2.id],
    ]);
  });

  it('plan versions are immutable and carry the sha256 of their content', async () => {
    const v = await draftVersion(db, p);
    expect(v.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v.number).toBeGreaterThanOrEqual(1);
    await expect(
      sql`UPDATE plan_version SET created_by = 'x' WHERE id = ${v.id}`.execute(db),
    ).rejects.toThrow(/immutable/);
  });
});

describe('task activities', () => {
  it('openTask is idempotent, reschedules an open task and never reopens a closed one', async () => {
    expect(await acts.openTask(task())).toEqual({ created: true, changed: true });
    expect(await acts.openTask(task())).toEqual({ created: false, changed: false });
    expect(
      await acts.openTask(task({ dueAt: Date.UTC(2026, 11, 7, 17), logicalDueDate: '2026-12-07' })),
    ).toEqual({ created: false, changed: true });
    expect((await getTask(db, task().id))?.logical_due_date).toBe('2026-12-07');
    const inbox = await inboxOf(db, p.drafter, { day: '2026-11-26' });
    expect(inbox.map((t) => t.id)).toEqual([task().id]);
    expect(await acts.closeTask({ id: task().id, status: 'done', by: p.drafter })).toEqual({ closed: true });
    expect(await acts.closeTask({ id: task().id, status: 'done', by: p.drafter })).toEqual({ closed: false });
    expect(await acts.openTask(task({ logicalDueDate: '2026-12-09' }))).toEqual({
      created: false,
      changed: false,
    });
    expect((await getTask(db, task().id))?.status).toBe('done');
    expect((await eventsOfTask(db, task().id)).map((e) => e.kind)).toEqual(['opened', 'closed']);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['task.opened', 'task.rescheduled', 'task.done']),
    );
  });

  it('a role-assigned task is in the inbox of the role holders', async () => {
    const id = `${planId}:appraise:1`;
    await acts.openTask(
      task({ id, kind: 'plan.appraise', assignee: { role: 'secretariat', unitId: p.provinceId } }),
    );
    expect((await inboxOf(db, p.secretary, { day: '2026-12-01' })).map((t) => t.id)).toContain(id);
    expect((await inboxOf(db, p.drafter, { day: '2026-12-01' })).map((t) => t.id)).not.toContain(id);
  });

  it('fireRung retried with the same key writes one event, one notification and one e-mail per recipient', async () => {
    const id = `${planId}:revise:2`;
    await acts.openTask(task({ id, kind: 'plan.revise' }));
    const rung = {
      event: {
        key: `escalate:${planId}:revise:2@2026-11-30:5`,
        taskId: id,
        kind: 'escalated' as const,
        actor: 'system:test',
        recipientRole: 'secretariat',
        logicalDate: '2026-12-02',
      },
      escalationLevel: 4,
      notify: {
        key: `escalate:${planId}:revise:2@2026-11-30:5`,
        recipients: [{ role: 'secretariat', unitId: p.provinceId }, { personId: p.head }],
        kind: 'plan.escalated',
        titleVi: 'Chuyển cấp trên do quá hạn — hạn 30/11/2026',
        titleEn: 'Escalated — due 30/11/2026',
        bodyVi: 'Quá hạn',
        bodyEn: 'Overdue',
      },
      audit: { aggregateType: 'plan', aggregateId: planId },
    };
    expect(await acts.fireRung(rung)).toEqual({ created: true });
    expect(await acts.fireRung(rung)).toEqual({ created: false });
    expect((await getTask(db, id))?.escalation_level).toBe(4);
    const outbox = await db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('idempotency_key', 'like', `${rung.notify.key}:%`)
      .execute();
    expect(outbox.map((m) => m.to_addresses[0]).sort()).toEqual([p.email.head, p.email.secretary].sort());
    const notes = await db
      .selectFrom('notification')
      .selectAll()
      .where('idempotency_key', 'like', `${rung.notify.key}:%`)
      .execute();
    expect(notes).toHaveLength(2);
    expect(await acts.notify(rung.notify)).toEqual({ created: 0 });
  });
});

describe('outbox mail sender', () => {
  it('sends each PENDING row once with its stable Message-ID; a resend of a SENT row is a no-op', async () => {
    const mailer = smtpMailer({ host: '127.0.0.1', port: catcher.smtpPort });
    const r = await deliverDueMail(db, mailer);
    expect(r.sent).toBeGreaterThanOrEqual(2);
    expect((await deliverDueMail(db, mailer)).sent).toBe(0);
    const row = await db
      .selectFrom('mail_outbox')
      .selectAll()
      .where(sql<boolean>`${p.email.head} = ANY(to_addresses)`)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('SENT');
    const caught = await catcher.waitFor((m) => m.to.includes(p.email.head));
    expect(caught.messageId).toBe(row.message_id);
    expect(caught.subject).toContain('30/11/2026');
    const before = catcher.messages.length;
    expect(await sendOutboxRow(db, mailer, row.id)).toBe('already-sent');
    expect(catcher.messages.length).toBe(before);
    mailer.close();
  });

  it('a failed send stays PENDING with a later attempt', async () => {
    await acts.notify({
      key: 'test:failing',
      recipients: [{ personId: p.drafter }],
      kind: 'x',
      titleVi: 't',
      titleEn: 't',
      bodyVi: 'b',
      bodyEn: 'b',
    });
    const failing: Mailer = {
      send: async () => {
        throw new Error('SMTP down');
      },
    };
    expect(await deliverDueMail(db, failing)).toEqual({ sent: 0, failed: 1 });
    const row = await db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('idempotency_key', '=', `test:failing:${p.drafter}`)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      last_error: expect.stringContaining('SMTP down'),
    });
    expect(row.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('a bad reference fails for good (non-retryable) instead of being retried forever', async () => {
    const nonRetryable = (err: unknown) => {
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ nonRetryable: true, type: 'BadReference' });
      return (err as Error).message;
    };
    const unknown = '00000000-0000-4000-8000-00000000dead';
    // openTask for a person who does not exist (foreign key on the assignee).
    const e1 = await acts
      .openTask(task({ id: `${planId}:bad:1`, assignee: { personId: unknown } }))
      .catch((e: unknown) => e);
    expect(nonRetryable(e1)).toMatch(/openTask .*bad reference .*unknown person, unit or plan/);
    expect(await getTask(db, `${planId}:bad:1`)).toBeUndefined();
    // fireRung against a task that does not exist.
    const e2 = await acts
      .fireRung({
        event: {
          key: 'test:bad-rung',
          taskId: `${planId}:no-such-task`,
          kind: 'reminded',
          actor: 'system:test',
        },
        audit: { aggregateType: 'plan', aggregateId: planId },
      })
      .catch((e: unknown) => e);
    expect(nonRetryable(e2)).toMatch(/fireRung test:bad-rung/);
    // projectPlanStatus for a unit that does not exist.
    const e3 = await acts
      .projectPlanStatus({
        planId: `plan:2027:unit:${unknown}`,
        ownerKind: 'unit',
        unitId: unknown,
        year: 2027,
        workflowId: 'x',
        status: 'DRAFTING',
        phase: 'DRAFTING',
        filed: false,
        overdueLevel: 0,
        stateVersion: 1,
        actor: 'system:test',
        action: 'plan.started',
      })
      .catch((e: unknown) => e);
    expect(nonRetryable(e3)).toMatch(/projectPlanStatus/);
    // notify with a malformed person id.
    const e4 = await acts
      .notify({
        key: 'test:bad-notify',
        recipients: [{ personId: 'not-a-uuid' }],
        kind: 'x',
        titleVi: 't',
        titleEn: 't',
        bodyVi: 'b',
        bodyEn: 'b',
      })
      .catch((e: unknown) => e);
    expect(nonRetryable(e4)).toMatch(/notify test:bad-notify: bad reference \(malformed id\)/);
    // The workflow records a failed message once per key.
    const f = { planId, workflowId: planId, effect: 'notify', key: 'test:bad-notify', message: 'x' };
    expect(await acts.recordEffectFailure(f)).toEqual({ recorded: true });
    expect(await acts.recordEffectFailure(f)).toEqual({ recorded: false });
    expect((await auditActions()).filter((a) => a === 'effect-failed')).toHaveLength(1);
  });

  it('closeTask records who acted for whom (a delegate)', async () => {
    await acts.openTask(task({ id: `${planId}:delegated:1` }));
    await acts.closeTask({
      id: `${planId}:delegated:1`,
      status: 'done',
      by: p.supervisor,
      onBehalfOf: p.drafter,
    });
    const closed = (await eventsOfTask(db, `${planId}:delegated:1`)).find((e) => e.kind === 'closed');
    expect(closed).toMatchObject({ actor: p.supervisor, details: { status: 'done', onBehalfOf: p.drafter } });
  });
});
