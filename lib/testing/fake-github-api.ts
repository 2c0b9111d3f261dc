// A local stand-in for the parts of GitHub a GitHub App uses, for the real `octokit` to talk to
// (GITHUB_API_URL and GITHUB_WEB_URL both point here). It checks what GitHub checks: app JWTs
// (RS256 with the app's key, issuer, expiry), installation tokens (issued here, unexpired, for an
// installation that grants the repository), and it serves the repositories themselves over git's
// smart HTTP protocol (`git http-backend`, the CGI program git ships) from local bare repositories
// under `gitRoot/<owner>/<repo>.git` — so clones, fetches and pushes go through the same URL
// layout and token authentication as on github.com, with no test-only override in Trellis.
import { execFileSync, spawn } from "node:child_process";
import { createPublicKey, generateKeyPairSync, randomBytes, verify } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { makeGitRepo } from "./git-repo";

export type FakePermission = "admin" | "maintain" | "write" | "triage" | "read";

interface FakeInstallation {
  id: number;
  account: { login: string; type: string };
  repositories: string[];
  suspended: boolean;
  createdAt: Date;
}

export interface FakeComment {
  repository: string;
  issueNumber: number;
  body: string;
}

export interface FakePull {
  repository: string;
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: "open" | "closed";
}

export interface FakeGithubApi {
  /** Base URL of the API and the web (install page, clone URLs). */
  url: string;
  appId: string;
  appSlug: string;
  /** The app's private key (PEM), as GITHUB_APP_PRIVATE_KEY. */
  privateKey: string;
  /** Where the bare repositories live: <gitRoot>/<owner>/<repo>.git. */
  gitRoot: string;
  comments: FakeComment[];
  pulls: FakePull[];
  /** Installation tokens handed out, in order. */
  tokens: string[];
  /** Git smart-HTTP requests: which repository, which service, whether the token was accepted. */
  gitRequests: Array<{ repository: string; service: string; authorized: boolean }>;
  /** Every API request (method and path), in order. */
  requests: Array<{ method: string; path: string }>;
  /** A bare repository with one commit (README.md) on `defaultBranch`. */
  addRepository(fullName: string, options?: { defaultBranch?: string }): string;
  addInstallation(installation: {
    id: number;
    account: { login: string; type?: string };
    repositories: string[];
    /** When GitHub made it (default: now). */
    createdAt?: Date;
  }): void;
  setSuspended(installationId: number, suspended: boolean): void;
  /** Whether the app is (still) installed there, as GitHub sees it. */
  hasInstallation(installationId: number): boolean;
  /** While set, every API request is answered with this status, as during a GitHub outage. */
  setOutage(status: number | null): void;
  setPermission(repository: string, login: string, permission: FakePermission): void;
  /** Where GitHub's install page sends the browser back to, and the installation it "creates". */
  setInstallFlow(flow: { setupUrl: string; installationId: number } | null): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A fresh RSA key for a GitHub App (PEM, as GitHub hands it out). */
export function generateGithubAppKey(): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}

/**
 * Starts the fake, on a free port and with a fresh RSA key for the app unless told otherwise (an
 * app server started before the fake needs the port and the key up front).
 */
