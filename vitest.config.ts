import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const alias = {
  "@": root,
  // Domain modules are marked server-only; tests run them on the server side.
  "server-only": path.join(root, "node_modules/server-only/empty.js"),
};
const exclude = ["node_modules/**", ".next/**", "e2e/**", ".data/**", "lib/generated/**"];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.integration.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude,
          environment: "node",
          globalSetup: ["lib/db/test-global-setup.ts"],
          // Expected retries and refusals log warnings; keep the run's output to failures.
          env: { LOG_LEVEL: "error" },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
