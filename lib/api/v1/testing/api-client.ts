// Test helpers for the REST API: call a route module under app/api/v1 the way Next does (a
// Request and its params), mint keys, and validate JSON against the served OpenAPI document.
import path from "node:path";
import { z } from "zod";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/orgs/roles";
import type { OpenApiDocument } from "../openapi";

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string> | undefined> },
) => Promise<Response>;

/** The route module file that serves an OpenAPI path (`/tasks/{taskId}` -> app/api/v1/tasks/[taskId]/route.ts). */
export function routeFileOf(openApiPath: string): string {
  return path.resolve(`app/api/v1${openApiPath.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`);
}

export interface CallOptions {
  key?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Calls the route module serving `method path` with a Request, as Next would. */
export async function callApi(
  method: "GET" | "POST",
  openApiPath: string,
  options: CallOptions = {},
): Promise<Response> {
  const module = (await import(routeFileOf(openApiPath))) as Record<string, Handler | undefined>;
  const handler = module[method];
  if (!handler) throw new Error(`${routeFileOf(openApiPath)} does not export ${method}`);
  const params = options.params ?? {};
  const url = new URL(
    `http://localhost/api/v1${openApiPath.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""))}`,
  );
  for (const [name, value] of Object.entries(options.query ?? {}))
    url.searchParams.set(name, value);
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new Request(url, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    body,
  });
  // As Next does: routes without dynamic segments get no params.
  return handler(request, {
    params: Promise.resolve(Object.keys(params).length ? params : undefined),
  });
}

/** A new API key of the actor's organization with one scope. */
export async function mintApiKey(
  db: Db,
  actor: Actor,
  scope: "READ" | "WRITE" | "ADMIN",
  name = `${scope.toLowerCase()} key`,
): Promise<{ id: string; key: string }> {
  const created = await createApiKey(db, { actor, input: { name, scope } });
  return { id: created.id, key: created.key };
}

/**
 * A zod validator for a schema of the document (`{ $ref: "#/components/schemas/X" }`), built from
 * the document itself with z.fromJSONSchema — so responses are checked against what is published,
 * not against the source schemas.
 */
export function documentedSchema(doc: OpenApiDocument, schema: unknown): z.ZodType {
  // The document's refs point into components; a standalone JSON Schema keeps them in $defs.
  const rewrite = <T>(value: T): T =>
    JSON.parse(JSON.stringify(value).replaceAll("#/components/schemas/", "#/$defs/")) as T;
  const root = rewrite(schema) as Record<string, unknown>;
  return z.fromJSONSchema({
    ...root,
    $defs: rewrite(doc.components.schemas),
  } as Parameters<typeof z.fromJSONSchema>[0]);
}
