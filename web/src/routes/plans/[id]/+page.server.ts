// A plan: the editor of a draft (content path: save as a new version, submit it) and, for the
// secretariat and the standing committee, the approval screen (appraise; approve or return with comments
// on items), with the pre-check findings inline and the diff against the previous version.
import { type RequestEvent, redirect } from '@sveltejs/kit';
import { applyForm, type PlanContent, type PlanDetail } from '#lib/components/plan/content.ts';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { hasRole } from '#lib/session.ts';
import { renderFinding } from '../../../../../domain/plan/prechecks.ts';
import { suggestMetrics } from '../../../../../domain/plan/templates/suggest.ts';
import type { Actions, PageServerLoad } from './$types';

interface Diff {
  from: number;
  to: number;
  tasks: Record<'added' | 'removed' | 'changed', DiffItem[]>;
  keyResults: Record<'added' | 'removed' | 'changed', DiffItem[]>;
}
interface DiffItem {
  id: string;
  title: string;
  changes: { field: string; from: unknown; to: unknown }[];
}
interface Comment {
  itemId?: string;
  text: string;
}

const planPath = (id: string) => `/api/plans/${encodeURIComponent(id)}`;
const locale = () => (getLocale() === 'en' ? 'en' : 'vi');

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const plan = await apiGet<PlanDetail>(event, planPath(event.params.id));
  const findings: Record<string, { severity: string; text: string }[]> = {};
  for (const f of plan.prechecks.findings) {
    const key = f.targetKind === 'plan' ? '' : f.target;
    findings[key] = [
      ...(findings[key] ?? []),
      { severity: f.severity, text: renderFinding(f as never, locale()) },
    ];
  }
  let diff: Diff | null = null;
  const n = plan.version.number;
  if (n > 1) {
    const r = await api<Diff>(event, 'GET', `${planPath(plan.id)}/diff?from=${n - 1}&to=${n}`);
    if (r.ok) diff = r.data;
  }
  // The comments of a return, from the drafter's open revise task.
  let comments: Comment[] = [];
  if (plan.editable) {
    const r = await api<{ items: { subjectId: string; details: { comments?: Comment[] } | null }[] }>(
      event,
      'GET',
      '/api/inbox?kind=plan.revise&status=open&limit=50',
    );
    if (r.ok)
      comments = r.data.items
        .filter((t) => t.subjectId === plan.id)
        .flatMap((t) => t.details?.comments ?? []);
  }
  const s = event.locals.session;
  return {
    plan,
    findings,
    diff,
    comments,
    can: {
      edit: plan.editable,
      appraise: plan.status === 'SUBMITTED' && hasRole(s, 'secretariat'),
      decide: plan.status === 'APPRAISED' && hasRole(s, 'standing_committee'),
    },
    saved: event.url.searchParams.get('saved'),
    done: event.url.searchParams.get('done'),
  };
};

async function current(event: RequestEvent<{ id: string }>, base: number) {
  return apiGet<{ content: PlanContent }>(event, `${planPath(event.params.id)}/versions/${base}`);
}

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const base = Number(field(form, 'baseVersion'));
    if (!Number.isInteger(base) || base < 1) return failText(m.plan_unchanged());
    const { content } = await current(event, base);
    const next = applyForm(content, form);
    const r = await api<{ version: { number: number }; unchanged: boolean }>(
      event,
      'PUT',
      `${planPath(event.params.id)}/draft`,
      {
        baseVersion: base,
        content: {
          sections: next.sections,
          tasks: next.tasks,
          ...(next.perspectiveWeights ? { perspectiveWeights: next.perspectiveWeights } : {}),
        },
      },
    );
    if (!r.ok) return failWith(r.problem);
    redirect(
      303,
      `/plans/${encodeURIComponent(event.params.id)}?saved=${r.data.unchanged ? 'same' : r.data.version.number}`,
    );
  },
  submit: async (event) => {
    const form = await event.request.formData();
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/submit`,
      { versionId: field(form, 'versionId') },
      {},
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/plans/${encodeURIComponent(event.params.id)}?done=submitted`);
  },
  suggest: async (event) => {
    const form = await event.request.formData();
    const title = field(form, 'title').slice(0, 500);
    const en = locale() === 'en';
    return {
      suggestions: suggestMetrics(title, { limit: 4 }).map((s) => ({
        id: s.metric.id,
        title: en ? s.metric.titleEn : s.metric.title,
        unit: s.metric.unit,
      })),
    };
  },
  appraise: async (event) => {
    const form = await event.request.formData();
    const opinion = field(form, 'opinion') === 'concerns' ? 'concerns' : 'endorse';
    const text = field(form, 'comment');
    const r = await api(event, 'POST', `${planPath(event.params.id)}/appraise`, {
      opinion,
      ...(text ? { comments: [{ text }] } : {}),
    });
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/plans/${encodeURIComponent(event.params.id)}?done=appraised`);
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const decision = field(form, 'decision') === 'return' ? 'return' : 'approve';
    const comments: Comment[] = [];
    for (let i = 0; i < 5; i++) {
      const text = field(form, `comment-${i}`);
      const itemId = field(form, `item-${i}`);
      if (text) comments.push({ ...(itemId ? { itemId } : {}), text });
    }
    if (decision === 'return' && !comments.length) return failText(m.plan_return_needs_comment());
    const r = await api(event, 'POST', `${planPath(event.params.id)}/decide`, { decision, comments });
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/plans/${encodeURIComponent(event.params.id)}?done=decided`);
  },
};
