// The plan editor's pure parts (issue 5): the structural edits (add and remove tasks and key results, a
// key result from a metric, 1–5 key results per task), the form's month targets and perspective weights,
// and which versions the approval screen compares.
import { describe, expect, it } from 'vitest';
import { metricById } from '../../domain/plan/templates/metric-library.ts';
import { suggestMetrics } from '../../domain/plan/templates/suggest.ts';
import { applyForm, type PlanContent } from '../src/lib/components/plan/content.ts';
import { diffRange } from '../src/lib/components/plan/diff-range.ts';
import {
  applyOp,
  blankKeyResult,
  keyResultFromMetric,
  parseOp,
} from '../src/lib/components/plan/edit-ops.ts';

const plan = (): PlanContent => ({
  id: 'p',
  year: 2027,
  sections: [{ id: 's1', title: 'Mục 1', perspective: 'citizens' }],
  tasks: [
    {
      id: 't1',
      title: 'A',
      perspective: 'citizens',
      sectionId: 's1',
      weight: '1',
      keyResults: [blankKeyResult('k1', 'x')],
    },
    {
      id: 't2',
      title: 'B',
      perspective: 'budget',
      weight: '1',
      keyResults: [blankKeyResult('k2', 'y'), blankKeyResult('k3', 'z')],
    },
  ],
});

describe('structural edits', () => {
  it('parses the op values of the editor buttons and refuses others', () => {
    expect(parseOp('add-task')).toEqual({ kind: 'add-task' });
    expect(parseOp('add-kr|t1')).toEqual({ kind: 'add-kr', taskId: 't1' });
    expect(parseOp('remove-kr|k1')).toEqual({ kind: 'remove-kr', keyResultId: 'k1' });
    expect(parseOp('metric|t1|ty-le-x')).toEqual({ kind: 'metric', taskId: 't1', metricId: 'ty-le-x' });
    expect(parseOp('remove-task')).toBeNull();
    expect(parseOp('drop|t1')).toBeNull();
    expect(parseOp('metric|t1')).toBeNull();
  });

  it('adds a task after the last task of its section, or under a perspective; a title is required', () => {
    const r = applyOp(plan(), { kind: 'add-task' }, { title: ' Mới ', where: 's1', newId: 't9' });
    expect(r.ok && r.content.tasks.map((t) => t.id)).toEqual(['t1', 't9', 't2']);
    expect(r.ok && r.content.tasks[1]).toMatchObject({
      title: 'Mới',
      sectionId: 's1',
      perspective: 'citizens',
    });
    const loose = applyOp(
      plan(),
      { kind: 'add-task' },
      { title: 'L', where: 'perspective:learning', newId: 't8' },
    );
    expect(loose.ok && loose.content.tasks.at(-1)).toMatchObject({ id: 't8', perspective: 'learning' });
    expect(loose.ok && 'sectionId' in loose.content.tasks.at(-1)!).toBe(false);
    expect(applyOp(plan(), { kind: 'add-task' }, { title: ' ', where: 's1', newId: 't9' })).toEqual({
      ok: false,
      reason: 'TITLE_REQUIRED',
    });
    expect(
      applyOp(plan(), { kind: 'add-task' }, { title: 'x', where: 'perspective:nope', newId: 't9' }).ok,
    ).toBe(false);
  });

  it('keeps one to five key results per task', () => {
    let c = plan();
    for (let i = 0; i < 4; i++) {
      const r = applyOp(c, { kind: 'add-kr', taskId: 't1' }, { title: `k${i}`, newId: `n${i}` });
      expect(r.ok).toBe(true);
      if (r.ok) c = r.content;
    }
    expect(c.tasks[0]!.keyResults).toHaveLength(5);
    expect(applyOp(c, { kind: 'add-kr', taskId: 't1' }, { title: 'six', newId: 'n9' })).toEqual({
      ok: false,
      reason: 'TOO_MANY_KEY_RESULTS',
    });
    expect(applyOp(plan(), { kind: 'remove-kr', keyResultId: 'k1' }, { newId: '' })).toEqual({
      ok: false,
      reason: 'LAST_KEY_RESULT',
    });
    const removed = applyOp(plan(), { kind: 'remove-kr', keyResultId: 'k3' }, { newId: '' });
    expect(removed.ok && removed.content.tasks[1]!.keyResults.map((k) => k.id)).toEqual(['k2']);
    const gone = applyOp(plan(), { kind: 'remove-task', taskId: 't1' }, { newId: '' });
    expect(gone.ok && gone.content.tasks.map((t) => t.id)).toEqual(['t2']);
    // the input is never changed
    const p = plan();
    applyOp(p, { kind: 'remove-task', taskId: 't1' }, { newId: '' });
    expect(p.tasks).toHaveLength(2);
  });

  it('fills a key result from a suggested metric: title, unit, direction, aggregation, cadence; no target', () => {
    const s = suggestMetrics('Tuyên truyền, phổ biến nghị quyết', { limit: 1 })[0]!;
    const metric = metricById(s.metric.id)!;
    const kr = keyResultFromMetric('k9', metric, 2027);
    expect(kr).toMatchObject({
      id: 'k9',
      title: metric.title,
      unit: metric.unit,
      aggregation: metric.aggregation,
      cadence: metric.cadence,
      target: '',
      metricId: metric.id,
    });
    expect(kr.direction.kind).toBe(metric.direction);
    expect(keyResultFromMetric('k', { ...metric, direction: 'milestone' }, 2027).direction).toEqual({
      kind: 'milestone',
      dueDate: '2027-12-31',
    });
  });
});

