// A local HTTP server that speaks enough of the Anthropic Messages API (POST /v1/messages) for
// the real SDK to be pointed at it with baseURL: it checks the headers and body the way the API
// does, answers with real-shaped messages and errors, and records every request it receives.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_ANTHROPIC_KEY = "sk-ant-api03-fake-test-key";

const API_VERSIONS = new Set(["2023-06-01", "2026-10-21"]);

// Models whose API answers a forced tool_choice with a 400 (Opus 5.5, Sonnet 5.5, Fable 5.1).
const FORCED_TOOL_REJECTED = new Set(["claude-opus-5-5", "claude-sonnet-5-5", "claude-fable-5-1"]);

/** The request body as received (JSON), loosely typed: tests assert on what was sent. */
export interface FakeMessagesBody {
  model: string;
  max_tokens: number;
  system?: unknown;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  tools?: Array<Record<string, unknown>>;
  tool_choice?: { type: string; name?: string };
  [key: string]: unknown;
}

export interface FakeRequest {
  headers: IncomingHttpHeaders;
  body: FakeMessagesBody;
}

export type FakeReply =
  | {
      kind: "tool_use";
      input: unknown;
      /** Defaults to the first tool in the request. */
      name?: string;
      usage?: { input_tokens: number; output_tokens: number };
    }
  | {
      kind: "text";
      text: string;
      stopReason?: "end_turn" | "max_tokens" | "refusal";
      usage?: { input_tokens: number; output_tokens: number };
    }
  | {
      kind: "error";
      status: number;
      type: string;
      message: string;
      /** Value of the retry-after header (seconds), when the API would send one. */
      retryAfter?: string;
    }
  /** Close the socket without an answer, as a dropped connection does. */
  | { kind: "drop" }
  /** Answer after `ms` (to make the client time out). */
  | { kind: "delay"; ms: number; reply: FakeReply }
  /** Answer once `until` settles (a test holds a call open, e.g. to kill its caller meanwhile). */
  | { kind: "wait"; until: Promise<unknown>; reply: FakeReply };

export type FakeResponder = FakeReply | ((request: FakeRequest) => FakeReply);

export interface FakeAnthropic {
  /** Base URL for the SDK (`baseURL`). */
  url: string;
  apiKey: string;
  /** Every request to /v1/messages with a JSON body, in order (rejected ones included). */
  requests: FakeRequest[];
  /** Answers for the next requests, one each, in order. */
  enqueue(...responders: FakeResponder[]): void;
  /** Answers for every request once the queue is empty. */
  setDefault(responder: FakeResponder | undefined): void;
  close(): Promise<void>;
}

const errorTypeByStatus: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export function errorReply(status: number, message: string, retryAfter?: string): FakeReply {
  return {
    kind: "error",
    status,
    type: errorTypeByStatus[status] ?? "api_error",
    message,
    retryAfter,
  };
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const requestId = id("req");
  const payload = JSON.stringify(
    status >= 400 ? { ...(body as object), request_id: requestId } : body,
  );
  res.writeHead(status, {
    "content-type": "application/json",
    "request-id": requestId,
    "anthropic-organization-id": "00000000-0000-0000-0000-000000000000",
    ...headers,
  });
  res.end(payload);
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
) {
  sendJson(res, status, { type: "error", error: { type, message } }, headers);
}

