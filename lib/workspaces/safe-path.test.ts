import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { resolveInside } from "./safe-path";

let base: string;
let root: string;
let outside: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), "trellis-safe-path-")));
  root = path.join(base, "worktree");
  outside = path.join(base, "outside");
  mkdirSync(path.join(root, "src", "lib"), { recursive: true });
  mkdirSync(path.join(root, ".git"));
  writeFileSync(path.join(root, ".git", "config"), "[core]\n");
  writeFileSync(path.join(root, "src", "index.ts"), "export {};\n");
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.txt"), "secret\n");
  symlinkSync(os.tmpdir(), path.join(root, "tmp-link"));
  symlinkSync(outside, path.join(root, "src", "vendor"));
  symlinkSync(path.join(outside, "secret.txt"), path.join(root, "leak.txt"));
  symlinkSync(path.join(outside, "not-yet"), path.join(root, "dangling"));
  symlinkSync(path.join(root, "src", "lib"), path.join(root, "lib-link"));
  symlinkSync(path.join(root, ".git"), path.join(root, "git-link"));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function refusal(requested: string): Promise<AppError> {
  const error = await resolveInside(root, requested).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `${requested} should be refused`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("FORBIDDEN");
  return error as AppError;
}

describe("resolveInside", () => {
  it("resolves existing and not-yet-existing files inside the root", async () => {
    expect(await resolveInside(root, "src/index.ts")).toBe(path.join(root, "src", "index.ts"));
    expect(await resolveInside(root, "src/new/file.ts")).toBe(path.join(root, "src/new/file.ts"));
    expect(await resolveInside(root, "./src/../README.md")).toBe(path.join(root, "README.md"));
    // A symlink that stays inside the root is followed to its real path.
    expect(await resolveInside(root, "lib-link/x.ts")).toBe(path.join(root, "src", "lib", "x.ts"));
  });

  it("refuses .. escapes and absolute paths with a clear message", async () => {
    expect((await refusal("../outside")).message).toContain("outside the workspace");
    await refusal("src/../../outside/secret.txt");
    expect((await refusal("/etc/passwd")).message).toContain("absolute");
  });

  it("refuses symlinks that lead outside, on the path itself or on a parent", async () => {
    await refusal("tmp-link");
    await refusal("tmp-link/anything.txt");
    await refusal("leak.txt");
    expect((await refusal("src/vendor/new/file.ts")).message).toContain("symlink");
    await refusal("src/vendor/secret.txt");
    await refusal("dangling");
  });

  it("refuses the .git directory, however it is reached", async () => {
    expect((await refusal(".git/config")).message).toContain(".git");
    await refusal(".git");
    await refusal("src/../.git/hooks/pre-commit");
    await refusal(".GIT/config");
    await refusal("git-link/config");
  });
});
