// The unit head's selection within the quota (db/queries/rankings.ts selectForQuota / undoSelection, migration
// 0690): in the draft, an entry the engine ranked 'excellent' is placed at 'good' with a reason; the quota counts
// the chosen level; a recompute keeps the selection of a person still ranked 'excellent' and drops the others';
// a decision over the quota by more than the exception cap is refused (RANKING_QUOTA_UNLIFTABLE); the decision
// freezes the chosen level with the engine's result and the selection, and the frozen entry still verifies.
// Real PostgreSQL; the workflow path and the API: api/routes/evaluation/ranking-selection.test.ts.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unitYearEndReportOf } from '../../activities/reports/year-end-unit-data.ts';
import { createApp } from '../../api/app.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, employ } from '../../test/support/org-fixture.ts';
import { recordDecemberDifference } from './ranking-differences.ts';
import {
  decideRanking,
  ensureRanking,
  entriesOf,
  quotaOf,
  type RankingSources,
  rankingById,
  recomputeDraft,
  type SelectedFrozenRanking,
  selectForQuota,
  selectionsOf,
  undoSelection,
  unliftableGroups,
  verifyRanking,
} from './rankings.ts';

const YEAR = 2031;
const { db } = await freshDatabase();
const f = await buildOrg(
  db,
  createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' }),
);
const sources: RankingSources = {
  dutyGroupsOf: async (_e, a) => new Map(a.personIds.map((p) => [p, 'default'])),
  partyMembersOf: async () => new Set<string>(),
};

