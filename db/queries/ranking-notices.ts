// The notice of a published ranking to each ranked person and the appeal against it (issue 8 point 4):
// - issueRankingNotices: on publication every frozen entry gets one notice (idempotent: unique per ranking,
//   person and track) with the appeal window's last day — `appealWorkingDays` working days after the notice
//   (the province's calendar profile deadline settings, default 10; the administrator changes it through the
//   audited calendar-profile route) — plus the in-app notification and the e-mail through the outbox.
// - fileAppeal: the subject, within the window (a late appeal is refused: RANKING_APPEAL_LATE); one per notice.
// - decideAppeal (the appeal workflow's activity): the level above records 'upheld' or 'changed' with a decision
//   number; the frozen ranking entry is never rewritten — the appeal row carries the new level.
// Every change is one transaction with its audit entry.

import { notifyInTransaction } from '../../activities/notifications.ts';
import { workingCalendar } from '../../domain/calendar/working-days.ts';
import type { RankLevel } from '../../domain/rulesets/types.ts';
import { RANK_LABELS, RANK_LEVELS } from '../../domain/rulesets/types.ts';
import { appendAudit } from '../audit/index.ts';
import { DbRuleError } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import type {
  AppealOutcome,
  RankingAppealRow,
  RankingKind,
  RankingNoticeRow,
  RankingTrack,
} from '../schema-ranking-notices.ts';
import '../schema-ranking-notices.ts';
import '../schema-rankings.ts';
import { calendarProfileOfProvince } from './calendar.ts';

/** Working days of the appeal window when the province sets none. */
export const DEFAULT_APPEAL_WORKING_DAYS = 10;

/** One ranked person of a ranking, as the notice needs it (the province ranking passes its own). */
export interface NoticeEntry {
  subjectId: string;
  track: RankingTrack;
  level: RankLevel;
  score: string | null;
  unitId: string;
}

const ruleError = (code: string, status: number, vi: string, en: string) =>
  new DbRuleError({ code, status, messageVi: vi, messageEn: en, sqlState: 'P0001' });

export const noticeNotFound = () =>
  ruleError(
    'RANKING_NOTICE_NOT_FOUND',
    404,
    'Không tìm thấy thông báo xếp loại.',
    'Ranking notice not found.',
  );
export const appealNotFound = () =>
  ruleError('RANKING_APPEAL_NOT_FOUND', 404, 'Không tìm thấy đơn kiến nghị.', 'Appeal not found.');
export const appealLate = (until: string) =>
  ruleError(
    'RANKING_APPEAL_LATE',
    409,
    `Đã hết thời hạn kiến nghị về kết quả xếp loại (hạn cuối ${dmy(until)}).`,
    `The appeal window is over (the last day was ${until}).`,
  );
export const appealNotSubject = () =>
  ruleError(
    'RANKING_APPEAL_NOT_SUBJECT',
    403,
    'Chỉ người được xếp loại mới được kiến nghị về kết quả của mình.',
    'Only the ranked person may appeal their own result.',
  );
export const appealDecided = () =>
  ruleError(
    'RANKING_APPEAL_DECIDED',
    409,
    'Đơn kiến nghị đã được giải quyết.',
    'The appeal has already been decided.',
  );

export const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** The province's appeal window in working days (calendar profile deadline settings `appealWorkingDays`). */
export async function appealWindowOf(
  executor: Executor,
  provinceId: string,
): Promise<{ workingDays: number; profile: Awaited<ReturnType<typeof calendarProfileOfProvince>> }> {
  const stored = await calendarProfileOfProvince(executor, provinceId);
  const s = stored?.deadlineSettings as Record<string, unknown> | null | undefined;
  const n = s && typeof s === 'object' ? s.appealWorkingDays : undefined;
  const workingDays =
    typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 60 ? n : DEFAULT_APPEAL_WORKING_DAYS;
  return { workingDays, profile: stored };
}

