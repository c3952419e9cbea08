// The demo province's giao ban (db/demo/giao-ban.ts) made through the real workflow on a real worker: the 2026-Q3
// session of 20/10/2026 is held and published (a dossier PDF per unit on the agenda, a conclusion for each, the
// minutes PDF, directions with statuses — one done, one in progress, the others open — and their tasks for the unit
// heads), the 2026 year-end review session is REPORTING, and a second run changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { giaoBanWorkflowId } from '../../workflows/giao-ban.messages.ts';
import { giaoBanUnitsOf } from '../queries/giao-ban-dossier.ts';
import {
  DEMO_CURRENT_SESSION,
  DEMO_HELD_SESSION,
  type DemoGiaoBanResult,
  seedDemoGiaoBan,
} from './giao-ban.ts';
import { loadDemoProvince } from './index.ts';

const { db } = await freshDatabase();
let worker: TestWorker;
let first: DemoGiaoBanResult;

beforeAll(async () => {
  await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
  worker = await startTestWorker(db, { taskQueue: `demo-giao-ban-${randomUUID()}` });
  first = await seedDemoGiaoBan(db, worker.client, { taskQueue: worker.taskQueue });
  worker.started.push(
    giaoBanWorkflowId(first.provinceId, DEMO_HELD_SESSION),
    giaoBanWorkflowId(first.provinceId, DEMO_CURRENT_SESSION),
  );
}, 900_000);

afterAll(async () => {
  await worker?.stop();
});

const unitId = async (code: string) =>
  (await db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

describe('the demo giao ban', () => {
  it('has the 2026-Q3 session held on 20/10/2026 and published, with its minutes', async () => {
    expect(first.created).toBe(true);
    const s = await db
      .selectFrom('giao_ban_session')
      .selectAll()
      .where('province_id', '=', first.provinceId)
      .where('session', '=', DEMO_HELD_SESSION)
      .executeTakeFirstOrThrow();
    expect([s.phase, String(s.session_date).slice(0, 10)]).toEqual(['PUBLISHED', '2026-10-20']);
    expect(vnLocalDate(new Date(s.published_at!).getTime())).toBe('2026-10-20');
    expect(Buffer.from(s.minutes_pdf!).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('has a dossier PDF and a conclusion for every unit on the agenda', async () => {
    const units = await giaoBanUnitsOf(db, first.provinceId, new Date('2026-10-16T00:00:00Z'));
    expect(units.length).toBeGreaterThan(20);
    const dossiers = await db
      .selectFrom('giao_ban_dossier')
      .select(['unit_id', 'pdf'])
      .where('province_id', '=', first.provinceId)
      .where('session', '=', DEMO_HELD_SESSION)
      .execute();
    expect(dossiers.map((d) => d.unit_id).sort()).toEqual(units.map((u) => u.unitId).sort());
    for (const d of dossiers) expect(Buffer.from(d.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const conclusions = await db
      .selectFrom('giao_ban_conclusion')
      .select(['unit_id', 'completion_level'])
      .where('province_id', '=', first.provinceId)
      .where('session', '=', DEMO_HELD_SESSION)
      .execute();
    expect(conclusions).toHaveLength(units.length);
    const level = new Map(conclusions.map((c) => [c.unit_id, c.completion_level]));
    expect(level.get(await unitId('STC'))).toBe('good');
    expect(level.get(await unitId('SXD'))).toBe('not-fulfilled');
    expect(level.get(await unitId('SGDDT'))).toBe('excellent');
  });

  it('has directions with their statuses, each open one a task of its unit head', async () => {
    const directions = await db
      .selectFrom('giao_ban_direction as d')
      .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
      .select(['u.code', 'd.ordinal', 'd.status', 'd.status_note', 'd.task_id'])
      .where('d.province_id', '=', first.provinceId)
      .where('d.session', '=', DEMO_HELD_SESSION)
      .orderBy('u.code')
      .orderBy('d.ordinal')
      .execute();
    expect(directions.map((d) => `${d.code}.${d.ordinal}:${d.status}`)).toEqual([
      'SNV.1:open',
      'SNV.2:in-progress',
      'STC.1:done',
      'STC.2:open',
      'SXD.1:open',
      'SXD.2:open',
      'SYT.1:open',
    ]);
    expect(directions.find((d) => d.code === 'STC' && d.ordinal === 1)?.status_note).toContain('dự toán');
    const tasks = await db
      .selectFrom('task')
      .innerJoin('person as p', 'p.id', 'task.assignee_person_id')
      .select(['task.id', 'task.status', 'p.email'])
      .where(
        'task.id',
        'in',
        directions.map((d) => d.task_id!),
      )
      .execute();
    expect(tasks).toHaveLength(directions.length);
    const stc2 = directions.find((d) => d.code === 'STC' && d.ordinal === 2)!;
    const stc1 = directions.find((d) => d.code === 'STC' && d.ordinal === 1)!;
    // the demo unit head of the Department of Finance finds his open direction in his inbox
    expect(tasks.find((t) => t.id === stc2.task_id)).toMatchObject({
      status: 'open',
      email: 'giamdoc@demo.woms.vn',
    });
    expect(tasks.find((t) => t.id === stc1.task_id)?.status).toBe('done');
  });

  it('has the 2026 year-end review session in REPORTING, and a second run changes nothing', async () => {
    const phase = async (session: string) =>
      (
        await db
          .selectFrom('giao_ban_session')
          .select('phase')
          .where('province_id', '=', first.provinceId)
          .where('session', '=', session)
          .executeTakeFirstOrThrow()
      ).phase;
    expect(await phase(DEMO_CURRENT_SESSION)).toBe('REPORTING');
    const again = await seedDemoGiaoBan(db, worker.client, { taskQueue: worker.taskQueue });
    expect(again).toEqual({ created: false, provinceId: first.provinceId });
    expect([await phase(DEMO_HELD_SESSION), await phase(DEMO_CURRENT_SESSION)]).toEqual([
      'PUBLISHED',
      'REPORTING',
    ]);
  });
});
