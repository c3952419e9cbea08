// Typed scoring errors: invalid inputs never turn into NaN or a silent zero.
import { type Message, type MessageParams, message } from './messages.ts';

export type ScoringErrorCode =
  | 'attainment.invalidTarget'
  | 'attainment.baselineNotAboveTarget'
  | 'attainment.negativeActual'
  | 'attainment.invalidRange'
  | 'attainment.invalidBinary'
  | 'weights.noPositiveWeight'
  | 'weights.negativeWeight'
  | 'nd335.generalOverMax'
  | 'nd335.unknownCriterion'
  | 'nd335.unknownProductType'
  | 'nd335.noPeriods'
  | 'records.invalid'
  | 'explanation.mismatch';

export class ScoringError extends Error {
  readonly code: ScoringErrorCode;
  readonly detail: Message;

  constructor(code: ScoringErrorCode, params: MessageParams = {}) {
    const m = message(code, params);
    super(m.en);
    this.name = 'ScoringError';
    this.code = code;
    this.detail = m;
  }
}
