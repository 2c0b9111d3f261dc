import { describe, expect, it } from "vitest";
import { pullRequestBody } from "./pull-request-body";

describe("pullRequestBody", () => {
  const input = {
    specTitle: "Export orders",
    specUrl: "https://trellis.example/acme/specs/spc_1",
    ticket: { number: 4, title: "Export orders" },
    issueNumber: 17,
    requirements: [
      {
        id: "REQ-001",
        title: "CSV export",
        criteria: [{ id: "REQ-001.1", text: "WHEN asked THE SYSTEM SHALL export" }],
      },
    ],
    tasks: [
      {
        key: "1",
        title: "Write | the exporter",
        status: "DONE",
        verifications: [
          { kind: "test", command: "npm test", passed: true, exitCode: 0 },
          { kind: "lint", command: "npm run lint", passed: false, exitCode: 2 },
        ],
      },
      { key: "2", title: "Docs", status: "DONE", verifications: [] },
    ],
  };

  it("lists requirements, tasks with their checks, and closes the issue", () => {
    const body = pullRequestBody(input);
    expect(body).toContain("Closes #17");
    expect(body).toContain(
      "[Export orders](https://trellis.example/acme/specs/spc_1) for ticket #4",
    );
    expect(body).toContain(
      "- **REQ-001** CSV export\n  - REQ-001.1: WHEN asked THE SYSTEM SHALL export",
    );
    expect(body).toContain(
      "| 1. Write \\| the exporter | done | ✅ passed: test `npm test`<br>❌ failed (exit 2): lint `npm run lint` |",
    );
    expect(body).toContain("| 2. Docs | done | no checks configured |");
    expect(body).toContain("2 tasks; 0 with every check passing.");
  });

  it("does not close anything without an issue", () => {
    expect(pullRequestBody({ ...input, issueNumber: null })).not.toContain("Closes");
  });
});
