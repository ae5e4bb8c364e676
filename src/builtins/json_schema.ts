// json.verify_schema and json.match_schema, validated by ajv (JSON Schema draft-07, with
// format checks) in place of the gojsonschema library OPA uses. Errors are reported in
// OPA's shape: {error, type, field, desc}.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as addFormatsModule from "ajv-formats";
import { RegoObject, toJSON, type Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
type AddFormats = (ajv: Ajv) => Ajv;
const formatsExport = (
  addFormatsModule as unknown as { default: AddFormats | { default: AddFormats } }
).default;
const addFormats: AddFormats =
  typeof formatsExport === "function" ? formatsExport : formatsExport.default;

const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: false,
  validateSchema: true,
  addUsedSchema: false,
});
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();

/** The schema as JSON: a JSON text or a value. */
function schemaJSON(name: string, v: Value): unknown {
  if (typeof v !== "string") return toJSON(v);
  try {
    return JSON.parse(v);
  } catch (e) {
    throw fail(name, `invalid JSON schema: ${(e as Error).message}`);
  }
}

function compile(name: string, schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  if (typeof schema !== "object" && typeof schema !== "boolean")
    throw fail(name, "a JSON schema must be an object or a boolean");
  let fn: ValidateFunction;
  try {
    fn = ajv.compile(schema as object);
  } catch (e) {
    throw fail(name, `invalid JSON schema: ${(e as Error).message}`);
  }
  if (compiled.size > 128) compiled.clear();
  compiled.set(key, fn);
  return fn;
}

function verifySchema([s]: Value[]): Value {
  try {
    compile("json.verify_schema", schemaJSON("json.verify_schema", s!));
    return [true, null];
  } catch (e) {
    return [false, (e as Error).message.replace(/^json\.verify_schema: /, "")];
  }
}

/** gojsonschema's error type names for the common keywords. */
const ERROR_TYPES: Record<string, string> = {
  type: "invalid_type",
  required: "required",
  enum: "enum",
  const: "const",
  minimum: "number_gte",
  exclusiveMinimum: "number_gt",
  maximum: "number_lte",
  exclusiveMaximum: "number_lt",
  multipleOf: "multiple_of",
  minLength: "string_gte",
  maxLength: "string_lte",
  pattern: "pattern",
  format: "format",
  minItems: "array_min_items",
  maxItems: "array_max_items",
  uniqueItems: "unique",
  minProperties: "array_min_properties",
  maxProperties: "array_max_properties",
  additionalProperties: "additional_property_not_allowed",
  anyOf: "number_any_of",
  oneOf: "number_one_of",
  allOf: "number_all_of",
  not: "number_not",
};

/** The instance path as gojsonschema names fields: `(root)`, `name`, `items.0`. */
function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  return parts.length === 0 ? "(root)" : parts.join(".");
}

/** gojsonschema's type names: integral numbers are "integer". */
function jsonTypeOf(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (typeof x === "number") return Number.isInteger(x) ? "integer" : "number";
  return typeof x;
}

function describe(e: ErrorObject): string {
  if (e.keyword === "type") {
    const want = (e.params as { type: string | string[] }).type;
    return `Invalid type. Expected: ${Array.isArray(want) ? want.join(",") : want}, given: ${jsonTypeOf(e.data)}`;
  }
  if (e.keyword === "required")
    return `${(e.params as { missingProperty: string }).missingProperty} is required`;
  if (e.keyword === "additionalProperties")
    return (
      "Additional property " +
      (e.params as { additionalProperty: string }).additionalProperty +
      " is not allowed"
    );
  const msg = e.message ?? e.keyword;
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

function toOpaError(e: ErrorObject): RegoObject {
  const field = fieldOf(e);
  const desc = describe(e);
  return RegoObject.fromEntries([
    ["error", `${field}: ${desc}`],
    ["type", ERROR_TYPES[e.keyword] ?? e.keyword],
    ["field", field],
    ["desc", desc],
  ]);
}

function matchSchema([doc, s]: Value[]): Value {
  const name = "json.match_schema";
  const validate = compile(name, schemaJSON(name, s!));
  let document: unknown;
  if (typeof doc === "string") {
    try {
      document = JSON.parse(doc);
    } catch (e) {
      throw fail(name, `invalid JSON document: ${(e as Error).message}`);
    }
  } else {
    document = toJSON(doc!);
  }
  if (validate(document)) return [true, []];
  return [false, (validate.errors ?? []).map(toOpaError)];
}

const schemaType = T.anyOf(T.string, T.object(T.any, T.any), T.boolean);

export const jsonSchemaBuiltins: Builtin[] = [
  defineBuiltin({
    name: "json.verify_schema",
    args: [schemaType],
    result: T.tuple(T.boolean, T.anyOf(T.null, T.string)),
    impl: verifySchema,
  }),
  defineBuiltin({
    name: "json.match_schema",
    args: [T.anyOf(T.string, T.object(T.any, T.any)), schemaType],
    result: T.tuple(T.boolean, T.array(T.object(T.string, T.any))),
    impl: matchSchema,
  }),
];
