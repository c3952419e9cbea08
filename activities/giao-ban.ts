// The giao ban's activities (issue 7 point 2): the read model of giaoBanWorkflow (workflows/giao-ban.ts), written
// only here, every change audited (aggregate 'giao_ban_session', id '<provinceId>:<session>'). Each is idempotent
// by its business key, so a retried call changes nothing twice:
// - projectGiaoBanSession: the session row with its dates and phase (a phase never moves back);
// - freezeGiaoBanDossiers: at 00:00 of the dossier day, the agenda and one dossier per unit (model + PDF, built by
//   db/queries/giao-ban-dossier.ts and activities/reports/giao-ban-pdf.ts) are frozen once (DOSSIERS_SENT);
// - recordGiaoBanConclusion: the secretariat's conclusion for a unit, a new revision when its content changes;
// - publishGiaoBanConclusions: the minutes frozen (jsonb + PDF with sha256), each direction a giao_ban_direction
//   row with a deterministic id and the id of its task (PUBLISHED);
// - reportGiaoBanDirection: the unit's report on a direction (in-progress / done + note).
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { type Executor, inTransaction } from '../db/executor.ts';
import { buildAgenda, buildUnitDossier, giaoBanUnitsOf } from '../db/queries/giao-ban-dossier.ts';
import '../db/schema-giao-ban.ts';
import type { GiaoBanDates } from '../domain/giao-ban/dates.ts';
import type {
  CompletionLevel,
  GiaoBanAgenda,
  GiaoBanMinutes,
  GiaoBanPhase,
  UnitDossier,
} from '../domain/giao-ban/model.ts';
import type { DirectionDraft, GiaoBanAgendaUnit } from '../workflows/giao-ban.messages.ts';
import { renderMinutesPdf, renderUnitDossierPdf } from './reports/giao-ban-pdf.ts';

/** The functions GB-DOCS provides (db/queries/giao-ban-dossier.ts, activities/reports/giao-ban-pdf.ts). */
export interface GiaoBanDocs {
  buildUnitDossier(
    db: Executor,
    a: { provinceId: string; session: string; unitId: string; asOf: Date },
  ): Promise<UnitDossier>;
  buildAgenda(
    db: Executor,
    a: { provinceId: string; session: string; sessionDate: string; asOf: Date },
  ): Promise<GiaoBanAgenda>;
  giaoBanUnitsOf(
    db: Executor,
    provinceId: string,
    asOf: Date,
  ): Promise<{ unitId: string; name: string; typeCode: string; headPersonId: string | null }[]>;
  renderUnitDossierPdf(d: UnitDossier, agenda: GiaoBanAgenda): Promise<Uint8Array>;
  renderMinutesPdf(m: GiaoBanMinutes): Promise<Uint8Array>;
}

const STATIC_DOCS: GiaoBanDocs = {
  buildUnitDossier,
  buildAgenda,
  giaoBanUnitsOf,
  renderUnitDossierPdf,
  renderMinutesPdf,
};

/** The dossier and minutes builders (static imports; tests may pass their own through giaoBanActivities). */
export function loadGiaoBanDocs(): Promise<GiaoBanDocs> {
  return Promise.resolve(STATIC_DOCS);
}

