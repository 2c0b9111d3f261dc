import { describe, expect, it } from "vitest";
import type { RequirementsContent } from "./artifact-schemas";
import { earsKeywordSpans, lintEars, lintRequirements } from "./ears";

describe("lintEars: patterns", () => {
  it.each([
    ["The system shall log every sign-in attempt.", "UBIQUITOUS"],
    ["Trellis shall store API keys hashed with SHA-256.", "UBIQUITOUS"],
    ["When the user submits the form, the system shall validate every field.", "EVENT_DRIVEN"],
    // Kiro's house style: capitals, THEN, no comma.
    ["WHEN a user clicks Save THEN THE SYSTEM SHALL persist the draft", "EVENT_DRIVEN"],
    ["WHEN a user clicks Save THE SYSTEM SHALL persist the draft", "EVENT_DRIVEN"],
    [
      "WHEN the webhook signature is invalid THEN the system SHALL respond with 401",
      "EVENT_DRIVEN",
    ],
    ["While the device is offline, the app shall queue edits.", "STATE_DRIVEN"],
    ["WHILE a task is RUNNING THE SYSTEM SHALL send a heartbeat every 30 seconds", "STATE_DRIVEN"],
    ["If the payment fails, then the system shall show the decline reason.", "UNWANTED"],
    ["IF the token is expired THEN the system SHALL return 401", "UNWANTED"],
    ["If the upload exceeds 10 MB, the system shall reject it with a 413 status.", "UNWANTED"],
    ["Where SSO is enabled, the login page shall hide the password field.", "OPTIONAL"],
    ["WHERE the project auto-approves THE SYSTEM SHALL start the next phase", "OPTIONAL"],
    [
      "While the user is signed in, when the session expires, the system shall redirect to the sign-in page.",
      "COMPLEX",
    ],
    [
      "WHILE a run is active WHEN the user presses Cancel THEN THE SYSTEM SHALL stop the agent",
      "COMPLEX",
    ],
    [
      "Where billing is enabled, if the card is declined, then the system shall pause the workspace.",
      "COMPLEX",
    ],
  ])("%s -> %s", (sentence, pattern) => {
    expect(lintEars(sentence)).toEqual({ pattern, issues: [] });
  });

  it("does not mistake a lower-case keyword inside a trigger for a second clause", () => {
    expect(
      lintEars("When the user saves if the form is dirty, the system shall store a draft."),
    ).toEqual({
      pattern: "EVENT_DRIVEN",
      issues: [],
    });
  });

  it("accepts a comma inside a ubiquitous sentence", () => {
    expect(lintEars("The system, on every request, shall write one log line.").pattern).toBe(
      "UBIQUITOUS",
    );
  });
});

