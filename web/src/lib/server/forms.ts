// Helpers of the form actions: read fields, turn an API problem into fail() data for the page.
import { fail } from '@sveltejs/kit';
import { type Problem, problemText } from './api.ts';

/** A text field, trimmed ('' when absent). */
export function field(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** An optional text field: undefined when empty. */
export function optional(form: FormData, name: string): string | undefined {
  return field(form, name) || undefined;
}

/** Which fields a VALIDATION_FAILED problem names (its details.issues paths). */
function invalidFields(p: Problem): string[] {
  const issues = (p.details as { issues?: { path?: string }[] } | undefined)?.issues;
  return Array.isArray(issues) ? issues.map((i) => String(i.path ?? '')).filter(Boolean) : [];
}

/** The failure a page shows for an API problem: the message in the reader's language and its stable code. */
export function failWith<E extends object = object>(p: Problem, extra?: E) {
  const status = p.status >= 400 && p.status < 600 ? p.status : 400;
  return fail(status, { error: problemText(p), code: p.code, fields: invalidFields(p), ...(extra as E) });
}

/** A failure for input the page itself refuses (message from the catalogue). */
export function failText<E extends object = object>(error: string, extra?: E) {
  return fail(400, { error, code: 'FORM_INVALID', fields: [] as string[], ...(extra as E) });
}
