// The dashboards' API answers (GET /api/dashboards/*; api/routes/dashboards.ts) as the screens read them.
import type { Light } from './format.ts';

export type Position = 'top' | 'upper' | 'lower' | 'bottom' | null;
export type PerspectiveCode = 'citizens' | 'budget' | 'processes' | 'learning';

export interface Quartiles {
  n: number;
  q1: string;
  median: string;
  q3: string;
}

export interface ProvinceDashboard {
  provinceId: string;
  provinceName: string;
  year: number;
  month: number;
  months: string[];
  peers: (Quartiles & { group: string })[];
  units: {
    id: string;
    code: string;
    name: string;
    typeCode: string;
    group: string;
    planId: string | null;
    filed: boolean;
    cells: { period: string; completion: string | null; light: Light }[];
    completion: string | null;
    light: Light;
    rank: number | null;
    peerPosition: Position;
    overdue: number;
    reporting: { people: number; reported: number; verified: number };
  }[];
}

export interface MonthPoint {
  period: string;
  value: string | null;
  target: string | null;
  attainment: string | null;
  light: Light;
}

export interface UnitKeyResult {
  id: string;
  title: string;
  unit: string;
  type: 'KPI' | 'OKR';
  breakthrough: boolean;
  perspective: PerspectiveCode;
  taskTitle: string;
  target: string;
  weight: string;
  aggregation: string;
  formula: { code: string; vi: string; en: string };
  yearToDate: { value: string; target: string; progress: string | null; light: Light } | null;
  months: MonthPoint[];
}

export interface UnitDashboard {
  unit: { id: string; code: string; name: string; typeCode: string; group: string };
  year: number;
  month: number;
  months: string[];
  planId: string | null;
  filed: boolean;
  completion: string | null;
  light: Light;
  peers: Quartiles | null;
  peerPosition: Position;
  perspectives: { perspective: PerspectiveCode; score: string | null }[];
  keyResults: UnitKeyResult[];
}

export interface KeyResultDashboard {
  unit: { id: string; name: string };
  year: number;
  planId: string;
  keyResult: UnitKeyResult;
  formulaTail: { vi: string; en: string };
  values: {
    period: string;
    value: string | null;
    done: boolean | null;
    verifiedAt: string | null;
    person: { id: string; name: string };
    evidence: { id: string; fileName: string; type: string; size: number }[];
  }[];
}

export interface MyDashboard {
  personId: string;
  year: number;
  month: number;
  months: string[];
  completion: string | null;
  keyResults: (UnitKeyResult & { planId: string; months: (MonthPoint & { verified: boolean })[] })[];
}
