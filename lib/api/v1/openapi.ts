// The OpenAPI 3.1 document of /api/v1, generated from the operations (./operations.ts) and their
// zod schemas (./schemas.ts) with zod's own z.toJSONSchema — the same schemas that parse requests
// and shape responses. Served at GET /api/v1/openapi.json and rendered in the app's API reference.
import { z } from "zod";
import { type ErrorCode, errorStatus } from "@/lib/api/app-error";
import type { Operation } from "./operation";
import { operations } from "./operations";
import { requestSchemas, responseSchemas } from "./schemas";

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, JsonSchema>;
  };
}

export interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-required-scope": "read" | "write" | "admin";
  parameters: OpenApiParameter[];
  requestBody?: {
    required: true;
    content: { "application/json": { schema: JsonSchema; example?: unknown } };
  };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: unknown }
  >;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Drops what zod adds that says nothing to a reader: the ISO-date regex, ±2^53 integer bounds. */
function tidy(ctx: { jsonSchema: Record<string, unknown> }): void {
  const schema = ctx.jsonSchema;
  if (schema.format === "date-time") delete schema.pattern;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
}

/** A registry's schemas as components, without the per-schema $schema/$id zod adds. */
function components(
  registry: typeof requestSchemas,
  io: "input" | "output",
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "throw",
    override: tidy,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  );
}

function idOf(registry: typeof requestSchemas, schema: z.ZodType, operation: Operation): string {
  const id = registry.get(schema)?.id;
  if (!id)
    throw new Error(`${operation.operationId}: register its body/response schema with an id`);
  return id;
}

function parameters(operation: Operation): OpenApiParameter[] {
  const list: OpenApiParameter[] = [];
  for (const [where, object] of [
    ["path", operation.params],
    ["query", operation.query],
  ] as const) {
    if (!object) continue;
    for (const [name, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
      const {
        $schema: _s,
        description,
        ...schema
      } = z.toJSONSchema(field, { io: "input", override: tidy }) as JsonSchema;
      list.push({
        name,
        in: where,
        required: where === "path" || !field.safeParse(undefined).success,
        ...(typeof description === "string" ? { description } : {}),
        schema,
      });
    }
  }
  return list;
}

const errorDescriptions: Record<ErrorCode, string> = {
  INVALID: "The request is malformed: `details.fields` names each field and its problem.",
  UNAUTHENTICATED: "No API key, or one that is malformed, unknown, revoked or expired.",
  FORBIDDEN:
    "The key's scope does not allow this (a read key on a write operation, or a key without the admin scope on an admin one).",
  NOT_FOUND:
    "No such resource in the key's organization (another organization's ids are not found either).",
  CONFLICT: "The resource is not in a state that allows this; `message` says why.",
  PAYLOAD_TOO_LARGE: "The request body is larger than the operation accepts.",
  UNPROCESSABLE: "Well-formed but refused: `details.fields` names the field.",
  RATE_LIMITED: "Too many requests for this key; wait `Retry-After` seconds.",
  LIMIT_REACHED: "A plan limit was reached.",
  INTERNAL: "Something failed on our side.",
  UNAVAILABLE: "The service is unavailable; retry later.",
};

function responses(operation: Operation): OpenApiOperation["responses"] {
  const body = {
    "application/json": { schema: ref(idOf(responseSchemas, operation.response, operation)) },
  };
  const result: OpenApiOperation["responses"] = {
    [operation.status]: {
      description: operation.status === 201 ? "Created." : "OK.",
      content: body,
    },
  };
  for (const also of operation.alsoStatus)
    result[also.status] = { description: also.description, content: body };
  const codes: ErrorCode[] = [
    ...(operation.body || operation.query || operation.params ? (["INVALID"] as const) : []),
    "UNAUTHENTICATED",
    ...(operation.scope !== "read" ? (["FORBIDDEN"] as const) : []),
    ...operation.errors,
    ...(operation.body ? (["PAYLOAD_TOO_LARGE"] as const) : []),
    "RATE_LIMITED",
  ];
  for (const code of codes) {
    result[errorStatus[code]] = {
      description: errorDescriptions[code],
      ...(code === "RATE_LIMITED"
        ? {
            headers: {
              "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } },
            },
          }
        : {}),
      content: { "application/json": { schema: ref("Error") } },
    };
  }
  return result;
}

/** The whole document, for a server at `baseUrl` (the app's URL). */
export function buildOpenApiDocument(baseUrl: string): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const operation of operations) {
    const entry: OpenApiOperation = {
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      "x-required-scope": operation.scope,
      parameters: parameters(operation),
      ...(operation.body
        ? {
            requestBody: {
              required: true as const,
              content: {
                "application/json": {
                  schema: ref(idOf(requestSchemas, operation.body, operation)),
                  ...(operation.example !== undefined ? { example: operation.example } : {}),
                },
              },
            },
          }
        : {}),
      responses: responses(operation),
    };
    paths[operation.path] ??= {};
    (paths[operation.path] as Record<string, OpenApiOperation>)[operation.method.toLowerCase()] =
      entry;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Trellis API",
      version: "1",
      description: [
        "Everything an organization's API key can read and do. Authenticate with `Authorization: Bearer trl_…` (create keys in Settings → API keys; a key is shown once).",
        "Scopes: read keys call the GET operations; write keys also the operations that change work; admin keys every operation, including callback deliveries (their URLs often carry a token).",
        "Lists are paginated with `?cursor=&limit=`: each page is `{ data: [...], next_cursor }`, and next_cursor is null on the last page.",
        "Errors have one shape, `{ error: { code, message, details? } }`. Request bodies above 256 KiB are refused with 413. Each key may make a limited number of requests per minute (429 with `Retry-After` beyond it; `RateLimit-Limit` and `RateLimit-Remaining` on every answer).",
      ].join("\n\n"),
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Projects", description: "Repositories Trellis works on." },
      { name: "Tickets", description: "Work to be specified and done." },
      {
        name: "Intake",
        description: "Enqueue work from CI and scripts, with policy, idempotency and callbacks.",
      },
      {
        name: "Specs",
        description: "Requirements, design and task graph of a ticket, with approval gates.",
      },
      { name: "Tasks", description: "Units of a spec's task graph, run by agents." },
      { name: "Runs", description: "Attempts of a task, with their logs." },
      { name: "Activity", description: "The organization's timeline." },
      {
        name: "Callbacks",
        description:
          "Signed POSTs sent when enqueued work ends: their outcome, and sending one again.",
      },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "trl_<32 base62>_<6 base62 CRC32>",
          description: "An organization API key from Settings → API keys.",
        },
      },
      schemas: { ...components(requestSchemas, "input"), ...components(responseSchemas, "output") },
    },
  };
}
