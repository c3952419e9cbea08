// A plan: the editor of a draft (content path: save as a new version, add and remove tasks and key
// results, a key result from a suggested metric, submit) and, for the secretariat and the standing
// committee, the approval screen (appraise; approve or return with comments on items), with the pre-check
// findings inline and the diff against the last submitted version. Every transition form carries an
// Idempotency-Key made once per rendered form, so a double click or a retry is applied once.
import { randomUUID } from 'node:crypto';
import { type RequestEvent, redirect } from '@sveltejs/kit';
import { applyForm, type PlanContent, type PlanDetail } from '#lib/components/plan/content.ts';
import { diffRange } from '#lib/components/plan/diff-range.ts';
import { applyOp, type EditRefusal, parseOp } from '#lib/components/plan/edit-ops.ts';
import type { ChildList, ProcessView, UnitOption } from '#lib/components/plan/process.ts';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { childUnits } from '#lib/server/org.ts';
import { hasRole, type RoleCode } from '#lib/session.ts';
import { renderFinding } from '../../../../../domain/plan/prechecks.ts';
import { metricById } from '../../../../../domain/plan/templates/metric-library.ts';
import { suggestMetrics } from '../../../../../domain/plan/templates/suggest.ts';
import type { Actions, PageServerLoad } from './$types';

/** GET /api/plans/{id}/assignable: whom the plan may be decomposed to. */
interface Assignable {
  units: { id: string; code: string; name: string; nameEn: string | null; hasPlan: boolean }[];
  persons: {
    id: string;
    name: string;
    position: { vi: string; en: string };
    unitName: string;
    unitNameEn: string | null;
  }[];
}
/** A person the plan may be assigned to, as the picker shows them. */
interface PersonOption {
  id: string;
  name: string;
  position: string;
  unit: string;
}

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
const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;

/** The Idempotency-Key header of a transition form (the key the page rendered into it). */
function idempotency(form: FormData): { headers?: Record<string, string> } {
  const key = field(form, 'idempotencyKey');
  return IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {};
}

