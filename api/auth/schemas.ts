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
