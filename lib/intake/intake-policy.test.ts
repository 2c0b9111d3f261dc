import { describe, expect, it } from "vitest";
import {
  evaluateIntakePolicy,
  globToRegExp,
  type IntakeRuleLike,
  type IntakeSubject,
} from "./intake-policy";

const subject: IntakeSubject = {
  type: "bugfix",
  repository: "acme/web",
  path: "src/app/page.tsx",
  priority: "high",
  tags: ["ci", "frontend"],
};
let n = 0;
const rule = (r: Omit<IntakeRuleLike, "id" | "name"> & { name?: string }): IntakeRuleLike => ({
  id: `irl_${n++}`,
  name: r.name ?? `${r.effect} ${r.field} ${r.pattern}`,
  ...r,
});

describe("globToRegExp", () => {
  it("keeps * inside a segment and lets ** cross them", () => {
    expect(globToRegExp("src/*", true).test("src/a.ts")).toBe(true);
    expect(globToRegExp("src/*", true).test("src/app/a.ts")).toBe(false);
    expect(globToRegExp("src/**", true).test("src/app/a.ts")).toBe(true);
    expect(globToRegExp("acme/*", false).test("ACME/Web")).toBe(true);
    expect(globToRegExp("a.b", true).test("axb")).toBe(false);
  });
});

describe("evaluateIntakePolicy", () => {
  it("allows everything with no rules", () => {
    expect(evaluateIntakePolicy([], subject)).toEqual({ allowed: true });
  });

  it("refuses on a matching deny rule and names it", () => {
    const deny = rule({
      effect: "DENY",
      field: "PATH",
      pattern: "src/**",
      name: "No source edits",
    });
    expect(evaluateIntakePolicy([deny], subject)).toEqual({
      allowed: false,
      rule: { id: deny.id, name: "No source edits" },
      field: "target.path",
      reason: 'target.path "src/app/page.tsx" is denied (src/**)',
    });
  });

  it("denies a priority and everything above it, and caps priorities with an allow rule", () => {
    expect(
      evaluateIntakePolicy(
        [rule({ effect: "DENY", field: "PRIORITY", pattern: "critical" })],
        subject,
      ),
    ).toEqual({ allowed: true });
    expect(
      evaluateIntakePolicy(
        [rule({ effect: "DENY", field: "PRIORITY", pattern: "medium" })],
        subject,
      ).allowed,
    ).toBe(false);
    expect(
      evaluateIntakePolicy(
        [rule({ effect: "ALLOW", field: "PRIORITY", pattern: "high" })],
        subject,
      ),
    ).toEqual({ allowed: true });
    const cap = rule({ effect: "ALLOW", field: "PRIORITY", pattern: "medium", name: "Cap" });
    expect(evaluateIntakePolicy([cap], subject)).toMatchObject({
      allowed: false,
      rule: { name: "Cap" },
      field: "priority",
    });
  });

  it("needs one allow rule per constrained field to match, and every tag to be allowed", () => {
    const repos = [
      rule({ effect: "ALLOW", field: "REPOSITORY", pattern: "acme/api" }),
      rule({ effect: "ALLOW", field: "REPOSITORY", pattern: "acme/w*" }),
    ];
    expect(evaluateIntakePolicy(repos, subject)).toEqual({ allowed: true });
    expect(evaluateIntakePolicy(repos, { ...subject, repository: "other/web" })).toMatchObject({
      allowed: false,
      field: "target.repository",
    });
    const tags = [rule({ effect: "ALLOW", field: "TAG", pattern: "ci" })];
    expect(evaluateIntakePolicy(tags, subject)).toMatchObject({
      allowed: false,
      reason: 'tags "frontend" is not allowed (allowed: ci)',
    });
  });

  it("refuses a request without a path when paths are constrained by allow rules", () => {
    const docs = rule({ effect: "ALLOW", field: "PATH", pattern: "docs/**" });
    expect(evaluateIntakePolicy([docs], { ...subject, path: null })).toMatchObject({
      allowed: false,
      field: "target.path",
    });
    const deny = rule({ effect: "DENY", field: "PATH", pattern: "secrets/**" });
    expect(evaluateIntakePolicy([deny], { ...subject, path: null })).toEqual({ allowed: true });
  });

  it("matches types case-insensitively and by glob", () => {
    expect(
      evaluateIntakePolicy([rule({ effect: "DENY", field: "TYPE", pattern: "BUGFIX" })], subject)
        .allowed,
    ).toBe(false);
    expect(
      evaluateIntakePolicy([rule({ effect: "ALLOW", field: "TYPE", pattern: "docs" })], subject)
        .allowed,
    ).toBe(false);
  });
});
