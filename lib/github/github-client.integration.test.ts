// Installation tokens: one request serves every caller while the token has more than ten minutes
// left; a token closer to its expiry is replaced before anyone uses it.
import { afterEach, describe, expect, it } from "vitest";
import { type FakeGithubApi, startFakeGithubApi } from "@/lib/testing/fake-github-api";
import { installationClient, installationToken } from "./github-client";
import { configureFakeGithub } from "./testing/github-fixtures";

describe("installation tokens", () => {
  let fake: FakeGithubApi | undefined;
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    await fake?.close();
  });

  async function start(tokenTtlMs?: number) {
    fake = await startFakeGithubApi({ tokenTtlMs });
    fake.addRepository("acme/one");
    fake.addInstallation({ id: 5, account: { login: "acme" }, repositories: ["acme/one"] });
    restore = configureFakeGithub(fake);
    return fake;
  }

  it("asks GitHub once for concurrent and later callers while the token is fresh", async () => {
    const gh = await start();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => installationToken(5)));
    expect(new Set(tokens).size).toBe(1);
    expect(await installationToken(5)).toBe(tokens[0]);
    expect(gh.tokens).toEqual([tokens[0]]);
    // The API accepts it: the client is authenticated as the installation.
    const octokit = await installationClient(5);
    const { data } = await octokit.request("GET /installation/repositories");
    expect(data.repositories.map((r) => r.full_name)).toEqual(["acme/one"]);
  });

  it("replaces a token that has less than ten minutes left", async () => {
    const gh = await start(9 * 60 * 1000);
    const first = await installationToken(5);
    const second = await installationToken(5);
    expect(second).not.toBe(first);
    expect(gh.tokens).toEqual([first, second]);
  });

  it("fails with GitHub's answer for a suspended installation", async () => {
    const gh = await start();
    gh.setSuspended(5, true);
    await expect(installationToken(5)).rejects.toMatchObject({ status: 403 });
  });
});
