// GET /api/github/setup — the installation callback attaches an installation only to the
// organization its state was made for, for the person who made it, before the state expires, and
// only once GitHub (the real octokit against the fake) confirms the installation.
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@/lib/db/test-database";
import { INSTALL_STATE_TTL_MS, signInstallState } from "@/lib/github/install-state";
import { type GithubTestbed, startGithubTestbed } from "@/lib/github/testing/github-fixtures";
import type { FakeGithubApi } from "@/lib/testing/fake-github-api";
import { addMember, createUserWithOrg } from "@/prisma/factories";
import { GET as install } from "../install/route";
import { GET } from "./route";

const AUTH_SECRET = "github-setup-test-secret-0123456789";
const cookieName = "authjs.session-token";

describe("GET /api/github/setup", () => {
  let testbed: GithubTestbed;
  let db: TestDatabase["db"];
  let fake: FakeGithubApi;
  let ada: Awaited<ReturnType<typeof createUserWithOrg>>;
  let mallory: Awaited<ReturnType<typeof createUserWithOrg>>;

  const cookie = async (userId: string) =>
    `${cookieName}=${await encode({ token: { sub: userId }, secret: AUTH_SECRET, salt: cookieName })}`;
  const callback = async (options: { userId: string; installationId: number; state: string }) =>
    GET(
      new Request(
        `http://localhost/api/github/setup?installation_id=${options.installationId}&setup_action=install&state=${encodeURIComponent(options.state)}`,
        { headers: { cookie: await cookie(options.userId) } },
      ),
    );
  const state = (orgId: string, userId: string, now?: number) =>
    signInstallState(AUTH_SECRET, { orgId, userId, now });
  const stored = () =>
    db.githubInstallation.findMany({ select: { orgId: true, installationId: true } });

  beforeAll(async () => {
    testbed = await startGithubTestbed({ env: { AUTH_SECRET } });
    ({ db, fake } = testbed);
    for (const id of [101, 102, 103]) {
      fake.addInstallation({ id, account: { login: `acct-${id}` }, repositories: [] });
    }
    ada = await createUserWithOrg(db, "Ada");
    mallory = await createUserWithOrg(db, "Mallory");
  });
  afterAll(() => testbed?.close());

  it("refuses a state made for someone else, altered to another organization, or expired", async () => {
    // Ada's state, presented by Mallory (e.g. a link Ada shared): Mallory cannot attach it.
    const adas = state(ada.org.id, ada.user.id);
    const stolen = await callback({ userId: mallory.user.id, installationId: 101, state: adas });
    expect(stolen.status).toBe(403);

    // Mallory's own state with the organization swapped for Ada's: the signature breaks.
    const [payload, signature] = state(mallory.org.id, mallory.user.id).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const swapped = Buffer.from(JSON.stringify({ ...claims, o: ada.org.id })).toString("base64url");
    const forged = await callback({
      userId: mallory.user.id,
      installationId: 101,
      state: `${swapped}.${signature}`,
    });
    expect(forged.status).toBe(403);

    // A state for an organization Mallory does not belong to, even validly signed (a leaked secret
    // aside, this is what a state made before she was removed looks like).
    const notMember = await callback({
      userId: mallory.user.id,
      installationId: 101,
      state: state(ada.org.id, mallory.user.id),
    });
    expect(notMember.status).toBe(403);

    const expired = await callback({
      userId: ada.user.id,
      installationId: 101,
      state: state(ada.org.id, ada.user.id, Date.now() - INSTALL_STATE_TTL_MS - 1000),
    });
    expect(expired.status).toBe(403);
    expect((await expired.json()).error.message).toMatch(/expired/);

    // A browser (GitHub sends one back here) gets the reason as a page, not as JSON.
    const inBrowser = await GET(
      new Request(
        `http://localhost/api/github/setup?installation_id=101&setup_action=install&state=${encodeURIComponent(adas)}`,
        {
          headers: {
            cookie: await cookie(mallory.user.id),
            accept: "text/html,application/xhtml+xml,*/*;q=0.8",
          },
        },
      ),
    );
    expect(inBrowser.status).toBe(403);
    expect(inBrowser.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await inBrowser.text();
    expect(page).toContain("<h1>GitHub was not connected</h1>");
    expect(page).toContain(
      '<p role="alert">This GitHub installation link was made for someone else. Start again from Settings.</p>',
    );

    expect(await stored()).toEqual([]);
  });

  it("refuses a member who may not manage the organization", async () => {
    const member = await addMember(db, ada.org.id, "MEMBER");
    const response = await callback({
      userId: member.user.id,
      installationId: 101,
      state: state(ada.org.id, member.user.id),
    });
    expect(response.status).toBe(403);
    const connect = await install(
      new Request(`http://localhost/api/github/install?org=${ada.org.slug}`, {
        headers: { cookie: await cookie(member.user.id) },
      }),
    );
    expect(connect.status).toBe(403);
    expect(await stored()).toEqual([]);
  });

  it("stores an installation GitHub confirms, for the organization in the state", async () => {
    const unknown = await callback({
      userId: ada.user.id,
      installationId: 999,
      state: state(ada.org.id, ada.user.id),
    });
    expect(unknown.status).toBe(400);

    const ok = await callback({
      userId: ada.user.id,
      installationId: 101,
      state: state(ada.org.id, ada.user.id),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(
      `http://localhost/${ada.org.slug}/settings?github=connected#github`,
    );
    expect(await stored()).toEqual([{ orgId: ada.org.id, installationId: 101n }]);
    const event = await db.activityEvent.findFirstOrThrow({ where: { type: "github.installed" } });
    expect(event).toMatchObject({
      orgId: ada.org.id,
      actorId: ada.user.id,
      data: { account: "acct-101" },
    });
  });

  it("refuses to connect an installation made before the state: an id anyone could paste", async () => {
    fake.addInstallation({
      id: 104,
      account: { login: "someone-elses-company" },
      repositories: [],
      createdAt: new Date(Date.now() - 24 * 60 * 60 * 1000),
    });
    const claimed = await callback({
      userId: mallory.user.id,
      installationId: 104,
      state: state(mallory.org.id, mallory.user.id),
    });
    expect(claimed.status).toBe(403);
    expect((await claimed.json()).error.message).toMatch(/existed before you started/);
    expect(await stored()).toEqual([{ orgId: ada.org.id, installationId: 101n }]);

    // An installation already connected to this organization may come back (setup_action=update).
    const again = await callback({
      userId: ada.user.id,
      installationId: 101,
      state: state(ada.org.id, ada.user.id),
    });
    expect(again.status).toBe(303);
  });

  it("never moves an installation to another organization", async () => {
    const taken = await callback({
      userId: mallory.user.id,
      installationId: 101,
      state: state(mallory.org.id, mallory.user.id),
    });
    expect(taken.status).toBe(409);
    expect(await stored()).toEqual([{ orgId: ada.org.id, installationId: 101n }]);
  });

  it("sends someone who is not signed in to sign in first, and back", async () => {
    const response = await GET(
      new Request(
        "http://localhost/api/github/setup?installation_id=102&setup_action=install&state=x",
      ),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(
      `http://localhost/sign-in?next=${encodeURIComponent("/api/github/setup?installation_id=102&setup_action=install&state=x")}`,
    );
  });
});
