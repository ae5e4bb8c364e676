// The one place the checker learns which builtins exist and how many arguments they take:
// the builtin library's registry (the builtins both engines can actually run), plus the
// variadic `print`, which the engines implement themselves.
import { BUILTINS } from "../../builtins/index.js";

/** Builtins that take any number of arguments (none has an output argument). */
const VARIADIC: ReadonlySet<string> = new Set(["print"]);

export function isBuiltin(name: string): boolean {
  return VARIADIC.has(name) || BUILTINS.has(name);
}

/** The builtin's arity; undefined for unknown names and variadic builtins. */
export function builtinArity(name: string): number | undefined {
  return BUILTINS.get(name)?.arity;
}

export function isVariadicBuiltin(name: string): boolean {
  return VARIADIC.has(name);
}
