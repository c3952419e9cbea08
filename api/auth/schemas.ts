import { z } from 'zod';

// Request and response schemas of the sign-in routes (the web's typed client reads them through AppType).

const email = z.string().trim().max(320).pipe(z.email());
const password = z.string().min(1).max(1024);
const code = z.string().trim().min(1).max(64);

export const signInBody = z.strictObject({ email, password });
export const codeBody = z.strictObject({ code });
export const passwordChangeBody = z.strictObject({ currentPassword: password, newPassword: password });
export const personIdParam = z.object({ personId: z.uuid() });
export const oidcCallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
  iss: z.string().max(2048).optional(),
});

// Responses.
const grant = z.object({ role: z.string(), scopeUnitId: z.uuid() });
const planningUnit = z.object({ id: z.uuid(), code: z.string(), nameVi: z.string() });
export const signInResult = z.object({
  requiresSecondFactor: z.boolean(),
  mustChangePassword: z.boolean(),
  totpEnrolled: z.boolean(),
  csrfToken: z.string(),
});
export const secondFactorResult = z.object({
  secondFactorDone: z.literal(true),
  method: z.enum(['totp', 'recovery_code']),
  recoveryCodesLeft: z.number().int(),
});
export const totpEnrolment = z.object({ secret: z.string(), otpauthUri: z.string() });
export const totpConfirmed = z.object({
  recoveryCodes: z.array(z.string()),
  secondFactorDone: z.literal(true),
});
export const sessionView = z.object({
  person: z.object({ id: z.uuid(), fullName: z.string(), email: z.string() }),
  grants: z.array(grant),
  /** The units whose annual plan the person works on: the top unit (directly under the province) of each current
   * employment, then of each unit-scoped grant; each once. */
  planningUnits: z.array(planningUnit),
  csrfToken: z.string(),
  secondFactorDone: z.boolean(),
  secondFactorRequired: z.boolean(),
  totpEnrolled: z.boolean(),
  mustChangePassword: z.boolean(),
  expiresAt: z.iso.datetime(),
});
export const passwordReset = z.object({ temporaryPassword: z.string(), mustChangePassword: z.literal(true) });
export const unlockResult = z.object({ wasLocked: z.boolean() });
