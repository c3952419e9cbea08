// Validation of check-in entries (DESIGN §3, §5): numbers parsed in the person's locale (decimal strings,
// never floats), an input that reads differently in Vietnamese and English refused as ambiguous when the
// locale is not certain, explanations required when off track, confidence 0–100. Every refusal has a stable
// code and a message in both languages; nothing is partly accepted.
import type { Locale } from '../format/locale.ts';
import { formatNumber, parseNumber } from '../format/number.ts';
import type { DecimalString } from '../plan/model.ts';
import { type CheckInError, checkInError, VALUE_KIND_MISMATCH_MESSAGES } from './messages.ts';
import {
  type CheckInValue,
  type DueKeyResult,
  EVIDENCE_MAX,
  EXPLANATION_MAX,
  KR_STATUSES,
  type ValueEntryInput,
} from './model.ts';

export type ValueParse =
  | { ok: true; value: DecimalString }
  | { ok: false; code: 'VALUE_AMBIGUOUS'; whole: string; fraction: string }
  | { ok: false; code: 'VALUE_INVALID'; reason: { vi: string; en: string } };

/** "1.234" reads 1234 (vi) or 1.234 (en): the two unambiguous spellings to offer, in `locale`. */
function readings(input: string, locale: Locale): { whole: string; fraction: string } {
  const digits = input.trim().replace(/^[+]/, '');
  const whole = digits.replace(/[.,]/g, '');
  const sep = /[.,]/.exec(digits);
  const at = sep ? sep.index : digits.length;
  const fractionPlain = `${digits.slice(0, at)}.${digits.slice(at + 1).replace(/[.,]/g, '')}`;
  return { whole, fraction: formatNumber(fractionPlain, locale) };
}

/**
 * Parses a typed number. With a certain locale (the person chose it) the input is read in that locale and
 * only parseNumber's own ambiguity ("1,234" in Vietnamese) is refused as ambiguous. With an uncertain locale
 * (a guess from the browser) the input is read in both: the same value, or a value in only one of them, is
 * accepted; different values, or a reading parseNumber itself calls ambiguous, are VALUE_AMBIGUOUS.
 */
export function parseValueText(input: string, locale: Locale, localeCertain: boolean): ValueParse {
  const mine = parseNumber(input, locale);
  if (localeCertain) {
    if (mine.ok) return mine;
    if (mine.error.code === 'NUMBER_AMBIGUOUS_SEPARATOR')
      return { ok: false, code: 'VALUE_AMBIGUOUS', ...readings(input, locale) };
    return { ok: false, code: 'VALUE_INVALID', reason: mine.error.message };
  }
  const other = parseNumber(input, locale === 'vi' ? 'en' : 'vi');
  const ambiguous =
    (!mine.ok && mine.error.code === 'NUMBER_AMBIGUOUS_SEPARATOR') ||
    (!other.ok && other.error.code === 'NUMBER_AMBIGUOUS_SEPARATOR') ||
    (mine.ok && other.ok && mine.value !== other.value);
  if (ambiguous) return { ok: false, code: 'VALUE_AMBIGUOUS', ...readings(input, locale) };
  if (mine.ok) return mine;
  if (other.ok) return other;
  return { ok: false, code: 'VALUE_INVALID', reason: mine.error.message };
}

export interface ValidateContext {
  period: string;
  locale: Locale;
  /** The person chose the locale (not a guess from the browser). */
  localeCertain: boolean;
  /** The evidence files the person may attach (uploaded by them or kept by their unit); when given, any other
   *  id is EVIDENCE_UNKNOWN. */
  knownEvidenceIds?: ReadonlySet<string> | undefined;
}

const key = (planId: string, keyResultId: string) => `${planId}\u0000${keyResultId}`;

/** Validates a save of draft entries against the key results due in the period: every entry valid (answered
 *  as the values to store) or the errors of all of them. */
