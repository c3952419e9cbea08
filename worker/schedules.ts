import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { TASK_QUEUE } from './task-queues.ts';

export const AUDIT_ANCHOR_SCHEDULE_ID = 'audit-anchor-daily';

/** Creates the daily audit-anchor schedule (00:05 Asia/Ho_Chi_Minh) unless it exists. */
export async function ensureSchedules(client: Client): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: AUDIT_ANCHOR_SCHEDULE_ID,
      spec: { calendars: [{ hour: 0, minute: 5 }], timezone: 'Asia/Ho_Chi_Minh' },
      action: { type: 'startWorkflow', workflowType: 'auditAnchorWorkflow', taskQueue: TASK_QUEUE, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
}
