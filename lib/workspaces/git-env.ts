import os from "node:os";

// Its own module so that code of the web server needing it (lib/github/repository-mirror.ts)
// does not pull the worktree plumbing (git-workspace.ts) into the web build.

// A fixed environment: no inherited secrets, no user/system git config, stable English messages.
// (Typed loosely: Next's typings make NODE_ENV mandatory in ProcessEnv, and git does not need it.)
export const GIT_ENV: Record<string, string> = {
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: os.tmpdir(),
  LANG: "C",
  LC_ALL: "C",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_OPTIONAL_LOCKS: "0",
};
