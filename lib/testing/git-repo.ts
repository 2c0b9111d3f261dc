import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A real git repository with one commit on `branch`, in a temp folder, for tests. */
export function makeGitRepo(branch = "main"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "trellis-repo-"));
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", ...args],
      {
        stdio: "ignore",
      },
    );
  git("init", "-q", "-b", branch);
  writeFileSync(path.join(dir, "README.md"), "# fixture\n");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}
