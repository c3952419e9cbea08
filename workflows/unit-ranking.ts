// The ranking of a unit's people for a year (issue 8 points 2–3, RULES.md): one small workflow per top unit and
// year (id ranking:<year>:unit:<unitId>). It opens the unit head's 'year-end.ranking' task due on the plan-year
// calendar's `year-end.ranking` deadline (before 15/12) with the ladder's reminders and escalations (to the
// province's secretariat, then to the standing committee) while the ranking is missing, and takes the process
// transitions as Updates, each validated here and written by an activity (activities/unit-ranking.ts):
// decideRanking (the head freezes the draft at the revision seen), requestQuotaException (opens the committee's
// 'year-end.quota-exception' task), decideQuotaException (the committee approves with a decision number, or
// rejects) and publishRanking (refused while over quota without an approved exception). Drafting is content
// (the API recomputes the draft), never a message here. The run ends once published.
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import { checkActing, humanSteps, individualRungs, principal, type StepItem } from './human-steps.ts';
import { virtualNow } from './plan-time.ts';
import {
  decideQuotaException,
  decideRanking,
  getRankingState,
  publishRanking,
  type RankingPhase,
  type RankingUpdateResult,
  type RankingView,
  requestQuotaException,
  type UnitRankingInput,
} from './unit-ranking.messages.ts';

export * from './unit-ranking.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

type RankingItemKind = 'decide' | 'exception';
type Item = StepItem<RankingItemKind>;

