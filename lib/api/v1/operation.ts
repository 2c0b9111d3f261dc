// One REST operation: its place in the API (method, path, scope), the zod schemas of its params,
// query, body and response, and the handler that calls the domain. The route files under
// app/api/v1 serve operations (./serve-operation.ts), and ./openapi.ts documents the same list.
import type { z } from "zod";
import type { ErrorCode } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/orgs/roles";

/** What an API key needs: read (any key), write (write or admin keys), admin (admin keys). */
export type OperationScope = "read" | "write" | "admin";

type AnyObject = z.ZodObject;

export interface OperationContext<P, Q, B> {
  db: Db;
  actor: Actor;
  params: P;
  query: Q;
  body: B;
}

/** A response other than the operation's default status, with extra headers. */
export class Reply<T> {
  constructor(
    readonly data: T,
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface OperationSpec<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  R extends z.ZodType,
> {
  operationId: string;
  method: "GET" | "POST";
  /** OpenAPI path under /api/v1, with {param} segments (the route folder uses [param]). */
  path: string;
  tag: "Projects" | "Tickets" | "Specs" | "Tasks" | "Runs" | "Activity" | "Intake" | "Callbacks";
  summary: string;
  description?: string;
  scope: OperationScope;
  params?: P;
  query?: Q;
  body?: B;
  /** A request body that works against a fresh organization, shown in the reference. */
  example?: z.input<B>;
  response: R;
  /** Status of a success (default 200); a handler may answer another through `Reply`. */
  status?: number;
  /** Other statuses a success may have, documented with the same body (e.g. 200 on a replay). */
  alsoStatus?: { status: number; description: string }[];
  /** Error codes this operation documents besides the ones every operation can answer. */
  errors?: ErrorCode[];
  /** Largest request body accepted (bytes); larger is 413. */
  maxBodyBytes?: number;
  handle(
    ctx: OperationContext<z.output<P>, z.output<Q>, z.output<B>>,
  ): Promise<z.input<R> | Reply<z.input<R>>>;
}

/** An operation with its types erased, as the list in ./operations.ts holds them. */
export interface Operation {
  operationId: string;
  method: "GET" | "POST";
  path: string;
  tag: OperationSpec<AnyObject, AnyObject, z.ZodType, z.ZodType>["tag"];
  summary: string;
  description?: string;
  scope: OperationScope;
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
  example?: unknown;
  response: z.ZodType;
  status: number;
  alsoStatus: { status: number; description: string }[];
  errors: ErrorCode[];
  maxBodyBytes: number;
  handle(ctx: OperationContext<unknown, unknown, unknown>): Promise<unknown>;
}

/** Default cap on request bodies: well above the largest field (a 20,000-character description). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export function defineOperation<
  P extends AnyObject = z.ZodObject<Record<string, never>>,
  Q extends AnyObject = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(spec: OperationSpec<P, Q, B, R>): Operation {
  return {
    ...spec,
    status: spec.status ?? 200,
    alsoStatus: spec.alsoStatus ?? [],
    errors: spec.errors ?? [],
    maxBodyBytes: spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    handle: spec.handle as Operation["handle"],
  };
}
