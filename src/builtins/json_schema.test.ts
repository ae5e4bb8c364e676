import { describe, expect, it } from "vitest";
import { call, expectOutcome, show, type Row } from "./testing.js";

const schema = {
  type: "object",
  properties: {
    id: { type: "string" },
    email: { type: "string", format: "email" },
    n: { type: "integer", minimum: 1 },
  },
  required: ["id"],
  additionalProperties: false,
};

const draft04 = {
  $schema: "http://json-schema.org/draft-04/schema#",
  id: "http://example.com/order.json",
  type: "object",
  properties: { id: { type: "number", minimum: 0, exclusiveMinimum: true } },
};

const rows: Row[] = [
  ["json.verify_schema", [schema], [true, null]],
  ["json.verify_schema", [JSON.stringify(schema)], [true, null]],
  [
    "json.verify_schema",
    [{ type: "bogus" }],
    [
      false,
      "invalid JSON schema: schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf",
    ],
  ],
  ["json.match_schema", [{ id: "a", n: 2 }, schema], [true, []]],
  ["json.match_schema", ['{"id": "a"}', JSON.stringify(schema)], [true, []]],
  [
    "json.match_schema",
    [{ id: 5 }, schema],
    [
      false,
      [
        {
          error: "id: Invalid type. Expected: string, given: integer",
          type: "invalid_type",
          field: "id",
          desc: "Invalid type. Expected: string, given: integer",
        },
      ],
    ],
  ],
  [
    "json.match_schema",
    [{ extra: true }, schema],
    [
      false,
      [
        {
          error: "(root): id is required",
          type: "required",
          field: "(root)",
          desc: "id is required",
        },
        {
          error: "(root): Additional property extra is not allowed",
          type: "additional_property_not_allowed",
          field: "(root)",
          desc: "Additional property extra is not allowed",
        },
      ],
    ],
  ],
  [
    "json.match_schema",
    [{ id: "a", email: "nope", n: 0 }, schema],
    [
      false,
      [
        {
          error: 'email: Must match format "email"',
          type: "format",
          field: "email",
          desc: 'Must match format "email"',
        },
        { error: "n: Must be >= 1", type: "number_gte", field: "n", desc: "Must be >= 1" },
      ],
    ],
  ],
  ["json.match_schema", [{}, { type: "bogus" }], /json.match_schema: invalid JSON schema/],
  // Draft-04: boolean exclusiveMinimum qualifies minimum; a property named "id" stays one.
  [
    "json.match_schema",
    [{ id: 0 }, draft04],
    [false, [{ error: "id: Must be > 0", type: "number_gt", field: "id", desc: "Must be > 0" }]],
  ],
  ["json.match_schema", [{ id: 1 }, draft04], [true, []]],
  ["json.verify_schema", [draft04], [true, null]],
  [
    "json.match_schema",
    [
      { a: "x" },
      { $schema: "http://json-schema.org/draft-06/schema#", properties: { a: { const: "y" } } },
    ],
    [
      false,
      [
        {
          error: "a: Must be equal to constant",
          type: "const",
          field: "a",
          desc: "Must be equal to constant",
        },
      ],
    ],
  ],
  [
    "json.match_schema",
    [
      { a: [1, "x"] },
      {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        properties: { a: { prefixItems: [{ type: "number" }, { type: "number" }] } },
      },
    ],
    [
      false,
      [
        {
          error: "a.1: Invalid type. Expected: number, given: string",
          type: "invalid_type",
          field: "a.1",
          desc: "Invalid type. Expected: number, given: string",
        },
      ],
    ],
  ],
];

describe("JSON schema builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));

  it("json.verify_schema reports a schema that is not JSON", () => {
    const out = call("json.verify_schema", ["{"]);
    expect(show(out)).toMatch(/^\[false, "invalid JSON schema: .+"\]$/);
  });
});
