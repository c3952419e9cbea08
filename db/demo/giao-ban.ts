// The demo province's giao ban (issue 7 point 2), made through the real workflow (workflows/giao-ban.ts) on a
// running worker, as a newcomer should find it in late November 2026:
// - the 2026-Q3 session of 20/10/2026, held and published: its workflow starts on the session morning on a time
//   warp at real speed (virtual time = 08:00 of the session day + the real time elapsed), so the agenda and one
//   dossier per unit are frozen at once (PDFs), the session opens, the secretariat (Văn phòng, the demo
//   secretariat account) records a conclusion for every unit on the agenda — the Department of Finance's, Home
//   Affairs' and a few others' in words of their own, with directions — and publishes them (minutes PDF); then
//   two directions are reported on by their unit heads (one done, one in progress), so the follow-up shows
//   statuses;
// - the 2026 year-end review session ('2026-year'), started on a warp from DEMO_TODAY at real speed: REPORTING
//   for about three weeks after the demo is made, until its dossier day in December (the monthly opening of 1 December would start it the same way; the id is the same, USE_EXISTING).
// Idempotent: a published 2026-Q3 session is left alone; a run cut short resumes (the workflow ids and update ids
// are fixed, so repeated starts and updates apply once).
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { vnInstant } from '../../domain/calendar/vn-time.ts';
import type { CompletionLevel } from '../../domain/giao-ban/model.ts';
import {
  giaoBanWorkflowId,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
  reportGiaoBanDirection,
} from '../../workflows/giao-ban.messages.ts';
import { LONG_WORKFLOW_TASK_TIMEOUT } from '../../workflows/task-timeout.ts';
import { createDb, type Database } from '../connection.ts';
import { giaoBanInputFor } from '../queries/giao-ban-workflow-input.ts';
import '../schema-giao-ban.ts';
import { DEMO_PROVINCE_CODE } from './generate.ts';

export const DEMO_HELD_SESSION = '2026-Q3';
export const DEMO_CURRENT_SESSION = '2026-year';
/** The day the demo data stands on: the year-end session is still REPORTING (its dossier day is in mid-December). */
export const DEMO_TODAY = '2026-11-26';
const SECRETARIAT_EMAIL = 'vanphong@demo.woms.vn';

interface DemoConclusion {
  completionLevel: CompletionLevel;
  summary: string;
  directions: { text: string; dueDate: string | null }[];
}

/** Conclusions in words of their own for the units a newcomer looks at first (by unit code). */
const NAMED: Record<string, DemoConclusion> = {
  STC: {
    completionLevel: 'good',
    summary:
      'Sở Tài chính hoàn thành tốt nhiệm vụ quý III: giải ngân vốn đầu tư công đạt 68% kế hoạch, cao hơn bình quân của tỉnh; thẩm định dự toán các đơn vị đúng tiến độ.',
    directions: [
      { text: 'Hoàn thành thẩm định dự toán ngân sách năm 2027 của các sở, ngành', dueDate: '2026-11-30' },
      { text: 'Rà soát, cắt giảm các khoản chi thường xuyên chưa thật sự cần thiết', dueDate: '2026-12-15' },
    ],
  },
  SNV: {
    completionLevel: 'fulfilled',
    summary:
      'Sở Nội vụ hoàn thành nhiệm vụ quý III; việc sắp xếp tổ chức bộ máy bảo đảm tiến độ, nhưng báo cáo quý gửi chưa đúng hạn và số hóa hồ sơ cán bộ còn chậm.',
    directions: [
      { text: 'Gửi báo cáo quý đúng hạn theo quy chế giao ban', dueDate: null },
      { text: 'Hoàn thành số hóa hồ sơ cán bộ, công chức của tỉnh', dueDate: '2026-12-31' },
    ],
  },
  SYT: {
    completionLevel: 'good',
    summary:
      'Sở Y tế hoàn thành tốt nhiệm vụ quý III; tỷ lệ người dân có hồ sơ sức khỏe điện tử tăng nhanh, công tác phòng chống dịch được bảo đảm.',
    directions: [
      { text: 'Đẩy nhanh kết nối dữ liệu khám chữa bệnh với cơ sở dữ liệu dân cư', dueDate: '2026-12-20' },
    ],
  },
  SGDDT: {
    completionLevel: 'excellent',
    summary:
      'Sở Giáo dục và Đào tạo hoàn thành xuất sắc nhiệm vụ quý III; chuẩn bị năm học mới chu đáo, tỷ lệ trường đạt chuẩn quốc gia vượt chỉ tiêu.',
    directions: [],
  },
  SXD: {
    completionLevel: 'not-fulfilled',
    summary:
      'Sở Xây dựng chưa hoàn thành nhiệm vụ quý III: thời gian giải quyết thủ tục cấp phép xây dựng còn kéo dài, nhiều hồ sơ quá hạn.',
    directions: [
      { text: 'Giải quyết dứt điểm các hồ sơ cấp phép xây dựng quá hạn', dueDate: '2026-11-30' },
      {
        text: 'Báo cáo nguyên nhân chậm và giải pháp khắc phục tại phiên giao ban tổng kết năm',
        dueDate: '2026-12-10',
      },
    ],
  },
};

