import { describe, expect, it } from "vitest";
import { T, TT } from "../../builtins/define.js";
import {
  joinTypes,
  selectIndex,
  selectKey,
  showType,
  unifies,
  valuesOf,
  type Type,
} from "./types.js";

describe("unifies", () => {
  it("unifies equal scalars only", () => {
    expect(unifies(T.number, T.number)).toBe(true);
    expect(unifies(T.number, T.string)).toBe(false);
    expect(unifies(T.null, T.boolean)).toBe(false);
    expect(unifies(undefined, T.number)).toBe(false);
  });

  it("unifies any with everything and any<...> with one of its alternatives", () => {
    expect(unifies(T.any, T.number)).toBe(true);
    expect(unifies(T.set(), T.any)).toBe(true);
    expect(unifies(TT.collection, T.array(T.number))).toBe(true);
    expect(unifies(T.number, TT.collection)).toBe(false);
    expect(unifies(T.anyOf(T.number, T.string), T.anyOf(T.array(), T.set()))).toBe(false);
  });

  it("unifies arrays position by position and by element type", () => {
    const pair = T.tuple(T.number, T.string);
    expect(unifies(pair, T.array(T.any))).toBe(true);
    expect(unifies(pair, T.array(T.number))).toBe(false);
    expect(unifies(pair, T.tuple(T.number))).toBe(false);
    expect(unifies(T.array(T.string), T.array(T.number))).toBe(false);
    expect(unifies(T.tuple(), T.array(T.number))).toBe(true);
  });

  it("unifies objects by static keys and dynamic values", () => {
    const named: Type = { type: "object", static: [{ key: "n", value: T.number }] };
    expect(unifies(named, T.object(T.string, T.any))).toBe(true);
    expect(unifies(named, T.object(T.string, T.string))).toBe(false);
    expect(unifies(named, T.object(T.number, T.number))).toBe(false);
    expect(unifies(T.object(), T.set())).toBe(false);
  });

  it("unifies sets by element type", () => {
    expect(unifies(T.set(T.string), T.set(T.any))).toBe(true);
    expect(unifies(T.set(T.string), T.set(T.number))).toBe(false);
  });
});

describe("selection", () => {
  it("selects array positions and object keys", () => {
    const t = T.tuple(T.number, T.string);
    expect(selectIndex(t as Extract<Type, { type: "array" }>, 1)).toEqual(T.string);
    expect(selectIndex(t as Extract<Type, { type: "array" }>, 2)).toBeUndefined();
    const o = T.object(T.string, T.boolean) as Extract<Type, { type: "object" }>;
    expect(selectKey(o, "k", T.string)).toEqual(T.boolean);
    expect(selectKey(o, undefined, T.number)).toBeUndefined();
  });

  it("gives member types of collections and joins types coarsely", () => {
    expect(valuesOf(T.set(T.string))).toEqual(T.string);
    expect(valuesOf(T.tuple(T.number, T.number))).toEqual(T.number);
    expect(valuesOf(T.number)).toBeUndefined();
    expect(joinTypes([T.number, T.string])).toEqual(T.any);
    expect(joinTypes([])).toEqual(T.any);
  });
});

describe("showType", () => {
  it("prints OPA's notation, alternatives sorted", () => {
    expect(showType(TT.collection)).toBe("any<array[any], object[any: any], set[any]>");
    expect(showType(T.anyOf(T.string, T.array()))).toBe("any<array[any], string>");
    expect(showType(T.tuple(T.number, T.string))).toBe("array<number, string>");
    expect(showType({ type: "object", static: [{ key: "a", value: T.number }] })).toBe(
      "object<a: number>",
    );
    expect(showType(T.object(T.string, T.any))).toBe("object[string: any]");
    expect(showType(T.set(T.number))).toBe("set[number]");
    expect(showType(T.tuple())).toBe("array");
    expect(showType({ type: "object", static: [] })).toBe("object");
  });
});