/** Why the API would reject this body with a 400, or undefined when it is well-formed. */
function invalidBody(body: FakeMessagesBody): string | undefined {
  if (typeof body.model !== "string" || !body.model) return "model: Field required";
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return "max_tokens: Field required";
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return "messages: at least one message is required";
  }
  if (body.messages[0]?.role !== "user") return "messages: first message must use the user role";
  const choice = body.tool_choice;
  if (choice && (choice.type === "tool" || choice.type === "any")) {
    if (FORCED_TOOL_REJECTED.has(body.model)) {
      return `tool_choice: forced tool use is not supported for ${body.model}; use tool_choice "auto".`;
    }
    const names = (body.tools ?? []).map((tool) => tool.name);
    if (choice.type === "tool" && !names.includes(choice.name)) {
      return `tool_choice: tool '${choice.name}' not found in tools`;
    }
  }
  // Each assistant tool_use must be answered by a tool_result in the very next user message.
  for (let i = 0; i < body.messages.length; i++) {
    const message = body.messages[i];
    if (message?.role !== "assistant" || typeof message.content === "string") continue;
    const ids = message.content
      .filter((block) => block.type === "tool_use")
      .map((block) => String(block.id));
    if (ids.length === 0) continue;
    const next = body.messages[i + 1];
    const answered =
      next && next.role === "user" && typeof next.content !== "string"
        ? next.content
            .filter((block) => block.type === "tool_result")
            .map((block) => String(block.tool_use_id))
        : [];
    const missing = ids.filter((toolUseId) => !answered.includes(toolUseId));
    if (missing.length) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}`;
    }
  }
  return undefined;
}

/** Starts the fake on a free local port. */
export async function startFakeAnthropic(
  options: { apiKey?: string } = {},
): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? FAKE_ANTHROPIC_KEY;
  const queue: FakeResponder[] = [];
  let fallback: FakeResponder | undefined;
  const requests: FakeRequest[] = [];

  const reply = async (
    res: ServerResponse,
    request: FakeRequest,
    answer: FakeReply,
  ): Promise<void> => {
    switch (answer.kind) {
      case "drop":
        res.socket?.destroy();
        return;
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, answer.ms));
        if (res.socket?.destroyed) return;
        return reply(res, request, answer.reply);
      case "wait":
        await answer.until;
        // The caller may have died meanwhile; there is nobody left to answer.
        if (res.destroyed || res.socket?.destroyed) return;
        return reply(res, request, answer.reply);
      case "error":
        return sendError(
          res,
          answer.status,
          answer.type,
          answer.message,
          answer.retryAfter !== undefined ? { "retry-after": answer.retryAfter } : undefined,
        );
      case "tool_use": {
        const name = answer.name ?? String(request.body.tools?.[0]?.name ?? "tool");
        return sendJson(res, 200, {
          id: id("msg"),
          type: "message",
          role: "assistant",
          model: request.body.model,
          content: [{ type: "tool_use", id: id("toolu"), name, input: answer.input }],
          stop_reason: "tool_use",
          stop_sequence: null,
          usage: {
            input_tokens: answer.usage?.input_tokens ?? 100,
            output_tokens: answer.usage?.output_tokens ?? 50,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            service_tier: "standard",
          },
        });
      }
      case "text":
        return sendJson(res, 200, {
          id: id("msg"),
          type: "message",
          role: "assistant",
          model: request.body.model,
          content: [{ type: "text", text: answer.text }],
          stop_reason: answer.stopReason ?? "end_turn",
          stop_sequence: null,
          usage: {
            input_tokens: answer.usage?.input_tokens ?? 100,
            output_tokens: answer.usage?.output_tokens ?? 50,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            service_tier: "standard",
          },
        });
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/messages") {
          return sendError(res, 404, "not_found_error", `Not found: ${req.method} ${req.url}`);
        }
        let body: FakeMessagesBody;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as FakeMessagesBody;
        } catch {
          return sendError(
            res,
            400,
            "invalid_request_error",
            "The request body is not valid JSON.",
          );
        }
        const request: FakeRequest = { headers: req.headers, body };
        // Recorded before the checks: a test of "no retry storm" counts rejected requests too.
        requests.push(request);
        // The API takes the key as x-api-key or, as SDK 1.x sends it, Authorization: Bearer.
        const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
        const key = req.headers["x-api-key"] ?? bearer;
        if (!key) {
          return sendError(res, 401, "authentication_error", "x-api-key header is required");
        }
        if (key !== apiKey) return sendError(res, 401, "authentication_error", "invalid x-api-key");
        const version = req.headers["anthropic-version"];
        if (!version) {
          return sendError(
            res,
            400,
            "invalid_request_error",
            "anthropic-version: header is required",
          );
        }
        if (typeof version !== "string" || !API_VERSIONS.has(version)) {
          return sendError(
            res,
            400,
            "invalid_request_error",
            `anthropic-version: unknown version ${String(version)}`,
          );
        }
        if (version === "2026-10-21") {
          const removed = ["temperature", "top_p", "top_k"].find((field) => field in body);
          if (removed) {
            return sendError(
              res,
              400,
              "invalid_request_error",
              `${removed}: Extra inputs are not permitted`,
            );
          }
        }
        const problem = invalidBody(body);
        if (problem) return sendError(res, 400, "invalid_request_error", problem);
        const responder = queue.shift() ?? fallback;
        if (!responder) {
          return sendError(
            res,
            500,
            "api_error",
            "fake-anthropic: no reply queued for this request",
          );
        }
        await reply(res, request, typeof responder === "function" ? responder(request) : responder);
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    enqueue: (...responders) => queue.push(...responders),
    setDefault: (responder) => {
      fallback = responder;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
