import "server-only";
import type { Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import { toolInputSchema } from "@/lib/agents/anthropic-provider";
import type { AgentRunContext } from "@/lib/agents/backends/agent-backend";
import { outputTail } from "@/lib/agents/backends/task-prompt";
import { formatIssues } from "@/lib/agents/llm-error";
import { type OutputEvent, runSandboxed } from "@/lib/workspaces/run-sandboxed";
import { resolveInside } from "@/lib/workspaces/safe-path";

// Bounds keep one tool result from flooding the model's context (and our bill).
const MAX_LIST_ENTRIES = 1000;
const MAX_READ_BYTES = 1024 * 1024;
const MAX_RESULT_CHARS = 60_000;
const MAX_SEARCH_MATCHES = 200;
const MAX_SEARCH_FILES = 5000;
const MAX_SEARCH_LINE = 2000;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

const relativePath = z.string().trim().min(1).max(1000);

export const toolSchemas = {
  list_files: z.object({
    path: relativePath.optional().describe("Folder relative to the worktree root; default '.'"),
  }),
  read_file: z.object({ path: relativePath.describe("File relative to the worktree root") }),
  search: z.object({
    pattern: z.string().min(1).max(500).describe("Text to find in files"),
    path: relativePath.optional().describe("Folder or file to search; default '.'"),
    regex: z.boolean().optional().describe("Treat pattern as a JavaScript regular expression"),
  }),
  write_file: z.object({
    path: relativePath.describe("File relative to the worktree root; folders are created"),
    content: z.string().max(MAX_READ_BYTES).describe("The whole new content of the file"),
  }),
  edit_file: z.object({
    path: relativePath.describe("File relative to the worktree root"),
    old: z.string().min(1).describe("Exact text to replace; must occur exactly once"),
    new: z.string().describe("Replacement text"),
  }),
  run_command: z.object({
    command: z.string().trim().min(1).max(4000).describe("Shell command, run in the worktree root"),
  }),
  finish: z.object({
    summary: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .describe("What you changed and why, for the reviewer"),
  }),
} as const;

export type ToolName = keyof typeof toolSchemas;

const descriptions: Record<ToolName, string> = {
  list_files: `List files and folders (recursively, up to ${MAX_LIST_ENTRIES} entries; .git and node_modules skipped).`,
  read_file: "Read a UTF-8 text file.",
  search: `Find lines containing a text (or matching a regex when regex is true); up to ${MAX_SEARCH_MATCHES} matches as path:line: text.`,
  write_file: "Create or overwrite a file with the given content.",
  edit_file:
    "Replace one exact occurrence of `old` with `new` in a file. Fails when `old` is missing or occurs more than once; include more surrounding text to make it unique.",
  run_command:
    "Run a shell command in the worktree root (no network, time-limited, output capped), e.g. tests or a build. Returns the exit code and output.",
  finish:
    "Call once when the task is done (or cannot be done), with a summary of what you changed.",
};

/** The tool definitions sent to the Messages API. */
export function claudeAgentTools(): Tool[] {
  return (Object.keys(toolSchemas) as ToolName[]).map((name) => ({
    name,
    description: descriptions[name],
    input_schema: toolInputSchema(toolSchemas[name]),
  }));
}

export interface ToolRunContext {
  worktree: string;
  signal: AbortSignal;
  log: AgentRunContext["log"];
  commandTimeoutMs: number;
  commandOutputBytes: number;
}

export interface ToolOutcome {
  content: string;
  isError: boolean;
}

class ToolRefusal extends Error {}

/**
 * Runs one workspace tool (everything but `finish`). Never throws for the model's mistakes or a
 * refused path: those come back as `isError` results the model can act on.
 */
export async function runWorkspaceTool(
  name: string,
  input: unknown,
  ctx: ToolRunContext,
): Promise<ToolOutcome> {
  if (!Object.hasOwn(toolSchemas, name) || name === "finish") {
    return { content: `Unknown tool \`${name}\`.`, isError: true };
  }
  const parsed = toolSchemas[name as ToolName].safeParse(input);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error).map((line) => `- ${line}`);
    return { content: `Invalid input for ${name}:\n${issues.join("\n")}`, isError: true };
  }
  try {
    const content = await dispatch(name as Exclude<ToolName, "finish">, parsed.data, ctx);
    return { content: cap(content), isError: false };
  } catch (error) {
    return { content: describeError(error), isError: true };
  }
}

