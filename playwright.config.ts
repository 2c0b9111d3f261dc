import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { generateGithubAppKey } from "./lib/testing/fake-github-api";

// Debian's Chromium where it is installed (CI, this machine); else Playwright's own browser.
const debianChromium = "/usr/bin/chromium";
const executablePath = existsSync(debianChromium) ? debianChromium : undefined;
const port = 3107;
// GitHub sign-in goes to a local server that speaks GitHub's OAuth protocol (e2e/fake-github.ts).
export const fakeGitHub = {
  port: 3109,
  clientId: "Iv1.e2e-client",
  clientSecret: "e2e-client-secret",
};

// Stripe billing goes to a local server that speaks Stripe's API (lib/testing/fake-stripe.ts),
// started by e2e/billing.spec.ts; other specs never call Stripe (the billing page only reads the database).
export const fakeStripe = {
  port: 3111,
  secretKey: "sk_test_51TrellisE2eKey0000000000000000000000",
  webhookSecret: "whsec_trellis_e2e_webhook_secret_000000",
  pricePro: "price_1TrellisE2ePro",
  priceTeam: "price_1TrellisE2eTeam",
};

// The GitHub App talks to a local server that speaks GitHub's REST API and plays its install page
// (lib/testing/fake-github-api.ts), started by e2e/github-app.spec.ts; other specs never call it
// (Settings reads installations from the database and asks GitHub only about connected ones).
// The app's key is made once per run: this file is loaded again in each worker, which inherits
// the runner's environment, so the web server and the fake hold the same key.
process.env.E2E_GITHUB_APP_PRIVATE_KEY ??= generateGithubAppKey();
export const fakeGithubApp = {
  port: 3113,
  appId: "313113",
  slug: "trellis-e2e",
  privateKey: process.env.E2E_GITHUB_APP_PRIVATE_KEY,
  webhookSecret: "e2e-github-webhook-secret-3113",
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // The README's run command, on a throw-away data directory and its own port.
    command: "rm -rf .test-data/e2e && exec node_modules/.bin/tsx scripts/start.ts",
    // The launcher stops Postgres, web and worker on SIGTERM; SIGKILL would orphan them.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: ".test-data/e2e",
      LOG_LEVEL: "warn",
      AUTH_GITHUB_ID: fakeGitHub.clientId,
      AUTH_GITHUB_SECRET: fakeGitHub.clientSecret,
      AUTH_GITHUB_ENTERPRISE_URL: `http://127.0.0.1:${fakeGitHub.port}`,
      STRIPE_SECRET_KEY: fakeStripe.secretKey,
      STRIPE_WEBHOOK_SECRET: fakeStripe.webhookSecret,
      STRIPE_PRICE_PRO: fakeStripe.pricePro,
      STRIPE_PRICE_TEAM: fakeStripe.priceTeam,
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: String(fakeStripe.port),
      STRIPE_API_PROTOCOL: "http",
      GITHUB_APP_ID: fakeGithubApp.appId,
      GITHUB_APP_SLUG: fakeGithubApp.slug,
      GITHUB_APP_PRIVATE_KEY: fakeGithubApp.privateKey,
      GITHUB_WEBHOOK_SECRET: fakeGithubApp.webhookSecret,
      GITHUB_API_URL: `http://127.0.0.1:${fakeGithubApp.port}`,
      GITHUB_WEB_URL: `http://127.0.0.1:${fakeGithubApp.port}`,
    },
  },
});
