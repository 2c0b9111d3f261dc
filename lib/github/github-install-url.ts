import "server-only";
import { AppError } from "@/lib/api/app-error";
import { env } from "@/lib/env";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { githubAppConfig } from "./github-client";
import { signInstallState } from "./install-state";

/** The secret that signs installation states (the auth secret every web server shares). */
export function installStateSecret(): string {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new AppError("UNAVAILABLE", "AUTH_SECRET is not set.");
  return secret;
}

/**
 * Where "Connect GitHub" sends an admin: the app's installation page on GitHub, with a state
 * that binds the organization and the person (checked by the setup callback).
 */
export function githubInstallUrl(options: { actor: Actor }): string {
  const { actor } = options;
  assertCan(actor, "manage");
  const config = githubAppConfig();
  const state = signInstallState(installStateSecret(), {
    orgId: actor.orgId,
    userId: actor.userId,
  });
  const url = new URL(`${config.webUrl}/apps/${encodeURIComponent(config.slug)}/installations/new`);
  url.searchParams.set("state", state);
  return url.toString();
}
