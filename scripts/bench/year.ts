// The simulated year of the benchmark (issue 9 point 1): a sample of the bench province's units goes through a
// year on the benchmark's own servers — the worker and Temporal server the storm used — driven by the scripted
// engine of `npm run simulate` (scripts/simulate/engine.ts simulateYear: check-ins, verification, the period
// assessments, the year-end assessments, the rankings from the real 1 December start, the giao ban sessions) on a
// compressed calendar. The year is the one after the storm's, so its workflows and plans stand apart. Afterwards
// (historiesOfYear) every workflow run of that year started since it began is described (its history length and
// size, as the server keeps it) and summarised by workflow type.
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/connection.ts';
import { peopleOfUnit, simulateYear } from '../simulate/engine.ts';
import { pool, type Summary, summarise } from './stats.ts';

export interface BenchYearOptions {
  db: Database;
  client: Client;
  taskQueue: string;
  provinceId: string;
  year: number;
  /** The sample: these units, at most `peoplePerUnit` people each. */
  unitIds: string[];
  peoplePerUnit: number;
  months: string[];
  msPerDay: number;
  /** The wall-time bound of the year (ms): past it the figures are of the runs so far, the rest not waited for. */
  timeoutMs: number;
  log: (line: string) => void;
}

export interface HistoryByType {
  type: string;
  runs: number;
  statuses: Record<string, number>;
  events: Summary;
  /** Largest history, bytes (when the server says). */
  maxBytes: number | undefined;
}

/** The year as the engine ran it; its runs' histories come after (historiesOfYear). */
export interface BenchYearRun {
  year: number;
  units: number;
  people: number;
  months: string[];
  msPerDay: number;
  seconds: number;
  checkIns: number;
  late: number;
  returned: number;
  escalations: number;
  assessmentsConfirmed: number;
  yearEndReady: number;
  rankingsPublished: number;
  giaoBanSessions: string[];
  failures: number;
  errors: string[];
  /** Set when the year did not finish within its bound: the timeline's steps so far by kind. */
  unfinished?: { afterSeconds: number; steps: Record<string, number> };
  /** When the year began (a second early): the runs of the year started since are its runs. */
  since: Date;
}

export interface BenchYearHistories {
  runs: number;
  /** Runs described of those listed (a bound on the describes). */
  described: number;
  histories: HistoryByType[];
}

export type BenchYearResult = BenchYearRun & BenchYearHistories;

const MAX_DESCRIBED = 3000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A stable UUID for an id that is not one (the same id, the same UUID). */
function asUuid(id: string): string {
  if (UUID.test(id)) return id;
  const h = createHash('sha256').update(id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The client the engine is given: the same, except that an Update's `exceptionId` that is not a UUID is sent as a
 * stable UUID. The engine names the quota exception it requests `sim-…` (scripts/simulate/engine.ts
 * rankingOfUnit), which the exception table's uuid column refuses — the activity would retry for ever and the
 * Update never answer. A UUID passes through unchanged (a no-op once the engine sends one).
 */
function withUuidExceptionIds(client: Client): Client {
  const fix = (opts: unknown) => {
    const o = opts as { args?: unknown[] } | undefined;
    if (!o?.args) return opts;
    return {
      ...o,
      args: o.args.map((a) =>
        a && typeof a === 'object' && typeof (a as { exceptionId?: unknown }).exceptionId === 'string'
          ? { ...a, exceptionId: asUuid((a as { exceptionId: string }).exceptionId) }
          : a,
      ),
    };
  };
  const bound = <T extends object>(t: T, k: string | symbol) => {
    const v = Reflect.get(t, k, t);
    return typeof v === 'function' ? v.bind(t) : v;
  };
  const handle = <T extends object>(h: T): T =>
    new Proxy(h, {
      get: (t, k) =>
        k === 'executeUpdate' || k === 'startUpdate'
          ? (def: unknown, opts: unknown) =>
              (Reflect.get(t, k, t) as (d: unknown, o: unknown) => unknown).call(t, def, fix(opts))
          : bound(t, k),
    });
  const workflow = new Proxy(client.workflow, {
    get: (t, k) =>
      k === 'getHandle'
        ? (...a: Parameters<Client['workflow']['getHandle']>) => handle(t.getHandle(...a))
        : k === 'start'
          ? async (...a: Parameters<Client['workflow']['start']>) => handle(await t.start(...a))
          : bound(t, k),
  });
  return new Proxy(client, { get: (t, k) => (k === 'workflow' ? workflow : bound(t, k)) });
}

export async function simulateBenchYear(o: BenchYearOptions): Promise<BenchYearRun> {
  const since = new Date(Date.now() - 1000);
  const t = performance.now();
  const steps: Record<string, number> = {};
  const errors: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), o.timeoutMs);
  });
  const simulated = simulateYear({
    db: o.db,
    client: withUuidExceptionIds(o.client),
    taskQueue: o.taskQueue,
    provinceId: o.provinceId,
    year: o.year,
    unitIds: o.unitIds,
    months: o.months,
    msPerDay: o.msPerDay,
    seed: o.year,
    peoplePerUnit: o.peoplePerUnit,
    // The bench province has no organisation department to decide an appeal: the publication ends the ranking.
    hooks: { afterPublication: async () => {} },
    log: (e) => {
      steps[e.kind] = (steps[e.kind] ?? 0) + 1;
      if (e.kind === 'error') errors.push(`${e.unit}: ${e.text}`);
      if (['ranking', 'giao-ban', 'error'].includes(e.kind)) o.log(`year ${e.date} ${e.kind} ${e.text}`);
    },
  });
  // a step still waiting when the bound passes fails later, when the bench's servers stop: of no interest then
  simulated.catch(() => {});
  const run = await Promise.race([simulated, bound]).finally(() => clearTimeout(timer));
  const seconds = (performance.now() - t) / 1000;
  if (run === 'timeout') o.log(`the simulated year did not finish within ${Math.round(seconds)} s`);
  const units = run === 'timeout' ? [] : run.units;
  const sum = (
    k: 'checkIns' | 'late' | 'returned' | 'escalations' | 'assessmentsConfirmed' | 'yearEndReady',
  ) => units.reduce((n, u) => n + u[k], 0);
  return {
    year: o.year,
    units: o.unitIds.length,
    people: units.reduce((n, u) => n + u.people, 0),
    months: o.months,
    msPerDay: o.msPerDay,
    seconds,
    checkIns: sum('checkIns'),
    late: sum('late'),
    returned: sum('returned'),
    escalations: sum('escalations'),
    assessmentsConfirmed: sum('assessmentsConfirmed'),
    yearEndReady: sum('yearEndReady'),
    rankingsPublished: units.filter((u) => u.rankingStatus === 'published').length,
    giaoBanSessions: run === 'timeout' ? [] : run.giaoBan.map((g) => g.session),
    failures: units.reduce((n, u) => n + u.failures, 0),
    errors,
    ...(run === 'timeout' ? { unfinished: { afterSeconds: seconds, steps } } : {}),
    since,
  };
}

