// The content API (DESIGN §5: the content write path): administration sub-apps, the audit trail and the
// OpenAPI document of all of them at GET /api/openapi.json.
import { bodyLimit } from 'hono/body-limit';
import { publicRoute } from '../../authz/middleware.ts';
import { contentApp } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { registerMetricsPath } from '../../metrics/openapi.ts';
import { registerCorePaths } from '../../openapi-core.ts';
import { ApiProblem } from '../../problem.ts';
import { assessmentRoutes } from '../assessments/index.ts';
import { auditRoutes } from '../audit.ts';
import { calendarFeedRoutes } from '../calendar-feed.ts';
import { evidenceRoutes } from '../check-ins/evidence.ts';
import { checkInRoutes } from '../check-ins/index.ts';
import { checkInProcessRoutes } from '../check-ins/process.ts';
import { checkInQueueRoutes } from '../check-ins/queue.ts';
import { checkInReadRoutes } from '../check-ins/read.ts';
import { dashboardRoutes } from '../dashboards.ts';
import { delegationRoutes } from '../delegations.ts';
import { escalationRoutes } from '../escalations.ts';
import { appealRoutes } from '../evaluation/appeals.ts';
import { provinceRankingRoutes } from '../evaluation/province-ranking.ts';
import { rankingRoutes } from '../evaluation/ranking.ts';
import { rankingIndexRoutes } from '../evaluation/ranking-index.ts';
import { rankingReportRoutes } from '../evaluation/ranking-report.ts';
import { evaluationRecordRoutes } from '../evaluation/records.ts';
import { yearEndRoutes } from '../evaluation/year-end.ts';
import { giaoBanRoutes } from '../giao-ban.ts';
import { handoverRoutes } from '../handover.ts';
import { inboxRoutes } from '../inbox.ts';
import { notificationRoutes } from '../notifications.ts';
import { planRoutes } from '../plans/index.ts';
import { monthlyReportRoutes } from '../reports/monthly.ts';
import { quarterlyReportRoutes } from '../reports/quarterly.ts';
import { searchRoutes } from '../search.ts';
import { workflowRoutes } from '../workflows.ts';
import { approvalChainRoutes } from './approval-chains.ts';
import { assessmentCadenceRoutes } from './assessment-cadence.ts';
import { calendarProfileRoutes } from './calendar-profiles.ts';
import { conversionCoefficientRoutes } from './conversion-coefficients.ts';
import { employmentRoutes } from './employment.ts';
import { importRoutes, MAX_IMPORT_BYTES } from './import.ts';
import { metricLibraryRoutes } from './metric-library.ts';
import { orgUnitRoutes } from './org-units.ts';
import { peopleRoutes } from './people.ts';
import { planYearCalendarRoutes } from './plan-year-calendar.ts';
import { roleRoutes } from './roles.ts';

export const MAX_JSON_BYTES = 256 * 1024;

const tooLarge = () =>
  new ApiProblem({
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    vi: 'Dữ liệu gửi lên quá lớn.',
    en: 'The request body is too large.',
  });

export function contentRoutes(deps: ApiDeps) {
  const app = contentApp();
  const importLimit = bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  app.use('/admin/*', (c, next) =>
    c.req.path.startsWith('/api/admin/import') ? importLimit(c, next) : jsonLimit(c, next),
  );
  const routed = app
    .route('/admin/org-units', orgUnitRoutes(deps))
    .route('/admin/people', peopleRoutes(deps))
    .route('/admin/employment', employmentRoutes(deps))
    .route('/admin', roleRoutes(deps))
    .route('/admin/approval-chains', approvalChainRoutes(deps))
    .route('/admin/calendar-profiles', calendarProfileRoutes(deps))
    .route('/admin/calendar-profiles', planYearCalendarRoutes(deps))
    .route('/admin/metric-library', metricLibraryRoutes(deps))
    .route('/admin/conversion-coefficients', conversionCoefficientRoutes(deps))
    .route('/admin/assessment-cadence', assessmentCadenceRoutes(deps))
    .route('/admin/import', importRoutes(deps))
    .route('/audit', auditRoutes(deps))
    .route('/inbox', inboxRoutes(deps))
    .route('/delegations', delegationRoutes(deps))
    .route('/handover', handoverRoutes(deps))
    .route('/notifications', notificationRoutes(deps))
    .route('/', planRoutes(deps))
    .route('/', checkInRoutes(deps))
    .route('/', checkInProcessRoutes(deps))
    .route('/', monthlyReportRoutes(deps))
    .route('/', quarterlyReportRoutes(deps))
    .route('/', giaoBanRoutes(deps))
    .route('/', checkInQueueRoutes(deps))
    .route('/escalations', escalationRoutes(deps))
    .route('/', checkInReadRoutes(deps))
    .route('/', evidenceRoutes(deps))
    .route('/', assessmentRoutes(deps))
    .route('/', rankingRoutes(deps))
    .route('/', provinceRankingRoutes(deps))
    .route('/', appealRoutes(deps))
    .route('/', rankingIndexRoutes(deps))
    .route('/', rankingReportRoutes(deps))
    .route('/search', searchRoutes(deps))
    .route('/', calendarFeedRoutes(deps))
    .route('/', dashboardRoutes(deps))
    .route('/', evaluationRecordRoutes(deps))
    .route('/', yearEndRoutes(deps))
    .route('/workflows', workflowRoutes(deps));
  registerCorePaths(app.openAPIRegistry);
  registerMetricsPath(app.openAPIRegistry);
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'woms_session',
  });
  return routed.get('/openapi.json', publicRoute(), (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'WOMS API',
          version: deps.version,
          description:
            'Content API of WOMS. Errors are application/problem+json with a stable `code` and a message in Vietnamese and English.',
        },
        servers: [{ url: '/api' }],
        security: [{ session: [] }],
      }),
    ),
  );
}
