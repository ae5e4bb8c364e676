import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["is_number", [1], true],
  ["is_number", ["1"], false],
  ["is_string", ["a"], true],
  ["is_boolean", [false], true],
  ["is_array", [[1]], true],
  ["is_array", [S(1)], false],
  ["is_set", [S()], true],
  ["is_object", [{}], true],
  ["is_null", [null], true],
  ["is_null", [0], false],
  ["type_name", [null], "null"],
  ["type_name", [true], "boolean"],
  ["type_name", [1.5], "number"],
  ["type_name", ["s"], "string"],
  ["type_name", [[]], "array"],
  ["type_name", [{}], "object"],
  ["type_name", [S()], "set"],
];

describe("type builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
