import { z } from "zod";

/**
 * The one typed entry point to the environment. Nothing else reads process.env.
 * Parsed lazily so that build steps which never touch a variable do not need it.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  /** GitHub Enterprise Server base URL (https://github.example.com); unset means github.com. */
  AUTH_GITHUB_ENTERPRISE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRELLIS_ROLE: z.enum(["web", "worker", "cli", "test"]).default("web"),
  // Fixed port for the embedded Postgres (e.g. to point psql at it); a free one is picked when unset.
  /** Tasks the built-in agent runner of one worker runs at once. */
  AGENT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Claude through the Anthropic API; unset means the labelled offline provider answers instead.
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  // A proxy or gateway in front of the Anthropic API (and the local fake server in tests).
  ANTHROPIC_BASE_URL: z.url().optional(),
  // Background functions run on Inngest (served at /api/inngest) instead of the DBOS worker when
  // either of these is set: INNGEST_EVENT_KEY for Inngest Cloud or a self-hosted server,
  // INNGEST_DEV ("1", or the dev server's URL) for a local Inngest dev server.
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_DEV: z.string().min(1).optional(),
  // Verifies requests from Inngest to /api/inngest (required outside dev mode).
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
  // A self-hosted Inngest server; unset means Inngest Cloud (or the dev server in dev mode).
  INNGEST_BASE_URL: z.url().optional(),
  /** Requests per minute each API key may make to /api/v1 (a sliding window shared by every web process). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  // An empty value (DATABASE_URL= in a copied .env.example) means "not set".
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** True when GitHub sign-in is configured. */
export function githubAuthEnabled(): boolean {
  const e = env();
  return Boolean(e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET);
}

/** True when background functions run on Inngest rather than the built-in DBOS worker. */
export function inngestEnabled(): boolean {
  const e = env();
  const dev = e.INNGEST_DEV?.toLowerCase();
  return Boolean(e.INNGEST_EVENT_KEY) || (dev !== undefined && dev !== "0" && dev !== "false");
}

/** The public base URL of the app, used in invite links. */
export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
}

/** Test hook: forget the parsed environment after process.env changed. */
export function resetEnvForTests(): void {
  cached = undefined;
}
