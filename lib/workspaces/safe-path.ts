import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/api/app-error";

function forbidden(requested: string, why: string): AppError {
  return new AppError("FORBIDDEN", `Path "${requested}" is not allowed: ${why}`, {
    path: requested,
  });
}

function touchesGitDir(relative: string): boolean {
  // Case-insensitively: on a case-insensitive file system ".GIT/hooks" is the same directory.
  return relative.split(path.sep).some((segment) => segment.toLowerCase() === ".git");
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === "" ||
    (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative))
  );
}

async function exists(target: string): Promise<boolean> {
  try {
    await lstat(target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * Resolves a relative path requested by an agent to an absolute real path inside `root`, or
 * throws FORBIDDEN (absolute paths, `..` escapes, symlinks leading out, the `.git` directory).
 * The path need not exist yet; its nearest existing parent is resolved instead. This is a check
 * at one moment: the sandbox, not this function, is what contains a hostile process.
 */
export async function resolveInside(root: string, requested: string): Promise<string> {
  if (requested.includes("\0")) throw forbidden(requested, "it contains a NUL byte");
  if (path.isAbsolute(requested)) throw forbidden(requested, "absolute paths are refused");

  const realRoot = await realpath(root);
  const lexical = path.resolve(realRoot, requested);
  if (!isInside(realRoot, lexical)) throw forbidden(requested, "it leads outside the workspace");
  if (touchesGitDir(path.relative(realRoot, lexical))) {
    throw forbidden(requested, "the .git directory is off limits");
  }

  // Walk up to the nearest existing entry; everything below it is created fresh, so no symlinks.
  let existing = lexical;
  const missing: string[] = [];
  while (!(await exists(existing))) {
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }

  let realExisting: string;
  try {
    realExisting = await realpath(existing);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      // A dangling symlink: writing through it would create its target, wherever that is.
      throw forbidden(requested, "it goes through a symlink to a missing target");
    }
    throw error;
  }
  if (!isInside(realRoot, realExisting)) {
    throw forbidden(requested, "a symlink on the way leads outside the workspace");
  }
  const resolved = path.join(realExisting, ...missing);
  if (touchesGitDir(path.relative(realRoot, resolved))) {
    throw forbidden(requested, "it leads into the .git directory");
  }
  return resolved;
}
