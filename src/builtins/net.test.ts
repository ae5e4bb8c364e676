import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["net.cidr_contains", ["127.0.0.0/8", "127.0.0.1"], true],
  ["net.cidr_contains", ["127.0.0.0/8", "128.0.0.1"], false],
  ["net.cidr_contains", ["127.0.0.0/8", "127.0.0.0/24"], true],
  ["net.cidr_contains", ["127.0.0.0/24", "127.0.0.0/8"], false],
  ["net.cidr_contains", ["2001:4860:4860::8888/32", "2001:4860:4860:1234::8888"], true],
  ["net.cidr_contains", ["10.0.0.0/8", "::1"], false],
  [
    "net.cidr_contains",
    ["10.0.0.0", "10.0.0.1"],
    /net.cidr_contains: invalid CIDR address: 10.0.0.0/,
  ],
  [
    "net.cidr_contains",
    ["10.0.0.0/8", "10.0.0.256"],
    /net.cidr_contains: invalid CIDR address or IP/,
  ],
  ["net.cidr_intersects", ["192.168.0.0/16", "192.168.1.0/24"], true],
  ["net.cidr_intersects", ["192.168.0.0/24", "192.168.1.0/24"], false],
  ["net.cidr_intersects", ["fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddc:1111::/72"], true],
  ["net.cidr_is_valid", ["10.0.0.0/8"], true],
  ["net.cidr_is_valid", ["::/0"], true],
  ["net.cidr_is_valid", ["::ffff:10.0.0.1/120"], true],
  ["net.cidr_is_valid", ["10.0.0.0/33"], false],
  ["net.cidr_is_valid", ["010.0.0.0/8"], false],
  ["net.cidr_is_valid", ["1:2:3:4:5:6:7:8:9/64"], false],
  ["net.cidr_is_valid", [7], false],
  [
    "net.cidr_expand",
    ["192.168.0.0/30"],
    S("192.168.0.0", "192.168.0.1", "192.168.0.2", "192.168.0.3"),
  ],
  ["net.cidr_expand", ["10.0.0.7/32"], S("10.0.0.7")],
  ["net.cidr_expand", ["2001:db8::/127"], S("2001:db8::", "2001:db8::1")],
  ["net.cidr_expand", ["10.0.0.0/8"], /net.cidr_expand: CIDR 10.0.0.0\/8 has too many addresses/],
  ["net.cidr_merge", [["192.0.128.0/24", "192.0.129.0/24"]], S("192.0.128.0/23")],
  ["net.cidr_merge", [["192.0.128.0/24", "192.0.130.0/24"]], S("192.0.128.0/24", "192.0.130.0/24")],
  ["net.cidr_merge", [S("1.1.1.1", "1.1.1.0", "1.1.1.0/31")], S("1.1.1.0/31")],
  ["net.cidr_merge", [["10.0.0.0/8", "10.1.0.0/16"]], S("10.0.0.0/8")],
  [
    "net.cidr_merge",
    [["2001:db8::/33", "2001:db8:8000::/33", "::1"]],
    S("2001:db8::/32", "::1/128"),
  ],
  ["net.cidr_merge", [["nope"]], /net.cidr_merge: invalid CIDR address or IP: nope/],
  ["net.cidr_contains_matches", [["1.1.1.0/24", "1.1.2.0/24"], "1.1.1.128"], S([0, "1.1.1.128"])],
  [
    "net.cidr_contains_matches",
    [
      { x: "1.1.1.0/24", y: ["1.1.2.0/24", "tag"] },
      { a: "1.1.1.1", b: "1.1.2.200", c: "9.9.9.9" },
    ],
    S(["x", "a"], ["y", "b"]),
  ],
  ["net.cidr_contains_matches", [S("10.0.0.0/8"), ["10.1.0.0/16"]], S(["10.0.0.0/8", 0])],
];

describe("net builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
