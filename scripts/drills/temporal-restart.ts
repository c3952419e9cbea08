// The fault drill `temporal-restart` (issue 9 point 2): the Temporal dev server stopped while workflows run and
// started again on the same SQLite file. On the drill's own servers (scripts/drills/servers.ts): a bench province
// (small in quick), its month opened by the real opening workflow, drafts saved, deadline probes started
// (scripts/drills/temporal-common.ts: next month's check-in workflows on a clock offset whose first reminder falls
// due at staggered instants around the outage), half the check-ins submitted. Then Temporal is stopped; while it
// is down the drill sends submissions (once each, an Idempotency-Key each), asks /api/ready and saves a draft (the
// content path: PostgreSQL only). Then it is started again, and the submissions refused while it was down are sent
// again with the same Idempotency-Key, as the screen does, with the rest of the month's. Checks: while down the API
// answered 503 DEPENDENCY_UNAVAILABLE with Retry-After within its bound for a submit and for /api/ready, and the
// draft was saved; the worker and the API reconnected by themselves (the same processes, no restart); every
// submission accepted, present exactly once, none doubled; every check-in workflow is there, running, settled and
// in its phase; the reminders that fell due while Temporal was down fired once it was back, and the first one due
// after the restart fired.

import { pool } from '../bench/stats.ts';
import { checklist, type Drill, type DrillResult } from './drill.ts';
import { startDrillServers } from './servers.ts';
import {
  type Answer,
  call,
  doubled,
  openMonth,
  presentOnce,
  recoveryChecks,
  saveDraft,
  saveDrafts,
  sleep,
  startProbes,
  submitAsScreen,
} from './temporal-common.ts';

/** The API's request timeout (API_REQUEST_TIMEOUT_MS, set for the drill) and the longest a 503 may take: the
 *  timeout and 3 s for a loaded machine. */
const REQUEST_TIMEOUT_MS = 15_000;
const ANSWER_BOUND_MS = REQUEST_TIMEOUT_MS + 3_000;

