import "server-only";
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { AppError } from "@/lib/api/app-error";

const exec = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await exec("git", ["-C", cwd, ...args], { timeout: 5000 });
    return stdout.trim();
  } catch {
    return null;
  }
}

function invalidPath(message: string): AppError {
  return new AppError("INVALID", message, { fields: { localPath: message } });
}

/**
 * Checks that a path is an existing git work tree and finds its default branch
 * (origin's HEAD when there is a remote, else the checked-out branch).
 */
export async function inspectRepository(localPath: string) {
  if (!path.isAbsolute(localPath))
    throw invalidPath("Enter an absolute path, like /home/ada/code/app");
  const resolved = path.resolve(localPath);
  const info = await stat(resolved).catch(() => null);
  if (!info) throw invalidPath(`No folder exists at ${resolved}`);
  if (!info.isDirectory()) throw invalidPath(`${resolved} is a file, not a folder`);
  const inside = await git(resolved, ["rev-parse", "--is-inside-work-tree"]);
  if (inside !== "true")
    throw invalidPath(`${resolved} is not a git repository (run git init there first)`);
  const root = (await git(resolved, ["rev-parse", "--show-toplevel"])) ?? resolved;
  const remoteHead = await git(root, [
    "symbolic-ref",
    "--quiet",
    "--short",
    "refs/remotes/origin/HEAD",
  ]);
  const current = await git(root, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  const defaultBranch = remoteHead?.replace(/^origin\//, "") || current || "main";
  return { root, defaultBranch };
}