async function person(name: string) {
  const p = await db
    .insertInto('person')
    .values({
      full_name: name,
      email: `${randomUUID().slice(0, 8)}@test.woms.vn`,
      duty_group: 'civil_servant',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await employ(db, p.id, f.unit.AD2);
  return p.id;
}
async function setScore(personId: string, total: string) {
  await db.deleteFrom('period_assessment').where('person_id', '=', personId).execute();
  await db
    .insertInto('period_assessment')
    .values({
      person_id: personId,
      unit_id: f.unit.A,
      period: `${YEAR}-06`,
      status: 'confirmed',
      total,
      task_points: total,
      general_points: '0',
      confirmed_by: f.person.headA,
      confirmed_at: new Date(),
    })
    .execute();
}

describe("the head's selection within the quota", () => {
  it('places, keeps through a recompute, undoes, refuses an unliftable decision, then freezes the choice', async () => {
    const p = f.person;
    const x0 = await person('Ngô Quốc Anh');
    const x2 = await person('Phạm Thị Bình');
    const x1 = await person('Lê Văn Xuân');
    const goods = [];
    for (const n of ['Trần Thị Giao', 'Hoàng Văn Hải', 'Vũ Thị Lan', 'Đặng Văn Minh', 'Bùi Thị Nga'])
      goods.push(await person(n));
    // 3 Xuất sắc (≥ 90) for 5 Tốt → 1 allowed: over by 2, the cap is 1
    for (const [id, total] of [
      [x0, '95'],
      [x2, '92'],
      [x1, '91'],
      ...goods.map((g, i) => [g, `${80 + i}`] as const),
    ] as const)
      await setScore(id, total);
    const created = await ensureRanking(db, {
      unitId: f.unit.A,
      year: YEAR,
      deadline: `${YEAR}-12-10`,
      by: p.headA!,
    });
    let row = await recomputeDraft(db, { rankingId: created.id, by: p.headA!, sources });
    let quota = await quotaOf(db, row);
    const group = quota.groups.find((g) => g.track === 'state')!;
    expect(group).toMatchObject({ excellent: 3, allowed: 1, over: 2 });
    expect(unliftableGroups(quota, row)).toEqual([
      { track: 'state', agencyId: f.unit.A, dutyGroup: 'default', over: 2, cap: 1 },
    ]);
    await expect(
      decideRanking(db, {
        rankingId: row.id,
        by: p.headA!,
        revision: row.revision,
        decidedOn: `${YEAR}-12-05`,
      }),
    ).rejects.toMatchObject({ code: 'RANKING_QUOTA_UNLIFTABLE', status: 409 });

    // never raises a level: a 'good' entry cannot be selected; nobody outside the ranking either
    await expect(
      selectForQuota(db, { rankingId: row.id, personId: goods[0]!, reason: 'x', by: p.headA! }),
    ).rejects.toMatchObject({ code: 'RANKING_SELECTION_NOT_EXCELLENT' });
    await expect(
      selectForQuota(db, { rankingId: row.id, personId: p.headA!, reason: 'x', by: p.headA! }),
    ).rejects.toMatchObject({ code: 'RANKING_ENTRY_NOT_FOUND' });

    const before = row.revision;
    row = await selectForQuota(db, {
      rankingId: row.id,
      personId: x1,
      reason: 'Điểm thấp nhất trong nhóm Xuất sắc',
      by: p.headA!,
    });
    expect(row.revision).toBe(before + 1);
    quota = await quotaOf(db, row);
    expect(quota.groups.find((g) => g.track === 'state')).toMatchObject({ excellent: 2, good: 6, over: 1 });
    expect(unliftableGroups(quota, row)).toEqual([]);
    // the entry keeps the engine's level in the draft; the selection is beside it
    expect((await entriesOf(db, row.id)).find((e) => e.person_id === x1)?.level).toBe('excellent');

    // a second selection, then a recompute after staffA's score dropped: staffA's selection is dropped, x1's kept
    row = await selectForQuota(db, { rankingId: row.id, personId: x2, reason: 'Tạm', by: p.headA! });
    await setScore(x2, '89');
    row = await recomputeDraft(db, { rankingId: row.id, by: p.headA!, sources });
    expect((await selectionsOf(db, row.id)).map((s) => s.person_id)).toEqual([x1]);
    const drafted = await db
      .selectFrom('audit_log')
      .select('after')
      .where('aggregate_id', '=', row.id)
      .where('action', '=', 'ranking.drafted')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(drafted.after)).toContain(x2);
    await setScore(x2, '92');
    row = await recomputeDraft(db, { rankingId: row.id, by: p.headA!, sources });
    expect((await selectionsOf(db, row.id)).map((s) => s.person_id)).toEqual([x1]);

    // undo while the draft stands, then choose again
    row = await undoSelection(db, { rankingId: row.id, personId: x1, by: p.headA! });
    expect(await selectionsOf(db, row.id)).toEqual([]);
    expect(unliftableGroups(await quotaOf(db, row), row)).toHaveLength(1);
    await expect(undoSelection(db, { rankingId: row.id, personId: x1, by: p.headA! })).rejects.toMatchObject({
      code: 'RANKING_SELECTION_NOT_FOUND',
    });
    row = await selectForQuota(db, {
      rankingId: row.id,
      personId: x1,
      reason: 'Giới hạn tỷ lệ',
      by: p.headA!,
    });

    // the year-end report of the draft prints the chosen level and says why
    const draftReport = await unitYearEndReportOf(db, { ranking: row, date: `${YEAR}-12-05` });
    const draftRow = draftReport.rows.find((r) => r.name === 'Lê Văn Xuân')!;
    expect(draftRow.level).toBe('good');
    expect(draftRow.notes.at(-1)).toContain(
      'do giới hạn tỷ lệ "Hoàn thành xuất sắc nhiệm vụ" (lý do: Giới hạn tỷ lệ)',
    );
    expect(draftReport.rows.find((r) => r.name === 'Ngô Quốc Anh')?.level).toBe('excellent');

    const d = await decideRanking(db, {
      rankingId: row.id,
      by: p.headA!,
      revision: row.revision,
      decidedOn: `${YEAR}-12-05`,
    });
    expect(d.applied).toBe(true);
    expect(d.quota.groups.find((g) => g.dutyGroup === 'default')).toMatchObject({ excellent: 2, over: 1 });
    const frozen = (await entriesOf(db, row.id)).find((e) => e.person_id === x1)!;
    expect(frozen.level).toBe('good');
    const fr = frozen.frozen as unknown as SelectedFrozenRanking;
    expect(fr.level).toBe('good');
    expect(fr.explanation.level).toBe('excellent');
    expect(fr.selection).toMatchObject({
      engineLevel: 'excellent',
      level: 'good',
      by: p.headA,
      reason: 'Giới hạn tỷ lệ',
    });
    expect(fr.selection!.message.vi).toContain(
      'người đứng đầu xếp "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ',
    );
    expect(fr.selection!.message.en).toContain("The engine's level was");
    expect(await verifyRanking(db, row.id)).toBe(true);
    const decidedReport = await unitYearEndReportOf(db, {
      ranking: (await rankingById(db, row.id))!,
      date: `${YEAR}-12-05`,
    });
    const decidedRow = decidedReport.rows.find((r) => r.name === 'Lê Văn Xuân')!;
    expect(decidedRow.level).toBe('good');
    expect(decidedRow.notes.at(-1)).toContain('Kết quả tính của hệ thống là "Hoàn thành xuất sắc nhiệm vụ"');
    // a tampered level (selection without an engine's Xuất sắc) does not verify
    const other = (await entriesOf(db, row.id)).find((e) => e.person_id === x0)!;
    const tampered = {
      ...(other.frozen as unknown as SelectedFrozenRanking),
      level: 'good',
      selection: { ...fr.selection!, engineLevel: 'good' },
    };
    await db
      .updateTable('unit_ranking_entry')
      .set({ frozen: JSON.stringify(tampered) })
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', x0)
      .execute();
    expect(await verifyRanking(db, row.id)).toBe(false);
    await db
      .updateTable('unit_ranking_entry')
      .set({ frozen: JSON.stringify(other.frozen) })
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', x0)
      .execute();

    // December's assessment after the decision: the engine's "Xuất sắc" again is no difference (the quota's
    // choice stands; a difference row would say "Tốt → Xuất sắc")
    const december = await db
      .insertInto('period_assessment')
      .values({
        person_id: x1,
        unit_id: f.unit.A,
        period: `${YEAR}-12`,
        status: 'confirmed',
        total: '91',
        task_points: '91',
        general_points: '0',
        confirmed_by: p.headA,
        confirmed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(
      await recordDecemberDifference(db, { assessmentId: december.id, day: `${YEAR + 1}-01-05` }),
    ).toEqual({
      outcome: 'same',
    });

    // once decided: no selection change
    await expect(
      selectForQuota(db, { rankingId: row.id, personId: x0, reason: 'x', by: p.headA! }),
    ).rejects.toMatchObject({ code: 'RANKING_DECIDED' });
    await expect(undoSelection(db, { rankingId: row.id, personId: x1, by: p.headA! })).rejects.toMatchObject({
      code: 'RANKING_DECIDED',
    });
    const actions = (
      await db.selectFrom('audit_log').select('action').where('aggregate_id', '=', row.id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['ranking.selection.placed', 'ranking.selection.undone', 'ranking.decided']),
    );
  });
});