describe('the form', () => {
  it('sets and clears month targets, keeps quarters, and sets the perspective weights', () => {
    const c = plan();
    c.tasks[0]!.keyResults[0]!.periodTargets = { '2027-Q1': '5', '2027-02': '3' };
    const f = new FormData();
    f.set('k|k1|title', 'x');
    for (let i = 1; i <= 12; i++) f.set(`k|k1|m${String(i).padStart(2, '0')}`, i === 1 ? '4' : '');
    f.set('pw|citizens', '40');
    f.set('pw|budget', '');
    const next = applyForm(c, f);
    expect(next.tasks[0]!.keyResults[0]!.periodTargets).toEqual({ '2027-Q1': '5', '2027-01': '4' });
    expect(next.perspectiveWeights).toEqual({ citizens: '40' });
    // a form without weight fields keeps them
    const same = applyForm({ ...c, perspectiveWeights: { budget: '2' } }, new FormData());
    expect(same.perspectiveWeights).toEqual({ budget: '2' });
  });
});

describe('the versions the approval screen compares', () => {
  const versions = [1, 2, 3, 4].map((n) => ({ id: `v${n}`, number: n, createdAt: '' }));
  const at = (n: number) => versions[n - 1]!;
  it('a resubmission: against the version submitted before (the one returned), not n−1', () => {
    expect(
      diffRange({
        status: 'SUBMITTED',
        version: at(4),
        versions,
        submittedVersionId: 'v4',
        submittedVersionIds: ['v2', 'v4'],
      }),
    ).toEqual({ from: 2, to: 4 });
  });
  it('a first submission has nothing to compare; a returned draft compares with the returned version', () => {
    expect(
      diffRange({
        status: 'APPRAISED',
        version: at(2),
        versions,
        submittedVersionId: 'v2',
        submittedVersionIds: ['v2'],
      }),
    ).toBeNull();
    expect(
      diffRange({
        status: 'DRAFTING',
        version: at(3),
        versions,
        submittedVersionId: 'v2',
        submittedVersionIds: ['v2'],
      }),
    ).toEqual({ from: 2, to: 3 });
    expect(diffRange({ status: 'DRAFTING', version: at(1), versions, submittedVersionId: null })).toBeNull();
  });
});