const REFUSAL: Record<EditRefusal, () => string> = {
  TITLE_REQUIRED: m.plan_edit_title_required,
  TOO_MANY_KEY_RESULTS: m.plan_edit_too_many,
  LAST_KEY_RESULT: m.plan_edit_last_kr,
  NOT_FOUND: m.plan_edit_not_found,
};

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const plan = await apiGet<PlanDetail>(event, planPath(event.params.id));
  const findings: Record<string, { code: string; severity: string; text: string }[]> = {};
  for (const f of plan.prechecks.findings) {
    const key = f.targetKind === 'plan' ? '' : f.target;
    findings[key] = [
      ...(findings[key] ?? []),
      { code: f.code, severity: f.severity, text: renderFinding(f as never, locale()) },
    ];
  }
  let diff: Diff | null = null;
  const range = diffRange(plan);
  if (range) {
    const r = await api<Diff>(event, 'GET', `${planPath(plan.id)}/diff?from=${range.from}&to=${range.to}`);
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
  // a plan in force (approved or filed): its decomposition, period plans and amendments
  let process: ProcessView | null = null;
  let children: ChildList | null = null;
  let subUnits: (UnitOption & { hasPlan?: boolean })[] = [];
  let persons: PersonOption[] = [];
  const inForce = plan.status === 'APPROVED' || plan.status === 'FILED';
  if (inForce) {
    const unitPlan = plan.ownerKind === 'unit' && plan.unitId;
    const [pr, ch, picker] = await Promise.all([
      api<ProcessView>(event, 'GET', `${planPath(plan.id)}/process`),
      unitPlan ? api<ChildList>(event, 'GET', `${planPath(plan.id)}/children`) : null,
      unitPlan ? api<Assignable>(event, 'GET', `${planPath(plan.id)}/assignable`) : null,
    ]);
    if (pr.ok) process = pr.data;
    if (ch?.ok) children = ch.data;
    const en = locale() === 'en';
    if (picker?.ok) {
      // the decomposition picker (the plan's staff): the sub-units, and the people without a plan of the year
      subUnits = picker.data.units.map((u) => ({
        id: u.id,
        name: en && u.nameEn ? u.nameEn : u.name,
        hasPlan: u.hasPlan,
      }));
      persons = picker.data.persons.map((x) => ({
        id: x.id,
        name: x.name,
        position: en ? x.position.en : x.position.vi,
        unit: en && x.unitNameEn ? x.unitNameEn : x.unitName,
      }));
    } else if (unitPlan) {
      // readers who do not decompose still see the sub-units' names in the list of assigned plans
      const units = await childUnits(event, plan.unitId!);
      subUnits = (units?.items ?? []).map((u) => ({ id: u.id, name: en && u.nameEn ? u.nameEn : u.nameVi }));
    }
  }
  // a configured approval chain may put another party at a level (the unit's head appraising, say): the
  // forms also show for whoever holds the plan's open appraise/decide item (in person, by role or as delegate)
  let mine = new Set<string>();
  if (plan.status === 'SUBMITTED' || plan.status === 'APPRAISED' || plan.status === 'FILED') {
    const open = await Promise.all(
      ['plan.appraise', 'plan.decide'].map((kind) =>
        api<{ items: { subjectId: string; kind: string }[] }>(
          event,
          'GET',
          `/api/inbox?kind=${kind}&status=open&limit=200`,
        ),
      ),
    );
    mine = new Set(
      open.flatMap((r) =>
        r.ok ? r.data.items.filter((t) => t.subjectId === plan.id).map((t) => t.kind) : [],
      ),
    );
  }
  // the open amendment's level is reviewed by its party: the level's role (the chain's 'standing-committee' is
  // the role standing_committee), or whoever holds its open inbox item (in person or as delegate)
  const amendItem = process?.openItems?.find((i) => i.kind === 'amend-appraise' || i.kind === 'amend-decide');
  let reviewAmendment = false;
  if (amendItem) {
    reviewAmendment = hasRole(s, amendItem.partyRole.replaceAll('-', '_') as RoleCode);
    if (!reviewAmendment) {
      const r = await api<{ items: { subjectId: string }[] }>(
        event,
        'GET',
        `/api/inbox?kind=plan.${amendItem.kind}&status=open&limit=200`,
      );
      reviewAmendment = r.ok && r.data.items.some((t) => t.subjectId === plan.id);
    }
  }
  return {
    inForce,
    process,
    children,
    subUnits,
    persons,
    plan,
    findings,
    diff,
    comments,
    can: {
      edit: plan.editable,
      appraise:
        (plan.status === 'SUBMITTED' && hasRole(s, 'secretariat')) ||
        (plan.status !== 'APPRAISED' && mine.has('plan.appraise')),
      decide: (plan.status === 'APPRAISED' && hasRole(s, 'standing_committee')) || mine.has('plan.decide'),
      decidePeriod: hasRole(s, 'unit_head'),
      reviewAmendment,
    },
    saved: event.url.searchParams.get('saved'),
    done: event.url.searchParams.get('done'),
    focus: event.url.searchParams.get('focus'),
    // one key per rendered form: a double click or a retry of the same form sends the same key
    keys: {
      submit: randomUUID(),
      appraise: randomUUID(),
      decide: randomUUID(),
      decompose: randomUUID(),
      amend: randomUUID(),
      amendReview: randomUUID(),
      periodSubmit: randomUUID(),
      periodDecide: randomUUID(),
    },
  };
};

async function current(event: RequestEvent<{ id: string }>, base: number) {
  return apiGet<{ content: PlanContent }>(event, `${planPath(event.params.id)}/versions/${base}`);
}

const PERIOD = /^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/;
const doneAt = (id: string, what: string) => `/plans/${encodeURIComponent(id)}?done=${what}`;

