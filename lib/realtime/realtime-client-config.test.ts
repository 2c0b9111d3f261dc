import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { realtimeClientConfig } from "./realtime-client-config";

const pusherVars = {
  PUSHER_APP_ID: "4242",
  PUSHER_KEY: "public-key",
  PUSHER_SECRET: "very-secret",
  PUSHER_CLUSTER: "eu",
};

function withEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvForTests();
}

describe("realtimeClientConfig", () => {
  afterEach(() => {
    for (const name of Object.keys(process.env))
      if (name.startsWith("PUSHER_")) delete process.env[name];
    resetEnvForTests();
  });

  it("is server-sent events unless all four Pusher variables are set", () => {
    expect(realtimeClientConfig()).toEqual({ transport: "sse" });
    withEnv({ PUSHER_APP_ID: "4242", PUSHER_KEY: "k", PUSHER_CLUSTER: "eu" });
    expect(realtimeClientConfig()).toEqual({ transport: "sse" });
  });

  it("gives the browser Pusher's key and host, never the secret", () => {
    withEnv({
      ...pusherVars,
      PUSHER_HOST: "soketi.internal",
      PUSHER_PORT: "6001",
      PUSHER_USE_TLS: "false",
    });
    const config = realtimeClientConfig();
    expect(config).toEqual({
      transport: "pusher",
      key: "public-key",
      cluster: "eu",
      wsHost: "soketi.internal",
      wsPort: 6001,
      forceTLS: false,
    });
    expect(JSON.stringify(config)).not.toContain("very-secret");
  });

  it("uses Pusher's cluster over TLS by default", () => {
    withEnv(pusherVars);
    expect(realtimeClientConfig()).toEqual({
      transport: "pusher",
      key: "public-key",
      cluster: "eu",
      forceTLS: true,
    });
  });
});
