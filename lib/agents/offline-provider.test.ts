import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmError } from "@/lib/agents/llm-error";
import type { StructuredRequest } from "@/lib/agents/llm-provider";
import { estimateTokens, OfflineProvider } from "@/lib/agents/offline-provider";

const summarySchema = z.object({ title: z.string().min(1), points: z.array(z.string()).min(1) });
type Summary = z.infer<typeof summarySchema>;

const request: StructuredRequest<Summary> = {
  role: "planner",
  purpose: "summary",
  system: "Summarise the ticket.",
  prompt: "Ticket: add search",
  toolName: "write_summary",
  toolDescription: "Record the summary.",
  schema: summarySchema,
  context: { ticket: { title: "Add search" } },
  model: "claude-opus-5-5",
};

const summarise = (context: Record<string, unknown>): Summary => {
  const ticket = context.ticket as { title: string };
  return { title: `[offline] ${ticket.title}`, points: ["Search box", "Results list"] };
};

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe("OfflineProvider", () => {
  it("answers with the author for the purpose, labelled as the offline model", async () => {
    const provider = new OfflineProvider({ summary: summarise });
    const result = await provider.generateStructured(request);

    expect(provider.name).toBe("offline");
    expect(result.value).toEqual({
      title: "[offline] Add search",
      points: ["Search box", "Results list"],
    });
    // The routed model is ignored: offline results never pretend to come from Claude.
    expect(result.model).toBe("offline");
    expect(result.attempts).toBe(1);
  });

  it("is deterministic, token estimates included", async () => {
    const provider = new OfflineProvider({ summary: summarise });
    const first = await provider.generateStructured(request);
    const second = await provider.generateStructured(request);
    expect(second).toEqual(first);
    expect(first.inputTokens).toBe(
      estimateTokens(request.system + request.prompt + JSON.stringify(request.context)),
    );
    expect(first.outputTokens).toBe(estimateTokens(JSON.stringify(first.value)));
    expect(first.inputTokens).toBeGreaterThan(0);
  });

  it("estimates about four characters per token", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
  });

  it("supports async authors", async () => {
    const provider = new OfflineProvider({ summary: async (context) => summarise(context) });
    expect((await provider.generateStructured(request)).value.title).toBe("[offline] Add search");
  });

  it("fails clearly for a purpose it has no author for", async () => {
    const provider = new OfflineProvider({ design: () => ({}), requirements: () => ({}) });
    const error = await rejection(provider.generateStructured(request));
    expect(error.kind).toBe("PERMANENT");
    expect(error.userMessage).toBe(
      'The offline provider cannot write "summary" (it writes: design, requirements). Set ANTHROPIC_API_KEY to use Claude.',
    );
  });

  it("does not treat inherited object keys as authors", async () => {
    const provider = new OfflineProvider({});
    const error = await rejection(provider.generateStructured({ ...request, purpose: "toString" }));
    expect(error.userMessage).toContain('cannot write "toString" (it writes: none)');
  });

  it("fails loudly when an author's output breaks the schema", async () => {
    const provider = new OfflineProvider({ summary: () => ({ title: "", points: [] }) });
    const error = await rejection(provider.generateStructured(request));
    expect(error.kind).toBe("INVALID_OUTPUT");
    expect(error.userMessage).toContain('The offline author for "summary" wrote an answer');
    expect(error.userMessage).toContain("title: ");
    expect(error.userMessage).toContain("points: ");
  });

  it("reports an author that throws", async () => {
    const provider = new OfflineProvider({
      summary: () => {
        throw new Error("no ticket in context");
      },
    });
    const error = await rejection(provider.generateStructured(request));
    expect(error.kind).toBe("PERMANENT");
    expect(error.userMessage).toBe('The offline author for "summary" failed: no ticket in context');
  });
});
