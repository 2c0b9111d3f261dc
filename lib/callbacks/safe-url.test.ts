import { describe, expect, it } from "vitest";
import { checkCallbackUrl, isAllowedHost, type Resolver } from "./safe-url";

const resolver: Resolver = async (host) => {
  const table: Record<string, string> = {
    "public.example": "93.184.216.34",
    "private.example": "10.0.0.1",
  };
  const address = table[host];
  if (!address) throw new Error("ENOTFOUND");
  return [{ address, family: 4 }];
};
const check = (url: string, allowedHosts: string[] = []) =>
  checkCallbackUrl(url, { allowedHosts, resolver });

describe("checkCallbackUrl", () => {
  it.each([
    ["http://2130706433/", "127.0.0.1, a loopback address"],
    ["http://0x7f000001/", "127.0.0.1, a loopback address"],
    ["http://0177.0.0.01/", "127.0.0.1, a loopback address"],
    ["http://127.1/", "127.0.0.1, a loopback address"],
    ["http://0xa9.254.169.254/", "169.254.169.254, a cloud metadata address"],
    ["http://[::ffff:7f00:1]/", "::ffff:7f00:1, an IPv4-mapped IPv6 address"],
  ])("normalises %s before checking it", async (url, said) => {
    expect(await check(url)).toEqual({ ok: false, reason: `points at ${said}` });
  });

  it("refuses other schemes, unparsable URLs, localhost names and names that resolve privately or not at all", async () => {
    expect(await check("file:///etc/passwd")).toEqual({
      ok: false,
      reason: "must use http or https",
    });
    expect(await check("http://")).toEqual({ ok: false, reason: "is not a valid URL" });
    expect((await check("http://api.localhost/")).ok).toBe(false);
    expect(await check("https://private.example/x")).toEqual({
      ok: false,
      reason: "resolves to 10.0.0.1, a private address (private.example)",
    });
    expect((await check("https://missing.example/")).ok).toBe(false);
  });

  it("lets public addresses and allowed hosts through", async () => {
    expect((await check("https://public.example/hook")).ok).toBe(true);
    expect((await check("http://8.8.8.8/")).ok).toBe(true);
    expect((await check("http://private.example/", ["private.example"])).ok).toBe(true);
    expect((await check("http://127.0.0.1:9000/", ["127.0.0.1"])).ok).toBe(true);
  });
});

describe("isAllowedHost", () => {
  it("matches exact hosts and *. wildcards below a domain, not the domain's look-alikes", () => {
    expect(isAllowedHost("hooks.corp.example", ["*.corp.example"])).toBe(true);
    expect(isAllowedHost("evilcorp.example", ["*.corp.example"])).toBe(false);
    expect(isAllowedHost("::1", ["[::1]"])).toBe(true);
    expect(isAllowedHost("a.example", ["b.example"])).toBe(false);
  });
});