const PHASE_RANK: Record<GiaoBanPhase, number> = {
  REPORTING: 0,
  DOSSIERS_SENT: 1,
  IN_SESSION: 2,
  PUBLISHED: 3,
  CLOSED: 4,
};
const SYSTEM = 'system:giao-ban';
const auditId = (provinceId: string, session: string) => ({
  aggregateType: 'giao_ban_session',
  aggregateId: `${provinceId}:${session}`,
});
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A direction's id: a UUID derived from its business key (province, session, unit, ordinal). */
export function directionId(provinceId: string, session: string, unitId: string, ordinal: number): string {
  const h = createHash('sha256')
    .update(`giao-ban-direction:${provinceId}:${session}:${unitId}:${ordinal}`)
    .digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The task id of a direction (the workflow opens it with this id). */
export const directionTaskId = (workflowId: string, id: string) => `${workflowId}:direction:${id}`;

export interface ProjectGiaoBanSessionInput {
  provinceId: string;
  session: string;
  workflowId: string;
  phase: GiaoBanPhase;
  dates: GiaoBanDates;
}

export interface FreezeGiaoBanDossiersInput {
  provinceId: string;
  session: string;
  sessionDate: string;
  /** The (virtual) instant of the dossier day the dossiers are built as of (epoch ms). */
  asOf: number;
}

export interface RecordGiaoBanConclusionInput {
  provinceId: string;
  session: string;
  unitId: string;
  completionLevel: CompletionLevel;
  summary: string;
  directions: DirectionDraft[];
  planDecision: 'approved' | 'adjusted' | null;
  planNote: string | null;
  by: string;
  onBehalfOf?: string;
}

export interface PublishGiaoBanInput {
  provinceId: string;
  session: string;
  workflowId: string;
  by: string;
  onBehalfOf?: string;
  /** The (virtual) publishing instant (epoch ms) and its day. */
  at: number;
  publishedOn: string;
}

export interface PublishedDirection {
  id: string;
  unitId: string;
  ordinal: number;
  text: string;
  dueDate: string | null;
  taskId: string;
}

export interface ReportGiaoBanDirectionInput {
  directionId: string;
  status: 'in-progress' | 'done';
  note: string;
  by: string;
  onBehalfOf?: string;
}

export function giaoBanActivities({ db, docs }: { db: Database; docs?: GiaoBanDocs }) {
  const documents = () => (docs ? Promise.resolve(docs) : loadGiaoBanDocs());
  return {
    /** Creates the session row or moves its phase forward (never back); audited when something changed. */
    async projectGiaoBanSession(p: ProjectGiaoBanSessionInput): Promise<{ changed: boolean }> {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('giao_ban_session')
          .select(['phase'])
          .where('province_id', '=', p.provinceId)
          .where('session', '=', p.session)
          .forUpdate()
          .executeTakeFirst();
        if (row && PHASE_RANK[row.phase] >= PHASE_RANK[p.phase]) return { changed: false };
        if (!row)
          await trx
            .insertInto('giao_ban_session')
            .values({
              province_id: p.provinceId,
              session: p.session,
              workflow_id: p.workflowId,
              phase: p.phase,
              session_date: p.dates.sessionDate,
              dossier_date: p.dates.dossierDate,
              conclusions_due: p.dates.conclusionsDue,
            })
            .execute();
        else
          await trx
            .updateTable('giao_ban_session')
            .set({ phase: p.phase, updated_at: sql`now()` })
            .where('province_id', '=', p.provinceId)
            .where('session', '=', p.session)
            .execute();
        await appendAudit(trx, {
          ...auditId(p.provinceId, p.session),
          actor: SYSTEM,
          action: row ? 'giao-ban.phase' : 'giao-ban.opened',
          ...(row ? { before: { phase: row.phase } } : {}),
          after: { phase: p.phase, workflowId: p.workflowId, ...(row ? {} : { dates: p.dates }) },
        });
        return { changed: true };
      });
    },

    /**
     * Freezes the agenda and a dossier per unit once (the dossier day): answers the agenda's units with the
     * person (or role) each unit's messages and directions go to. A retry finds the frozen agenda.
     */
    async freezeGiaoBanDossiers(f: FreezeGiaoBanDossiersInput): Promise<{ units: GiaoBanAgendaUnit[] }> {
      const frozen = await db
        .selectFrom('giao_ban_session')
        .select(['agenda', 'dossiers_sent_at'])
        .where('province_id', '=', f.provinceId)
        .where('session', '=', f.session)
        .executeTakeFirst();
      if (!frozen) throw ApplicationFailure.nonRetryable(`no giao ban session ${f.provinceId}:${f.session}`);
      const asOf = new Date(f.asOf);
      const d = await documents();
      const heads = new Map(
        (await d.giaoBanUnitsOf(db, f.provinceId, asOf)).map((u) => [u.unitId, u.headPersonId]),
      );
      const unitsOf = (agenda: GiaoBanAgenda): GiaoBanAgendaUnit[] =>
        agenda.items.map((i) => {
          const head = heads.get(i.unitId);
          return {
            unitId: i.unitId,
            unitName: i.unitName,
            head: head ? { personId: head } : { role: 'unit_head', unitId: i.unitId },
          };
        });
      if (frozen.dossiers_sent_at && frozen.agenda)
        return { units: unitsOf(frozen.agenda as unknown as GiaoBanAgenda) };
      const agenda = await d.buildAgenda(db, {
        provinceId: f.provinceId,
        session: f.session,
        sessionDate: f.sessionDate,
        asOf,
      });
      const dossiers: { unitId: string; model: UnitDossier; pdf: Buffer }[] = [];
      for (const item of agenda.items) {
        const model = await d.buildUnitDossier(db, {
          provinceId: f.provinceId,
          session: f.session,
          unitId: item.unitId,
          asOf,
        });
        dossiers.push({
          unitId: item.unitId,
          model,
          pdf: Buffer.from(await d.renderUnitDossierPdf(model, agenda)),
        });
      }
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('giao_ban_session')
          .select(['agenda', 'dossiers_sent_at', 'phase'])
          .where('province_id', '=', f.provinceId)
          .where('session', '=', f.session)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (row.dossiers_sent_at && row.agenda)
          return { units: unitsOf(row.agenda as unknown as GiaoBanAgenda) };
        for (const x of dossiers)
          await trx
            .insertInto('giao_ban_dossier')
            .values({
              province_id: f.provinceId,
              session: f.session,
              unit_id: x.unitId,
              model: JSON.stringify(x.model),
              pdf: x.pdf,
              pdf_sha256: sha256(x.pdf),
            })
            .onConflict((oc) => oc.columns(['province_id', 'session', 'unit_id']).doNothing())
            .execute();
        await trx
          .updateTable('giao_ban_session')
          .set({
            agenda: JSON.stringify(agenda),
            dossiers_sent_at: asOf,
            ...(PHASE_RANK[row.phase] < PHASE_RANK.DOSSIERS_SENT ? { phase: 'DOSSIERS_SENT' as const } : {}),
            updated_at: sql`now()`,
          })
          .where('province_id', '=', f.provinceId)
          .where('session', '=', f.session)
          .execute();
        await appendAudit(trx, {
          ...auditId(f.provinceId, f.session),
          actor: SYSTEM,
          action: 'giao-ban.dossiers-sent',
          before: { phase: row.phase },
          after: {
            phase: 'DOSSIERS_SENT',
            asOf: asOf.toISOString(),
            agenda: agenda.items.map((i) => ({ unitId: i.unitId, reportStatus: i.reportStatus })),
            dossiers: dossiers.map((x) => ({ unitId: x.unitId, pdfSha256: sha256(x.pdf) })),
          },
        });
        return { units: unitsOf(agenda) };
      });
    },

    /** Records (or revises) a unit's conclusion; the same content again changes nothing. */
    async recordGiaoBanConclusion(
      c: RecordGiaoBanConclusionInput,
    ): Promise<{ revision: number; changed: boolean }> {
      return inTransaction(db, async (trx) => {
        const prior = await trx
          .selectFrom('giao_ban_conclusion')
          .selectAll()
          .where('province_id', '=', c.provinceId)
          .where('session', '=', c.session)
          .where('unit_id', '=', c.unitId)
          .forUpdate()
          .executeTakeFirst();
        const content = {
          completionLevel: c.completionLevel,
          summary: c.summary,
          planDecision: c.planDecision,
          planNote: c.planNote,
          directions: c.directions.map((d) => ({ text: d.text, dueDate: d.dueDate })),
        };
        const priorContent = prior && {
          completionLevel: prior.completion_level,
          summary: prior.summary,
          planDecision: prior.plan_decision,
          planNote: prior.plan_note,
          directions: prior.directions,
        };
        if (prior && JSON.stringify(priorContent) === JSON.stringify(content))
          return { revision: prior.revision, changed: false };
        const revision = (prior?.revision ?? 0) + 1;
        const values = {
          completion_level: c.completionLevel,
          summary: c.summary,
          plan_decision: c.planDecision,
          plan_note: c.planNote,
          directions: JSON.stringify(content.directions),
          revision,
          recorded_by: c.by,
          recorded_at: sql<Date>`now()`,
        };
        if (prior)
          await trx
            .updateTable('giao_ban_conclusion')
            .set(values)
            .where('province_id', '=', c.provinceId)
            .where('session', '=', c.session)
            .where('unit_id', '=', c.unitId)
            .execute();
        else
          await trx
            .insertInto('giao_ban_conclusion')
            .values({ province_id: c.provinceId, session: c.session, unit_id: c.unitId, ...values })
            .execute();
        await appendAudit(trx, {
          ...auditId(c.provinceId, c.session),
          actor: c.by,
          action: 'giao-ban.conclusion-recorded',
          ...(priorContent ? { before: { ...priorContent, revision: prior.revision } } : {}),
          after: {
            unitId: c.unitId,
            ...content,
            revision,
            ...(c.onBehalfOf ? { onBehalfOf: c.onBehalfOf } : {}),
          },
        });
        return { revision, changed: true };
      });
    },

    /** Publishes once: the minutes (jsonb + PDF) and the directions rows; a retry answers what was published. */
    async publishGiaoBanConclusions(
      p: PublishGiaoBanInput,
    ): Promise<{ publishedAt: string; directions: PublishedDirection[] }> {
      const stored = async (ex: Executor) => {
        const rows = await ex
          .selectFrom('giao_ban_direction')
          .select(['id', 'unit_id', 'ordinal', 'text', 'due_date', 'task_id'])
          .where('province_id', '=', p.provinceId)
          .where('session', '=', p.session)
          .orderBy('unit_id')
          .orderBy('ordinal')
          .execute();
        return rows.map((r) => ({
          id: r.id,
          unitId: r.unit_id,
          ordinal: r.ordinal,
          text: r.text,
          dueDate: r.due_date,
          taskId: r.task_id ?? directionTaskId(p.workflowId, r.id),
        }));
      };
      const session = await db
        .selectFrom('giao_ban_session as s')
        .innerJoin('org_unit as u', 'u.id', 's.province_id')
        .select(['s.agenda', 's.published_at', 's.session_date', 'u.name_vi'])
        .where('s.province_id', '=', p.provinceId)
        .where('s.session', '=', p.session)
        .executeTakeFirst();
      if (!session) throw ApplicationFailure.nonRetryable(`no giao ban session ${p.provinceId}:${p.session}`);
      if (session.published_at)
        return { publishedAt: session.published_at.toISOString(), directions: await stored(db) };
      const agenda = (session.agenda as unknown as GiaoBanAgenda | null)?.items ?? [];
      const conclusions = await db
        .selectFrom('giao_ban_conclusion')
        .selectAll()
        .where('province_id', '=', p.provinceId)
        .where('session', '=', p.session)
        .execute();
      const byUnit = new Map(conclusions.map((c) => [c.unit_id, c]));
      const missing = agenda.filter((i) => !byUnit.has(i.unitId)).map((i) => i.unitName);
      if (missing.length)
        throw ApplicationFailure.nonRetryable(
          `GIAO_BAN_CONCLUSIONS_MISSING: ${missing.join(', ')}`,
          'GiaoBanConclusionsMissing',
        );
      const publisher = await db
        .selectFrom('person')
        .select('full_name')
        .where('id', '=', p.onBehalfOf ?? p.by)
        .executeTakeFirst();
      const minutes: GiaoBanMinutes = {
        provinceId: p.provinceId,
        provinceName: session.name_vi,
        session: p.session,
        sessionDate: session.session_date,
        publishedOn: p.publishedOn,
        publishedBy: publisher?.full_name ?? p.by,
        conclusions: agenda.map((i) => {
          const c = byUnit.get(i.unitId)!;
          const drafts = (c.directions as unknown as DirectionDraft[] | null) ?? [];
          return {
            unitId: i.unitId,
            unitName: i.unitName,
            completionLevel: c.completion_level,
            summary: c.summary,
            planDecision: c.plan_decision,
            planNote: c.plan_note,
            directions: drafts.map((d, k) => ({ ordinal: k + 1, text: d.text, dueDate: d.dueDate ?? null })),
          };
        }),
      };
      const pdf = Buffer.from(await (await documents()).renderMinutesPdf(minutes));
      const at = new Date(p.at);
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('giao_ban_session')
          .select(['published_at', 'phase'])
          .where('province_id', '=', p.provinceId)
          .where('session', '=', p.session)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (row.published_at)
          return { publishedAt: row.published_at.toISOString(), directions: await stored(trx) };
        for (const c of minutes.conclusions)
          for (const d of c.directions) {
            const id = directionId(p.provinceId, p.session, c.unitId, d.ordinal);
            await trx
              .insertInto('giao_ban_direction')
              .values({
                id,
                province_id: p.provinceId,
                session: p.session,
                unit_id: c.unitId,
                ordinal: d.ordinal,
                text: d.text,
                due_date: d.dueDate,
                status: 'open',
                task_id: directionTaskId(p.workflowId, id),
              })
              .onConflict((oc) => oc.column('id').doNothing())
              .execute();
          }
        await trx
          .updateTable('giao_ban_session')
          .set({
            minutes: JSON.stringify(minutes),
            minutes_pdf: pdf,
            minutes_sha256: sha256(pdf),
            published_at: at,
            published_by: p.onBehalfOf ?? p.by,
            phase: 'PUBLISHED',
            updated_at: sql`now()`,
          })
          .where('province_id', '=', p.provinceId)
          .where('session', '=', p.session)
          .execute();
        await appendAudit(trx, {
          ...auditId(p.provinceId, p.session),
          actor: p.by,
          action: 'giao-ban.published',
          before: { phase: row.phase },
          after: {
            phase: 'PUBLISHED',
            publishedAt: at.toISOString(),
            minutesSha256: sha256(pdf),
            conclusions: minutes.conclusions.map((c) => ({
              unitId: c.unitId,
              completionLevel: c.completionLevel,
              planDecision: c.planDecision,
              directions: c.directions.length,
            })),
            ...(p.onBehalfOf ? { onBehalfOf: p.onBehalfOf } : {}),
          },
        });
        return { publishedAt: at.toISOString(), directions: await stored(trx) };
      });
    },

    /** The unit's report on a direction; the same report again changes nothing. */
    async reportGiaoBanDirection(r: ReportGiaoBanDirectionInput): Promise<{ changed: boolean }> {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('giao_ban_direction')
          .selectAll()
          .where('id', '=', r.directionId)
          .forUpdate()
          .executeTakeFirst();
        if (!row) throw ApplicationFailure.nonRetryable(`no giao ban direction ${r.directionId}`);
        if (row.status === r.status && row.status_note === r.note) return { changed: false };
        await trx
          .updateTable('giao_ban_direction')
          .set({
            status: r.status,
            status_note: r.note,
            updated_by: r.onBehalfOf ?? r.by,
            updated_at: sql`now()`,
          })
          .where('id', '=', r.directionId)
          .execute();
        await appendAudit(trx, {
          ...auditId(row.province_id, row.session),
          actor: r.by,
          action: 'giao-ban.direction-reported',
          before: { directionId: row.id, status: row.status, note: row.status_note },
          after: {
            directionId: row.id,
            unitId: row.unit_id,
            status: r.status,
            note: r.note,
            ...(r.onBehalfOf ? { onBehalfOf: r.onBehalfOf } : {}),
          },
        });
        return { changed: true };
      });
    },
  };
}
