import { describe, expect, it } from "vitest";
import { blockedReason, ipv6Groups } from "./ip-address";

describe("blockedReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.10.10", "link-local"],
    ["169.254.169.254", "cloud metadata"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "IPv4-mapped IPv6"],
    ["::ffff:7f00:1", "IPv4-mapped IPv6"],
    ["::ffff:8.8.8.8", "IPv4-mapped IPv6"],
    ["fd00:ec2::254", "cloud metadata"],
    ["fc00::1", "unique local"],
    ["fdff:1234::1", "unique local"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["ff02::1", "multicast"],
    ["64:ff9b::a00:1", "IPv4-embedding IPv6"],
    ["2002:7f00:1::", "IPv4-embedding IPv6"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(blockedReason(address)).toBe(reason);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "169.255.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
  ])("allows the public address %s", (address) => {
    expect(blockedReason(address)).toBeNull();
  });

  it("throws on something that is not an address", () => {
    expect(() => blockedReason("example.com")).toThrow(/not an IP address/);
  });
});

describe("ipv6Groups", () => {
  it("expands :: and dotted IPv4 tails", () => {
    expect(ipv6Groups("fd00:ec2::254")).toEqual([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]);
    expect(ipv6Groups("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(ipv6Groups("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
