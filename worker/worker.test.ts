import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../test/support/database.ts';
import { startWorker } from './run.ts';
import {
  AUDIT_ANCHOR_SCHEDULE_ID,
  CHECK_IN_OPENING_SCHEDULE_ID,
  HISTORY_EXPORT_SCHEDULE_ID,
  HISTORY_SWEEP_SCHEDULE_ID,
  MAINTENANCE_SCHEDULE_ID,
} from './schedules.ts';

const { db } = await freshDatabase();
const address = inject('temporalAddress');
const connection = await Connection.connect({ address });
const client = new Client({ connection });
afterAll(() => connection.close());

describe('worker', () => {
  it('registers the daily audit anchor schedule in Vietnam time and runs the anchor workflow', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const running = await startWorker({ db, temporalAddress: address, taskQueue });
    try {
      const schedule = await client.schedule.getHandle(AUDIT_ANCHOR_SCHEDULE_ID).describe();
      expect(schedule.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      expect(schedule.action.type).toBe('startWorkflow');
      expect(schedule.action.type === 'startWorkflow' && schedule.action.workflowType).toBe(
        'auditAnchorWorkflow',
      );

      const exporter = await client.schedule.getHandle(HISTORY_EXPORT_SCHEDULE_ID).describe();
      expect(exporter.action.type === 'startWorkflow' && exporter.action.workflowType).toBe(
        'historyExportWorkflow',
      );
      const sweep = await client.schedule.getHandle(HISTORY_SWEEP_SCHEDULE_ID).describe();
      expect(sweep.action.type === 'startWorkflow' && sweep.action.args).toEqual([{ sweep: true }]);
      expect(sweep.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      const housekeeping = await client.schedule.getHandle(MAINTENANCE_SCHEDULE_ID).describe();
      expect(housekeeping.action.type === 'startWorkflow' && housekeeping.action.workflowType).toBe(
        'maintenanceWorkflow',
      );
      // The monthly check-in opening: 00:30 on the 1st in Vietnam time, no period (the workflow derives it).
      const opening = await client.schedule.getHandle(CHECK_IN_OPENING_SCHEDULE_ID).describe();
      expect(opening.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      expect(opening.action.type === 'startWorkflow' && opening.action.workflowType).toBe(
        'checkInOpeningWorkflow',
      );
      expect(opening.action.type === 'startWorkflow' && opening.action.args).toEqual([{}]);
      expect(opening.spec.calendars).toMatchObject([
        {
          dayOfMonth: [{ start: 1, end: 1 }],
          hour: [{ start: 0, end: 0 }],
          minute: [{ start: 30, end: 30 }],
        },
      ]);
      const purged = await client.workflow.execute('maintenanceWorkflow', {
        taskQueue,
        workflowId: `maintenance-${randomUUID()}`,
        args: [],
      });
      expect(purged).toEqual({ sessions: 0, throttles: 0, calendarChangesStarted: 0 });

      const result = await client.workflow.execute('auditAnchorWorkflow', {
        taskQueue,
        workflowId: `anchor-${randomUUID()}`,
        args: [],
      });
      const vnToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(Date.now());
      expect(result).toMatchObject({ day: vnToday });
      const rows = await db
        .selectFrom('audit_anchor' as never)
        .selectAll()
        .execute();
      expect(rows).toHaveLength(1);
    } finally {
      await running.shutdown();
    }
  });
});
