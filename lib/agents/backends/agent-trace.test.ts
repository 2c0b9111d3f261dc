import { describe, expect, it } from "vitest";
import { capForTrace, redactTraceEvent, traceEvent } from "./agent-trace";

describe("agent trace", () => {
  it("cuts long strings, saying how much was dropped, and keeps the shape", () => {
    const capped = capForTrace({ a: "x".repeat(12), b: [1, "short", undefined], c: undefined }, 5);
    expect(capped).toEqual({ a: "xxxxx… [7 more characters]", b: [1, "short", null] });
  });

  it("ships only metadata from a self-hosted runner: no prompt, reply, input or output", () => {
    const event = traceEvent("model_call", "claude", new Date(0), {
      model: "claude",
      system: "secret source",
      messages: [{ role: "user", content: "code" }],
      reply: [{ type: "text", text: "code" }],
      inputTokens: 10,
      outputTokens: 2,
      toolUses: ["read_file"],
    });
    expect(redactTraceEvent(event).data).toEqual({
      redacted: true,
      model: "claude",
      inputTokens: 10,
      outputTokens: 2,
      toolUses: ["read_file"],
    });
  });
});
