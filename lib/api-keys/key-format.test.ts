import { describe, expect, it } from "vitest";
import { generateApiKey, isWellFormedApiKey } from "./key-format";

describe("API key format", () => {
  it("makes recognisable keys whose checksum verifies, each different", () => {
    const keys = Array.from({ length: 50 }, () => generateApiKey());
    for (const { key, prefix } of keys) {
      expect(key).toMatch(/^trl_[0-9A-Za-z]{32}_[0-9A-Za-z]{6}$/);
      expect(key.startsWith(prefix)).toBe(true);
      expect(prefix).toHaveLength(12);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
  });

  it("refuses a key with one character changed, truncated, or without the prefix", () => {
    const { key } = generateApiKey();
    const body = key.slice(4, 36);
    for (let i = 0; i < body.length; i++) {
      const swapped = body[i] === "a" ? "b" : "a";
      const typo = `trl_${body.slice(0, i)}${swapped}${body.slice(i + 1)}${key.slice(36)}`;
      expect(isWellFormedApiKey(typo)).toBe(false);
    }
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(key.replace("trl_", "tr1_"))).toBe(false);
    expect(isWellFormedApiKey(`${key} `)).toBe(false);
    expect(isWellFormedApiKey("")).toBe(false);
  });
});
