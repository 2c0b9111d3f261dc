import { describe, expect, it } from "vitest";
import { slugify } from "./slugify";

describe("slugify", () => {
  it("makes kebab-case ASCII", () => {
    expect(slugify("  Ada Lovelace's Café ")).toBe("ada-lovelace-s-cafe");
  });
  it("returns empty for symbols only", () => {
    expect(slugify("!!!")).toBe("");
  });
  it("caps the length without a trailing dash", () => {
    const s = slugify(`${"a".repeat(47)} b`);
    expect(s.length).toBeLessThanOrEqual(48);
    expect(s.endsWith("-")).toBe(false);
  });
});