export function validateEntries(
  due: readonly DueKeyResult[],
  entries: readonly ValueEntryInput[],
  ctx: ValidateContext,
): { ok: true; values: CheckInValue[] } | { ok: false; errors: CheckInError[] } {
  const byKey = new Map(due.map((d) => [key(d.planId, d.keyResult.id), d]));
  const seen = new Set<string>();
  const errors: CheckInError[] = [];
  const values: CheckInValue[] = [];
  for (const e of entries) {
    const where = { planId: e.planId, keyResultId: e.keyResultId };
    const k = key(e.planId, e.keyResultId);
    const d = byKey.get(k);
    if (!d) {
      errors.push(
        checkInError({ ...where, field: 'keyResult' }, 'KR_NOT_IN_PERIOD', {
          keyResultId: e.keyResultId,
          period: ctx.period,
        }),
      );
      continue;
    }
    if (seen.has(k)) {
      errors.push(
        checkInError({ ...where, field: 'keyResult' }, 'KR_DUPLICATE', { keyResultId: e.keyResultId }),
      );
      continue;
    }
    seen.add(k);
    const title = d.keyResult.title;
    const milestone = d.keyResult.direction.kind === 'milestone';
    const before = errors.length;
    let value: DecimalString | null = null;
    let done: boolean | null = null;
    const typed = typeof e.value === 'string' ? e.value.trim() : '';
    if (milestone) {
      if (typed !== '')
        errors.push(
          checkInError(
            { ...where, field: 'value' },
            'VALUE_KIND_MISMATCH',
            { title, expected: 'milestone' },
            VALUE_KIND_MISMATCH_MESSAGES.milestone,
          ),
        );
      else if (typeof e.done !== 'boolean')
        errors.push(checkInError({ ...where, field: 'done' }, 'DONE_REQUIRED', { title }));
      else done = e.done;
    } else {
      if (e.done !== undefined && e.done !== null)
        errors.push(
          checkInError(
            { ...where, field: 'done' },
            'VALUE_KIND_MISMATCH',
            { title, expected: 'number' },
            VALUE_KIND_MISMATCH_MESSAGES.number,
          ),
        );
      else if (typed === '')
        errors.push(checkInError({ ...where, field: 'value' }, 'VALUE_REQUIRED', { title }));
      else {
        const p = parseValueText(typed, ctx.locale, ctx.localeCertain);
        if (p.ok) value = p.value;
        else if (p.code === 'VALUE_AMBIGUOUS')
          errors.push(
            checkInError({ ...where, field: 'value' }, 'VALUE_AMBIGUOUS', {
              input: typed,
              title,
              whole: p.whole,
              fraction: p.fraction,
            }),
          );
        else
          errors.push(
            checkInError({ ...where, field: 'value' }, 'VALUE_INVALID', {
              input: typed,
              title,
              reason: p.reason[ctx.locale],
            }),
          );
      }
    }
    const status = e.status ?? null;
    if (status !== null && !(KR_STATUSES as readonly string[]).includes(status))
      errors.push(checkInError({ ...where, field: 'status' }, 'STATUS_REQUIRED', { title }));
    const confidence = e.confidence ?? null;
    if (confidence !== null && !(Number.isInteger(confidence) && confidence >= 0 && confidence <= 100))
      errors.push(checkInError({ ...where, field: 'confidence' }, 'CONFIDENCE_OUT_OF_RANGE', { title }));
    const explanation = (e.explanation ?? '').normalize('NFC').trim();
    if (status === 'off-track' && explanation === '')
      errors.push(checkInError({ ...where, field: 'explanation' }, 'EXPLANATION_REQUIRED', { title }));
    if ([...explanation].length > EXPLANATION_MAX)
      errors.push(
        checkInError({ ...where, field: 'explanation' }, 'EXPLANATION_TOO_LONG', {
          title,
          length: String([...explanation].length),
          max: String(EXPLANATION_MAX),
        }),
      );
    const evidenceIds = [...new Set(e.evidenceIds ?? [])];
    if (evidenceIds.length > EVIDENCE_MAX)
      errors.push(
        checkInError({ ...where, field: 'evidenceIds' }, 'EVIDENCE_TOO_MANY', {
          title,
          count: String(evidenceIds.length),
          max: String(EVIDENCE_MAX),
        }),
      );
    const known = ctx.knownEvidenceIds;
    if (known && evidenceIds.length <= EVIDENCE_MAX && evidenceIds.some((id) => !known.has(id)))
      errors.push(checkInError({ ...where, field: 'evidenceIds' }, 'EVIDENCE_UNKNOWN', { title }));
    if (errors.length > before) continue;
    values.push({
      ...where,
      value,
      done,
      input: milestone ? null : typed,
      status,
      confidence,
      explanation: explanation === '' ? null : explanation,
      evidenceIds,
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

/** What still stops a check-in from being submitted (for the workflow's validator): every due key result has
 *  a value (or done), a status, and evidence where the key result requires it. */
export function submitBlockers(
  due: readonly DueKeyResult[],
  saved: readonly Pick<
    CheckInValue,
    'planId' | 'keyResultId' | 'value' | 'done' | 'status' | 'evidenceIds'
  >[],
): CheckInError[] {
  const byKey = new Map(saved.map((v) => [key(v.planId, v.keyResultId), v]));
  const out: CheckInError[] = [];
  for (const d of due) {
    const where = { planId: d.planId, keyResultId: d.keyResult.id };
    const title = d.keyResult.title;
    const v = byKey.get(key(d.planId, d.keyResult.id));
    const milestone = d.keyResult.direction.kind === 'milestone';
    if (!v || (milestone ? v.done === null : v.value === null)) {
      out.push(
        checkInError(
          { ...where, field: milestone ? 'done' : 'value' },
          milestone ? 'DONE_REQUIRED' : 'VALUE_REQUIRED',
          {
            title,
          },
        ),
      );
      continue;
    }
    if (v.status === null)
      out.push(checkInError({ ...where, field: 'status' }, 'STATUS_REQUIRED', { title }));
    if (d.keyResult.evidenceRequired && v.evidenceIds.length === 0)
      out.push(checkInError({ ...where, field: 'evidenceIds' }, 'EVIDENCE_REQUIRED', { title }));
  }
  return out;
}