async function dispatch(
  name: Exclude<ToolName, "finish">,
  data: unknown,
  ctx: ToolRunContext,
): Promise<string> {
  switch (name) {
    case "list_files": {
      const { path: dir = "." } = data as z.infer<typeof toolSchemas.list_files>;
      return listFiles(ctx.worktree, dir);
    }
    case "read_file": {
      const input = data as z.infer<typeof toolSchemas.read_file>;
      return readTextFile(ctx.worktree, input.path);
    }
    case "search":
      return search(ctx.worktree, data as z.infer<typeof toolSchemas.search>);
    case "write_file": {
      const input = data as z.infer<typeof toolSchemas.write_file>;
      const target = await resolveInside(ctx.worktree, input.path);
      if ((await stat(target).catch(() => null))?.isDirectory()) {
        throw new ToolRefusal(`${input.path} is a folder.`);
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, input.content, "utf8");
      return `Wrote ${Buffer.byteLength(input.content)} bytes to ${input.path}.`;
    }
    case "edit_file": {
      const input = data as z.infer<typeof toolSchemas.edit_file>;
      const target = await resolveInside(ctx.worktree, input.path);
      const text = await readTextFile(ctx.worktree, input.path, { raw: true });
      const first = text.indexOf(input.old);
      if (first < 0) throw new ToolRefusal(`The text to replace was not found in ${input.path}.`);
      const count = text.split(input.old).length - 1;
      if (count > 1) {
        throw new ToolRefusal(
          `The text to replace occurs ${count} times in ${input.path}; include more surrounding text so it occurs once.`,
        );
      }
      // Slicing, not String.replace: `$&` and friends in the new text stay literal.
      const next = text.slice(0, first) + input.new + text.slice(first + input.old.length);
      await writeFile(target, next, "utf8");
      return `Edited ${input.path}.`;
    }
    case "run_command":
      return runCommand((data as z.infer<typeof toolSchemas.run_command>).command, ctx);
  }
}

/** Forward-slash path relative to the worktree's real root, as the model named it. */
function displayPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join("/") || ".";
}

async function listFiles(worktree: string, requested: string): Promise<string> {
  const root = await resolveInside(worktree, ".");
  const start = await resolveInside(worktree, requested);
  const info = await stat(start);
  if (!info.isDirectory()) return displayPath(root, start);
  const lines: string[] = [];
  let truncated = false;
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
    for (const entry of entries) {
      if (lines.length >= MAX_LIST_ENTRIES) {
        truncated = true;
        return;
      }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        lines.push(`${displayPath(root, full)}/`);
        await walk(full);
      } else {
        lines.push(displayPath(root, full));
      }
    }
  };
  await walk(start);
  if (lines.length === 0) return "(empty folder)";
  if (truncated) lines.push(`… (stopped at ${MAX_LIST_ENTRIES} entries; list a subfolder)`);
  return lines.join("\n");
}

async function readTextFile(
  worktree: string,
  requested: string,
  options: { raw?: boolean } = {},
): Promise<string> {
  const target = await resolveInside(worktree, requested);
  const info = await stat(target);
  if (info.isDirectory()) throw new ToolRefusal(`${requested} is a folder; use list_files.`);
  if (info.size > MAX_READ_BYTES) {
    throw new ToolRefusal(
      `${requested} is ${info.size} bytes, over the ${MAX_READ_BYTES}-byte limit.`,
    );
  }
  const buffer = await readFile(target);
  if (buffer.includes(0)) throw new ToolRefusal(`${requested} is a binary file.`);
  const text = buffer.toString("utf8");
  if (options.raw) return text;
  return text.length === 0 ? "(empty file)" : text;
}

