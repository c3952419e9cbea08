// The giao ban dossier of the benchmark (issue 9 point 1): the province's latest session whose dossier day has
// come, its agenda and every unit's dossier frozen by the giao ban workflow's own activities (activities/giao-ban.ts
// projectGiaoBanSession, then freezeGiaoBanDossiers with the real documents: buildAgenda, buildUnitDossier and the
// PDF renderer) — what the workflow does at 00:00 of the dossier day — as of the moment of the run, so the
// dossiers hold the month the benchmark just submitted. The workflow itself is not started: its timers would wait
// for the session on the real calendar.
import { giaoBanActivities } from '../../activities/giao-ban.ts';
import type { Database } from '../../db/connection.ts';
import { sessionsOfYear } from '../../db/queries/giao-ban.ts';
import { giaoBanInputFor } from '../../db/queries/giao-ban-workflow-input.ts';
import { giaoBanWorkflowId } from '../../workflows/giao-ban.messages.ts';

export interface FrozenDossiers {
  session: string;
  dossierDate: string;
  sessionDate: string;
  units: number;
  /** Wall time of the freeze (agenda, every unit's dossier model and PDF, one transaction), ms. */
  ms: number;
  /** The frozen PDFs' sizes, bytes. */
  pdfBytes: { min: number; max: number };
}

/** The latest session of `year` (or the year before) whose dossier day is on or before `today`. */
export async function benchGiaoBanSession(db: Database, provinceId: string, year: number, today: string) {
  let best: { session: string; input: NonNullable<Awaited<ReturnType<typeof giaoBanInputFor>>> } | undefined;
  for (const session of [...sessionsOfYear(year - 1), ...sessionsOfYear(year)]) {
    const input = await giaoBanInputFor(db, { provinceId, session });
    if (!input || input.dates.dossierDate > today) continue;
    if (!best || input.dates.dossierDate > best.input.dates.dossierDate) best = { session, input };
  }
  return best;
}

export async function freezeBenchDossiers(
  db: Database,
  q: { provinceId: string; year: number; today: string; at: number },
): Promise<FrozenDossiers> {
  const found = await benchGiaoBanSession(db, q.provinceId, q.year, q.today);
  if (!found) throw new Error(`no giao ban session of ${q.year} has reached its dossier day by ${q.today}`);
  const { session, input } = found;
  const acts = giaoBanActivities({ db });
  const t = performance.now();
  await acts.projectGiaoBanSession({
    provinceId: q.provinceId,
    session,
    workflowId: giaoBanWorkflowId(q.provinceId, session),
    phase: 'REPORTING',
    dates: input.dates,
  });
  const frozen = await acts.freezeGiaoBanDossiers({
    provinceId: q.provinceId,
    session,
    sessionDate: input.dates.sessionDate,
    asOf: q.at,
  });
  const ms = performance.now() - t;
  const sizes = await db
    .selectFrom('giao_ban_dossier')
    .select((eb) => [
      eb.fn.min<number>(eb.fn('octet_length', ['pdf'])).as('min'),
      eb.fn.max<number>(eb.fn('octet_length', ['pdf'])).as('max'),
    ])
    .where('province_id', '=', q.provinceId)
    .where('session', '=', session)
    .executeTakeFirstOrThrow();
  return {
    session,
    dossierDate: input.dates.dossierDate,
    sessionDate: input.dates.sessionDate,
    units: frozen.units.length,
    ms,
    pdfBytes: { min: Number(sizes.min ?? 0), max: Number(sizes.max ?? 0) },
  };
}
