import type { ErrorCode, FieldErrors } from "./app-error";

/** What a server action returns: expected failures are values, not throws. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: {
        code: ErrorCode;
        message: string;
        fields?: FieldErrors;
        /** LIMIT_REACHED: the billing page where the limit is lifted. */
        upgradeUrl?: string;
      };
    };
