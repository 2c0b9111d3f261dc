import { ZodError } from "zod";
import { AppError, type FieldErrors } from "./app-error";

/** Field path -> first message, for showing zod issues next to form fields. */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * Maps anything thrown to an AppError. Unknown errors become a generic INTERNAL
 * error so that stack traces and database messages never reach a client.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const fields = zodFieldErrors(error);
    const first = Object.entries(fields)[0];
    const message = first
      ? `${first[0] === "_form" ? "" : `${first[0]}: `}${first[1]}`
      : "Invalid input";
    return new AppError("INVALID", message, { fields });
  }
  return new AppError(
    "INTERNAL",
    "Something went wrong on our side. Try again; if it keeps happening, check the server logs.",
  );
}
