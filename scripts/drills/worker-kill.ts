// The fault drill `worker-kill` (issue 9 point 2): the worker SIGKILLed in the middle of the month-end check-in
// storm and started again after a pause. On the drill's own servers (scripts/drills/servers.ts): a bench province
// (small in quick), its month opened by the real opening workflow, every person's draft saved, deadline probes
// started (scripts/drills/temporal-common.ts: next month's check-in workflows on a clock offset whose first
// reminder falls due at staggered instants around the outage), then the storm through the API at bounded
// concurrency, each 503 sent again with the same Idempotency-Key after its Retry-After as the screen does. Once a
// third of the submissions are accepted the worker is killed (SIGKILL: a crash, not an orderly stop); after the
// pause it is started again. Checks: every submission accepted in the end and present exactly once (SUBMITTED,
// one frozen version, one submit audit entry), no check-in doubled; the 503s while the worker was away carried
// DEPENDENCY_UNAVAILABLE and Retry-After within the API's bound; every check-in workflow running, settled and in
// the phase the read model says (none failed or stuck); the reminders that fell due while the worker was down
// fired once it was back, and the first one due after the restart fired — the workflows met their next deadline.

import { pool } from '../bench/stats.ts';
import { checklist, type Drill, type DrillResult } from './drill.ts';
import { startDrillServers } from './servers.ts';
import {
  doubled,
  openMonth,
  presentOnce,
  recoveryChecks,
  type Submission,
  saveDrafts,
  sleep,
  startProbes,
  submitAsScreen,
} from './temporal-common.ts';

/** The API's request timeout (API_REQUEST_TIMEOUT_MS, set for the drill) and the longest a 503 may take: the
 *  timeout and 3 s for a loaded machine. */
const REQUEST_TIMEOUT_MS = 15_000;
const ANSWER_BOUND_MS = REQUEST_TIMEOUT_MS + 3_000;

export const workerKillDrill: Drill = {
  name: 'worker-kill',
  title: 'The worker killed mid check-in storm and started again: exactly once, workflows resume on time',
  async run({ quick, log }): Promise<DrillResult> {
    const { checks, check } = checklist();
    const figures: DrillResult['figures'] = {};
    const s = await startDrillServers({
      name: 'worker-kill',
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
      await saveDrafts(s, m, persons);
      log(`${persons.length} drafts saved`);

      // Deadline probes: reminders falling due from a few seconds to minutes ahead, whenever the worker is back.
      const leads = (
        quick
          ? [6, 9, 12, 15, 18, 21, 25, 30, 40, 50, 65, 80, 100, 130, 170]
          : [10, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240, 300]
      ).map((x) => x * 1000);
      const probes = await startProbes(s, m, persons, leads);
      log(`${probes.length} deadline probes started`);

      // The storm; the kill once a third is accepted.
      // longer than the API's Update deadline (10 s): a submission in flight at the kill cannot be answered in time
      const pause = quick ? 12_000 : 20_000;
      const until = Date.now() + (quick ? 240_000 : 600_000);
      const killAfter = Math.max(1, Math.ceil(persons.length / 3));
      let accepted = 0;
      let acceptedBeforeKill = 0;
      let downAt = 0;
      let upAt = 0;
      let outage: Promise<void> | undefined;
      const crash = async () => {
        downAt = Date.now();
        acceptedBeforeKill = accepted;
        await s.killWorker('SIGKILL');
        await sleep(pause);
        const t = Date.now();
        await s.startWorker();
        upAt = Date.now();
        figures['worker start (s)'] = ((upAt - t) / 1000).toFixed(1);
      };
      const subs: Submission[] = await pool(persons.length, quick ? 4 : 16, async (i) => {
        const r = await submitAsScreen(s, m, persons[i]!.id, until);
        if (r.final.status === 200 && ++accepted === killAfter) outage = crash();
        return r;
      });
      await outage;
      figures['accepted before the kill'] = acceptedBeforeKill;
      figures['outage (s)'] = ((upAt - downAt) / 1000).toFixed(1);
      check(
        'the worker was killed in the middle of the storm',
        downAt > 0 && acceptedBeforeKill > 0 && acceptedBeforeKill < persons.length,
        `${acceptedBeforeKill} of ${persons.length} accepted at the kill`,
      );

      const ok = subs.filter((r) => r.final.status === 200);
      const refused = subs.filter((r) => r.final.status !== 200);
      figures.accepted = ok.length;
      check(
        'every submission is accepted in the end (503s resent with the same Idempotency-Key)',
        refused.length === 0,
        refused.length
          ? refused
              .slice(0, 3)
              .map((r) => `${r.final.status} ${r.final.code ?? ''}`)
              .join(', ')
          : `${ok.length} accepted`,
      );
      const unavailable = subs.flatMap((r) => r.unavailable);
      const longest = Math.max(0, ...unavailable.map((u) => u.ms));
      figures['503 answers'] = unavailable.length;
      figures['submissions resent'] = subs.filter((r) => r.attempts > 1).length;
      figures['longest 503 answer (ms)'] = Math.round(longest);
      check(
        'while the worker was away the API answered 503 DEPENDENCY_UNAVAILABLE with Retry-After, within its bound',
        unavailable.length > 0 &&
          unavailable.every((u) => u.code === 'DEPENDENCY_UNAVAILABLE' && Number(u.retryAfter) > 0) &&
          longest <= ANSWER_BOUND_MS,
        `${unavailable.length} answers 503, codes ${[...new Set(unavailable.map((u) => u.code))].join(', ') || '—'}, longest ${Math.round(longest)} ms (bound ${ANSWER_BOUND_MS} ms)`,
      );

      const acceptedIds = ok.map((r) => r.personId);
      const once = await presentOnce(s.db, m.period, acceptedIds);
      const twice = await doubled(s.db, m.period, m.province.provinceId);
      figures['present exactly once'] = once;
      check(
        'every accepted check-in is present exactly once (SUBMITTED, one frozen version, one submit audit entry)',
        once === acceptedIds.length && twice === 0,
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
          resumed:
            'every check-in workflow resumed: running, settled (no activity or workflow task left retrying) and in its phase',
          remindersFired:
            "the reminders that fell due while the worker was down fired once it was back (task_event 'reminded')",
          remindersFigure: 'reminders due while the worker was down',
        },
      });
      return { name: 'worker-kill', checks, figures };
    } finally {
      await closeClient().catch(() => {});
      await s.stop();
    }
  },
};
