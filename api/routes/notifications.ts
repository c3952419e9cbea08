// The notification centre (DESIGN §3): what the system sent the signed-in person, newest first, with the
// unread count; marking some or all of them read. Only one's own are ever read or changed.
import { createRoute } from '@hono/zod-openapi';
import { markNotificationsRead } from '../../db/queries/outbox.ts';
import { check, requires } from '../authz/middleware.ts';
import {
  contentApp,
  decodeCursor,
  errorResponses,
  jsonBody,
  jsonOk,
  PageQuery,
  pageFrom,
  uuid,
  z,
} from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { actorId } from './admin/common.ts';

const NotificationDto = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.object({ vi: z.string(), en: z.string() }),
    body: z.object({ vi: z.string(), en: z.string() }).nullable(),
    link: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');

const ListQuery = PageQuery.extend({ unread: z.enum(['true', 'false']).optional() });

const MarkRead = z
  .union([
    z.object({ ids: z.array(uuid).min(1).max(200) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ])
  .openapi('MarkNotificationsRead');

/** Only same-site paths are offered as links (a notification never sends the reader elsewhere). */
const safeLink = (link: string | null) =>
  link?.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : null;

export function notificationRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the unread count',
        middleware: [requires('notification.read')],
        request: { query: ListQuery },
        responses: {
          200: jsonOk(
            z.object({
              items: z.array(NotificationDto),
              nextCursor: z.string().nullable(),
              unread: z.number(),
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
        if (after && (Number.isNaN(Date.parse(after[0])) || !uuid.safeParse(after[1]).success))
          throw new ApiProblem({
            status: 400,
            code: 'CURSOR_INVALID',
            vi: 'Con trỏ phân trang không hợp lệ.',
            en: 'The page cursor is invalid.',
          });
        let list = db.selectFrom('notification').selectAll().where('person_id', '=', me);
        if (q.unread === 'true') list = list.where('read_at', 'is', null);
        if (after)
          list = list.where((eb) =>
            eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(new Date(after[0]), after[1])),
          );
        const [rows, unread] = await Promise.all([
          list
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(q.limit + 1)
            .execute(),
          db
            .selectFrom('notification')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('person_id', '=', me)
            .where('read_at', 'is', null)
            .executeTakeFirstOrThrow(),
        ]);
        const page = pageFrom(
          rows,
          q.limit,
          (n) => ({
            id: n.id,
            kind: n.kind,
            title: { vi: n.title_vi, en: n.title_en },
            body:
              n.body_vi !== null || n.body_en !== null ? { vi: n.body_vi ?? '', en: n.body_en ?? '' } : null,
            link: safeLink(n.link),
            createdAt: n.created_at.toISOString(),
            readAt: n.read_at?.toISOString() ?? null,
          }),
          (n) => [n.created_at.toISOString(), n.id],
        );
        return c.json({ ...page, unread: Number(unread.n) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/read',
        tags: ['notifications'],
        summary: 'Marks some (by id) or all of my notifications read',
        middleware: [requires('notification.mark')],
        request: { body: jsonBody(MarkRead) },
        responses: { 200: jsonOk(z.object({ marked: z.number().int() })), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const body = c.req.valid('json');
        const at = now();
        let marked: number;
        if ('all' in body) {
          const r = await db
            .updateTable('notification')
            .set({ read_at: at })
            .where('person_id', '=', me)
            .where('read_at', 'is', null)
            .where('created_at', '<=', at)
            .executeTakeFirst();
          marked = Number(r.numUpdatedRows);
        } else {
          marked = await markNotificationsRead(db, me, body.ids, at);
        }
        return c.json({ marked }, 200);
      },
    );
}
