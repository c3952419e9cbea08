// The next quarter's draft plan as GET /api/reports/quarterly answers it (field nextQuarterPlan; the API's
// schema: api/routes/reports/quarter-plan-status.ts).
export interface NextQuarterPlan {
  period: string;
  planId: string | null;
  status: 'not-started' | 'draft' | 'submitted' | 'approved' | 'adjusted';
  dueDate: string | null;
  submittedOn: string | null;
  decidedOn: string | null;
  note: string | null;
  session: string | null;
}