export const temporalRestartDrill: Drill = {
  name: 'temporal-restart',
  title: 'The Temporal server stopped and started again on its SQLite file: 503 while down, workflows resume',
  async run({ quick, log }): Promise<DrillResult> {
    const { checks, check } = checklist();
    const figures: DrillResult['figures'] = {};
    const s = await startDrillServers({
      name: 'temporal-restart',
      env: { API_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
      log,
    });
    let closeClient = async () => {};
    try {
      const m = await openMonth(s, quick ? 0.001 : 0.02, log);
      closeClient = () => m.client.connection.close();
      const persons = m.province.persons;
      figures.persons = persons.length;
      figures['check-in workflows opened'] = m.opened;
      // Everyone's draft but the last person's: that one is saved while Temporal is down.
      const lateDrafter = persons[persons.length - 1]!;
      await saveDrafts(s, m, persons.slice(0, -1));

      const leads = (
        quick
          ? [8, 12, 16, 22, 30, 40, 50, 60, 75, 90, 110, 130, 160, 200]
          : [15, 30, 45, 60, 75, 90, 105, 120, 150, 180, 210, 240, 300, 360]
      ).map((x) => x * 1000);
      const probes = await startProbes(s, m, persons, leads);
      log(`${probes.length} deadline probes started`);

      // Half the month submitted before the stop.
      const half = Math.floor(persons.length / 2);
      const before = await pool(half, 4, (i) => submitAsScreen(s, m, persons[i]!.id, Date.now() + 60_000));
      const acceptedBefore = before.filter((r) => r.final.status === 200).map((r) => r.personId);
      figures['accepted before the stop'] = acceptedBefore.length;
      check(
        'half the month submitted before the stop',
        acceptedBefore.length === half,
        `${acceptedBefore.length} of ${half} accepted`,
      );

      // Temporal down.
      const workerPid = s.worker?.pid;
      const apiPid = s.api?.pid;
      const down = quick ? 15_000 : 60_000;
      await s.stopTemporal();
      const downAt = Date.now();
      const duringSubmits: Answer[] = [];
      const duringReady: Answer[] = [];
      const outageKeys = new Map<string, string>();
      // A few of the second half try to submit (one attempt each round, an Idempotency-Key each).
      const tryers = persons.slice(half, Math.min(persons.length - 1, half + 3));
      for (const p of tryers) outageKeys.set(p.id, `drill-outage-${p.id}`);
      const draft = await saveDraft(s, m, lateDrafter);
      figures['draft saved while down'] = `${draft.status}`;
      do {
        const [ready, ...submits] = await Promise.all([
          call(s, undefined, 'GET', '/api/ready'),
          ...tryers.map((p) =>
            call(s, m.sessions.get(p.id), 'POST', `/api/check-ins/mine/${m.period}/submit`, undefined, {
              'idempotency-key': outageKeys.get(p.id)!,
            }),
          ),
        ]);
        duringReady.push(ready!);
        duringSubmits.push(...submits);
        await sleep(1000);
      } while (Date.now() - downAt < down);
      check(
        'a content save (PostgreSQL only) works while Temporal is down',
        draft.status === 200,
        `PUT …/values: ${draft.status} ${draft.code ?? ''}`.trim(),
      );
      const longest = Math.max(0, ...[...duringSubmits, ...duringReady].map((a) => a.ms));
      figures['503 answers while down'] = [...duringSubmits, ...duringReady].filter(
        (a) => a.status === 503,
      ).length;
      figures['longest answer while down (ms)'] = Math.round(longest);
      const is503 = (a: Answer) =>
        a.status === 503 &&
        a.code === 'DEPENDENCY_UNAVAILABLE' &&
        Number(a.retryAfter) > 0 &&
        a.ms <= ANSWER_BOUND_MS;
      const summary = (as: Answer[]) =>
        `${as.length} answers: ${[...new Set(as.map((a) => `${a.status} ${a.code ?? ''}`.trim()))].join(', ')}; ` +
        `Retry-After ${[...new Set(as.map((a) => a.retryAfter ?? '—'))].join(', ')}; longest ${Math.round(Math.max(0, ...as.map((a) => a.ms)))} ms (bound ${ANSWER_BOUND_MS} ms)`;
      check(
        'while Temporal is down a submit answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, within its bound',
        duringSubmits.length > 0 && duringSubmits.every(is503),
        summary(duringSubmits),
      );
      check(
        'while Temporal is down /api/ready answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, naming Temporal',
        duringReady.length > 0 && duringReady.every((a) => is503(a) && /temporal/i.test(a.text)),
        summary(duringReady),
      );

      // Temporal up again, on the same SQLite file.
      await s.startTemporal();
      const upAt = Date.now();
      figures['outage (s)'] = ((upAt - downAt) / 1000).toFixed(1);
      let readyAfter = -1;
      for (const until = Date.now() + 120_000; Date.now() < until; await sleep(500)) {
        const r = await call(s, undefined, 'GET', '/api/ready').catch(() => undefined);
        if (r?.status === 200) {
          readyAfter = Date.now() - upAt;
          break;
        }
      }
      figures['API ready again after (s)'] = readyAfter < 0 ? '—' : (readyAfter / 1000).toFixed(1);
      check(
        'the worker and the API reconnected by themselves (same processes, no restart)',
        readyAfter >= 0 &&
          s.worker?.pid === workerPid &&
          s.worker?.exitCode === null &&
          s.api?.pid === apiPid &&
          s.api?.exitCode === null,
        readyAfter >= 0
          ? `ready ${(readyAfter / 1000).toFixed(1)} s after the start; worker ${s.worker?.exitCode === null ? 'running' : `exited ${s.worker?.exitCode}`}`
          : '/api/ready not 200 within 120 s',
      );

      // The refused submissions again with their keys, then the rest of the month.
      const rest = persons.slice(half);
      const after = await pool(rest.length, 4, (i) =>
        submitAsScreen(
          s,
          m,
          rest[i]!.id,
          Date.now() + (quick ? 120_000 : 300_000),
          outageKeys.get(rest[i]!.id) ?? `drill-${rest[i]!.id}`,
        ),
      );
      const refused = after.filter((r) => r.final.status !== 200);
      check(
        'after the restart every submission is accepted (those refused while down sent again with their key)',
        refused.length === 0,
        refused.length
          ? refused
              .slice(0, 3)
              .map((r) => `${r.final.status} ${r.final.code ?? ''}`)
              .join(', ')
          : `${after.length} accepted`,
      );
      const acceptedIds = [
        ...acceptedBefore,
        ...after.filter((r) => r.final.status === 200).map((r) => r.personId),
      ];
      figures.accepted = acceptedIds.length;
      const once = await presentOnce(s.db, m.period, acceptedIds);
      const twice = await doubled(s.db, m.period, m.province.provinceId);
      figures['present exactly once'] = once;
      check(
        'nothing accepted is lost or doubled: every accepted check-in present exactly once',
        once === acceptedIds.length && acceptedIds.length === persons.length && twice === 0,
        `${acceptedIds.length} accepted, ${once} present once, ${twice} doubled`,
      );

      await recoveryChecks({
        db: s.db,
        m,
        persons,
        acceptedIds,
        probes,
        downAt,
        upAt,
        quick,
        check,
        figures,
        texts: {
          resumed: 'every check-in workflow is there after the restart: running, settled and in its phase',
          remindersFired:
            "the reminders (timers) that fell due while Temporal was down fired once it was back (task_event 'reminded')",
          remindersFigure: 'reminders due while Temporal was down',
        },
      });
      return { name: 'temporal-restart', checks, figures };
    } finally {
      await closeClient().catch(() => {});
      await s.stop();
    }
  },
};
