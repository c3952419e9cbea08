/** Task queues (TEMPORAL.md §8). One for now; split by concern (db writes, e-mail, reports) as load requires. */
export const TASK_QUEUE = 'woms';
