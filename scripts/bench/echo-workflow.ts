// The floor of a check-in (issue 9 point 1): a workflow that only answers an Update, on the benchmark's Temporal
// server, run by a worker of the benchmark's own (scripts/bench/floors.ts). No activity, no database.
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const echoUpdate = defineUpdate<number, [number]>('echo');
export const doneSignal = defineSignal('done');

export async function benchEchoWorkflow(): Promise<number> {
  let answered = 0;
  let done = false;
  setHandler(echoUpdate, (n: number) => {
    answered++;
    return n;
  });
  setHandler(doneSignal, () => {
    done = true;
  });
  await condition(() => done);
  return answered;
}
