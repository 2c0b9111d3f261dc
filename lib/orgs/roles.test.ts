import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { assertCan, can, roleAtLeast } from "./roles";

describe("roles", () => {
  it("lets a viewer read but not write", () => {
    expect(can("VIEWER", "read")).toBe(true);
    expect(can("VIEWER", "write")).toBe(false);
  });

  it("lets members write but not manage", () => {
    expect(can("MEMBER", "write")).toBe(true);
    expect(can("MEMBER", "manage")).toBe(false);
  });

  it("keeps ownership to owners", () => {
    expect(can("ADMIN", "own")).toBe(false);
    expect(can("OWNER", "own")).toBe(true);
    expect(roleAtLeast("ADMIN", "OWNER")).toBe(false);
  });

  it("explains a refusal with the role", () => {
    const actor = { userId: "usr_1", orgId: "org_1", role: "VIEWER" as const };
    expect(() => assertCan(actor, "write")).toThrowError(AppError);
    expect(() => assertCan(actor, "write")).toThrowError(
      "Your role (viewer) cannot create or change anything.",
    );
  });
});
