import { afterEach, describe, expect, it } from "vitest";
import { getAgentBackend } from "@/lib/agents/backends/get-agent-backend";
import { resetEnvForTests } from "@/lib/env";

const saved = process.env.ANTHROPIC_API_KEY;

function setKey(value: string | undefined) {
  if (value === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = value;
  resetEnvForTests();
}

afterEach(() => setKey(saved));

describe("getAgentBackend", () => {
  it("is offline with no key and no command", () => {
    setKey(undefined);
    expect(getAgentBackend().kind).toBe("OFFLINE");
  });

  it("is Claude when ANTHROPIC_API_KEY is set", () => {
    setKey("sk-ant-test");
    expect(getAgentBackend().kind).toBe("CLAUDE");
    expect(getAgentBackend({ command: "  " }).kind).toBe("CLAUDE");
  });

  it("is the CLI agent when a command is configured, even with a key", () => {
    setKey("sk-ant-test");
    expect(
      getAgentBackend({ command: "my-agent --task-file $TRELLIS_TASK_PROMPT_FILE" }).kind,
    ).toBe("CLI");
  });

  it("honours an explicit kind and refuses one that is not configured", () => {
    setKey(undefined);
    expect(getAgentBackend({ kind: "OFFLINE", command: "x" }).kind).toBe("OFFLINE");
    expect(() => getAgentBackend({ kind: "CLAUDE" })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => getAgentBackend({ kind: "CLI" })).toThrow(/command/);
  });
});
