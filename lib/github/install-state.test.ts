import { describe, expect, it } from "vitest";
import { INSTALL_STATE_TTL_MS, signInstallState, verifyInstallState } from "./install-state";

const secret = "install-state-test-secret-0123456789";

describe("installation state", () => {
  it("round-trips the organization and the person until it expires", () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const state = signInstallState(secret, { orgId: "org_1", userId: "usr_1", now });
    expect(verifyInstallState(secret, state, now + 1000)).toEqual({
      orgId: "org_1",
      userId: "usr_1",
      expiresAt: now + INSTALL_STATE_TTL_MS,
    });
    expect(() => verifyInstallState(secret, state, now + INSTALL_STATE_TTL_MS)).toThrow(/expired/);
  });

  it("refuses another secret, a changed payload and garbage", () => {
    const state = signInstallState(secret, { orgId: "org_1", userId: "usr_1" });
    expect(() => verifyInstallState("another-secret-0123456789", state)).toThrow(/signature/);
    const [payload, signature] = state.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const moved = Buffer.from(JSON.stringify({ ...claims, o: "org_2" })).toString("base64url");
    expect(() => verifyInstallState(secret, `${moved}.${signature}`)).toThrow(/signature/);
    for (const bad of ["", "x", "a.b.c", `${payload}.`, `.${signature}`]) {
      expect(() => verifyInstallState(secret, bad)).toThrow(/cannot be used/);
    }
  });

  it("makes a different state each time, so one cannot be guessed from another", () => {
    const a = signInstallState(secret, { orgId: "org_1", userId: "usr_1", now: 0 });
    const b = signInstallState(secret, { orgId: "org_1", userId: "usr_1", now: 0 });
    expect(a).not.toBe(b);
  });
});
