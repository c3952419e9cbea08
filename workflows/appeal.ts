// The appeal against a ranking notice (issue 8 point 4, DESIGN §3): the person filed it within the window (the
// API wrote the row and started this workflow); it opens the deciding level's 'year-end.appeal' task (the
// province's organisation department for a unit ranking, its standing committee for the province ranking) due
// `decisionWorkingDays` working days after the filing, on the individual ladder (reminders, overdue reminders,
// escalations to the standing committee); the Update decideAppeal records the decision (upheld / changed with
// the new level and a decision number) through an idempotent activity that audits it and notifies the person,
// closes the task and ends. The item, its rungs, the effect queue and the main loop are workflows/human-steps.ts's.
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import { RANK_LEVELS } from '../domain/rulesets/types.ts';
import {
  type AppealInput,
  type AppealPhase,
  type AppealUpdateResult,
  type AppealView,
  decideAppeal,
  getAppealState,
} from './appeal.messages.ts';
import { checkActing, humanSteps, individualRungs, principal, type StepItem } from './human-steps.ts';
import { virtualNow } from './plan-time.ts';

export * from './appeal.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

type Kind = 'decide';
const SYSTEM = 'system:appeal';
const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export async function appealWorkflow(input: AppealInput): Promise<AppealView> {
  const warp = input.timeWarp;
  const today = () => vnLocalDate(virtualNow(warp));
  const cal = workingCalendar(input.profile);
  const dueDate = cal.addWorkingDays(input.filedOn, input.decisionWorkingDays ?? 10);
  const who = input.subjectName ? ` — ${input.subjectName}` : '';
  let phase: AppealPhase = 'OPEN';
  let busy = false;
  let result: AppealUpdateResult | null = null;
  const seenUpdates: [string, AppealUpdateResult][] = [];

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: StepItem<Kind>,
    extra?: { vi?: string; en?: string },
  ): NotifyInput => {
    const due = dmy(item.dueDate);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Giải quyết kiến nghị về kết quả xếp loại năm ${input.year}${who} — hạn ${due}`,
      titleEn: `${title.en}: Decide the ranking appeal ${input.year}${who} — due ${due}`,
      bodyVi: `Giải quyết kiến nghị về kết quả xếp loại năm ${input.year}${who}: hạn ${due}.${extra?.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `Decide the ranking appeal ${input.year}${who}: due ${due}.${extra?.en ? ` ${extra.en}` : ''}`,
      link: `/evaluation/appeals?year=${input.year}`,
      logicalDate: item.dueDate,
    };
  };

  const steps = humanSteps<Kind, AppealUpdateResult>({
    acts,
    system: SYSTEM,
    subject: { type: 'ranking_appeal', id: input.appealId },
    notifyPrefix: 'appeal',
    kinds: { decide: { task: 'year-end.appeal', update: 'decideAppeal' } },
    rungs: (item) => individualRungs(input.profile, item.dueDate, input.ladder, 'ladder'),
    message,
    details: () => ({ year: input.year, appealId: input.appealId, noticeId: input.noticeId }),
    parties: {
      person: input.parties.decider,
      supervisor: input.parties.escalation,
      unitHead: input.parties.escalation,
    },
    profile: input.profile,
    forwardWorkingDays: 2,
    misses: [],
    seenUpdates,
    timeWarp: warp,
  });

  const view = (): AppealView => ({
    phase,
    dueDate,
    items: steps.items.map((i) => ({ taskId: i.taskId, dueDate: i.dueDate, escalation: i.escalation })),
    result,
  });
  setHandler(getAppealState, view);

  setHandler(
    decideAppeal,
    async (a) => {
      const prior = steps.seen();
      if (prior) return prior[1];
      busy = true;
      try {
        const r = await acts.decideRankingAppeal({
          appealId: input.appealId,
          by: principal(a),
          outcome: a.outcome,
          ...(a.newLevel ? { newLevel: a.newLevel } : {}),
          decisionNumber: a.decisionNumber,
          ...(a.note ? { note: a.note } : {}),
          decidedOn: today(),
        });
        for (const item of steps.items) steps.closeItem(item, 'done', a.by, a);
        phase = 'DECIDED';
        result = { phase, outcome: r.outcome, newLevel: r.newLevel, by: principal(a), date: today() };
        return await steps.reply(result);
      } finally {
        busy = false;
      }
    },
    {
      validator: (a) => {
        if (steps.seen()) return;
        checkActing(a);
        if (busy) throw new Error('Đang xử lý một thao tác khác trên đơn kiến nghị');
        if (phase !== 'OPEN') throw new Error('Đơn kiến nghị đã được giải quyết');
        if (principal(a) === input.subjectId || a.by === input.subjectId)
          throw new Error('Người kiến nghị không được tự giải quyết kiến nghị của mình');
        if (a.outcome !== 'upheld' && a.outcome !== 'changed')
          throw new Error('Kết quả giải quyết không hợp lệ (outcome)');
        if (a.outcome === 'changed') {
          if (!a.newLevel || !RANK_LEVELS.includes(a.newLevel))
            throw new Error('Khi thay đổi kết quả, cần nêu mức xếp loại mới');
          if (a.newLevel === input.level)
            throw new Error('Mức xếp loại mới trùng với mức đã xếp; hãy chọn "Giữ nguyên"');
        }
        if (
          typeof a.decisionNumber !== 'string' ||
          a.decisionNumber.trim() === '' ||
          a.decisionNumber.length > 100
        )
          throw new Error('Cần có số quyết định giải quyết kiến nghị (1–100 ký tự)');
        if (a.note !== undefined && (typeof a.note !== 'string' || a.note.length > 4000))
          throw new Error('Ghi chú không hợp lệ (tối đa 4.000 ký tự)');
      },
    },
  );

  steps.openItem('decide', 'decide', input.parties.decider, 'person', dueDate, SYSTEM);
  await steps.run({ done: () => phase === 'DECIDED' });
  return view();
}
