import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * One scratch folder per run for the git repositories the tests point projects at
 * (outside the checkout, so no test repo sits inside Trellis's own work tree).
 * Workers inherit E2E_SCRATCH_DIR; the returned function removes it after the run.
 */
export default function globalSetup(): () => void {
  // The tests make real repositories; fail once, clearly, when git is missing.
  execFileSync("git", ["--version"], { stdio: "ignore" });
  const scratch = mkdtempSync(path.join(tmpdir(), "trellis-e2e-"));
  process.env.E2E_SCRATCH_DIR = scratch;
  return () => rmSync(scratch, { recursive: true, force: true });
}
