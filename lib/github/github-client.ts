// The GitHub App's clients: one App (authenticated as the app with a short-lived JWT) per
// configuration, and installation tokens kept in memory only — never in the database, on disk,
// in git config, in remote URLs or in logs — and refreshed well before they expire.
import "server-only";
import { App, Octokit } from "octokit";
import { AppError } from "@/lib/api/app-error";
import { env, githubAppEnabled } from "@/lib/env";
import { childLogger } from "@/lib/logger";

export interface GithubAppConfig {
  appId: string;
  privateKey: string;
  slug: string;
  webhookSecret: string;
  apiUrl: string;
  webUrl: string;
}

/** The app's settings, or UNAVAILABLE when it is not configured. */
export function githubAppConfig(): GithubAppConfig {
  const e = env();
  if (
    !githubAppEnabled() ||
    !e.GITHUB_APP_ID ||
    !e.GITHUB_APP_PRIVATE_KEY ||
    !e.GITHUB_APP_SLUG ||
    !e.GITHUB_WEBHOOK_SECRET
  ) {
    throw new AppError(
      "UNAVAILABLE",
      "The GitHub App is not configured: set GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_SLUG and GITHUB_WEBHOOK_SECRET.",
    );
  }
  return {
    appId: e.GITHUB_APP_ID,
    privateKey: e.GITHUB_APP_PRIVATE_KEY,
    slug: e.GITHUB_APP_SLUG,
    webhookSecret: e.GITHUB_WEBHOOK_SECRET,
    apiUrl: e.GITHUB_API_URL.replace(/\/$/, ""),
    webUrl: e.GITHUB_WEB_URL.replace(/\/$/, ""),
  };
}

const log = childLogger({ module: "github" });
// Octokit logs request warnings (deprecations, rate limits) through this; never request headers.
const octokitLog = {
  debug: (message: string) => log.debug(message),
  info: (message: string) => log.info(message),
  warn: (message: string) => log.warn(message),
  error: (message: string) => log.error(message),
};

// Octokit paces requests the way github.com asks (one comment per 3 s, process-wide) to stay clear
// of its secondary rate limits. Tests against the local fake, which has none, turn that off.
let paced = true;

function octokitClass(config: GithubAppConfig) {
  return Octokit.defaults({
    baseUrl: config.apiUrl,
    log: octokitLog,
    userAgent: "trellis",
    ...(paced ? {} : { throttle: { enabled: false } }),
  });
}

type AppClient = InstanceType<typeof App>;
export type InstallationClient = InstanceType<typeof Octokit>;

const apps = new Map<string, AppClient>();
const configKey = (config: GithubAppConfig) => `${config.apiUrl}\0${config.appId}`;

/** Octokit authenticated as the app itself (JWT): installation lookups and token requests. */
export function githubAppClient(config = githubAppConfig()): AppClient["octokit"] {
  const key = configKey(config);
  let app = apps.get(key);
  if (!app) {
    app = new App({
      appId: config.appId,
      privateKey: config.privateKey,
      Octokit: octokitClass(config),
      log: octokitLog,
    });
    apps.set(key, app);
  }
  return app.octokit;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

// A token is replaced once less than this much of its hour is left, so a clone or push that
// starts with it never runs into its expiry.
const REFRESH_MARGIN_MS = 10 * 60 * 1000;
const tokens = new Map<string, CachedToken>();
const pending = new Map<string, Promise<CachedToken>>();

/**
 * A short-lived installation access token (GitHub gives them an hour), cached in this process
 * and refreshed ten minutes before it expires. Concurrent callers share one request.
 */
export async function installationToken(
  installationId: number | bigint,
  config = githubAppConfig(),
): Promise<string> {
  const key = `${configKey(config)}\0${installationId}`;
  const cached = tokens.get(key);
  if (cached && cached.expiresAt - Date.now() > REFRESH_MARGIN_MS) return cached.token;
  let request = pending.get(key);
  if (!request) {
    request = githubAppClient(config)
      .request("POST /app/installations/{installation_id}/access_tokens", {
        installation_id: Number(installationId),
      })
      .then(({ data }) => {
        const fresh = { token: data.token, expiresAt: Date.parse(data.expires_at) };
        tokens.set(key, fresh);
        return fresh;
      })
      .finally(() => pending.delete(key));
    pending.set(key, request);
  }
  return (await request).token;
}

/** Octokit acting as one installation (repositories, issues, pull requests). */
export async function installationClient(
  installationId: number | bigint,
  config = githubAppConfig(),
): Promise<InstallationClient> {
  const OctokitWithDefaults = octokitClass(config);
  return new OctokitWithDefaults({ auth: await installationToken(installationId, config) });
}

/**
 * Test hook: forget cached clients and tokens (a new fake server, another app); `pacing: false`
 * turns octokit's client-side request pacing off.
 */
export function resetGithubClientsForTests(options: { pacing?: boolean } = {}): void {
  paced = options.pacing ?? true;
  apps.clear();
  tokens.clear();
  pending.clear();
}