/**
 * The runs of `year` started since it began, listed by the server's visibility and each described for its
 * history. A run is of the year when its workflow id names it (`checkin:2027-03:…`, `ranking:2027:unit:…`,
 * `giaoban:…:2027-Q1`): the month's opening the bench runs beside the year starts runs of the year before.
 */
export async function historiesOfYear(
  client: Client,
  year: number,
  since: Date,
): Promise<BenchYearHistories> {
  const ofYear = new RegExp(`:${year}(?:[-:]|$)`);
  const listed: { workflowId: string; runId: string; type: string }[] = [];
  const list = async (query?: string) => {
    listed.length = 0;
    for await (const w of client.workflow.list(query ? { query } : {}))
      if (ofYear.test(w.workflowId)) listed.push({ workflowId: w.workflowId, runId: w.runId, type: w.type });
  };
  await list(`StartTime >= "${since.toISOString()}"`).catch(() => list());
  const sample = listed.slice(0, MAX_DESCRIBED);
  const described = await pool(sample.length, 8, async (i) => {
    const w = sample[i]!;
    const d = await client.workflow
      .getHandle(w.workflowId, w.runId)
      .describe()
      .catch(() => undefined);
    return d && { type: d.type, status: d.status.name, events: d.historyLength, bytes: d.historySize };
  });
  const byType = new Map<string, { events: number[]; bytes: number[]; statuses: Record<string, number> }>();
  for (const d of described) {
    if (!d) continue;
    const e = byType.get(d.type) ?? { events: [], bytes: [], statuses: {} };
    e.events.push(d.events);
    if (d.bytes !== undefined) e.bytes.push(d.bytes);
    e.statuses[d.status] = (e.statuses[d.status] ?? 0) + 1;
    byType.set(d.type, e);
  }
  const histories = [...byType.entries()]
    .map(([type, e]) => ({
      type,
      runs: e.events.length,
      statuses: e.statuses,
      events: summarise(e.events),
      maxBytes: e.bytes.length ? Math.max(...e.bytes) : undefined,
    }))
    .sort((a, b) => a.type.localeCompare(b.type));
  return { runs: listed.length, described: described.filter(Boolean).length, histories };
}

/** The sample's units: the first `n` of the province's units with at least two people in `year`. */
export async function sampleUnits(db: Database, unitIds: readonly string[], year: number, n: number) {
  const out: string[] = [];
  for (const id of unitIds) {
    if (out.length >= n) break;
    if ((await peopleOfUnit(db, id, year)).length >= 2) out.push(id);
  }
  return out;
}
