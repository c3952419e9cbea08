// The scenario scripts/record-histories.ts drives to record the year-end assessment workflow (issue 8 points
// 1–2): started on 30/11/2027, the self-assessment opens on 1/12 (the estimate computed), the person submits, the
// supervisor assesses, the organisation department appraises (the unit type requires it), ready (200 ms per
// virtual day). v2: the effects queued together as one activity (patch 'step-effects-batch'), v1 before it. Not
// part of the bundle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  getYearEndState,
  submitAppraisal,
  submitSelfAssessment,
  submitSupervisorAssessment,
  type YearEndAssessmentInput,
} from '../../workflows/year-end-assessment.messages.ts';
import { TEST_PROFILE, testCalendar, warpFrom } from './annual-plan.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function yearEndRecordings() {
  const id = (k: number) => `00000000-0000-4000-8000-${String(1100 + k).padStart(12, '0')}`;
  const [assessmentId, provinceId, unitId, person, supervisor, head, orgdept] = [0, 1, 2, 3, 4, 5, 6].map(
    id,
  ) as [string, string, string, string, string, string, string];
  return [
    {
      file: 'yearEndAssessment-appraised-v4.json',
      workflowType: 'yearEndAssessmentWorkflow',
      args: (): YearEndAssessmentInput[] => [
        {
          assessmentId,
          personId: person,
          unitId,
          year: 2027,
          personName: 'Nguyễn Văn Soạn',
          calendar: testCalendar(),
          profile: TEST_PROFILE,
          parties: {
            person: { personId: person },
            supervisor: { personId: supervisor },
            unitHead: { personId: head },
          },
          appraiser: { role: 'organisation_department', unitId: provinceId },
          timeWarp: warpFrom('2027-11-30', 200),
        },
      ],
      drive: async (_client: Client, handle: WorkflowHandle): Promise<string[]> => {
        while ((await handle.query(getYearEndState)).phase !== 'SELF') await sleep(50);
        await handle.executeUpdate(submitSelfAssessment, { args: [{ by: person, revision: 1 }] });
        await handle.executeUpdate(submitSupervisorAssessment, {
          args: [
            {
              by: supervisor,
              points: {
                politicalEthics: '12',
                disciplineStyle: '5',
                initiatives: '4',
                capabilityGrowth: '5',
              },
              comments: 'Hoàn thành tốt',
            },
          ],
        });
        await handle.executeUpdate(submitAppraisal, {
          args: [{ by: orgdept, agrees: true, comment: 'Đồng ý' }],
        });
        await handle.result();
        return [(await handle.describe()).runId];
      },
    },
  ];
}
