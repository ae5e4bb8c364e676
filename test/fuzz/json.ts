// JSON values as the fuzzer handles them, and a canonical text for comparing results.

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON text: object keys sorted, `-0` written as `0`. Two engines' results are
 * equal exactly when their canonical texts are (sets arrive as sorted arrays from both).
 */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(",")}]`;
  const entries = Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}
