import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { TASK_QUEUE } from './task-queues.ts';

export const AUDIT_ANCHOR_SCHEDULE_ID = 'audit-anchor-daily';
export const HISTORY_EXPORT_SCHEDULE_ID = 'workflow-history-export';
export const HISTORY_SWEEP_SCHEDULE_ID = 'workflow-history-sweep';
export const MAINTENANCE_SCHEDULE_ID = 'maintenance-daily';
export const CHECK_IN_OPENING_SCHEDULE_ID = 'check-in-opening-monthly';

/**
 * Creates the schedules unless they exist: the daily audit anchor (00:05 Asia/Ho_Chi_Minh), the hourly
 * history export (at :20; closed runs reach PostgreSQL long before Temporal's retention deletes them) and
 * the daily sweep (03:40) that stores any closed run whose visibility record lagged behind the hourly passes,
 * and daily housekeeping (02:30: ended sessions, stale login throttles). The monthly check-in opening (00:30 on
 * the 1st) starts every person's check-in of the month that just ended (due the 5th: workflows/check-in-opening.ts).
 */
export async function ensureSchedules(client: Client): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: HISTORY_EXPORT_SCHEDULE_ID,
      spec: { calendars: [{ hour: '*', minute: 20 }], timezone: 'Asia/Ho_Chi_Minh' },
      action: {
        type: 'startWorkflow',
        workflowType: 'historyExportWorkflow',
        taskQueue: TASK_QUEUE,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  try {
    await client.schedule.create({
      scheduleId: HISTORY_SWEEP_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, minute: 40 }], timezone: 'Asia/Ho_Chi_Minh' },
      action: {
        type: 'startWorkflow',
        workflowType: 'historyExportWorkflow',
        taskQueue: TASK_QUEUE,
        args: [{ sweep: true }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  try {
    await client.schedule.create({
      scheduleId: MAINTENANCE_SCHEDULE_ID,
      spec: { calendars: [{ hour: 2, minute: 30 }], timezone: 'Asia/Ho_Chi_Minh' },
      action: { type: 'startWorkflow', workflowType: 'maintenanceWorkflow', taskQueue: TASK_QUEUE, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
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
  try {
    await client.schedule.create({
      scheduleId: CHECK_IN_OPENING_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 0, minute: 30 }], timezone: 'Asia/Ho_Chi_Minh' },
      action: {
        type: 'startWorkflow',
        workflowType: 'checkInOpeningWorkflow',
        taskQueue: TASK_QUEUE,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
}
