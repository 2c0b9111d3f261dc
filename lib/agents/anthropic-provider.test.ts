import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  classifyFailure,
  type FailureClass,
  failureMessage,
  toolInputSchema,
} from "@/lib/agents/anthropic-provider";

/** An SDK error as the client builds it from an HTTP response. */
function apiError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return APIError.generate(
    status,
    { type: "error", error: { type, message } },
    undefined,
    new Headers({ "request-id": "req_0123", ...headers }),
  );
}

describe("classifyFailure", () => {
  it.each([
    [429, "rate_limit_error", "rate_limited"],
    [529, "overloaded_error", "overloaded"],
    [500, "api_error", "server_error"],
    [502, "api_error", "server_error"],
    [503, "api_error", "server_error"],
    [504, "timeout_error", "timeout"],
    [408, "timeout_error", "timeout"],
  ])("retries %i (%s)", (status, type, reason) => {
    const failure = classifyFailure(apiError(status, type, "try later"));
    expect(failure).toMatchObject({ retryable: true, reason, status, requestId: "req_0123" });
  });

  it.each([
    [400, "invalid_request_error", "bad_request"],
    [401, "authentication_error", "authentication"],
    [403, "permission_error", "permission"],
    [404, "not_found_error", "not_found"],
    [413, "request_too_large", "client_error"],
    [409, "conflict_error", "client_error"],
    [422, "invalid_request_error", "client_error"],
  ])("does not retry %i (%s)", (status, type, reason) => {
    expect(classifyFailure(apiError(status, type, "no"))).toMatchObject({
      retryable: false,
      reason,
      status,
    });
  });

  it("keeps the API's own explanation and the retry-after header", () => {
    const failure = classifyFailure(
      apiError(429, "rate_limit_error", "Output tokens per minute exceeded", {
        "retry-after": "7",
      }),
    );
    expect(failure.detail).toBe("Output tokens per minute exceeded");
    expect(failure.retryAfterMs).toBe(7_000);
  });

  it("retries network errors and timeouts", () => {
    const network = classifyFailure(new APIConnectionError({ cause: new Error("socket hang up") }));
    expect(network).toMatchObject({ retryable: true, reason: "network" });
    expect(network.detail).toContain("socket hang up");
    expect(classifyFailure(new APIConnectionTimeoutError())).toMatchObject({
      retryable: true,
      reason: "timeout",
    });
  });

  it("does not retry aborts or errors that are not from the API", () => {
    expect(classifyFailure(new APIUserAbortError())).toMatchObject({
      retryable: false,
      reason: "aborted",
    });
    expect(classifyFailure(new TypeError("boom"))).toMatchObject({
      retryable: false,
      reason: "unknown",
      detail: "boom",
    });
  });
});

describe("failureMessage", () => {
  const context = { tries: 5, model: "claude-opus-5-5", baseURL: "https://api.anthropic.com" };
  const message = (failure: Omit<FailureClass, "detail"> & { detail?: string }, tries = 5) =>
    failureMessage({ detail: "details", ...failure }, { ...context, tries });

  it("tells the user what to do about each failure", () => {
    expect(message({ retryable: false, reason: "authentication", status: 401 }, 1)).toBe(
      "The Anthropic API rejected the API key (401). Check ANTHROPIC_API_KEY in the server's environment.",
    );
    expect(message({ retryable: true, reason: "overloaded", status: 529 })).toBe(
      "Anthropic is overloaded (529) and did not recover after 5 tries.",
    );
    expect(message({ retryable: false, reason: "not_found", status: 404 }, 1)).toContain(
      'does not know the model "claude-opus-5-5"',
    );
    expect(message({ retryable: true, reason: "rate_limited", status: 429 })).toContain(
      "did not clear after 5 tries",
    );
    expect(message({ retryable: true, reason: "network", detail: "ECONNREFUSED" })).toBe(
      "Could not reach the Anthropic API at https://api.anthropic.com after 5 tries (ECONNREFUSED).",
    );
    expect(
      message(
        { retryable: false, reason: "bad_request", status: 400, detail: "max_tokens: too big" },
        1,
      ),
    ).toBe("The Anthropic API rejected the request (400): max_tokens: too big");
  });
});

describe("toolInputSchema", () => {
  it("turns a zod object into an object JSON schema without the $schema dialect", () => {
    const schema = toolInputSchema(
      z.object({ title: z.string().min(1), tags: z.array(z.string()).default([]) }),
    );
    expect(schema.type).toBe("object");
    expect(schema).not.toHaveProperty("$schema");
    expect(schema.properties).toMatchObject({ title: { type: "string", minLength: 1 } });
    // Input side: a field with a default may be left out by the model.
    expect(schema.required).toEqual(["title"]);
  });

  it("refuses a schema that is not an object", () => {
    expect(() => toolInputSchema(z.array(z.string()))).toThrow(/must be a zod object/);
  });
});
