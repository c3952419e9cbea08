// The human-step machinery's effects (workflows/human-steps.ts) applied as one activity: the tasks opened and
// closed, the rungs fired and the notifications that a handler or a timer queued together, in queue order, each
// in its own transaction exactly as openTask, closeTask, fireRung and notify apply it alone. One activity round
// trip through Temporal instead of one per effect (a submission closes its task and opens the verification in
// one). Idempotent because every effect is: a retry after a partial run finds the applied ones and writes nothing.
import type { Database } from '../db/connection.ts';
import { type NotifyInput, notificationActivities } from './notifications.ts';
import { type CloseTaskInput, type FireRungInput, type OpenTaskInput, taskActivities } from './tasks.ts';

/** The effects the machinery runs itself; a workflow adds its own (`{ t: 'lock'; … }`) with other tags. */
export type StepEffect =
  | { t: 'open'; input: OpenTaskInput }
  | { t: 'close'; input: CloseTaskInput }
  | { t: 'rung'; input: FireRungInput }
  | { t: 'notify'; input: NotifyInput };

export function stepEffectActivities(deps: { db: Database; mailDomain?: string }) {
  const tasks = taskActivities(deps);
  const { notify } = notificationActivities(deps);
  const apply = (e: StepEffect): Promise<unknown> => {
    switch (e.t) {
      case 'open':
        return tasks.openTask(e.input);
      case 'close':
        return tasks.closeTask(e.input);
      case 'rung':
        return tasks.fireRung(e.input);
      case 'notify':
        return notify(e.input);
    }
  };
  return {
    /** Applies the effects in order; answers how many were applied (all of them, or it throws). */
    async applyStepEffects(effects: StepEffect[]): Promise<{ applied: number }> {
      for (const e of effects) await apply(e);
      return { applied: effects.length };
    },
  };
}
