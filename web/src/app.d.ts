// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session } from '#lib/session.ts';

declare global {
  namespace App {
    interface Error {
      message: string;
    }
    interface Locals {
      /** The signed-in person (null when anonymous or the session has ended). */
      session: Session | null;
    }
  }
}