export const actions: Actions = {
  createChild: async (event) => {
    const form = await event.request.formData();
    const kind = field(form, 'kind') === 'person' ? 'person' : 'unit';
    const id = field(form, kind === 'unit' ? 'unitId' : 'personId');
    if (!/^[0-9a-f-]{36}$/i.test(id)) return failText(m.plan_decomp_pick_owner());
    const owner = kind === 'unit' ? { kind, unitId: id } : { kind, personId: id };
    const r = await api(event, 'POST', `${planPath(event.params.id)}/children`, { owner });
    if (!r.ok) return failWith(r.problem);
    redirect(303, doneAt(event.params.id, 'child'));
  },
  completeDecomposition: async (event) => {
    const form = await event.request.formData();
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/decomposition/complete`,
      undefined,
      idempotency(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, doneAt(event.params.id, 'decomposed'));
  },
  amend: async (event) => {
    const form = await event.request.formData();
    const reason = field(form, 'reason').slice(0, 4000);
    if (!reason) return failText(m.plan_amend_reason_required());
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/amendments`,
      { versionId: field(form, 'versionId'), reason },
      idempotency(form),
    );
    if (!r.ok) return failWith(r.problem, { reason });
    redirect(303, doneAt(event.params.id, 'amended'));
  },
  amendReview: async (event) => {
    const form = await event.request.formData();
    const raw = field(form, 'decision');
    const decision = raw === 'approve' || raw === 'return' ? raw : 'endorse';
    const text = field(form, 'comment');
    if (decision === 'return' && !text) return failText(m.plan_return_needs_comment());
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/amendments/review`,
      { decision, comments: text ? [{ text }] : [] },
      idempotency(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, doneAt(event.params.id, 'amend-reviewed'));
  },
  periodSubmit: async (event) => {
    const form = await event.request.formData();
    const period = field(form, 'period');
    if (!PERIOD.test(period)) return failText(m.plan_edit_not_found());
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/period-plans/${period}/submit`,
      { versionId: field(form, 'versionId') },
      idempotency(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, doneAt(event.params.id, 'period-submitted'));
  },
  periodDecide: async (event) => {
    const form = await event.request.formData();
    const period = field(form, 'period');
    if (!PERIOD.test(period)) return failText(m.plan_edit_not_found());
    const decision = field(form, 'decision') === 'return' ? 'return' : 'approve';
    const text = field(form, 'comment');
    if (decision === 'return' && !text) return failText(m.plan_return_needs_comment());
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/period-plans/${period}/decide`,
      { decision, comments: text ? [{ text }] : [] },
      idempotency(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, doneAt(event.params.id, 'period-decided'));
  },
  save: async (event) => {
    const form = await event.request.formData();
    const base = Number(field(form, 'baseVersion'));
    if (!Number.isInteger(base) || base < 1) return failText(m.plan_unchanged());
    const { content } = await current(event, base);
    let next = applyForm(content, form);
    let focus: string | undefined;
    const rawOp = field(form, 'op');
    if (rawOp) {
      const op = parseOp(rawOp);
      if (!op) return failText(m.plan_edit_not_found());
      const metric = op.kind === 'metric' ? metricById(op.metricId) : undefined;
      const edited = applyOp(next, op, {
        title:
          op.kind === 'add-task'
            ? field(form, 'new-task|title')
            : op.kind === 'add-kr'
              ? field(form, `new-kr|${op.taskId}|title`)
              : undefined,
        where: field(form, 'new-task|where'),
        newId: `${op.kind === 'add-task' ? 't' : 'k'}-${randomUUID().slice(0, 8)}`,
        ...(metric
          ? {
              metric: {
                id: metric.id,
                title: locale() === 'en' ? metric.titleEn : metric.title,
                unit: metric.unit,
                direction: metric.direction,
                aggregation: metric.aggregation,
                cadence: metric.cadence,
                type: metric.type,
              },
            }
          : {}),
      });
      if (!edited.ok) return failText(REFUSAL[edited.reason]());
      next = edited.content;
      focus = edited.focus;
    }
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
    const q = new URLSearchParams({ saved: r.data.unchanged ? 'same' : String(r.data.version.number) });
    if (focus) q.set('focus', focus);
    redirect(303, `/plans/${encodeURIComponent(event.params.id)}?${q}`);
  },
  submit: async (event) => {
    const form = await event.request.formData();
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/submit`,
      { versionId: field(form, 'versionId') },
      idempotency(form),
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
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/appraise`,
      { opinion, ...(text ? { comments: [{ text }] } : {}) },
      idempotency(form),
    );
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
    const r = await api(
      event,
      'POST',
      `${planPath(event.params.id)}/decide`,
      { decision, comments },
      idempotency(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/plans/${encodeURIComponent(event.params.id)}?done=decided`);
  },
};
