// Search across plans, their tasks and key results (issue 5, point 4): Vietnamese text is found with or
// without diacritics and in any case ("ke hoach" finds "Kế hoạch"), only within what the caller may see by
// the tiered rule (plan.read over the plan, or one's own personal plan). The database narrows the candidates with a
// folded LIKE (translate(), no extension needed); domain/format/text.ts decides each hit and its rank.
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { foldForSearch, matches } from '../../domain/format/text.ts';
import type { Plan } from '../../domain/plan/model.ts';
import { allowed, check, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import { loadPath, personResource, tierOfUnit } from '../authz/resources.ts';
import { contentApp, decodeCursor, encodeCursor, errorResponses, jsonOk, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { actorId } from './admin/common.ts';

export const SEARCH_KINDS = ['plan', 'task', 'keyResult'] as const;
type SearchKind = (typeof SEARCH_KINDS)[number];

/** Every precomposed Latin letter that folds to one ASCII letter, and that letter (for SQL translate()). */
const FOLD_MAP = (() => {
  let from = '';
  let to = '';
  for (const [lo, hi] of [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ] as const) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      const f = foldForSearch(ch);
      if (/^[a-z]$/.test(f) && f !== ch) {
        from += ch;
        to += f;
      }
    }
  }
  // combining marks (decomposed text) are dropped: translate() deletes what has no counterpart
  for (let cp = 0x300; cp <= 0x36f; cp++) from += String.fromCodePoint(cp);
  return { from, to };
})();

const folded = (expr: ReturnType<typeof sql>) =>
  sql`translate(lower(${expr}), ${FOLD_MAP.from}, ${FOLD_MAP.to})`;
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

interface Candidate {
  id: string;
  owner_kind: 'unit' | 'person';
  unit_id: string | null;
  person_id: string | null;
  year: number;
  status: string;
  owner_name: string;
  content: Plan | null;
}

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
      // Candidates: plans whose label, owner's name or latest content holds every folded word.
      const haystack = sql`'kế hoạch năm plan ' || pl.year || ' ' || coalesce(u.name_vi, '') || ' ' || coalesce(p2.full_name, '') || ' ' || coalesce(v.content::text, '')`;
      const conditions = words.map((w) => sql`${folded(haystack)} LIKE ${`%${likeEscape(w)}%`}`);
      const plans = await sql<Candidate>`
        SELECT pl.id, pl.owner_kind, pl.unit_id, pl.person_id, pl.year, pl.status,
               coalesce(u.name_vi, p2.full_name, '') AS owner_name, v.content
          FROM plan pl
          LEFT JOIN org_unit u ON u.id = pl.unit_id
          LEFT JOIN person p2 ON p2.id = pl.person_id
          LEFT JOIN LATERAL (
            SELECT content FROM plan_version WHERE plan_id = pl.id ORDER BY number DESC LIMIT 1
          ) v ON true
         WHERE ${sql.join(conditions, sql` AND `)}
         ORDER BY pl.year DESC, pl.id
         LIMIT 2000`.execute(db);

      // The tiered rule, one resource per plan owner.
      const seen = new Map<string, boolean>();
      const visible = async (p: Candidate): Promise<boolean> => {
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
      for (const p of plans.rows) {
        if (!(await visible(p))) continue;
        const plan = {
          id: p.id,
          year: p.year,
          status: p.status,
          ownerKind: p.owner_kind,
          ownerName: p.owner_name,
        };
        const link = `/plans/${encodeURIComponent(p.id)}`;
        const planTitle = `Kế hoạch năm ${p.year} – ${p.owner_name}`;
        const planHay = `${planTitle} Plan ${p.year}`;
        if (matches(planHay, q.q))
          hits.push({
            kind: 'plan',
            id: p.id,
            title: planTitle,
            plan,
            taskTitle: null,
            link,
            score: rank(planTitle, q.q),
          });
        for (const t of Array.isArray(p.content?.tasks) ? p.content.tasks : []) {
          if (typeof t?.title !== 'string') continue;
          if (matches(t.title, q.q))
            hits.push({
              kind: 'task',
              id: String(t.id),
              title: t.title,
              plan,
              taskTitle: null,
              link: `${link}#task-${encodeURIComponent(String(t.id))}`,
              score: rank(t.title, q.q),
            });
          for (const kr of Array.isArray(t.keyResults) ? t.keyResults : []) {
            if (typeof kr?.title !== 'string' || !matches(kr.title, q.q)) continue;
            hits.push({
              kind: 'keyResult',
              id: String(kr.id),
              title: kr.title,
              plan,
              taskTitle: t.title,
              link: `${link}#kr-${encodeURIComponent(String(kr.id))}`,
              score: rank(kr.title, q.q),
            });
          }
        }
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
