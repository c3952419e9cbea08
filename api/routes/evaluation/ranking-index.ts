// The index of the year's unit rankings a person may see (issue 8; DESIGN §1 tiered rule): for each unit directly
// under a province where the person holds a role, when they may read its ranking (policy ranking.read: the
// province's levels every unit, a unit's head, administrators and auditors their own), the ranking's status
// ('none' before it is started), its deadline (the calendar's `year-end.ranking` when not started), the number of
// flags, and the December differences recorded after the decision (db/queries/ranking-differences.ts). A person
// who may read none gets an empty list. Read only.
import { createRoute } from '@hono/zod-openapi';
import { provinceCalendarOfYear } from '../../../db/queries/calendar.ts';
import { differencesOf } from '../../../db/queries/ranking-differences.ts';
import { flagsOf } from '../../../db/queries/rankings.ts';
import { deadlineById } from '../../../domain/calendar/plan-year.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';

const tags = ['rankings'];
const Year = z.coerce.number().int().min(2000).max(2200);

const IndexRow = z.object({
  unitId: z.string(),
  unitName: z.string(),
  provinceId: z.string(),
  rankingId: z.string().nullable(),
  status: z.enum(['none', 'draft', 'decided', 'published']),
  deadline: z.string().nullable(),
  entries: z.number().int(),
  flags: z.number().int(),
  differences: z.number().int(),
  decidedOn: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
const RankingIndex = z
  .object({
    year: z.number().int(),
    provinceWide: z.boolean().openapi({ description: 'The person reads every unit of a province' }),
    units: z.array(IndexRow),
  })
  .openapi('RankingIndex');
const Level = z.enum(['excellent', 'good', 'completed', 'notCompleted']);
const Differences = z
  .object({
    rankingId: z.string().nullable(),
    differences: z.array(
      z.object({
        personId: z.string(),
        personName: z.string(),
        frozenLevel: Level,
        frozenLabel: z.object({ vi: z.string(), en: z.string() }),
        frozenScore: z.string(),
        newLevel: Level,
        newLabel: z.object({ vi: z.string(), en: z.string() }),
        newScore: z.string(),
        recordedAt: z.string(),
      }),
    ),
  })
  .openapi('RankingDifferences');

export function rankingIndexRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/ranking-differences',
        tags,
        summary:
          "The December differences recorded on a unit's decided ranking (DESIGN §3 'by 5/01'): the person, the signed level and score, the level and score with December's verified result. The signed ranking is never changed. Empty before the ranking exists",
        middleware: [requires('ranking.read')] as const,
        request: { query: z.object({ unitId: uuid, year: Year }) },
        responses: { 200: jsonOk(Differences), ...errorResponses },
      }),
      async (c) => {
        const { unitId, year } = c.req.valid('query');
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        await check(c, db, {
          path,
          tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal',
        });
        const row = await db
          .selectFrom('unit_ranking')
          .select('id')
          .where('unit_id', '=', unitId)
          .where('year', '=', year)
          .executeTakeFirst();
        return c.json(
          { rankingId: row?.id ?? null, differences: row ? await differencesOf(db, [row.id]) : [] },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ranking-index',
        tags,
        summary:
          "The year's unit rankings the person may read (tiered: the province's levels every unit of their province, a unit's head, administrators and auditors their own): status, deadline, flags and December differences per unit",
        middleware: [requires('ranking.read')] as const,
        request: { query: z.object({ year: Year }) },
        responses: { 200: jsonOk(RankingIndex), ...errorResponses },
      }),
      async (c) => {
        const { year } = c.req.valid('query');
        // Filtered with allowed(ranking.read) for every unit below.
        markChecked(c);
        const scopes = (c.get('actor')?.grants ?? []).map((g) => g.scopeUnitId);
        const provinces =
          scopes.length === 0
            ? []
            : (
                await db
                  .selectFrom('org_unit')
                  .select('province_id')
                  .distinct()
                  .where('id', 'in', scopes)
                  .execute()
              ).map((r) => r.province_id);
        if (provinces.length === 0) return c.json({ year, provinceWide: false, units: [] }, 200);
        const day = `${year}-12-01`;
        const tops = await db
          .selectFrom('org_unit')
          .select(['id', 'name_vi', 'province_id'])
          .where('province_id', 'in', provinces)
          .whereRef('parent_id', '=', 'province_id')
          .where('active_from', '<=', `${year}-12-31`)
          .where((eb) => eb.or([eb('active_to', 'is', null), eb('active_to', '>=', day)]))
          .orderBy('name_vi')
          .orderBy('id')
          .execute();
        let provinceWide = false;
        // Any unit of the province (a unit nobody holds a role in): the province's levels only.
        for (const p of provinces)
          if (
            await allowed(c, db, 'ranking.read', {
              path: [p, '00000000-0000-0000-0000-000000000000'],
              tier: 'unit',
            })
          )
            provinceWide = true;
        const visible = [];
        for (const u of tops)
          if (await allowed(c, db, 'ranking.read', { path: [u.province_id, u.id], tier: 'unit' }))
            visible.push(u);
        if (visible.length === 0) return c.json({ year, provinceWide, units: [] }, 200);

        const rankings = await db
          .selectFrom('unit_ranking')
          .selectAll()
          .where(
            'unit_id',
            'in',
            visible.map((u) => u.id),
          )
          .where('year', '=', year)
          .execute();
        const byUnit = new Map(rankings.map((r) => [r.unit_id, r]));
        const counts = await db
          .selectFrom('unit_ranking_entry')
          .select(['ranking_id', db.fn.count<string>('person_id').distinct().as('n')])
          .where(
            'ranking_id',
            'in',
            rankings.length ? rankings.map((r) => r.id) : ['00000000-0000-0000-0000-000000000000'],
          )
          .groupBy('ranking_id')
          .execute();
        const entryCount = new Map(counts.map((r) => [r.ranking_id, Number(r.n)]));
        const diffCount = new Map<string, number>();
        for (const d of await differencesOf(
          db,
          rankings.map((r) => r.id),
        ))
          diffCount.set(d.rankingId, (diffCount.get(d.rankingId) ?? 0) + 1);
        const deadlines = new Map<string, string | null>();
        for (const p of new Set(visible.map((u) => u.province_id))) {
          const cal = await provinceCalendarOfYear(db, p, year);
          let d: string | null = null;
          if (cal)
            try {
              d = deadlineById(cal.calendar, 'year-end.ranking').date;
            } catch {
              d = `${year}-12-14`;
            }
          deadlines.set(p, d);
        }
        const today = vnLocalDate(now().getTime());
        const units = [];
        for (const u of visible) {
          const r = byUnit.get(u.id);
          units.push({
            unitId: u.id,
            unitName: u.name_vi,
            provinceId: u.province_id,
            rankingId: r?.id ?? null,
            status: r?.status ?? ('none' as const),
            deadline: r?.deadline ?? deadlines.get(u.province_id) ?? null,
            entries: r ? (entryCount.get(r.id) ?? 0) : 0,
            flags: r ? (await flagsOf(db, r, today, deps.rankings?.sources ?? {})).length : 0,
            differences: r ? (diffCount.get(r.id) ?? 0) : 0,
            decidedOn: r?.decided_on ?? null,
            publishedAt: r?.published_at?.toISOString() ?? null,
          });
        }
        return c.json({ year, provinceWide, units }, 200);
      },
    );
}