describe("lintEars: issues", () => {
  it("rejects a sentence without shall, naming the modal used instead", () => {
    expect(lintEars("The system should send a receipt.")).toEqual({
      pattern: null,
      issues: ['Use "shall" instead of "should"'],
    });
    expect(lintEars("The API must return JSON.").issues).toEqual(['Use "shall" instead of "must"']);
    expect(lintEars("Users will see their invoices.").issues).toEqual([
      'Use "shall" instead of "will"',
    ]);
    expect(lintEars("Export to CSV.").issues).toEqual([
      'No "shall": write "… the <system> shall <response>"',
    ]);
  });

  it("flags a compound requirement", () => {
    const result = lintEars("The system shall send an email and the system shall log it.");
    expect(result.pattern).toBe("UBIQUITOUS");
    expect(result.issues).toEqual([
      'Compound requirement: 2 "shall"s; split it into one criterion per "shall"',
    ]);
  });

  it("flags vague words, each once", () => {
    expect(lintEars("The page shall load quickly and be user-friendly, etc.").issues).toEqual([
      'Vague term "quickly": state a measurable value or a concrete behaviour',
      'Vague term "user-friendly": state a measurable value or a concrete behaviour',
      'Vague term "etc.": list every case',
    ]);
    expect(lintEars("THE SYSTEM SHALL encrypt data at rest and/or in transit").issues).toEqual([
      'Vague term "and/or": choose "and" or "or", or split the criterion',
    ]);
    expect(lintEars("The system shall retry as appropriate.").issues).toEqual([
      'Vague term "appropriate": state a measurable value or a concrete behaviour',
    ]);
    expect(
      lintEars("When the user presses Enter, the system shall respond within 200 ms.").issues,
    ).toEqual([]);
  });

  it("ignores words in quotes and backticks, which are literals", () => {
    expect(lintEars('The system shall display "Saved, etc." after saving.')).toEqual({
      pattern: "UBIQUITOUS",
      issues: [],
    });
    expect(
      lintEars("When the user runs `trellis shall-we`, the CLI shall print the version.").issues,
    ).toEqual([]);
  });

  it("flags a missing system name", () => {
    expect(lintEars("When the export finishes, shall notify the owner.").issues).toEqual([
      'Missing system name before "shall" (e.g. "the system shall")',
    ]);
    expect(lintEars("When the user clicks, it shall close.").issues).toEqual([
      'Name the system instead of "it"',
    ]);
  });

  it("flags a user as the subject", () => {
    expect(lintEars("The user shall be able to export data.").issues).toEqual([
      'Make the system the subject, not "The user": say what the system does',
    ]);
  });

  it("flags passive and empty responses", () => {
    expect(
      lintEars("When the export finishes, the file shall be sent to the owner.").issues,
    ).toEqual([
      'Passive response "be sent": say what the system does (e.g. "shall send …" rather than "shall be sent")',
    ]);
    expect(lintEars("The system shall be notified.").issues).toHaveLength(1);
    expect(lintEars("The system shall be available 99.9% of the time.").issues).toEqual([]);
    expect(lintEars("The system shall.").issues).toEqual(['Empty response after "shall"']);
  });

  it("rejects preconditions that do not use an EARS keyword", () => {
    expect(lintEars("After login, the system shall show the dashboard.")).toEqual({
      pattern: null,
      issues: ['Start the precondition with "When" instead of "After"'],
    });
    expect(lintEars("Unless the user opts out, the system shall send a digest.").issues).toEqual([
      'Start the precondition with "If" instead of "Unless"',
    ]);
    expect(lintEars("When , the system shall stop.").issues).toEqual([
      'Empty condition after "WHEN"',
    ]);
  });

  it("rejects an empty sentence", () => {
    expect(lintEars("   ")).toEqual({ pattern: null, issues: ["Empty criterion"] });
  });
});

describe("earsKeywordSpans", () => {
  const spans = (text: string) =>
    earsKeywordSpans(text).map((s) => [s.keyword, text.slice(s.start, s.end)]);

  it("finds Kiro-style capitals", () => {
    expect(spans("WHEN a user clicks Save THEN THE SYSTEM SHALL persist the draft")).toEqual([
      ["WHEN", "WHEN"],
      ["THEN", "THEN"],
      ["SHALL", "SHALL"],
    ]);
  });

  it("finds lower-case keywords at clause starts, and THEN only where it separates the system", () => {
    const text =
      "While signed in, when the build passes and then fails, the system shall notify the owner.";
    expect(spans(text)).toEqual([
      ["WHILE", "While"],
      ["WHEN", "when"],
      ["SHALL", "shall"],
    ]);
    expect(spans("If the payment fails, then the system shall retry.")).toEqual([
      ["IF", "If"],
      ["THEN", "then"],
      ["SHALL", "shall"],
    ]);
  });

  it("skips quoted literals", () => {
    expect(spans('The system shall show "When ready, we shall start".')).toEqual([
      ["SHALL", "shall"],
    ]);
  });
});

describe("lintRequirements", () => {
  it("keys results by criterion id", () => {
    const content: RequirementsContent = {
      introduction: "",
      requirements: [
        {
          id: "REQ-001",
          title: "Receipts",
          userStory: { role: "customer", want: "a receipt", benefit: "I can expense it" },
          acceptanceCriteria: [
            { id: "REQ-001.1", text: "WHEN a payment succeeds THE SYSTEM SHALL email a receipt" },
            { id: "REQ-001.2", text: "Receipts should be fast" },
          ],
        },
      ],
    };
    const results = lintRequirements(content);
    expect(results["REQ-001.1"]).toEqual({
      pattern: "EVENT_DRIVEN",
      issues: [],
      requirementId: "REQ-001",
    });
    expect(results["REQ-001.2"]?.pattern).toBeNull();
    expect(results["REQ-001.2"]?.issues).toContain('Use "shall" instead of "should"');
  });
});
