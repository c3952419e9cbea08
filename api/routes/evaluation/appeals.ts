// The notice of a published ranking and the appeal against it (issue 8 point 4). Content: each ranked person
// reads their notices of a year (level, score, the appeal window's last day, the appeal's status) and the notice
// as a PDF (the person, and those who may read the ranking). Process: the person files an appeal within the
// window (the row, then appealWorkflow `appeal:<noticeId>` opens the task of the level above — the province's
// organisation department for a unit ranking, its standing committee for the province ranking — on the ladder);
// a late appeal is refused (409 RANKING_APPEAL_LATE). The deciding level reads its queue and decides (Update
// decideAppeal with an Idempotency-Key): upheld, or changed with the new level, with a decision number. The
// frozen ranking entry is never rewritten: the appeal row carries the changed level.
// Access: policy ranking.notice.own (the person's own notices) and ranking.appeal.decide (the province's
// organisation department and standing committee, never on their own appeal).
import { createRoute } from '@hono/zod-openapi';
import { renderRankingNoticePdf } from '../../../activities/reports/ranking-notice-pdf.ts';
import { appealInputFor, startAppealWorkflow } from '../../../db/queries/appeal-workflow-input.ts';
import { calendarProfileOfProvince } from '../../../db/queries/calendar.ts';
import {
  appealById,
  appealNotFound,
  appealOfNotice,
  appealsOfProvince,
  appealWindowOf,
  fileAppeal,
  noticeById,
  noticeNotFound,
  noticesOf,
} from '../../../db/queries/ranking-notices.ts';
import type { RankingAppealRow, RankingNoticeRow } from '../../../db/schema-ranking-notices.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { getRuleSet } from '../../../domain/rulesets/catalogue.ts';
import { RANK_LABELS } from '../../../domain/rulesets/types.ts';
import type { FrozenRanking, RankingResult } from '../../../domain/scoring/index.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import { decideAppeal } from '../../../workflows/appeal.messages.ts';
import { allowed, check, forbidden, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, plainText, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';
import { attachmentDisposition, PDF_TYPE } from '../reports/monthly.ts';

const tags = ['rankings'];
const Text = z.object({ vi: z.string(), en: z.string() });
const Level = z.enum(['excellent', 'good', 'completed', 'notCompleted']);
const Year = z.coerce.number().int().min(2000).max(2200);
const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });

