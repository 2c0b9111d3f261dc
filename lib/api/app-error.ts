export const errorStatus = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  LIMIT_REACHED: 402,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** Field-level problems: field path -> message, shown next to form fields. */
export type FieldErrors = Record<string, string>;

export interface AppErrorDetails {
  fields?: FieldErrors;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/** The one error type the domain throws; edges map it to a status and a JSON shape. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: AppErrorDetails;

  constructor(code: ErrorCode, message: string, details?: AppErrorDetails) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
