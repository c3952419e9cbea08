// Search across plans, their tasks and key results (issue 5, point 4): Vietnamese text is found with or
// without diacritics and in any case ("ke hoach" finds "Kế hoạch"), only within what the caller may see by
// the tiered rule (plan.read over the plan, or one's own personal plan). The database finds candidates in the
// trigram-indexed search_entry table (migration 0330, kept in step with plan versions by a trigger) and in
// the plans' owner names; domain/format/text.ts decides each hit and its rank.
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { foldForSearch, matches } from '../../domain/format/text.ts';
import { allowed, check, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import { loadPath, personResource, tierOfUnit } from '../authz/resources.ts';
import { contentApp, decodeCursor, encodeCursor, errorResponses, jsonOk, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { actorId } from './admin/common.ts';

export const SEARCH_KINDS = ['plan', 'task', 'keyResult'] as const;
type SearchKind = (typeof SEARCH_KINDS)[number];

const folded = (expr: ReturnType<typeof sql>) => sql`woms_fold(${expr})`;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

const SearchQuery = z.object({
  q: z
    .string()
    .max(800)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1, { message: 'TEXT_REQUIRED' }).max(200, { message: 'TEXT_TOO_LONG' })),
  kind: z.enum(SEARCH_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

const Hit = z
  .object({
    kind: z.enum(SEARCH_KINDS),
    id: z.string(),
    title: z.string(),
    plan: z.object({
      id: z.string(),
      year: z.number().int(),
      status: z.string(),
      ownerKind: z.enum(['unit', 'person']),
      ownerName: z.string(),
    }),
    /** The task a key result belongs to. */
    taskTitle: z.string().nullable(),
    link: z.string(),
    score: z.number(),
  })
  .openapi('SearchHit');

/** How well `title` answers `q` (both unfolded): whole title, prefix, phrase, whole words, or every word. */
export function rank(title: string, q: string): number {
  const t = foldForSearch(title);
  const f = foldForSearch(q);
  let score = 1;
  if (t === f) score += 100;
  else if (t.startsWith(f)) score += 50;
  else if (t.includes(f)) score += 30;
  const words = ` ${t} `;
  if (f.split(' ').every((w) => words.includes(` ${w} `))) score += 10;
  return score;
}

interface PlanRef {
  id: string;
  owner_kind: 'unit' | 'person';
  unit_id: string | null;
  person_id: string | null;
  year: number;
  status: string;
  owner_name: string;
}
interface EntryRef extends PlanRef {
  kind: 'task' | 'keyResult';
  item_id: string;
  title: string;
  task_title: string | null;
}

/** At most this many candidate rows of each source are ranked (newest plan years first). */
const CANDIDATE_LIMIT = 5000;

export function searchRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp().openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['search'],
      summary: 'Plans, tasks and key results I may see, matching the words of q with or without diacritics',
      middleware: [requires('search.run')],
      request: { query: SearchQuery },
      responses: {
        200: jsonOk(
          z.object({
            items: z.array(Hit),
            nextCursor: z.string().nullable(),
            total: z.number().int(),
            counts: z.object({ plan: z.number().int(), task: z.number().int(), keyResult: z.number().int() }),
          }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const me = actorId(c);
      await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
      const q = c.req.valid('query');
      const after = decodeCursor(q.cursor);
      const offset = after ? Math.max(0, Number.parseInt(after[0], 10) || 0) : 0;
      const words = foldForSearch(q.q)
        .split(' ')
        .filter((w) => w !== '');
      const planCols = sql`pl.id, pl.owner_kind, pl.unit_id, pl.person_id, pl.year, pl.status,
               coalesce(u.name_vi, p2.full_name, '') AS owner_name`;
      const owners = sql`LEFT JOIN org_unit u ON u.id = pl.unit_id LEFT JOIN person p2 ON p2.id = pl.person_id`;
      const like = (col: ReturnType<typeof sql>) =>
        sql.join(
          words.map((w) => sql`${col} LIKE ${`%${likeEscape(w)}%`}`),
          sql` AND `,
        );
      const label = sql`'kế hoạch năm plan ' || pl.year || ' ' || coalesce(u.name_vi, p2.full_name, '')`;
      const [planRows, entryRows] = await Promise.all([
        sql<PlanRef>`
          SELECT ${planCols} FROM plan pl ${owners}
           WHERE ${like(folded(label))}
           ORDER BY pl.year DESC, pl.id LIMIT ${CANDIDATE_LIMIT}`.execute(db),
        sql<EntryRef>`
          SELECT ${planCols}, se.kind, se.item_id, se.title, se.task_title
            FROM search_entry se JOIN plan pl ON pl.id = se.plan_id ${owners}
           WHERE ${like(sql`se.folded`)}
           ORDER BY pl.year DESC, pl.id, se.kind, se.item_id LIMIT ${CANDIDATE_LIMIT}`.execute(db),
      ]);

      // The tiered rule, one resource per plan owner.
      const seen = new Map<string, boolean>();
      const visible = async (p: PlanRef): Promise<boolean> => {
        const key = p.owner_kind === 'unit' ? `u:${p.unit_id}` : `p:${p.person_id}`;
        const known = seen.get(key);
        if (known !== undefined) return known;
        let r: Resource;
        if (p.owner_kind === 'unit' && p.unit_id) {
          const path = await loadPath(db, p.unit_id);
          r = { path: path.map((n) => n.id), tier: tierOfUnit(path) };
        } else if (p.person_id) {
          r = await personResource(db, p.person_id);
        } else return false;
        const ok = p.person_id === me || (await allowed(c, db, 'plan.read', r));
        seen.set(key, ok);
        return ok;
      };

      const hits: z.infer<typeof Hit>[] = [];
      const planOf = (p: PlanRef) => ({
        id: p.id,
        year: p.year,
        status: p.status,
        ownerKind: p.owner_kind,
        ownerName: p.owner_name,
      });
      const linkOf = (p: PlanRef) => `/plans/${encodeURIComponent(p.id)}`;
      for (const p of planRows.rows) {
        const planTitle = `Kế hoạch năm ${p.year} – ${p.owner_name}`;
        if (!matches(`${planTitle} Plan ${p.year}`, q.q) || !(await visible(p))) continue;
        hits.push({
          kind: 'plan',
          id: p.id,
          title: planTitle,
          plan: planOf(p),
          taskTitle: null,
          link: linkOf(p),
          score: rank(planTitle, q.q),
        });
      }
      for (const e of entryRows.rows) {
        if (!matches(e.title, q.q) || !(await visible(e))) continue;
        const anchor = e.kind === 'task' ? 'task' : 'kr';
        hits.push({
          kind: e.kind,
          id: e.item_id,
          title: e.title,
          plan: planOf(e),
          taskTitle: e.task_title,
          link: `${linkOf(e)}#${anchor}-${encodeURIComponent(e.item_id)}`,
          score: rank(e.title, q.q),
        });
      }
      const order: Record<SearchKind, number> = { plan: 0, task: 1, keyResult: 2 };
      hits.sort(
        (a, b) =>
          b.score - a.score ||
          order[a.kind] - order[b.kind] ||
          b.plan.year - a.plan.year ||
          a.title.localeCompare(b.title, 'vi') ||
          a.id.localeCompare(b.id),
      );
      const counts = { plan: 0, task: 0, keyResult: 0 };
      for (const h of hits) counts[h.kind]++;
      const selected = q.kind ? hits.filter((h) => h.kind === q.kind) : hits;
      const items = selected.slice(offset, offset + q.limit);
      const next =
        offset + q.limit < selected.length ? encodeCursor(String(offset + q.limit), 'search') : null;
      return c.json({ items, nextCursor: next, total: selected.length, counts }, 200);
    },
  );
}
