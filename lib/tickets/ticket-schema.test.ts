import { describe, expect, it } from "vitest";
import { createTicketSchema, maxDescriptionLength, parseLabelList } from "./ticket-schema";

function fieldErrors(input: unknown) {
  const result = createTicketSchema.safeParse(input);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("ticket input", () => {
  it("fills defaults and dedupes labels", () => {
    const t = createTicketSchema.parse({
      projectId: "prj_1",
      title: " Add search ",
      labels: ["ui", "ui", "api"],
    });
    expect(t).toMatchObject({
      title: "Add search",
      priority: "MEDIUM",
      type: "FEATURE",
      labels: ["ui", "api"],
    });
  });

  it("names an empty title", () => {
    expect(fieldErrors({ projectId: "prj_1", title: "   " })).toEqual({
      title: "Title is required",
    });
  });

  it("names an oversized description", () => {
    const errors = fieldErrors({
      projectId: "prj_1",
      title: "x",
      description: "a".repeat(maxDescriptionLength + 1),
    });
    expect(errors).toEqual({ description: "Description must be at most 20,000 characters" });
  });

  it("rejects an unknown priority", () => {
    expect(fieldErrors({ projectId: "prj_1", title: "x", priority: "URGENT" })).toEqual({
      priority: "Priority must be low, medium, high or critical",
    });
  });

  it("splits a comma list", () => {
    expect(parseLabelList(" a, b ,, c ")).toEqual(["a", "b", "c"]);
  });
});
