// A local stand-in for GitHub's OAuth web flow and the two REST endpoints Auth.js
// reads (GitHub Enterprise Server layout: /login/oauth/*, /api/v3/*). It checks what
// GitHub checks: client id and secret, the redirect URI, one-time codes, and PKCE.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";

export interface FakeGitHubUser {
  id: number;
  login: string;
  name: string;
  email: string;
}

export interface FakeGitHub {
  url: string;
  /** The account the next authorization signs in as. */
  user: FakeGitHubUser;
  close(): Promise<void>;
}

interface Grant {
  redirectUri: string;
  challenge: string | null;
  user: FakeGitHubUser;
}

async function readBody(req: NodeJS.ReadableStream): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

export async function startFakeGitHub(options: {
  port: number;
  clientId: string;
  clientSecret: string;
}): Promise<FakeGitHub> {
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, FakeGitHubUser>();
  const state: { user: FakeGitHubUser } = {
    user: { id: 4242, login: "octo-ada", name: "Octo Ada", email: "octo-ada@example.com" },
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };

    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      // GitHub would show its consent screen; this user always consents.
      if (url.searchParams.get("client_id") !== options.clientId)
        return json(404, { error: "unknown client" });
      const redirectUri = url.searchParams.get("redirect_uri") ?? "";
      const code = randomBytes(10).toString("hex");
      codes.set(code, {
        redirectUri,
        challenge: url.searchParams.get("code_challenge"),
        user: { ...state.user },
      });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      const returnedState = url.searchParams.get("state");
      if (returnedState) back.searchParams.set("state", returnedState);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }

    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const form = new URLSearchParams(await readBody(req));
      const basic = req.headers.authorization?.startsWith("Basic ")
        ? Buffer.from(req.headers.authorization.slice(6), "base64")
            .toString()
            .split(":")
            .map(decodeURIComponent)
        : [form.get("client_id"), form.get("client_secret")];
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (basic[0] !== options.clientId || basic[1] !== options.clientSecret) {
        return json(200, { error: "incorrect_client_credentials" });
      }
      if (!grant || grant.redirectUri !== form.get("redirect_uri"))
        return json(200, { error: "bad_verification_code" });
      if (grant.challenge) {
        const verifier = form.get("code_verifier") ?? "";
        const expected = createHash("sha256").update(verifier).digest("base64url");
        if (expected !== grant.challenge) return json(200, { error: "bad_verification_code" });
      }
      const token = `gho_${randomBytes(16).toString("hex")}`;
      tokens.set(token, grant.user);
      return json(200, {
        access_token: token,
        token_type: "bearer",
        scope: "read:user,user:email",
      });
    }

    const user = tokens.get((req.headers.authorization ?? "").replace(/^(Bearer|token) /, ""));
    if (url.pathname === "/api/v3/user") {
      if (!user) return json(401, { message: "Bad credentials" });
      // Like most GitHub accounts, no public email: the client must ask /user/emails.
      return json(200, {
        id: user.id,
        login: user.login,
        name: user.name,
        email: null,
        avatar_url: null,
      });
    }
    if (url.pathname === "/api/v3/user/emails") {
      if (!user) return json(401, { message: "Bad credentials" });
      return json(200, [{ email: user.email, primary: true, verified: true, visibility: null }]);
    }
    json(404, { message: "Not Found" });
  });

  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${options.port}`,
    get user() {
      return state.user;
    },
    set user(next) {
      state.user = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
