import { describe, expect, it } from "vitest";
import { errorsOf } from "../test-helpers.js";

function errors(src: string): string[] {
  return errorsOf(`package a\n${src}`);
}

describe("recursion", () => {
  it("accepts chains and diamonds without cycles", () => {
    expect(errors("p if { q; r }\nq if { s }\nr if { s }\ns := true")).toEqual([]);
    expect(errors("f(x) := g(x) + 1\ng(x) := x")).toEqual([]);
  });

  it("reports a rule that refers to itself", () => {
    expect(errors("p if { p }")).toEqual([
      "a.rego:2:1: rego_recursion_error: rule data.a.p is recursive: data.a.p -> data.a.p",
    ]);
  });

  it("reports every rule on a cycle, each with its cycle", () => {
    expect(errors("p if { q }\nq if { r }\nr if { p }")).toEqual([
      "a.rego:2:1: rego_recursion_error: rule data.a.p is recursive: data.a.p -> data.a.q -> data.a.r -> data.a.p",
      "a.rego:3:1: rego_recursion_error: rule data.a.q is recursive: data.a.q -> data.a.r -> data.a.p -> data.a.q",
      "a.rego:4:1: rego_recursion_error: rule data.a.r is recursive: data.a.r -> data.a.p -> data.a.q -> data.a.r",
    ]);
  });

  it("reports recursive functions", () => {
    expect(errors("f(x) := f(x - 1) if { x > 0 }")).toEqual([
      "a.rego:2:1: rego_recursion_error: rule data.a.f is recursive: data.a.f -> data.a.f",
    ]);
  });

  it("follows cycles across packages and through comprehensions", () => {
    const sources: [string, string][] = [
      ["a.rego", "package a\nimport data.b\np := [x | some x in b.q]"],
      ["b.rego", "package b\nimport data.a\nq contains y if { some y in a.p }"],
    ];
    expect(errorsOf(sources)).toEqual([
      "a.rego:3:1: rego_recursion_error: rule data.a.p is recursive: data.a.p -> data.b.q -> data.a.p",
      "b.rego:3:1: rego_recursion_error: rule data.b.q is recursive: data.b.q -> data.a.p -> data.b.q",
    ]);
  });

  it("treats a ref to the enclosing package as a dependency on all of its rules", () => {
    expect(errors("p if { data.a.q }\nq if { count(data.a) > 0 }")).toEqual([
      "a.rego:2:1: rego_recursion_error: rule data.a.p is recursive: data.a.p -> data.a.q -> data.a.p",
      "a.rego:3:1: rego_recursion_error: rule data.a.q is recursive: data.a.q -> data.a.q",
    ]);
  });

  it("ignores with targets, which are replaced rather than read", () => {
    expect(errors("p if { q with data.a.p as true }\nq := true")).toEqual([]);
  });
});
