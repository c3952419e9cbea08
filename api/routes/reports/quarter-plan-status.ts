// The next quarter's draft plan on the quarterly report (issue 7 point 1): its OpenAPI schema, for the field
// `nextQuarterPlan` of GET /api/reports/quarterly (db/queries/quarter-plan-status.ts reads it).
import { NEXT_QUARTER_PLAN_STATUSES } from '../../../db/queries/quarter-plan-status.ts';
import { z } from '../../contract.ts';

export { nextQuarterPlanOf } from '../../../db/queries/quarter-plan-status.ts';

export const NextQuarterPlanOut = z
  .object({
    period: z.string().openapi({ example: '2027-Q2', description: "The draft's quarter" }),
    planId: z.string().nullable().openapi({
      description: "The unit's annual plan where the draft is edited and sent (null: no plan yet)",
    }),
    status: z.enum(NEXT_QUARTER_PLAN_STATUSES).openapi({
      description:
        'not-started: no draft item yet; draft: open, not sent; submitted: sent, waiting for the giao ban; approved / adjusted: decided at the giao ban',
    }),
    dueDate: z.string().nullable(),
    submittedOn: z.string().nullable(),
    decidedOn: z.string().nullable(),
    note: z.string().nullable().openapi({ description: "The giao ban's note (always when adjusted)" }),
    session: z.string().nullable().openapi({ description: 'The giao ban session that decided it' }),
  })
  .nullable()
  .openapi('NextQuarterPlan', {
    description: "The next quarter's draft plan, sent with this report (null for a Q4 report)",
  });
