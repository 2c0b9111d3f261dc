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
  // Stripe billing (lib/billing). Unset STRIPE_SECRET_KEY: billing is off; organizations without a
  // Stripe account are on the Self-hosted plan (no plan limits), paying ones keep theirs.
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  // Signing secret of the webhook endpoint POST /api/webhooks/stripe (whsec_…).
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  // Recurring prices (price_…) that Checkout sells for the Pro and Team plans.
  STRIPE_PRICE_PRO: z.string().min(1).optional(),
  STRIPE_PRICE_TEAM: z.string().min(1).optional(),
  // Event name of the Billing Meter that agent tokens are reported to; unset: no metered usage.
  STRIPE_METER_EVENT: z.string().min(1).max(100).optional(),
  // Another Stripe API server (stripe-mock, or the local fake in tests): host, port, protocol.
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  // GitHub App (repositories, issue intake, pull requests). All four of id, key, slug and webhook
  // secret are needed; without them Settings explains how to connect one.
  GITHUB_APP_ID: z.string().regex(/^\d+$/, "GITHUB_APP_ID is the app's numeric id").optional(),
  // The app's private key (PEM). A one-line value with \n escapes is accepted (as .env files need).
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .min(1)
    .transform((v) => v.replace(/\\n/g, "\n"))
    .optional(),
  GITHUB_APP_SLUG: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  // REST API base URL: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server.
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  // Web base URL: the app's install page and repository clone URLs (<url>/<owner>/<repo>.git).
  GITHUB_WEB_URL: z.url().default("https://github.com"),
  // Realtime over Pusher Channels (lib/realtime) when the first four are set; unset means
  // server-sent events fed by Postgres LISTEN/NOTIFY. HOST/PORT/USE_TLS point both the server
  // SDK and the browser at a self-hosted Pusher-compatible server (soketi) or a test server.
  PUSHER_APP_ID: z.string().min(1).optional(),
  PUSHER_KEY: z.string().min(1).optional(),
  PUSHER_SECRET: z.string().min(1).optional(),
  PUSHER_CLUSTER: z.string().min(1).optional(),
  PUSHER_HOST: z.string().min(1).optional(),
  PUSHER_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PUSHER_USE_TLS: z
    .enum(["true", "false", "1", "0"])
    .transform((v) => v === "true" || v === "1")
    .default(true),
  /** Requests per minute each API key may make to /api/v1 (a sliding window shared by every web process). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * Bearer token Prometheus sends to GET /api/metrics. Unset: the endpoint answers 404, except
   * under `npm run dev` (NODE_ENV=development), where it is open.
   */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN needs at least 16 characters").optional(),
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

/** True when the GitHub App is configured (id, private key, slug and webhook secret). */
export function githubAppEnabled(): boolean {
  const e = env();
  return Boolean(
    e.GITHUB_APP_ID && e.GITHUB_APP_PRIVATE_KEY && e.GITHUB_APP_SLUG && e.GITHUB_WEBHOOK_SECRET,
  );
}

/** True when background functions run on Inngest rather than the built-in DBOS worker. */
export function inngestEnabled(): boolean {
  const e = env();
  const dev = e.INNGEST_DEV?.toLowerCase();
  return Boolean(e.INNGEST_EVENT_KEY) || (dev !== undefined && dev !== "0" && dev !== "false");
}

/** True when Stripe billing is configured (checkout, portal, webhooks, metered usage). */
export function stripeEnabled(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY);
}

/** True when realtime goes through Pusher Channels rather than server-sent events. */
export function pusherEnabled(): boolean {
  const e = env();
  return Boolean(e.PUSHER_APP_ID && e.PUSHER_KEY && e.PUSHER_SECRET && e.PUSHER_CLUSTER);
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