export async function startFakeGithubApi(
  options: {
    appId?: string;
    appSlug?: string;
    tokenTtlMs?: number;
    port?: number;
    /** The app's private key (PEM). */
    privateKey?: string;
  } = {},
): Promise<FakeGithubApi> {
  const appId = options.appId ?? "424242";
  const appSlug = options.appSlug ?? "trellis-test";
  const tokenTtlMs = options.tokenTtlMs ?? 60 * 60 * 1000;
  const privatePem = options.privateKey ?? generateGithubAppKey();
  const verifyKey = createPublicKey(privatePem);
  const gitRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-fake-github-"));

  const installations = new Map<number, FakeInstallation>();
  const repositories = new Map<string, { fullName: string; defaultBranch: string; id: number }>();
  const permissions = new Map<string, FakePermission>();
  const issued = new Map<string, { installationId: number; expiresAt: number }>();
  let installFlow: { setupUrl: string; installationId: number } | null = null;
  let outage: number | null = null;
  let nextPull = 1000;
  let nextComment = 1;

  const fake: Omit<FakeGithubApi, "url" | "close"> = {
    appId,
    appSlug,
    privateKey: privatePem,
    gitRoot,
    comments: [],
    pulls: [],
    tokens: [],
    gitRequests: [],
    requests: [],
    addRepository(fullName, opts = {}) {
      const defaultBranch = opts.defaultBranch ?? "main";
      const bare = path.join(gitRoot, `${fullName}.git`);
      mkdirSync(path.dirname(bare), { recursive: true });
      execFileSync("git", ["init", "-q", "--bare", "-b", defaultBranch, bare]);
      const work = makeGitRepo(defaultBranch);
      execFileSync("git", ["-C", work, "push", "-q", bare, defaultBranch], { stdio: "ignore" });
      repositories.set(fullName.toLowerCase(), {
        fullName,
        defaultBranch,
        id: repositories.size + 1,
      });
      return bare;
    },
    addInstallation(installation) {
      installations.set(installation.id, {
        id: installation.id,
        account: {
          login: installation.account.login,
          type: installation.account.type ?? "Organization",
        },
        repositories: installation.repositories,
        suspended: false,
        createdAt: installation.createdAt ?? new Date(),
      });
    },
    setSuspended(installationId, suspended) {
      const installation = installations.get(installationId);
      if (installation) installation.suspended = suspended;
    },
    hasInstallation(installationId) {
      return installations.has(installationId);
    },
    setOutage(status) {
      outage = status;
    },
    setPermission(repository, login, permission) {
      permissions.set(`${repository.toLowerCase()}\0${login.toLowerCase()}`, permission);
    },
    setInstallFlow(flow) {
      installFlow = flow;
    },
  };

  /** The app JWT's claims, or null when it is not a valid JWT signed with the app's key. */
  function appJwt(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(header);
    if (!match) return false;
    const [, h, p, s] = match as unknown as [string, string, string, string];
    const signed = verify(
      "RSA-SHA256",
      Buffer.from(`${h}.${p}`),
      verifyKey,
      Buffer.from(s, "base64url"),
    );
    if (!signed) return false;
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as {
      iss?: unknown;
      exp?: number;
      iat?: number;
    };
    const now = Date.now() / 1000;
    return (
      String(claims.iss) === appId && (claims.exp ?? 0) > now && (claims.iat ?? now) <= now + 60
    );
  }

  function installationFor(token: string | undefined): FakeInstallation | null {
    const grant = token ? issued.get(token) : undefined;
    if (!grant || grant.expiresAt <= Date.now()) return null;
    const installation = installations.get(grant.installationId);
    return installation && !installation.suspended ? installation : null;
  }

  function tokenOf(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? "";
    const bearer = /^(?:token|Bearer) (\S+)$/i.exec(header)?.[1];
    if (bearer) return bearer;
    const basic = /^Basic (\S+)$/i.exec(header)?.[1];
    // Strict base64: Node's decoder would skip stray characters that GitHub rejects.
    if (!basic || Buffer.from(basic, "base64").toString("base64") !== basic) return undefined;
    const [user, password] = Buffer.from(basic, "base64").toString().split(":");
    return user === "x-access-token" ? password : undefined;
  }

  const grants = (installation: FakeInstallation, repository: string) =>
    installation.repositories.some((r) => r.toLowerCase() === repository.toLowerCase());

  function repoJson(fullName: string, base: string) {
    const repo = repositories.get(fullName.toLowerCase());
    const [owner = "", name = ""] = fullName.split("/");
    return {
      id: repo?.id ?? 0,
      node_id: `R_${repo?.id ?? 0}`,
      name,
      full_name: repo?.fullName ?? fullName,
      private: true,
      owner: { login: owner, type: "Organization" },
      html_url: `${base}/${fullName}`,
      clone_url: `${base}/${fullName}.git`,
      default_branch: repo?.defaultBranch ?? "main",
    };
  }

  function branchExists(repository: string, branch: string): boolean {
    try {
      execFileSync(
        "git",
        [
          "--git-dir",
          path.join(gitRoot, `${repository}.git`),
          "rev-parse",
          "--verify",
          "--quiet",
          `refs/heads/${branch}`,
        ],
        { stdio: "ignore" },
      );
      return true;
    } catch {
      return false;
    }
  }

  async function serveGit(req: IncomingMessage, res: ServerResponse, url: URL) {
    const match = /^\/([^/]+\/[^/]+)\.git(\/.*)$/.exec(url.pathname);
    const repository = match?.[1] ?? "";
    const service = url.searchParams.get("service") ?? match?.[2]?.slice(1) ?? "";
    const installation = installationFor(tokenOf(req));
    const authorized = Boolean(installation && grants(installation, repository));
    fake.gitRequests.push({ repository, service, authorized });
    if (!authorized) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
      return res.end("Invalid username or token.");
    }
    const body = await readBody(req);
    const cgiEnv: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: os.tmpdir(),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_PROJECT_ROOT: gitRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      // A REMOTE_USER is what lets http-backend accept pushes.
      REMOTE_USER: "x-access-token",
      REMOTE_ADDR: "127.0.0.1",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      CONTENT_LENGTH: String(body.length),
      HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
      HTTP_GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
    };
    const child = spawn("git", ["http-backend"], { env: cgiEnv as NodeJS.ProcessEnv });
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stdin.end(body);
    await new Promise((resolve) => child.on("close", resolve));
    const raw = Buffer.concat(out);
    const split = raw.indexOf("\r\n\r\n");
    const head = raw.subarray(0, split).toString();
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "status") status = Number.parseInt(value, 10);
      else if (name) headers[name] = value;
    }
    res.writeHead(status, headers);
    res.end(raw.subarray(split + 4));
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const base = `http://${req.headers.host}`;
    const method = req.method ?? "GET";
    const p = url.pathname;
    try {
      if (/^\/[^/]+\/[^/]+\.git\//.test(p)) return await serveGit(req, res, url);
      fake.requests.push({ method, path: p });
      if (outage !== null) return json(res, outage, { message: "Service Unavailable" });

      // The web page where someone installs the app; it comes back to the setup URL.
      const installPage = /^\/apps\/([^/]+)\/installations\/new$/.exec(p);
      if (method === "GET" && installPage) {
        if (installPage[1] !== appSlug || !installFlow)
          return json(res, 404, { message: "Not Found" });
        const back = new URL(installFlow.setupUrl);
        back.searchParams.set("installation_id", String(installFlow.installationId));
        back.searchParams.set("setup_action", "install");
        const state = url.searchParams.get("state");
        if (state) back.searchParams.set("state", state);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }

      const appInstallation = /^\/app\/installations\/(\d+)(\/access_tokens)?$/.exec(p);
      if (appInstallation) {
        if (!appJwt(req)) {
          return json(res, 401, { message: "A JSON web token could not be decoded" });
        }
        const installation = installations.get(Number(appInstallation[1]));
        if (!installation) return json(res, 404, { message: "Not Found" });
        if (method === "GET" && !appInstallation[2]) {
          return json(res, 200, {
            id: installation.id,
            account: { login: installation.account.login, type: installation.account.type, id: 1 },
            app_id: Number(appId),
            app_slug: appSlug,
            target_type: installation.account.type,
            repository_selection: "selected",
            suspended_at: installation.suspended ? new Date().toISOString() : null,
            created_at: installation.createdAt.toISOString(),
          });
        }
        // Uninstalling the app: its tokens stop working at once.
        if (method === "DELETE" && !appInstallation[2]) {
          installations.delete(installation.id);
          for (const [token, grant] of issued) {
            if (grant.installationId === installation.id) issued.delete(token);
          }
          res.writeHead(204);
          return res.end();
        }
        if (method === "POST" && appInstallation[2]) {
          if (installation.suspended) {
            return json(res, 403, { message: "This installation has been suspended" });
          }
          const token = `ghs_${randomBytes(18).toString("hex")}`;
          const expiresAt = Date.now() + tokenTtlMs;
          issued.set(token, { installationId: installation.id, expiresAt });
          fake.tokens.push(token);
          return json(res, 201, {
            token,
            expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
            permissions: { contents: "write", issues: "write", pull_requests: "write" },
            repository_selection: "selected",
          });
        }
      }

      const installation = installationFor(tokenOf(req));
      if (!installation) return json(res, 401, { message: "Bad credentials" });

      if (method === "GET" && p === "/installation/repositories") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const all = installation.repositories;
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(url);
          next.searchParams.set("page", String(page + 1));
          headers.link = `<${base}${next.pathname}${next.search}>; rel="next"`;
        }
        return json(
          res,
          200,
          {
            total_count: all.length,
            repository_selection: "selected",
            repositories: slice.map((r) => repoJson(r, base)),
          },
          headers,
        );
      }

      const repoPath = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(p);
      if (!repoPath) return json(res, 404, { message: "Not Found" });
      const repository = `${repoPath[1]}/${repoPath[2]}`;
      const rest = repoPath[3] ?? "";
      if (!grants(installation, repository)) return json(res, 404, { message: "Not Found" });

      const permission = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
      if (method === "GET" && permission) {
        const login = decodeURIComponent(permission[1] ?? "");
        const role = permissions.get(`${repository.toLowerCase()}\0${login.toLowerCase()}`);
        if (!role) return json(res, 404, { message: `${login} is not a user` });
        const legacy =
          role === "admin" ? "admin" : role === "maintain" || role === "write" ? "write" : "read";
        return json(res, 200, { permission: legacy, role_name: role, user: { login } });
      }

      const comment = /^\/issues\/(\d+)\/comments$/.exec(rest);
      if (method === "POST" && comment) {
        const body = JSON.parse((await readBody(req)).toString()) as { body?: string };
        if (!body.body) return json(res, 422, { message: "Validation Failed" });
        const id = nextComment++;
        fake.comments.push({ repository, issueNumber: Number(comment[1]), body: body.body });
        return json(res, 201, {
          id,
          body: body.body,
          html_url: `${base}/${repository}/issues/${comment[1]}#issuecomment-${id}`,
          user: { login: `${appSlug}[bot]`, type: "Bot" },
        });
      }

      if (rest === "/pulls" && method === "POST") {
        const body = JSON.parse((await readBody(req)).toString()) as Partial<FakePull>;
        const head = body.head ?? "";
        const baseRef = body.base ?? "";
        if (!body.title || !branchExists(repository, head) || !branchExists(repository, baseRef)) {
          return json(res, 422, {
            message: "Validation Failed",
            errors: [{ resource: "PullRequest", code: "invalid", field: "head" }],
          });
        }
        if (
          fake.pulls.some(
            (pr) => pr.repository === repository && pr.head === head && pr.state === "open",
          )
        ) {
          return json(res, 422, {
            message: "Validation Failed",
            errors: [{ message: `A pull request already exists for ${repoPath[1]}:${head}.` }],
          });
        }
        const pr: FakePull = {
          repository,
          number: nextPull++,
          head,
          base: baseRef,
          title: body.title,
          body: body.body ?? "",
          state: "open",
        };
        fake.pulls.push(pr);
        return json(res, 201, pullJson(pr, base));
      }
      if (rest === "/pulls" && method === "GET") {
        const head = url.searchParams.get("head")?.split(":").pop();
        const state = url.searchParams.get("state") ?? "open";
        const found = fake.pulls.filter(
          (pr) =>
            pr.repository === repository &&
            (!head || pr.head === head) &&
            (state === "all" || pr.state === state),
        );
        return json(
          res,
          200,
          found.map((pr) => pullJson(pr, base)),
        );
      }
      return json(res, 404, { message: "Not Found" });
    } catch (error) {
      json(res, 500, { message: error instanceof Error ? error.message : String(error) });
    }
  });

  function pullJson(pr: FakePull, base: string) {
    return {
      number: pr.number,
      html_url: `${base}/${pr.repository}/pull/${pr.number}`,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      head: { ref: pr.head },
      base: { ref: pr.base },
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
