// json.verify_schema and json.match_schema, validated by ajv (with format checks) in place
// of the gojsonschema library OPA uses. Drafts 4, 6 and 7 are read as gojsonschema reads
// them (draft-04 schemas are rewritten to their draft-07 equivalent); 2019-09 and 2020-12
// get ajv's own validators. Errors are reported in OPA's shape: {error, type, field, desc}.
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as addFormatsModule from "ajv-formats";
import { RegoObject, toJSON, type Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
type AnyAjv = Ajv | Ajv2019 | Ajv2020;
type AddFormats = (ajv: AnyAjv) => AnyAjv;
const formatsExport = (
  addFormatsModule as unknown as { default: AddFormats | { default: AddFormats } }
).default;
const addFormats: AddFormats =
  typeof formatsExport === "function" ? formatsExport : formatsExport.default;

const OPTIONS = { allErrors: true, verbose: true, strict: false, addUsedSchema: false };

function withFormats<A extends AnyAjv>(ajv: A): A {
  addFormats(ajv);
  return ajv;
}

const draft07 = withFormats(new Ajv(OPTIONS));
draft07.addMetaSchema(
  createRequire(import.meta.url)("ajv/dist/refs/json-schema-draft-06.json") as object,
);
const draft2019 = withFormats(new Ajv2019(OPTIONS));
const draft2020 = withFormats(new Ajv2020(OPTIONS));

const DRAFT_04 = /^https?:\/\/json-schema\.org\/draft-04\/schema#?$/;

/** The validator for a schema's `$schema`, and the schema as that validator reads it. */
function validatorFor(schema: unknown): { ajv: AnyAjv; schema: unknown } {
  const uri =
    typeof schema === "object" && schema !== null
      ? (schema as { $schema?: unknown }).$schema
      : undefined;
  if (typeof uri !== "string") return { ajv: draft07, schema };
  if (DRAFT_04.test(uri)) return { ajv: draft07, schema: fromDraft04(schema, true) };
  if (uri.includes("draft/2019-09")) return { ajv: draft2019, schema };
  if (uri.includes("draft/2020-12")) return { ajv: draft2020, schema };
  return { ajv: draft07, schema };
}

const SCHEMA_MAPS = ["properties", "patternProperties", "definitions", "dependencies"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "items"];
const SCHEMA_SINGLES = ["items", "additionalItems", "additionalProperties", "not"];

/**
 * A draft-04 schema in draft-07 terms: `id` becomes `$id`, boolean `exclusiveMinimum` /
 * `exclusiveMaximum` become the numeric bounds they qualify. Walks schema positions only,
 * so a property named "id" is left alone.
 */
function fromDraft04(schema: unknown, root: boolean): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  if (root) delete out.$schema;
  if (typeof out.id === "string") {
    out.$id = out.id;
    delete out.id;
  }
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] !== "boolean") continue;
    if (out[flag] === true && typeof out[bound] === "number") {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  for (const k of SCHEMA_MAPS) {
    const m = out[k];
    if (typeof m === "object" && m !== null && !Array.isArray(m)) {
      out[k] = Object.fromEntries(Object.entries(m).map(([n, x]) => [n, fromDraft04(x, false)]));
    }
  }
  for (const k of SCHEMA_LISTS) {
    if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map((x) => fromDraft04(x, false));
  }
  for (const k of SCHEMA_SINGLES) {
    if (!Array.isArray(out[k])) out[k] = fromDraft04(out[k], false);
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

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
    const v = validatorFor(schema);
    fn = v.ajv.compile(v.schema as object);
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
