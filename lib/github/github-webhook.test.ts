import { describe, expect, it } from "vitest";
import { parseGithubWebhook, parseTrellisCommand } from "./github-webhook";

describe("parseTrellisCommand", () => {
  it("finds the first /trellis line and its command", () => {
    expect(parseTrellisCommand("/trellis run")).toEqual({ command: "run", text: "/trellis run" });
    expect(parseTrellisCommand("Looks good.\n\n/trellis APPROVE please")).toEqual({
      command: "approve",
      text: "/trellis APPROVE",
    });
    expect(parseTrellisCommand("/trellis deploy")).toEqual({
      command: null,
      text: "/trellis deploy",
    });
    expect(parseTrellisCommand("/trellis")).toEqual({ command: null, text: "/trellis" });
  });

  it("ignores comments that only mention it", () => {
    expect(parseTrellisCommand("we could use `/trellis run` here")).toBeUndefined();
    expect(parseTrellisCommand("no command")).toBeUndefined();
    expect(parseTrellisCommand("/trellisrun")).toBeUndefined();
  });
});

describe("parseGithubWebhook", () => {
  const base = {
    installation: { id: 1 },
    repository: { full_name: "acme/shop" },
    sender: { login: "ada", id: 7, type: "User" },
    issue: { number: 3, title: "T", body: null, html_url: "https://github.com/acme/shop/issues/3" },
  };

  it("keeps what Trellis acts on and drops the rest", () => {
    expect(
      parseGithubWebhook("issues", { ...base, action: "labeled", label: { name: "trellis" } }),
    ).toEqual({
      kind: "issue_labeled",
      installationId: 1,
      repository: "acme/shop",
      issue: { number: 3, title: "T", body: "", url: "https://github.com/acme/shop/issues/3" },
      label: "trellis",
      sender: { login: "ada", id: 7 },
    });
    expect(parseGithubWebhook("issues", { ...base, action: "opened" })).toBeNull();
    expect(parseGithubWebhook("push", { ref: "refs/heads/main" })).toBeNull();
    expect(parseGithubWebhook("installation", { action: "new_permissions_accepted" })).toBeNull();
  });

  it("drops labels on pull requests and comments by bots or without a command", () => {
    const pr = { ...base.issue, pull_request: { url: "x" } };
    expect(
      parseGithubWebhook("issues", {
        ...base,
        issue: pr,
        action: "labeled",
        label: { name: "trellis" },
      }),
    ).toBeNull();
    const comment = (body: string, type = "User") => ({
      ...base,
      action: "created",
      comment: { id: 1, body, user: { login: "x", id: 2, type } },
      sender: { login: "x", id: 2, type },
    });
    expect(parseGithubWebhook("issue_comment", comment("thanks!"))).toBeNull();
    expect(parseGithubWebhook("issue_comment", comment("/trellis run", "Bot"))).toBeNull();
    expect(parseGithubWebhook("issue_comment", comment("/trellis run"))).toMatchObject({
      kind: "issue_command",
      command: "run",
      sender: { login: "x", id: 2 },
    });
  });

  it("throws on a malformed payload of an event it acts on", () => {
    expect(() => parseGithubWebhook("issues", { action: "labeled", issue: {} })).toThrow();
  });
});
