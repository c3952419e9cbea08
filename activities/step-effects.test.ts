// applyStepEffects (the human-step machinery's effects as one activity) against a real PostgreSQL: the effects
// apply in queue order, each as its own activity would, and a retry of the whole batch writes nothing new.
import { describe, expect, it } from 'vitest';
import { eventsOfTask, getTask } from '../db/queries/tasks.ts';
import { seedPlanPeople } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { createActivities } from './index.ts';
import type { StepEffect } from './step-effects.ts';
import type { OpenTaskInput } from './tasks.ts';

const { db } = await freshDatabase();
const acts = createActivities({ db });
const p = await seedPlanPeople(db);
const subject = 'check-in:step-effects';

const open = (id: string, personId: string, kind: string): StepEffect => {
  const input: OpenTaskInput = {
    id,
    workflowId: subject,
    updateName: 'submitCheckIn',
    kind,
    subjectType: 'check_in',
    subjectId: subject,
    assignee: { personId },
    dueAt: Date.UTC(2027, 3, 5, 17),
    logicalDueDate: '2027-04-05',
    actor: 'system:test',
    notify: {
      key: `task:${id}`,
      recipients: [{ personId }],
      kind: 'check-in.task',
      titleVi: 'Việc mới — hạn 05/04/2027',
      titleEn: 'New task — due 05/04/2027',
      bodyVi: 'Báo cáo kết quả tháng',
      bodyEn: 'Monthly check-in',
    },
  };
  return { t: 'open', input };
};
const counts = async () => ({
  events: (
    await db.selectFrom('task_event').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ).n,
  notes: (
    await db.selectFrom('notification').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ).n,
  audit: (
    await db
      .selectFrom('audit_log')
      .select(db.fn.countAll<string>().as('n'))
      .where('aggregate_id', '=', subject)
      .executeTakeFirstOrThrow()
  ).n,
});

describe('applyStepEffects', () => {
  it('applies a submission’s effects in order (the submit task done, the verification opened) and a retry writes nothing', async () => {
    const submit = `${subject}:submit`;
    const verify = `${subject}:verify:1`;
    await acts.applyStepEffects([open(submit, p.drafter, 'check-in.submit')]);
    const batch: StepEffect[] = [
      { t: 'close', input: { id: submit, status: 'done', by: p.drafter } },
      open(verify, p.head, 'check-in.verify'),
    ];
    expect(await acts.applyStepEffects(batch)).toEqual({ applied: 2 });
    expect((await getTask(db, submit))?.status).toBe('done');
    expect((await getTask(db, verify))?.status).toBe('open');
    expect((await getTask(db, verify))?.assignee_person_id).toBe(p.head);
    const before = await counts();
    expect(await acts.applyStepEffects(batch)).toEqual({ applied: 2 });
    expect(await counts()).toEqual(before);
    expect((await eventsOfTask(db, submit)).filter((e) => e.kind === 'closed')).toHaveLength(1);
  });

  it('keeps the queue order: a task opened then closed in one batch stays closed when the batch runs again', async () => {
    const id = `${subject}:reopen:1`;
    const batch: StepEffect[] = [
      open(id, p.head, 'check-in.reopen'),
      { t: 'close', input: { id, status: 'cancelled', by: 'system:test', reason: 'period locked' } },
      {
        t: 'notify',
        input: {
          key: `${id}:cancelled`,
          recipients: [{ personId: p.drafter }],
          kind: 'check-in.locked',
          titleVi: 'Kỳ báo cáo đã khóa',
          titleEn: 'The period is locked',
          bodyVi: 'Kỳ báo cáo đã khóa',
          bodyEn: 'The period is locked',
        },
      },
    ];
    await acts.applyStepEffects(batch);
    await acts.applyStepEffects(batch);
    expect((await getTask(db, id))?.status).toBe('cancelled');
    const notes = await db
      .selectFrom('notification')
      .select('idempotency_key')
      .where('idempotency_key', 'like', `${id}:%`)
      .execute();
    expect(notes).toHaveLength(1);
  });
});
