import { apiGet } from '#lib/server/api.ts';
import type { WorkflowHistoryDto } from '../../../labels.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { workflowId, runId } = event.params;
  const run = await apiGet<WorkflowHistoryDto>(
    event,
    `/api/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}/history`,
  );
  return { run };
};