const AppealOut = z
  .object({
    id: z.string(),
    noticeId: z.string(),
    status: z.enum(['filed', 'decided']),
    reason: z.string(),
    filedOn: z.string(),
    outcome: z.enum(['upheld', 'changed']).nullable(),
    newLevel: Level.nullable(),
    decisionNumber: z.string().nullable(),
    decidedOn: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('RankingAppeal');
const NoticeOut = z
  .object({
    id: z.string(),
    rankingKind: z.enum(['unit', 'province']),
    rankingId: z.string(),
    track: z.enum(['state', 'party']),
    year: z.number().int(),
    unit: z.object({ id: z.string(), name: z.string() }),
    level: Level,
    label: Text,
    score: z.string().nullable(),
    issuedOn: z.string(),
    appealUntil: z.string(),
    canAppeal: z.boolean().openapi({ description: 'Within the window and no appeal yet' }),
    appeal: AppealOut.nullable(),
  })
  .openapi('RankingNotice');
const QueueItem = z
  .object({
    appeal: AppealOut,
    subject: z.object({ id: z.string(), name: z.string() }),
    unit: z.object({ id: z.string(), name: z.string() }),
    year: z.number().int(),
    track: z.enum(['state', 'party']),
    rankingKind: z.enum(['unit', 'province']),
    level: Level,
    label: Text,
    score: z.string().nullable(),
    issuedOn: z.string(),
  })
  .openapi('RankingAppealQueueItem');
const FileBody = z.object({ reason: plainText(4000) }).openapi('RankingAppealFile');
const DecideBody = z
  .object({
    outcome: z.enum(['upheld', 'changed']),
    newLevel: Level.optional(),
    decisionNumber: z.string().trim().min(1).max(100),
    note: plainText(4000).optional(),
  })
  .openapi('RankingAppealDecision');
const DecideResult = z
  .object({
    phase: z.enum(['OPEN', 'DECIDED']),
    outcome: z.enum(['upheld', 'changed']),
    newLevel: Level.nullable(),
    by: z.string(),
    date: z.string(),
  })
  .openapi('RankingAppealDecisionResult');

const appealOut = (a: RankingAppealRow) => ({
  id: a.id,
  noticeId: a.notice_id,
  status: a.status,
  reason: a.reason,
  filedOn: a.filed_on,
  outcome: a.outcome,
  newLevel: a.new_level,
  decisionNumber: a.decision_number,
  decidedOn: a.decided_on,
  note: a.note,
});

const DECIDERS: readonly string[] = ['organisation_department', 'standing_committee'];

const noCalendar = () =>
  rule(
    409,
    'RANKING_APPEAL_NO_CALENDAR',
    'Tỉnh chưa có hồ sơ lịch làm việc: chưa thể mở bước giải quyết kiến nghị.',
    'The province has no calendar profile: the appeal cannot be opened.',
  );

export function appealRoutes(deps: ApiDeps) {
  const { db } = deps;
  const today = () => vnLocalDate((deps.clock ?? (() => new Date()))().getTime());

  /** The notice's unit-level resource (its unit under the province), about its subject. */
  const noticeResource = async (n: RankingNoticeRow): Promise<Resource> => {
    const path = (await loadPath(db, n.unit_id)).map((x) => x.id);
    return {
      path: path.slice(0, 2),
      tier: path.length >= 2 ? 'unit' : 'province',
      subjectPersonId: n.subject_id,
    };
  };

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/ranking-notices',
        tags,
        summary:
          "My ranking notices of a year (state and Party tracks, unit and province rankings): the level, score, the appeal window's last day and the appeal's status",
        middleware: [requires('ranking.notice.own')] as const,
        request: { query: z.object({ year: Year }) },
        responses: { 200: jsonOk(z.object({ notices: z.array(NoticeOut) })), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const rows = await noticesOf(db, { personId: me, year: c.req.valid('query').year });
        const day = today();
        const notices = rows.map((n) => ({
          id: n.id,
          rankingKind: n.ranking_kind,
          rankingId: n.ranking_id,
          track: n.track,
          year: n.year,
          unit: { id: n.unit_id, name: n.unit_name },
          level: n.level,
          label: RANK_LABELS[n.level],
          score: n.score,
          issuedOn: n.issued_on,
          appealUntil: n.appeal_until,
          canAppeal: n.appeal_id === null && day <= n.appeal_until,
          appeal:
            n.appeal_id === null
              ? null
              : {
                  id: n.appeal_id,
                  noticeId: n.id,
                  status: n.appeal_status!,
                  reason: n.appeal_reason!,
                  filedOn: n.appeal_filed_on!,
                  outcome: n.appeal_outcome,
                  newLevel: n.appeal_new_level,
                  decisionNumber: n.appeal_decision_number,
                  decidedOn: n.appeal_decided_on,
                  note: n.appeal_note,
                },
        }));
        return c.json({ notices }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ranking-notices/{id}/notice.pdf',
        tags,
        summary:
          'The written notice as a PDF (ND 30 layout): person, unit, year, score, level, rule set and legal basis, the explanation and failed gates, the appeal window. The person, and those who may read the ranking',
        middleware: [requires('ranking.notice.own')] as const,
        request: { params: IdParam },
        responses: {
          200: {
            description: 'The notice PDF',
            content: { [PDF_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const n = await noticeById(db, c.req.valid('param').id);
        if (!n) {
          markChecked(c);
          throw noticeNotFound();
        }
        const r = await noticeResource(n);
        if (n.subject_id !== actorId(c)) {
          // not the person: those who may read the ranking (the unit-level document's readers)
          await check(c, db, { path: r.path, tier: r.tier }, 'ranking.read');
        }
        markChecked(c);
        const [person, unit, province, appeal, win] = await Promise.all([
          db
            .selectFrom('person')
            .select('full_name')
            .where('id', '=', n.subject_id)
            .executeTakeFirstOrThrow(),
          db.selectFrom('org_unit').select('name_vi').where('id', '=', n.unit_id).executeTakeFirstOrThrow(),
          db
            .selectFrom('org_unit')
            .select('name_vi')
            .where('id', '=', n.province_id)
            .executeTakeFirstOrThrow(),
          appealOfNotice(db, n.id),
          appealWindowOf(db, n.province_id),
        ]);
        let explanation: RankingResult['explanation'] | undefined;
        // the head's selection within the quota (engine's Xuất sắc, placed at Tốt): said after the engine's steps
        let selectionStep: string | undefined;
        let ruleSetTitle = '';
        let legalBasis: string[] = [];
        if (n.ranking_kind === 'unit') {
          const e = await db
            .selectFrom('unit_ranking_entry as e')
            .innerJoin('unit_ranking as r', 'r.id', 'e.ranking_id')
            .selectAll('e')
            .select(['r.rule_set_id', 'r.rule_set_version'])
            .where('e.ranking_id', '=', n.ranking_id)
            .where('e.person_id', '=', n.subject_id)
            .execute();
          const entry =
            e.find((x) => ((x as unknown as { track?: string }).track ?? 'state') === n.track) ?? e[0];
          if (entry) {
            const frozen = entry.frozen as unknown as FrozenRanking | null;
            const result = entry.result as unknown as RankingResult | null;
            explanation = frozen?.explanation ?? result?.explanation;
            selectionStep = (frozen as { selection?: { message?: { vi: string } } } | null)?.selection
              ?.message?.vi;
            try {
              const rs = getRuleSet(
                frozen?.ruleSet?.id ?? entry.rule_set_id,
                frozen?.ruleSet?.version ?? entry.rule_set_version,
              );
              ruleSetTitle = rs.title.vi;
              legalBasis = rs.legalBasis.map((b) => b.ref);
            } catch {
              ruleSetTitle = entry.rule_set_id;
            }
          }
        }
        const pdf = await renderRankingNoticePdf({
          issuingBody: unit.name_vi,
          place: province.name_vi.replace(/^(Tỉnh|Thành phố)\s+/i, ''),
          issuedOn: n.issued_on,
          personName: person.full_name,
          unitName: unit.name_vi,
          year: n.year,
          track: n.track,
          score: n.score === null ? null : n.score.replace('.', ','),
          levelVi: RANK_LABELS[n.level].vi,
          ruleSetTitle: ruleSetTitle || 'Quy định đánh giá, xếp loại chất lượng hiện hành',
          legalBasis,
          steps: [...(explanation?.steps ?? []).map((s) => s.vi), ...(selectionStep ? [selectionStep] : [])],
          gateFailures: (explanation?.gateFailures ?? []).map((g) => g.message.vi),
          forcedBy: (explanation?.forcedBy ?? []).map((s) => s.vi),
          appealUntil: n.appeal_until,
          appealWorkingDays: win.workingDays,
          appeal:
            appeal?.status === 'decided'
              ? {
                  outcomeVi:
                    appeal.outcome === 'changed' && appeal.new_level
                      ? `thay đổi mức xếp loại thành ${RANK_LABELS[appeal.new_level].vi}`
                      : `giữ nguyên mức ${RANK_LABELS[n.level].vi}`,
                  decisionNumber: appeal.decision_number ?? '',
                  decidedOn: appeal.decided_on ?? '',
                }
              : undefined,
        });
        return c.body(new Uint8Array(pdf), 200, {
          'Content-Type': PDF_TYPE,
          'Content-Length': String(pdf.byteLength),
          'Content-Disposition': attachmentDisposition(
            `Thông báo xếp loại ${n.year} - ${person.full_name.replace(/[\\/:*?"<>|]/g, ' ')}.pdf`,
          ),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'private, no-store',
        });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/ranking-notices/{id}/appeal',
        tags,
        summary:
          "The ranked person appeals against their notice within the window (the province's working days, default 10): the row, then appealWorkflow opens the deciding level's task. 409 RANKING_APPEAL_LATE after the last day; idempotent (an existing appeal is answered, 200)",
        middleware: [requires('ranking.notice.own')] as const,
        request: { params: IdParam, body: jsonBody(FileBody) },
        responses: {
          201: jsonOk(AppealOut, 'Filed'),
          200: jsonOk(AppealOut),
          ...errorResponses,
          503: unavailableResponse,
        },
      }),
      async (c) => {
        const me = actorId(c);
        const n = await noticeById(db, c.req.valid('param').id);
        if (!n) {
          markChecked(c);
          throw noticeNotFound();
        }
        await check(c, db, await noticeResource(n));
        const stored = await calendarProfileOfProvince(db, n.province_id);
        if (!stored) throw noCalendar();
        const { appeal, created } = await fileAppeal(db, {
          noticeId: n.id,
          by: me,
          reason: c.req.valid('json').reason,
          filedOn: today(),
        });
        if (appeal.workflow_id) return c.json(appealOut(appeal), 200);
        const input = await appealInputFor(db, { appeal, notice: n, profile: stored.profile });
        await withTemporal(deps.temporal, (client) =>
          startAppealWorkflow(db, client, {
            input,
            taskQueue: deps.rankings?.taskQueue ?? deps.plans?.taskQueue ?? TASK_QUEUE,
          }),
        );
        const after = (await appealById(db, appeal.id))!;
        return c.json(appealOut(after), created ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ranking-appeals',
        tags,
        summary:
          "The deciding level's queue: the appeals of a year against the notices of the provinces where the caller decides (organisation department, standing committee), filed and decided",
        middleware: [requires('ranking.appeal.decide')] as const,
        request: { query: z.object({ year: Year }) },
        responses: { 200: jsonOk(z.object({ appeals: z.array(QueueItem) })), ...errorResponses },
      }),
      async (c) => {
        const year = c.req.valid('query').year;
        // only the deciding levels have a queue
        if (!(c.get('actor')?.grants ?? []).some((g) => DECIDERS.includes(g.role))) throw forbidden();
        const provinces = await db
          .selectFrom('ranking_notice')
          .select('province_id')
          .distinct()
          .where('year', '=', year)
          .execute();
        const out: z.infer<typeof QueueItem>[] = [];
        for (const p of provinces) {
          for (const a of await appealsOfProvince(db, { provinceId: p.province_id, year })) {
            const path = (await loadPath(db, a.unit_id)).map((x) => x.id);
            const res: Resource = {
              path: path.slice(0, 2),
              tier: path.length >= 2 ? 'unit' : 'province',
              subjectPersonId: a.subject_id,
            };
            if (!(await allowed(c, db, 'ranking.appeal.decide', res))) continue;
            out.push({
              appeal: appealOut(a),
              subject: { id: a.subject_id, name: a.subject_name },
              unit: { id: a.unit_id, name: a.unit_name },
              year: a.year,
              track: a.track,
              rankingKind: a.ranking_kind,
              level: a.level,
              label: RANK_LABELS[a.level],
              score: a.score,
              issuedOn: a.issued_on,
            });
          }
        }
        markChecked(c);
        return c.json({ appeals: out }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/ranking-appeals/{id}/decision',
        tags,
        summary:
          'The level above decides an appeal (Update decideAppeal): upheld (the level is kept) or changed with the new level, with a decision number; recorded, audited, the person notified. The frozen ranking entry is never rewritten. 409 RANKING_APPEAL_DECIDED',
        middleware: [requires('ranking.appeal.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader, body: jsonBody(DecideBody) },
        responses: { 200: jsonOk(DecideResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const a = await appealById(db, c.req.valid('param').id);
        if (!a) {
          markChecked(c);
          throw appealNotFound();
        }
        const n = (await noticeById(db, a.notice_id))!;
        await check(c, db, await noticeResource(n));
        const b = c.req.valid('json');
        if (a.status === 'decided') {
          if (a.decided_by === me)
            return c.json(
              {
                phase: 'DECIDED' as const,
                outcome: a.outcome!,
                newLevel: a.new_level,
                by: me,
                date: a.decided_on ?? '',
              },
              200,
            );
          throw rule(
            409,
            'RANKING_APPEAL_DECIDED',
            'Đơn kiến nghị đã được giải quyết.',
            'The appeal has already been decided.',
          );
        }
        if (b.outcome === 'changed' && !b.newLevel)
          throw rule(
            422,
            'RANKING_APPEAL_LEVEL_REQUIRED',
            'Khi thay đổi kết quả, cần nêu mức xếp loại mới.',
            'A changed outcome needs the new level.',
          );
        if (!a.workflow_id)
          throw rule(
            409,
            'RANKING_APPEAL_NOT_STARTED',
            'Quy trình giải quyết kiến nghị chưa được khởi động.',
            'The appeal workflow has not been started.',
          );
        const wid = a.workflow_id;
        const updateId = updateIdOf(c.req.header('idempotency-key'), `${wid}:decide:${me}`);
        const r = await withTemporal(
          deps.temporal,
          (client) =>
            client.workflow.getHandle(wid).executeUpdate(decideAppeal, {
              args: [
                {
                  by: me,
                  outcome: b.outcome,
                  ...(b.outcome === 'changed' && b.newLevel ? { newLevel: b.newLevel } : {}),
                  decisionNumber: b.decisionNumber,
                  ...(b.note ? { note: b.note } : {}),
                },
              ],
              updateId,
            }),
          deps.rankings?.updateDeadlineMs,
        );
        return c.json(r, 200);
      },
    );
}
