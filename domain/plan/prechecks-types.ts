// What a pre-check reports (DESIGN §2): findings with a stable code, a severity, the task or key result
// they concern and the parameters of their message (catalogue in prechecks-messages.ts).
import { Decimal } from 'decimal.js';
import { PRECHECK_CATALOGUE, type PrecheckCode, type Severity } from './prechecks-messages.ts';

export type { PrecheckCode, Severity };

export interface Finding {
  code: PrecheckCode;
  severity: Severity;
  targetKind: 'plan' | 'task' | 'keyResult' | 'perspective';
  /** Id of the plan, task or key result (or the perspective name) the finding is about. */
  target: string;
  /** Message parameters; numbers are decimal strings. */
  params: Record<string, string>;
}

/** A valid plain decimal string ("12", "-0.5"); anything else is not a number to the checks. */
const PLAIN_DECIMAL = /^[-+]?[0-9]+(\.[0-9]+)?$/;

export function toDecimal(value: string | undefined): Decimal | undefined {
  if (value === undefined || !PLAIN_DECIMAL.test(value.trim())) return undefined;
  return new Decimal(value.trim());
}

/** A decimal printed plainly for a message parameter. */
export function plain(d: Decimal, decimals?: number): string {
  const r = decimals === undefined ? d : d.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  const s = r.toFixed();
  return s === '-0' ? '0' : s;
}

export function finding(
  code: PrecheckCode,
  targetKind: Finding['targetKind'],
  target: string,
  params: Record<string, string>,
): Finding {
  return { code, severity: PRECHECK_CATALOGUE[code].severity, targetKind, target, params };
}
