import { describe, expect, it } from "vitest";
import { resolveModel } from "@/lib/agents/models";
import { mergeModelOverrides, updateModelRoutingSchema } from "@/lib/agents/update-model-routing";

const parse = (models: unknown) => updateModelRoutingSchema.parse({ models }).models;

describe("updateModelRoutingSchema", () => {
  it("takes a model with an optional fallback, or null for the default, per entry", () => {
    expect(
      parse({
        coder: { model: " claude-sonnet-5-5 ", fallback: "claude-haiku-4-5" },
        reviewer: null,
      }),
    ).toEqual({
      coder: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" },
      reviewer: null,
    });
    expect(parse({ "coder-light": { model: "claude-next-7" } })).toEqual({
      "coder-light": { model: "claude-next-7" },
    });
  });

  it("names the field of an invalid id, and refuses unknown entries", () => {
    const bad = updateModelRoutingSchema.safeParse({ models: { coder: { model: "has spaces" } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ["models", "coder", "model"],
      message: "Use a model id such as claude-sonnet-5-5",
    });
    const empty = updateModelRoutingSchema.safeParse({
      models: { planner: { model: "claude-opus-5-5", fallback: "" } },
    });
    expect(empty.error?.issues[0]?.path).toEqual(["models", "planner", "fallback"]);
    expect(updateModelRoutingSchema.safeParse({ models: { janitor: null } }).success).toBe(false);
  });
});

describe("mergeModelOverrides", () => {
  const current = {
    planner: { model: "claude-opus-4-8" },
    reviewer: { model: "claude-opus-5-5", fallback: "claude-sonnet-5-5" },
  };

  it("sets and clears the entries given, keeps the others, and lists what changed", () => {
    const { next, changes } = mergeModelOverrides(
      current,
      parse({
        coder: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" },
        reviewer: null,
      }),
    );
    expect(next).toEqual({
      planner: { model: "claude-opus-4-8" },
      coder: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" },
    });
    expect(changes).toEqual([
      {
        key: "coder",
        from: null,
        to: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" },
      },
      {
        key: "reviewer",
        from: { model: "claude-opus-5-5", fallback: "claude-sonnet-5-5" },
        to: null,
      },
    ]);
    expect(resolveModel("coder", { models: next })).toEqual({
      model: "claude-sonnet-5-5",
      fallback: "claude-haiku-4-5",
    });
  });

  it("reports nothing when the input matches what is stored", () => {
    const { next, changes } = mergeModelOverrides(
      current,
      parse({ planner: { model: "claude-opus-4-8" }, designer: null }),
    );
    expect(changes).toEqual([]);
    expect(next).toEqual(current);
  });
});

describe("difficulty: small coding tasks", () => {
  it("route to the mid tier by default, and follow an organization's coding choice", () => {
    expect(resolveModel("coder", {}, { estimateMinutes: 10 }).model).toBe("claude-sonnet-5-5");
    expect(resolveModel("coder", {}, { estimateMinutes: 16 }).model).toBe("claude-opus-5-5");
    expect(resolveModel("coder", {}, { estimateMinutes: null }).model).toBe("claude-opus-5-5");
    const coding = { models: { coder: { model: "claude-opus-4-8" } } };
    expect(resolveModel("coder", coding, { estimateMinutes: 10 }).model).toBe("claude-opus-4-8");
    const light = { models: { ...coding.models, "coder-light": { model: "claude-haiku-4-5" } } };
    expect(resolveModel("coder", light, { estimateMinutes: 15 })).toEqual({
      model: "claude-haiku-4-5",
      fallback: "claude-opus-5-5",
    });
    // The estimate only matters for coding.
    expect(resolveModel("reviewer", light, { estimateMinutes: 5 }).model).toBe("claude-sonnet-5-5");
  });
});
