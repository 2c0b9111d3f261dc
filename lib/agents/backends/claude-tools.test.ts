import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runWorkspaceTool, type ToolRunContext } from "@/lib/agents/backends/claude-tools";
import { tempWorktree } from "@/lib/agents/backends/test-context";

let worktree: string;
let ctx: ToolRunContext;

beforeEach(async () => {
  worktree = await tempWorktree();
  await mkdir(path.join(worktree, "src"));
  await mkdir(path.join(worktree, ".git"));
  await mkdir(path.join(worktree, "node_modules/dep"), { recursive: true });
  await writeFile(path.join(worktree, ".git/config"), "[core]\n");
  await writeFile(path.join(worktree, "node_modules/dep/index.js"), "export const greet = 1;\n");
  await writeFile(
    path.join(worktree, "src/greet.ts"),
    'export function greet(name: string) {\n  return "Hello, " + name;\n}\n',
  );
  await writeFile(path.join(worktree, "src/twice.ts"), "const a = 1;\nconst a = 1;\n");
  ctx = {
    worktree,
    signal: new AbortController().signal,
    log: () => {},
    commandTimeoutMs: 10_000,
    commandOutputBytes: 10_000,
  };
});

afterEach(async () => {
  await rm(worktree, { recursive: true, force: true });
});

describe("workspace tools", () => {
  it("lists files recursively, skipping .git and node_modules", async () => {
    const { content, isError } = await runWorkspaceTool("list_files", {}, ctx);
    expect(isError).toBe(false);
    expect(content.split("\n")).toEqual(["README.md", "src/", "src/greet.ts", "src/twice.ts"]);
  });

  it("searches for a substring or a regex, with path:line results", async () => {
    const plain = await runWorkspaceTool("search", { pattern: "greet(" }, ctx);
    expect(plain.content).toBe("src/greet.ts:1: export function greet(name: string) {");
    const regex = await runWorkspaceTool("search", { pattern: "^const \\w", regex: true }, ctx);
    expect(regex.content.split("\n")).toEqual([
      "src/twice.ts:1: const a = 1;",
      "src/twice.ts:2: const a = 1;",
    ]);
    const bad = await runWorkspaceTool("search", { pattern: "(", regex: true }, ctx);
    expect(bad.isError).toBe(true);
  });

  it("edits one exact occurrence and refuses missing or repeated text", async () => {
    const ok = await runWorkspaceTool(
      "edit_file",
      { path: "src/greet.ts", old: '"Hello, " + name', new: '"Hi $& $1, " + name' },
      ctx,
    );
    expect(ok).toEqual({ content: "Edited src/greet.ts.", isError: false });
    expect(await readFile(path.join(worktree, "src/greet.ts"), "utf8")).toContain(
      'return "Hi $& $1, " + name;',
    );
    const twice = await runWorkspaceTool(
      "edit_file",
      { path: "src/twice.ts", old: "const a = 1;", new: "const b = 2;" },
      ctx,
    );
    expect(twice.isError).toBe(true);
    expect(twice.content).toContain("occurs 2 times");
    const missing = await runWorkspaceTool(
      "edit_file",
      { path: "src/greet.ts", old: "nope", new: "x" },
      ctx,
    );
    expect(missing.isError).toBe(true);
  });

  it("refuses symlinks out of the worktree and the .git folder", async () => {
    const outside = await tempWorktree();
    await symlink(outside, path.join(worktree, "link"));
    const read = await runWorkspaceTool("read_file", { path: "link/README.md" }, ctx);
    expect(read.isError).toBe(true);
    expect(read.content).toContain("not allowed");
    const git = await runWorkspaceTool("read_file", { path: ".git/config" }, ctx);
    expect(git.isError).toBe(true);
    const absolute = await runWorkspaceTool(
      "write_file",
      { path: path.join(os.tmpdir(), "x.txt"), content: "x" },
      ctx,
    );
    expect(absolute.isError).toBe(true);
    await rm(outside, { recursive: true, force: true });
  });

  it("answers bad input and unknown tools with an error result", async () => {
    expect((await runWorkspaceTool("read_file", { file: "a" }, ctx)).content).toContain(
      "Invalid input for read_file",
    );
    expect((await runWorkspaceTool("delete_everything", {}, ctx)).isError).toBe(true);
    expect((await runWorkspaceTool("read_file", { path: "nope.ts" }, ctx)).content).toBe(
      "No such file or folder.",
    );
  });
});
