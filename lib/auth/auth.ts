import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { db } from "@/lib/db/client";
import { env, githubAuthEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { ensurePersonalOrganization } from "@/lib/orgs/ensure-personal-organization";
import { verifyCredentials } from "./verify-credentials";

// Lazy so that nothing touches the database or the secret until a request needs them.
function config(): NextAuthConfig {
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      authorize: (credentials) => verifyCredentials(db(), credentials),
    }),
  ];
  if (githubAuthEnabled()) {
    const enterpriseUrl = env().AUTH_GITHUB_ENTERPRISE_URL;
    providers.push(
      GitHub({
        clientId: env().AUTH_GITHUB_ID,
        clientSecret: env().AUTH_GITHUB_SECRET,
        // GitHub Enterprise Server (and local protocol-speaking test servers).
        ...(enterpriseUrl ? { enterprise: { baseUrl: enterpriseUrl.replace(/\/$/, "") } } : {}),
      }),
    );
  }
  return {
    adapter: PrismaAdapter(db()),
    secret: env().AUTH_SECRET,
    trustHost: true,
    // Credentials sign-in requires JWT sessions; memberships are checked on every request anyway.
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    // Auth.js logs a stack for every wrong password; that is an expected outcome, not an error.
    logger: {
      error(error) {
        if (error.name === "CredentialsSignin") return;
        logger.error({ err: error }, "auth error");
      },
      warn(code) {
        logger.warn({ code }, "auth warning");
      },
    },
    providers,
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      async signIn({ user }) {
        if (user.id) await ensurePersonalOrganization(db(), user.id);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
