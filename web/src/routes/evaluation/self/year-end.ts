// The year-end assessment as the API answers it (api/routes/evaluation/year-end.ts), shared by the self and
// supervisor screens.
export type Text = { vi: string; en: string };
export type Step = { key: string; vi: string; en: string; value: string | null };
export type Level = 'excellent' | 'good' | 'completed' | 'notCompleted';
export type Status = 'self-open' | 'self-submitted' | 'supervisor-done' | 'appraised' | 'ready';
export interface Item {
  title: string;
  detail?: string;
  evidenceIds: string[];
}
export interface Content {
  unplannedWork: Item[];
  initiatives: Item[];
  certificates: (Item & { kind: 'certificate' | 'self-study' })[];
  rubric: {
    resolutionStudyPercent: string;
    contributionsPerYear: number;
    trustPercent: string;
    disciplinedForIdeology: boolean;
    selfLevel: 1 | 2 | 3 | 4 | 5;
  } | null;
  points: Record<string, string>;
}
export interface YearEnd {
  id: string;
  year: number;
  status: Status;
  revision: number;
  person: { id: string; name: string };
  unit: { id: string; name: string };
  open: boolean;
  estimate: {
    taskYear: string | null;
    throughNovember: string | null;
    decemberEstimate: string | null;
    taskPointsMax: string;
    periods: { period: string; taskPoints: string }[];
    steps: Step[];
  } | null;
  self: Content;
  selfScore: string | null;
  selfSteps: Step[];
  selfSubmittedAt: string | null;
  supervisor: { points: Record<string, string>; comments: string } | null;
  supervisorScore: string | null;
  proposedLevel: Level | null;
  proposedLevelLabel: Text | null;
  steps: Step[];
  needsAppraisal: boolean;
  appraisal: { agrees: boolean; level: Level | null; comment: string } | null;
  criteria: { id: string; vi: string; en: string; maxPoints: string }[];
  rubricLevels: { level: number; vi: string; en: string }[];
  can: { editSelf: boolean; assess: boolean; appraise: boolean };
}
export const LISTS = ['unplannedWork', 'initiatives', 'certificates'] as const;
export type ListName = (typeof LISTS)[number];
export const POINTS = /^\d{1,3}([.,]\d{1,2})?$/;
/** The plan year the screens open by default: the current year in Asia/Ho_Chi_Minh (UTC+7). */
export const currentYear = () => new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