const GENERIC: DemoConclusion = {
  completionLevel: 'fulfilled',
  summary: 'Đơn vị hoàn thành nhiệm vụ quý III; tiếp tục triển khai kế hoạch năm 2026 theo đúng tiến độ.',
  directions: [],
};

/** The directions reported on after the publication: (unit code, ordinal) → report. */
const REPORTS: { unitCode: string; ordinal: number; status: 'in-progress' | 'done'; note: string }[] = [
  {
    unitCode: 'STC',
    ordinal: 1,
    status: 'done',
    note: 'Đã trình Ủy ban nhân dân tỉnh dự toán năm 2027 ngày 18/11/2026.',
  },
  {
    unitCode: 'SNV',
    ordinal: 2,
    status: 'in-progress',
    note: 'Đã số hóa 70% hồ sơ; dự kiến xong trước 31/12.',
  },
];

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`demo giao ban: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function start(client: Client, opts: Parameters<Client['workflow']['start']>[1]) {
  try {
    await client.workflow.start('giaoBanWorkflow', {
      ...opts,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

export interface DemoGiaoBanResult {
  /** false when the held session was already published (nothing was done). */
  created: boolean;
  provinceId: string;
}

/** Makes the demo province's giao ban sessions through the workflow on `taskQueue` (a worker must be polling it). */
export async function seedDemoGiaoBan(
  db: Database,
  client: Client,
  opts: { taskQueue: string; timeoutMs?: number; signal?: AbortSignal },
): Promise<DemoGiaoBanResult> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const province = await db
    .selectFrom('org_unit')
    .select('id')
    .where('code', '=', DEMO_PROVINCE_CODE)
    .where('type_code', '=', 'province')
    .executeTakeFirstOrThrow();
  const provinceId = province.id;
  const phaseOf = async (session: string) =>
    (
      await db
        .selectFrom('giao_ban_session')
        .select('phase')
        .where('province_id', '=', provinceId)
        .where('session', '=', session)
        .executeTakeFirst()
    )?.phase;

  // The year-end review session: REPORTING, on a time warp from the demo's "today" (08:00 of DEMO_TODAY) at real
  // speed, so a demo made on any real date starts where the rest of the demo data stands (late November 2026).
  const current = await giaoBanInputFor(db, { provinceId, session: DEMO_CURRENT_SESSION });
  if (!current) throw new Error('demo giao ban: no calendar for the year-end review session');
  await start(client, {
    taskQueue: opts.taskQueue,
    workflowId: giaoBanWorkflowId(provinceId, DEMO_CURRENT_SESSION),
    args: [
      {
        ...current,
        timeWarp: { realEpoch: Date.now(), virtualEpoch: vnInstant(DEMO_TODAY) + 8 * 3_600_000, speed: 1 },
      },
    ],
  });

  const held = await phaseOf(DEMO_HELD_SESSION);
  if (held === 'PUBLISHED' || held === 'CLOSED') {
    await until(
      'the year-end session',
      async () => (await phaseOf(DEMO_CURRENT_SESSION)) ?? undefined,
      timeoutMs,
      opts.signal,
    );
    return { created: false, provinceId };
  }

  const input = await giaoBanInputFor(db, { provinceId, session: DEMO_HELD_SESSION });
  if (!input) throw new Error('demo giao ban: no calendar for the 2026-Q3 session');
  const workflowId = giaoBanWorkflowId(provinceId, DEMO_HELD_SESSION);
  // 08:00 of the session day (vnInstant is 00:00 Asia/Ho_Chi_Minh), then real speed.
  const timeWarp = {
    realEpoch: Date.now(),
    virtualEpoch: vnInstant(input.dates.sessionDate) + 8 * 3_600_000,
    speed: 1,
  };
  await start(client, { taskQueue: opts.taskQueue, workflowId, args: [{ ...input, timeWarp }] });
  await until(
    'the session to open',
    async () => ((await phaseOf(DEMO_HELD_SESSION)) === 'IN_SESSION' ? true : undefined),
    timeoutMs,
    opts.signal,
  );

  const secretariat = await db
    .selectFrom('person')
    .select('id')
    .where('email', '=', SECRETARIAT_EMAIL)
    .executeTakeFirstOrThrow();
  const agenda = await db
    .selectFrom('giao_ban_dossier as d')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .select(['u.id', 'u.code'])
    .where('d.province_id', '=', provinceId)
    .where('d.session', '=', DEMO_HELD_SESSION)
    .execute();
  const handle = client.workflow.getHandle(workflowId);
  for (const u of agenda) {
    const c = NAMED[u.code] ?? GENERIC;
    await handle.executeUpdate(recordGiaoBanConclusion, {
      args: [
        {
          unitId: u.id,
          completionLevel: c.completionLevel,
          summary: c.summary,
          directions: c.directions,
          planDecision: null,
          planNote: null,
          by: secretariat.id,
        },
      ],
      updateId: `demo:conclusion:${u.id}`,
    });
  }
  await handle.executeUpdate(publishGiaoBanConclusions, {
    args: [{ by: secretariat.id }],
    updateId: 'demo:publish',
  });

  for (const r of REPORTS) {
    const d = await db
      .selectFrom('giao_ban_direction as d')
      .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
      .select(['d.id', 'd.unit_id'])
      .where('d.province_id', '=', provinceId)
      .where('d.session', '=', DEMO_HELD_SESSION)
      .where('u.code', '=', r.unitCode)
      .where('d.ordinal', '=', r.ordinal)
      .executeTakeFirst();
    if (!d) continue;
    const head = await db
      .selectFrom('role_assignment')
      .select('person_id')
      .where('scope_unit_id', '=', d.unit_id)
      .where('role_code', '=', 'unit_head')
      .where('valid_to', 'is', null)
      .orderBy('valid_from', 'desc')
      .executeTakeFirst();
    if (!head) continue;
    await handle.executeUpdate(reportGiaoBanDirection, {
      args: [{ directionId: d.id, status: r.status, note: r.note, by: head.person_id }],
      updateId: `demo:direction:${d.id}`,
    });
  }
  await until(
    'the year-end session',
    async () => (await phaseOf(DEMO_CURRENT_SESSION)) ?? undefined,
    timeoutMs,
    opts.signal,
  );
  return { created: true, provinceId };
}

/** `npm start` (scripts/stack.ts): makes the demo giao ban in the background once the worker polls (the first start
 *  takes a minute or so; later starts find it made). Errors are logged, not thrown: the next start resumes. */
export function prepareDemoGiaoBanInBackground(opts: {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  log: (line: string) => void;
}): { stop(): Promise<void> } {
  let stopping = false;
  const abort = new AbortController();
  let connection: Connection | undefined;
  const db = createDb(opts.databaseUrl, { max: 2 });
  const done = (async () => {
    try {
      connection = await Connection.connect({ address: opts.temporalAddress });
      const r = await seedDemoGiaoBan(db, new Client({ connection }), {
        taskQueue: opts.taskQueue,
        signal: abort.signal,
      });
      if (r.created)
        opts.log('[start] demo giao ban ready: the 2026-Q3 session published, the year-end session open');
    } catch (e) {
      if (!stopping)
        opts.log(`[start] the demo giao ban could not be prepared (the next start retries): ${String(e)}`);
    }
  })();
  return {
    async stop() {
      stopping = true;
      abort.abort();
      await connection?.close().catch(() => {});
      await done;
      await db.destroy().catch(() => {});
    },
  };
}
