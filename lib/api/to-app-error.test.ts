import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "./app-error";
import { toAppError } from "./to-app-error";

describe("toAppError", () => {
  it("turns zod issues into INVALID with the field named", () => {
    const result = z
      .object({ title: z.string().min(1, "Title is required") })
      .safeParse({ title: "" });
    const error = toAppError(result.error);
    expect(error.code).toBe("INVALID");
    expect(error.status).toBe(400);
    expect(error.message).toBe("title: Title is required");
    expect(error.details?.fields).toEqual({ title: "Title is required" });
  });

  it("keeps AppErrors as they are", () => {
    const original = new AppError("NOT_FOUND", "Project not found");
    expect(toAppError(original)).toBe(original);
    expect(original.status).toBe(404);
  });

  it("hides unknown errors behind a generic message", () => {
    const error = toAppError(new Error('relation "Project" does not exist'));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).not.toMatch(/relation/);
    expect(error.toJSON()).toEqual({ error: { code: "INTERNAL", message: error.message } });
  });
});
