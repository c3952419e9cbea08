// The rule sets shipped with WOMS (RULES.md). Data, not code: a new version is a new entry.
import type { Perspective } from '../plan/model.ts';
import type { RuleSet } from './types.ts';

const ND335_2025: RuleSet = {
  id: 'ND335-2025',
  version: 1,
  title: { vi: 'Nghị định 335/2025/NĐ-CP', en: 'Decree 335/2025/ND-CP' },
  legalBasis: [
    { ref: 'Nghị định 335/2025/NĐ-CP (hiệu lực 1/1/2026)', verification: 'V' },
    { ref: 'Luật Cán bộ, công chức 2025', verification: 'V' },
  ],
  scoring: {
    displayCap: '1.2',
    allowOverCompletion: false,
    okrGreenFrom: '0.7',
    breakthrough: { mode: 'exclude', bonusWeight: '2', bonusThreshold: '0.7' },
  },
  nd335: {
    taskPointsMax: '70',
    generalPointsMax: '30',
    lateDeduction: '0.25',
    majorErrorDeduction: '0.25',
    // Sub-criteria and points are configurable [U]; the default follows the seed's criteria 1, 3, 4.
    generalCriteria: [
      {
        id: 'politicalEthics',
        vi: 'Lập trường tư tưởng, đạo đức, lối sống',
        en: 'Political stance, ethics, lifestyle',
        maxPoints: '15',
      },
      {
        id: 'disciplineStyle',
        vi: 'Ý thức tổ chức kỷ luật, tác phong',
        en: 'Discipline and work style',
        maxPoints: '5',
      },
      {
        id: 'initiatives',
        vi: 'Đề xuất, sáng kiến được công nhận',
        en: 'Recognised proposals and initiatives',
        maxPoints: '5',
      },
      { id: 'capabilityGrowth', vi: 'Nâng cao năng lực, trình độ', en: 'Capability growth', maxPoints: '5' },
    ],
    leader: {
      weights: { own: '1', unit: '1', organising: '1' },
      unitAllCompleted: '1',
      unitOtherwise: '0.5',
    },
    unplannedCredit: { perItem: '1', max: '5' },
  },
  bands: {
    excellent: { min: '90', inclusive: true },
    good: { min: '70', inclusive: true },
    completed: { min: '50', inclusive: true },
  },
  gates: [],
  forced: {
    disciplineInYear: true,
    degradation: true,
    exampleBreach: true,
    leaderUnitCorruptionOrWaste: true,
  },
  quota: { excellentShareOfGood: '0.2', rounding: 'floor', exceptionCap: 1, verification: 'V' },
  flags: { headUnitCompletionBelow: '0.7', headTwoYearsRule: false, twoYearsNotCompleted: true },
};

const QD366_2025: RuleSet = {
  ...ND335_2025,
  id: 'QD366-2025',
  version: 1,
  title: { vi: 'Quy định 366-QĐ/TW', en: 'Regulation 366-QD/TW' },
  legalBasis: [
    { ref: 'Quy định 366-QĐ/TW (30/8/2025)', verification: 'V' },
    { ref: 'Hướng dẫn 43-HD/BTCTW (31/10/2025)', verification: 'V' },
  ],
  basedOn: 'ND335-2025',
  gates: [
    {
      id: 'qd366.onTime',
      level: 'excellent',
      appliesTo: 'all',
      kind: 'minOnTimeShare',
      threshold: '1',
      basis: 'QĐ 366',
      verification: 'V',
    },
    {
      id: 'qd366.exceeded',
      level: 'excellent',
      appliesTo: 'all',
      kind: 'minExceededShare',
      threshold: '0.3',
      basis: 'QĐ 366',
      verification: 'V',
    },
    {
      id: 'qd366.noDiscipline',
      level: 'excellent',
      appliesTo: 'all',
      kind: 'noDisciplineInUnit',
      basis: 'QĐ 366',
      verification: 'V',
    },
    {
      id: 'qd366.remedied',
      level: 'excellent',
      appliesTo: 'all',
      kind: 'shortcomingsRemedied',
      basis: 'QĐ 366',
      verification: 'V',
    },
    {
      id: 'qd366.collectiveLate',
      level: 'completed',
      appliesTo: 'collective',
      kind: 'maxLateShare',
      threshold: '0.2',
      basis: 'QĐ 366',
      verification: 'V',
    },
  ],
  // Party quota: historically 20% of Tốt per grassroots organisation [U].
  quota: { excellentShareOfGood: '0.2', rounding: 'floor', exceptionCap: 1, verification: 'U' },
};

const ND90_48_LEGACY: RuleSet = {
  ...ND335_2025,
  id: 'ND90-48-legacy',
  version: 1,
  title: {
    vi: 'Nghị định 90/2020 và 48/2023 (năm trước 2026)',
    en: 'Decrees 90/2020 and 48/2023 (years before 2026)',
  },
  legalBasis: [
    { ref: 'Nghị định 90/2020/NĐ-CP', verification: 'V' },
    { ref: 'Nghị định 48/2023/NĐ-CP', verification: 'V' },
  ],
  gates: [
    {
      id: 'nd90.exceeded',
      level: 'excellent',
      appliesTo: 'all',
      kind: 'minExceededShare',
      threshold: '0.5',
      basis: 'NĐ 90/2020',
      verification: 'V',
    },
  ],
};

const PROVINCIAL_GOOD_ABOVE_80: RuleSet = {
  ...ND335_2025,
  id: 'ND335-2025-province-good80',
  version: 1,
  title: {
    vi: 'NĐ 335 — cấu hình tỉnh: Tốt từ trên 80 điểm',
    en: 'ND 335 — provincial preset: Tốt above 80 points',
  },
  basedOn: 'ND335-2025',
  bands: { ...ND335_2025.bands, good: { min: '80', inclusive: false } },
};

export const RULE_SETS: readonly RuleSet[] = [
  ND335_2025,
  QD366_2025,
  ND90_48_LEGACY,
  PROVINCIAL_GOOD_ABOVE_80,
];

export function getRuleSet(id: string, version?: number): RuleSet {
  const matches = RULE_SETS.filter((r) => r.id === id && (version === undefined || r.version === version));
  const found = matches.sort((a, b) => b.version - a.version)[0];
  if (!found) throw new Error(`unknown rule set ${id}${version === undefined ? '' : ` v${version}`}`);
  return found;
}

/** Perspective weight presets (relative weights; equal when absent). */
export const PERSPECTIVE_PRESETS: Record<string, Partial<Record<Perspective, string>>> = {
  equal: { citizens: '1', budget: '1', processes: '1', learning: '1' },
  // Seed 001 for unit heads: governance effectiveness 40% (disbursement → budget, PAPI/PCI and
  // administrative reform → processes), social impact 30% (citizens), capacity and integrity 30% (learning).
  seed001Heads: { citizens: '30', budget: '20', processes: '20', learning: '30' },
};