/** The last day of the window: `workingDays` working days after the notice (calendar days without a profile). */
export async function appealUntilOf(
  executor: Executor,
  provinceId: string,
  issuedOn: string,
): Promise<string> {
  const { workingDays, profile } = await appealWindowOf(executor, provinceId);
  if (profile) return workingCalendar(profile.profile).addWorkingDays(issuedOn, workingDays);
  const d = new Date(`${issuedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.ceil((workingDays * 7) / 5));
  return d.toISOString().slice(0, 10);
}

async function unitEntries(executor: Executor, rankingId: string): Promise<NoticeEntry[]> {
  const rows = await executor
    .selectFrom('unit_ranking_entry as e')
    .innerJoin('unit_ranking as r', 'r.id', 'e.ranking_id')
    .selectAll('e')
    .select(['r.unit_id as rankingUnitId'])
    .where('e.ranking_id', '=', rankingId)
    .where('e.level', 'is not', null)
    .where('e.frozen', 'is not', null)
    .execute();
  return rows.map((e) => ({
    subjectId: e.person_id,
    // the Party track, when the ranking has one (a column of another helper's migration)
    track: ((e as unknown as { track?: RankingTrack }).track ?? 'state') as RankingTrack,
    level: e.level as RankLevel,
    score: e.score,
    unitId: e.rankingUnitId,
  }));
}

/**
 * One notice per frozen entry of a published ranking, with the in-app notification and the e-mail (outbox)
 * to the person; idempotent (a repeat issues nothing). Answers how many notices were new.
 */
export async function issueRankingNotices(
  executor: Executor,
  a: {
    rankingKind: RankingKind;
    rankingId: string;
    issuedOn: string;
    entries?: NoticeEntry[];
    /** The ranking's year and province (read from the unit ranking when absent). */
    year?: number;
    provinceId?: string;
  },
): Promise<number> {
  return inTransaction(executor, async (trx) => {
    let { year, provinceId } = a;
    let entries = a.entries;
    if (a.rankingKind === 'unit') {
      const r = await trx
        .selectFrom('unit_ranking as r')
        .innerJoin('org_unit as u', 'u.id', 'r.unit_id')
        .select(['r.year', 'u.province_id', 'r.status'])
        .where('r.id', '=', a.rankingId)
        .executeTakeFirst();
      if (!r) return 0;
      year ??= r.year;
      provinceId ??= r.province_id ?? undefined;
      entries ??= await unitEntries(trx, a.rankingId);
    }
    if (year === undefined || !provinceId || !entries)
      throw new RangeError('issueRankingNotices: year/province');
    const until = await appealUntilOf(trx, provinceId, a.issuedOn);
    let created = 0;
    for (const e of entries) {
      const row = await trx
        .insertInto('ranking_notice')
        .values({
          ranking_kind: a.rankingKind,
          ranking_id: a.rankingId,
          subject_id: e.subjectId,
          track: e.track,
          unit_id: e.unitId,
          province_id: provinceId,
          year,
          level: e.level,
          score: e.score,
          issued_on: a.issuedOn,
          appeal_until: until,
        })
        .onConflict((oc) => oc.columns(['ranking_kind', 'ranking_id', 'subject_id', 'track']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) continue;
      created++;
      await appendAudit(trx, {
        aggregateType: 'ranking_notice',
        aggregateId: row.id,
        actor: 'system:ranking-notice',
        action: 'ranking.notice.issued',
        after: {
          rankingKind: a.rankingKind,
          rankingId: a.rankingId,
          subjectId: e.subjectId,
          track: e.track,
          level: e.level,
          appealUntil: until,
        },
      });
      const label = RANK_LABELS[e.level];
      const party =
        e.track === 'party' ? { vi: ' (xếp loại đảng viên)', en: ' (Party ranking)' } : { vi: '', en: '' };
      await notifyInTransaction(trx, {
        key: `ranking-notice:${row.id}`,
        recipients: [{ personId: e.subjectId }],
        kind: 'ranking.notice',
        titleVi: `Thông báo kết quả xếp loại năm ${year}${party.vi}: ${label.vi}`,
        titleEn: `Ranking notice ${year}${party.en}: ${label.en}`,
        bodyVi: `Kết quả xếp loại chất lượng năm ${year}${party.vi} của bạn: ${label.vi}${e.score ? ` (${e.score.replace('.', ',')} điểm)` : ''}. Bạn có thể kiến nghị đến hết ngày ${dmy(until)}.`,
        bodyEn: `Your ${year} ranking${party.en}: ${label.en}${e.score ? ` (${e.score} points)` : ''}. You may appeal until ${until}.`,
        link: `/evaluation/notice?year=${year}`,
        logicalDate: a.issuedOn,
      });
    }
    return created;
  });
}

export function noticeById(executor: Executor, id: string): Promise<RankingNoticeRow | undefined> {
  return executor.selectFrom('ranking_notice').selectAll().where('id', '=', id).executeTakeFirst();
}

export function appealById(executor: Executor, id: string): Promise<RankingAppealRow | undefined> {
  return executor.selectFrom('ranking_appeal').selectAll().where('id', '=', id).executeTakeFirst();
}

export function appealOfNotice(executor: Executor, noticeId: string): Promise<RankingAppealRow | undefined> {
  return executor
    .selectFrom('ranking_appeal')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .executeTakeFirst();
}

/** A person's notices of a year, with the appeal when filed. */
export async function noticesOf(executor: Executor, a: { personId: string; year: number }) {
  const rows = await executor
    .selectFrom('ranking_notice as n')
    .innerJoin('org_unit as u', 'u.id', 'n.unit_id')
    .leftJoin('ranking_appeal as a', 'a.notice_id', 'n.id')
    .selectAll('n')
    .select([
      'u.name_vi as unit_name',
      'a.id as appeal_id',
      'a.status as appeal_status',
      'a.reason as appeal_reason',
      'a.filed_on as appeal_filed_on',
      'a.outcome as appeal_outcome',
      'a.new_level as appeal_new_level',
      'a.decision_number as appeal_decision_number',
      'a.decided_on as appeal_decided_on',
      'a.note as appeal_note',
    ])
    .where('n.subject_id', '=', a.personId)
    .where('n.year', '=', a.year)
    .orderBy('n.ranking_kind')
    .orderBy('n.track', 'desc')
    .execute();
  return rows;
}

/** The appeals of a province's notices (the deciding level's queue), newest first. */
export function appealsOfProvince(executor: Executor, a: { provinceId: string; year?: number }) {
  let q = executor
    .selectFrom('ranking_appeal as a')
    .innerJoin('ranking_notice as n', 'n.id', 'a.notice_id')
    .innerJoin('person as p', 'p.id', 'n.subject_id')
    .innerJoin('org_unit as u', 'u.id', 'n.unit_id')
    .selectAll('a')
    .select([
      'n.ranking_kind',
      'n.ranking_id',
      'n.subject_id',
      'n.track',
      'n.year',
      'n.level',
      'n.score',
      'n.issued_on',
      'n.appeal_until',
      'n.unit_id',
      'n.province_id',
      'p.full_name as subject_name',
      'u.name_vi as unit_name',
    ])
    .where('n.province_id', '=', a.provinceId);
  if (a.year !== undefined) q = q.where('n.year', '=', a.year);
  return q.orderBy('a.created_at', 'desc').execute();
}

/** The subject files an appeal within the window (idempotent: the same person's repeat answers the row). */
export async function fileAppeal(
  executor: Executor,
  a: { noticeId: string; by: string; reason: string; filedOn: string },
): Promise<{ appeal: RankingAppealRow; notice: RankingNoticeRow; created: boolean }> {
  return inTransaction(executor, async (trx) => {
    const notice = await trx
      .selectFrom('ranking_notice')
      .selectAll()
      .where('id', '=', a.noticeId)
      .forUpdate()
      .executeTakeFirst();
    if (!notice) throw noticeNotFound();
    if (notice.subject_id !== a.by) throw appealNotSubject();
    const existing = await appealOfNotice(trx, notice.id);
    if (existing) return { appeal: existing, notice, created: false };
    if (a.filedOn > notice.appeal_until) throw appealLate(notice.appeal_until);
    const appeal = await trx
      .insertInto('ranking_appeal')
      .values({ notice_id: notice.id, filed_by: a.by, reason: a.reason.trim(), filed_on: a.filedOn })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'ranking_notice',
      aggregateId: notice.id,
      actor: a.by,
      action: 'ranking.appeal.filed',
      after: { appealId: appeal.id, filedOn: a.filedOn, reason: appeal.reason },
    });
    return { appeal, notice, created: true };
  });
}

export async function setAppealWorkflow(executor: Executor, appealId: string, workflowId: string) {
  await executor
    .updateTable('ranking_appeal')
    .set({ workflow_id: workflowId })
    .where('id', '=', appealId)
    .execute();
}

/** The level above decides (the appeal workflow's activity); idempotent for the same decider. */
export async function decideAppeal(
  executor: Executor,
  a: {
    appealId: string;
    by: string;
    outcome: AppealOutcome;
    newLevel?: RankLevel | null;
    decisionNumber: string;
    note?: string | null;
    decidedOn: string;
  },
): Promise<{ appeal: RankingAppealRow; applied: boolean }> {
  return inTransaction(executor, async (trx) => {
    const row = await trx
      .selectFrom('ranking_appeal')
      .selectAll()
      .where('id', '=', a.appealId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw appealNotFound();
    if (row.status === 'decided') {
      if (row.decided_by === a.by) return { appeal: row, applied: false };
      throw appealDecided();
    }
    if (a.outcome === 'changed' && (!a.newLevel || !RANK_LEVELS.includes(a.newLevel)))
      throw ruleError(
        'RANKING_APPEAL_LEVEL_REQUIRED',
        422,
        'Khi thay đổi kết quả, cần nêu mức xếp loại mới.',
        'A changed outcome needs the new level.',
      );
    const notice = (await noticeById(trx, row.notice_id))!;
    if (a.outcome === 'changed' && a.newLevel === notice.level)
      throw ruleError(
        'RANKING_APPEAL_LEVEL_UNCHANGED',
        422,
        'Mức xếp loại mới trùng với mức đã xếp; hãy chọn "Giữ nguyên".',
        'The new level equals the ranked one; choose "upheld".',
      );
    const after = await trx
      .updateTable('ranking_appeal')
      .set({
        status: 'decided',
        decided_by: a.by,
        decision_number: a.decisionNumber.trim(),
        decided_on: a.decidedOn,
        outcome: a.outcome,
        new_level: a.outcome === 'changed' ? (a.newLevel ?? null) : null,
        note: a.note?.trim() || null,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      aggregateType: 'ranking_notice',
      aggregateId: row.notice_id,
      actor: a.by,
      action: 'ranking.appeal.decided',
      before: { appealId: row.id, status: 'filed', level: notice.level },
      after: {
        appealId: row.id,
        status: 'decided',
        outcome: after.outcome,
        newLevel: after.new_level,
        decisionNumber: after.decision_number,
        decidedOn: after.decided_on,
      },
    });
    const kept = RANK_LABELS[notice.level];
    const level = after.new_level ? RANK_LABELS[after.new_level] : kept;
    await notifyInTransaction(trx, {
      key: `ranking-appeal-decided:${row.id}`,
      recipients: [{ personId: notice.subject_id }],
      kind: 'ranking.appeal.decided',
      titleVi:
        after.outcome === 'changed'
          ? `Kiến nghị xếp loại năm ${notice.year} được chấp nhận: ${level.vi}`
          : `Kiến nghị xếp loại năm ${notice.year}: giữ nguyên ${kept.vi}`,
      titleEn:
        after.outcome === 'changed'
          ? `Ranking appeal ${notice.year} granted: ${level.en}`
          : `Ranking appeal ${notice.year}: ${kept.en} upheld`,
      bodyVi: `Quyết định số ${after.decision_number} ngày ${dmy(a.decidedOn)}: ${after.outcome === 'changed' ? `xếp loại thay đổi thành ${level.vi}` : `giữ nguyên mức ${kept.vi}`}.`,
      bodyEn: `Decision ${after.decision_number} of ${a.decidedOn}: ${after.outcome === 'changed' ? `the level is changed to ${level.en}` : `${kept.en} is upheld`}.`,
      link: `/evaluation/notice?year=${notice.year}`,
      logicalDate: a.decidedOn,
    });
    return { appeal: after, applied: true };
  });
}

/** The decided appeals of rankings: key `${rankingId}:${subjectId}:${track}` → the level after the appeal. */
export async function appealOutcomesOf(
  executor: Executor,
  a: { rankingKind: RankingKind; rankingIds: string[] },
): Promise<Map<string, { level: RankLevel; decisionNumber: string | null }>> {
  const out = new Map<string, { level: RankLevel; decisionNumber: string | null }>();
  if (a.rankingIds.length === 0) return out;
  const rows = await executor
    .selectFrom('ranking_appeal as a')
    .innerJoin('ranking_notice as n', 'n.id', 'a.notice_id')
    .select([
      'n.ranking_id',
      'n.subject_id',
      'n.track',
      'n.level',
      'a.new_level',
      'a.outcome',
      'a.decision_number',
    ])
    .where('n.ranking_kind', '=', a.rankingKind)
    .where('n.ranking_id', 'in', a.rankingIds)
    .where('a.status', '=', 'decided')
    .execute();
  for (const r of rows)
    out.set(`${r.ranking_id}:${r.subject_id}:${r.track}`, {
      level: r.outcome === 'changed' && r.new_level ? r.new_level : r.level,
      decisionNumber: r.decision_number,
    });
  return out;
}