async function search(
  worktree: string,
  input: z.infer<typeof toolSchemas.search>,
): Promise<string> {
  let matches: (line: string) => boolean;
  if (input.regex) {
    let re: RegExp;
    try {
      re = new RegExp(input.pattern);
    } catch (error) {
      throw new ToolRefusal(`Invalid regular expression: ${describeError(error)}`);
    }
    matches = (line) => re.test(line);
  } else {
    matches = (line) => line.includes(input.pattern);
  }
  const root = await resolveInside(worktree, ".");
  const start = await resolveInside(worktree, input.path ?? ".");
  const results: string[] = [];
  let files = 0;
  let stoppedEarly = false;

  const searchFile = async (file: string): Promise<void> => {
    files++;
    const info = await stat(file);
    if (info.size > MAX_READ_BYTES || (await looksBinary(file))) return;
    const lines = (await readFile(file, "utf8")).split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] ?? "").slice(0, MAX_SEARCH_LINE);
      if (!matches(line)) continue;
      if (results.length >= MAX_SEARCH_MATCHES) {
        stoppedEarly = true;
        return;
      }
      results.push(`${displayPath(root, file)}:${i + 1}: ${line.slice(0, 300)}`);
    }
  };
  const walk = async (dir: string): Promise<void> => {
    const entries: Dirent[] = (await readdir(dir, { withFileTypes: true })).sort(byName);
    for (const entry of entries) {
      if (stoppedEarly) return;
      if (files >= MAX_SEARCH_FILES) {
        stoppedEarly = true;
        return;
      }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        await searchFile(full);
      }
    }
  };

  if ((await stat(start)).isDirectory()) await walk(start);
  else await searchFile(start);
  if (results.length === 0) return "No matches.";
  if (stoppedEarly) results.push("… (more matches not shown; narrow the pattern or path)");
  return results.join("\n");
}

async function runCommand(command: string, ctx: ToolRunContext): Promise<string> {
  ctx.log("SYSTEM", `$ ${command}`);
  const result = await runSandboxed({
    cwd: ctx.worktree,
    command,
    network: "none",
    timeoutMs: ctx.commandTimeoutMs,
    maxOutputBytes: ctx.commandOutputBytes,
    signal: ctx.signal,
    onOutput: sandboxOutputTo(ctx.log),
  });
  if (result.cancelled) throw new ToolRefusal("The command was cancelled.");
  const status = result.timedOut
    ? `Timed out after ${Math.round(ctx.commandTimeoutMs / 1000)} s (killed).`
    : result.exitCode === null
      ? `Killed by signal ${String(result.signal)}.`
      : `Exit code ${result.exitCode}.`;
  const note = result.truncated ? "\n(output truncated)" : "";
  const output = result.output.trim()
    ? `\n${outputTail(result.output, MAX_RESULT_CHARS - 200)}`
    : "\n(no output)";
  return `${status}${output}${note}`;
}

/** Streams a sandboxed command's output into the run log. */
export function sandboxOutputTo(log: AgentRunContext["log"]): (event: OutputEvent) => void {
  return (event) => log(event.stream === "stderr" ? "STDERR" : "STDOUT", event.text);
}

async function looksBinary(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function cap(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}\n… (${text.length - MAX_RESULT_CHARS} more characters not shown)`;
}

function describeError(error: unknown): string {
  if (error instanceof ToolRefusal) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "No such file or folder.";
    if (code === "EISDIR") return "That is a folder.";
    if (code === "ENOTDIR") return "A part of that path is not a folder.";
    return error.message;
  }
  return String(error);
}