const SYSTEM = 'system:unit-ranking';
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export async function unitRankingWorkflow(input: UnitRankingInput): Promise<RankingView> {
  const warp = input.timeWarp;
  const today = () => vnLocalDate(virtualNow(warp));
  const cal = workingCalendar(input.profile);
  let phase: RankingPhase = 'DRAFT';
  let publicationBlocked = false;
  let over = 0;
  const pending: string[] = [];
  const misses: { step: string; role: string; date: LocalDate }[] = [];
  const seenUpdates: [string, RankingUpdateResult][] = [];
  let busy = false;
  const link = `/evaluation/ranking/${input.unitId}/${input.year}`;
  const unit = input.unitName ? ` — ${input.unitName}` : '';

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: Item,
  ): NotifyInput => {
    const due = dmy(item.dueDate);
    const what =
      item.kind === 'decide'
        ? { vi: `Xếp loại năm ${input.year}${unit}`, en: `Ranking ${input.year}${unit}` }
        : {
            vi: `Đề nghị ngoại lệ tỷ lệ năm ${input.year}${unit}`,
            en: `Quota exception ${input.year}${unit}`,
          };
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: ${what.vi} — hạn ${due}`,
      titleEn: `${title.en}: ${what.en} — due ${due}`,
      bodyVi: `${what.vi}: hạn ${due}.`,
      bodyEn: `${what.en}: due ${due}.`,
      link,
      logicalDate: item.dueDate,
    };
  };

  const steps = humanSteps<RankingItemKind, RankingUpdateResult>({
    acts,
    system: SYSTEM,
    subject: { type: 'unit_ranking', id: input.rankingId },
    notifyPrefix: 'ranking',
    kinds: {
      decide: { task: 'year-end.ranking', update: 'decideRanking' },
      exception: { task: 'year-end.quota-exception', update: 'decideQuotaException' },
    },
    rungs: (item) =>
      individualRungs(
        input.profile,
        item.dueDate,
        input.ladder,
        item.kind === 'decide' ? 'ladder' : 'reminders',
      ),
    message,
    details: () => ({ year: input.year, unitId: input.unitId }),
    parties: {
      person: input.parties.head,
      supervisor: input.parties.secretariat,
      unitHead: input.parties.committee,
    },
    profile: input.profile,
    forwardWorkingDays: 2,
    misses,
    seenUpdates,
    timeWarp: warp,
  });

  const view = (): RankingView => ({
    phase,
    publicationBlocked,
    over,
    pendingExceptions: [...pending],
    items: steps.items.map((i) => ({ taskId: i.taskId, kind: i.kind, dueDate: i.dueDate })),
  });
  setHandler(getRankingState, view);

  const result = (extra: Partial<RankingUpdateResult> = {}): RankingUpdateResult => ({
    phase,
    publicationBlocked,
    over,
    date: today(),
    ...extra,
  });
  const isHead = (a: { by: string; onBehalfOf?: string }) => {
    const head = input.parties.head.personId;
    return head === undefined || principal(a) === head;
  };
  const guarded = async (fn: () => Promise<RankingUpdateResult>) => {
    const prior = steps.seen();
    if (prior) return prior[1];
    busy = true;
    try {
      return await steps.reply(await fn());
    } finally {
      busy = false;
    }
  };
  const common = (a: { by: string; onBehalfOf?: string }) => {
    checkActing(a);
    if (busy) throw new Error('Đang xử lý một thao tác khác trên bảng xếp loại');
  };

  setHandler(
    decideRanking,
    (a) =>
      guarded(async () => {
        const r = await acts.decideUnitRanking({
          rankingId: input.rankingId,
          by: principal(a),
          revision: a.revision,
          decidedOn: today(),
        });
        phase = 'DECIDED';
        publicationBlocked = r.publicationBlocked;
        over = r.over;
        const item = steps.findItem('decide');
        if (item) steps.closeItem(item, 'done', a.by, a);
        return result();
      }),
    {
      validator: (a) => {
        if (steps.seen()) return;
        common(a);
        if (!isHead(a)) throw new Error('Chỉ người đứng đầu đơn vị quyết định xếp loại');
        if (phase !== 'DRAFT') throw new Error('Bảng xếp loại đã được quyết định');
        if (!Number.isInteger(a.revision) || a.revision < 0)
          throw new Error('Phiên bản không hợp lệ (revision)');
      },
    },
  );

  setHandler(
    requestQuotaException,
    (a) =>
      guarded(async () => {
        const r = await acts.requestRankingException({
          rankingId: input.rankingId,
          exceptionId: a.exceptionId,
          by: principal(a),
          agencyId: a.agencyId,
          dutyGroup: a.dutyGroup,
          extraPlaces: a.extraPlaces,
          justification: a.justification,
          // the activity's input only (no command changes); absent for the state quota as before
          ...(a.track === 'party' ? { track: 'party' as const } : {}),
        });
        pending.push(r.exceptionId);
        steps.openItem(
          'exception',
          `exception:${r.exceptionId}`,
          input.parties.committee,
          'unit-head',
          cal.addWorkingDays(today(), input.exceptionWorkingDays ?? 3),
          a.by,
        );
        return result({ exceptionId: r.exceptionId, exceptionStatus: 'requested' });
      }),
    {
      validator: (a) => {
        if (steps.seen()) return;
        common(a);
        if (!isHead(a)) throw new Error('Chỉ người đứng đầu đơn vị đề nghị ngoại lệ');
        if (phase === 'PUBLISHED') throw new Error('Bảng xếp loại đã được công bố');
        if (typeof a.exceptionId !== 'string' || a.exceptionId === '') throw new Error('Thiếu mã đề nghị');
        if (pending.includes(a.exceptionId)) throw new Error('Đề nghị này đã được gửi');
        if (a.track !== undefined && a.track !== 'state' && a.track !== 'party')
          throw new Error('Loại xếp loại không hợp lệ (track)');
        if (!Number.isInteger(a.extraPlaces) || a.extraPlaces < 1)
          throw new Error('Số suất thêm không hợp lệ');
        if (typeof a.justification !== 'string' || a.justification.trim() === '')
          throw new Error('Đề nghị ngoại lệ cần có lý do');
      },
    },
  );

  setHandler(
    decideQuotaException,
    (a) =>
      guarded(async () => {
        const r = await acts.decideRankingException({
          exceptionId: a.exceptionId,
          by: principal(a),
          approve: a.approve,
          decisionNumber: a.decisionNumber?.trim() || null,
          decidedOn: today(),
        });
        pending.splice(pending.indexOf(a.exceptionId), 1);
        publicationBlocked = r.publicationBlocked;
        over = r.over;
        const item = steps.items.find((i) => i.step === `exception:${a.exceptionId}`);
        if (item) steps.closeItem(item, 'done', a.by, a);
        return result({ exceptionId: a.exceptionId, exceptionStatus: r.status });
      }),
    {
      validator: (a) => {
        if (steps.seen()) return;
        common(a);
        if (!pending.includes(a.exceptionId))
          throw new Error('Không có đề nghị ngoại lệ đang chờ với mã này');
        if (input.parties.head.personId !== undefined && principal(a) === input.parties.head.personId)
          throw new Error('Không được tự phê duyệt đề nghị của mình');
        if (a.approve && !a.decisionNumber?.trim()) throw new Error('Phê duyệt cần có số quyết định');
      },
    },
  );

  setHandler(
    publishRanking,
    (a) =>
      guarded(async () => {
        await acts.publishUnitRanking({ rankingId: input.rankingId, by: principal(a), publishedOn: today() });
        phase = 'PUBLISHED';
        for (const item of [...steps.items])
          steps.closeItem(item, 'cancelled', SYSTEM, undefined, 'published');
        steps.push({
          t: 'notify',
          input: {
            key: `${steps.workflowId}:published`,
            recipients: [input.parties.secretariat],
            kind: 'ranking.published',
            titleVi: `Đã công bố xếp loại năm ${input.year}${unit}`,
            titleEn: `Ranking ${input.year}${unit} published`,
            bodyVi: `Kết quả xếp loại năm ${input.year}${unit} đã được công bố.`,
            bodyEn: `The ranking ${input.year}${unit} has been published.`,
            link,
            logicalDate: today(),
          },
        });
        return result();
      }),
    {
      validator: (a) => {
        if (steps.seen()) return;
        common(a);
        if (!isHead(a)) throw new Error('Chỉ người đứng đầu đơn vị công bố xếp loại');
        if (phase === 'PUBLISHED') throw new Error('Bảng xếp loại đã được công bố');
        if (phase !== 'DECIDED') throw new Error('Bảng xếp loại chưa được quyết định');
        if (publicationBlocked)
          throw new Error(
            `Vượt ${over} chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ" mà chưa có ngoại lệ được phê duyệt: chưa thể công bố`,
          );
      },
    },
  );

  steps.openItem('decide', 'decide', input.parties.head, 'person', input.deadline, SYSTEM);
  await steps.run({ done: () => phase === 'PUBLISHED' });
  return view();
}
