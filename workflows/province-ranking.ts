// The province ranking of its top units (collectives) and their heads for a year (issue 8 points 1–3, RULES.md:
// the heads are ranked by the superior body, the province's standing committee). One small workflow per province
// and year (id ranking:<year>:province:<provinceId>). It opens the committee's 'year-end.province-ranking' task
// due on the plan-year calendar's `year-end.ranking` deadline (before 15/12) with the ladder's reminders and
// escalations (workflows/human-steps.ts; the secretariat is told) while the ranking is missing, and takes the
// process transitions as Updates, each validated here and written by an activity (activities/province-ranking.ts):
// decideProvinceRanking (the committee freezes the draft at the revision seen, optionally recording an approved
// exception to the heads' quota with its decision number and justification) and publishProvinceRanking (refused
// while over quota without an approved exception). Compiling the draft is content (the secretariat through the
// API), never a message here. The run ends once published.
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import { checkActing, humanSteps, individualRungs, principal, type StepItem } from './human-steps.ts';
import { virtualNow } from './plan-time.ts';
import {
  approveProvinceException,
  decideProvinceRanking,
  getProvinceRankingState,
  type ProvinceQuotaException,
  type ProvinceRankingInput,
  type ProvinceRankingUpdateResult,
  type ProvinceRankingView,
  publishProvinceRanking,
  type RankingPhase,
} from './province-ranking.messages.ts';

export * from './province-ranking.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

type Kind = 'decide';

const SYSTEM = 'system:province-ranking';
const checkException = (x: ProvinceQuotaException | undefined) => {
  if (!x || !Number.isInteger(x.places) || x.places < 1 || x.places > 100)
    throw new Error('Số suất thêm không hợp lệ');
  if (typeof x.decisionNumber !== 'string' || x.decisionNumber.trim() === '')
    throw new Error('Ngoại lệ tỷ lệ cần có số quyết định');
  if (typeof x.justification !== 'string' || x.justification.trim() === '')
    throw new Error('Ngoại lệ tỷ lệ cần có lý do');
};
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export async function provinceRankingWorkflow(input: ProvinceRankingInput): Promise<ProvinceRankingView> {
  const warp = input.timeWarp;
  const today = () => vnLocalDate(virtualNow(warp));
  let phase: RankingPhase = 'DRAFT';
  let publicationBlocked = false;
  let over = 0;
  const misses: { step: string; role: string; date: LocalDate }[] = [];
  const seenUpdates: [string, ProvinceRankingUpdateResult][] = [];
  let busy = false;
  const link = `/evaluation/province-ranking/${input.provinceId}/${input.year}`;
  const where = input.provinceName ? ` — ${input.provinceName}` : '';
  const what = {
    vi: `Xếp loại các cơ quan, đơn vị và người đứng đầu năm ${input.year}${where}`,
    en: `Ranking of units and their heads ${input.year}${where}`,
  };

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: StepItem<Kind>,
  ): NotifyInput => {
    const due = dmy(item.dueDate);
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

  const steps = humanSteps<Kind, ProvinceRankingUpdateResult>({
    acts,
    system: SYSTEM,
    subject: { type: 'province_ranking', id: input.rankingId },
    notifyPrefix: 'province-ranking',
    kinds: { decide: { task: 'year-end.province-ranking', update: 'decideProvinceRanking' } },
    rungs: (item) => individualRungs(input.profile, item.dueDate, input.ladder, 'ladder'),
    message,
    details: () => ({ year: input.year, provinceId: input.provinceId }),
    parties: {
      person: input.parties.committee,
      supervisor: input.parties.secretariat,
      unitHead: input.parties.committee,
    },
    profile: input.profile,
    forwardWorkingDays: 2,
    misses,
    seenUpdates,
    timeWarp: warp,
  });

  const view = (): ProvinceRankingView => ({
    phase,
    publicationBlocked,
    over,
    items: steps.items.map((i) => ({ taskId: i.taskId, kind: i.kind, dueDate: i.dueDate })),
  });
  setHandler(getProvinceRankingState, view);

  const result = (): ProvinceRankingUpdateResult => ({ phase, publicationBlocked, over, date: today() });
  const guarded = async (fn: () => Promise<ProvinceRankingUpdateResult>) => {
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
    decideProvinceRanking,
    (a) =>
      guarded(async () => {
        const r = await acts.decideProvinceRankingActivity({
          rankingId: input.rankingId,
          by: principal(a),
          revision: a.revision,
          decidedOn: today(),
          exception: a.exception ?? null,
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
        if (phase !== 'DRAFT') throw new Error('Bảng xếp loại đã được quyết định');
        if (!Number.isInteger(a.revision) || a.revision < 0)
          throw new Error('Phiên bản không hợp lệ (revision)');
        if (a.exception !== undefined) checkException(a.exception);
      },
    },
  );

  setHandler(
    approveProvinceException,
    (a) =>
      guarded(async () => {
        const r = await acts.recordProvinceExceptionActivity({
          rankingId: input.rankingId,
          by: principal(a),
          exception: a.exception,
        });
        publicationBlocked = r.publicationBlocked;
        over = r.over;
        return result();
      }),
    {
      validator: (a) => {
        if (steps.seen()) return;
        common(a);
        if (phase === 'PUBLISHED') throw new Error('Bảng xếp loại đã được công bố');
        if (phase !== 'DECIDED') throw new Error('Bảng xếp loại chưa được quyết định');
        checkException(a.exception);
      },
    },
  );

  setHandler(
    publishProvinceRanking,
    (a) =>
      guarded(async () => {
        await acts.publishProvinceRankingActivity({
          rankingId: input.rankingId,
          by: principal(a),
          publishedOn: today(),
        });
        phase = 'PUBLISHED';
        for (const item of [...steps.items])
          steps.closeItem(item, 'cancelled', SYSTEM, undefined, 'published');
        steps.push({
          t: 'notify',
          input: {
            key: `${steps.workflowId}:published`,
            recipients: [input.parties.secretariat],
            kind: 'ranking.published',
            titleVi: `Đã công bố: ${what.vi}`,
            titleEn: `Published: ${what.en}`,
            bodyVi: `Kết quả ${what.vi.charAt(0).toLowerCase()}${what.vi.slice(1)} đã được công bố.`,
            bodyEn: `The ${what.en.charAt(0).toLowerCase()}${what.en.slice(1)} has been published.`,
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
        if (phase === 'PUBLISHED') throw new Error('Bảng xếp loại đã được công bố');
        if (phase !== 'DECIDED') throw new Error('Bảng xếp loại chưa được quyết định');
        if (publicationBlocked)
          throw new Error(
            `Vượt ${over} chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ" của người đứng đầu mà chưa có ngoại lệ được phê duyệt: chưa thể công bố`,
          );
      },
    },
  );

  steps.openItem('decide', 'decide', input.parties.committee, 'person', input.deadline, SYSTEM);
  await steps.run({ done: () => phase === 'PUBLISHED' });
  return view();
}
