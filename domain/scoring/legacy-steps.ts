// Ranking steps frozen before the parameters became raw codes (until 2026-11) carried Vietnamese text
// in their parameters: the rank level by its Vietnamese label, the forced reason as a phrase
// ("kỷ luật (canhCao)"), a failed gate as a sentence fragment. currentShape() maps such a step to the
// key and parameters the engine writes today, so those rankings still verify; a step already in
// today's shape is returned as it is.
import { RANK_LABELS, RANK_LEVELS, type RankLevel } from '../rulesets/types.ts';
import type { Message, MessageParams } from './messages.ts';
import { type ConclusionKind, DISCIPLINE_FORM_LABELS } from './records.ts';

const LEVEL_BY_VI = new Map<string, RankLevel>(RANK_LEVELS.map((l) => [RANK_LABELS[l].vi, l]));

const level = (v: string | number | undefined): string | number | undefined =>
  typeof v === 'string' ? (LEVEL_BY_VI.get(v) ?? v) : v;

const CONCLUSION_BY_PHRASE: Record<string, ConclusionKind> = {
  'suy thoái': 'degradation',
  'vi phạm trách nhiệm nêu gương': 'exampleBreach',
  'tham nhũng trong đơn vị trực tiếp quản lý': 'corruptionInUnit',
  'lãng phí trong đơn vị trực tiếp quản lý': 'wasteInUnit',
};

const GATE_DETAILS: { re: RegExp; key: string; names: string[] }[] = [
  { re: /^chỉ (\S+)% nhiệm vụ đúng hạn < (\S+)%$/, key: 'minOnTimeShare', names: ['value', 'threshold'] },
  { re: /^chỉ (\S+)% nhiệm vụ vượt mức < (\S+)%$/, key: 'minExceededShare', names: ['value', 'threshold'] },
  { re: /^(\S+)% nhiệm vụ trễ hạn > (\S+)%$/, key: 'maxLateShare', names: ['value', 'threshold'] },
  { re: /^có kỷ luật trong năm \(quyết định (.+)\)$/, key: 'noDisciplineInUnit', names: ['decisionNumber'] },
  { re: /^chưa khắc phục hạn chế đã chỉ ra$/, key: 'shortcomingsRemedied', names: [] },
];

function defined(params: Record<string, string | number | undefined>): MessageParams {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as MessageParams;
}

export function currentShape(m: Pick<Message, 'key' | 'params'>): { key: string; params: MessageParams } {
  const p = m.params ?? {};
  switch (m.key) {
    case 'ranking.band':
      return { key: m.key, params: defined({ ...p, level: level(p.level) }) };
    case 'ranking.partyCappedByState':
      return { key: m.key, params: defined({ ...p, state: level(p.state) }) };
    case 'ranking.forced': {
      const reason = String(p.reason ?? '');
      const conclusion = Object.hasOwn(CONCLUSION_BY_PHRASE, reason)
        ? CONCLUSION_BY_PHRASE[reason]
        : undefined;
      if (conclusion) return { key: m.key, params: { ...p, reason: conclusion } };
      const discipline = /^kỷ luật \((\w+)\)$/.exec(reason);
      if (discipline && Object.hasOwn(DISCIPLINE_FORM_LABELS, discipline[1]!))
        return { key: m.key, params: { ...p, reason: 'discipline', form: discipline[1]! } };
      return { key: m.key, params: p };
    }
    case 'ranking.gateFailed': {
      const detail = String(p.detail ?? '');
      for (const g of GATE_DETAILS) {
        const found = g.re.exec(detail);
        if (!found) continue;
        const extra = Object.fromEntries(g.names.map((n, i) => [n, found[i + 1]!]));
        return {
          key: `ranking.gate.${g.key}`,
          params: defined({ score: p.score, ...extra, level: level(p.level) }),
        };
      }
      return { key: m.key, params: p };
    }
    default:
      return { key: m.key, params: p };
  }
}
