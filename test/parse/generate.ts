// Random but syntactically valid Rego modules, for the formatter's round-trip properties,
// the fuzzer's seeds and the parse benchmark. Deterministic for a given seed.
import { rng } from "../support/random.js";

const VARS = ["x", "y", "role", "user", "q", "k", "v", "tenant", "_"];
const NAMES = ["allow", "deny", "grants", "limits", "is_admin", "queue_ok", "visible"];
const FUNCS = ["count", "startswith", "object.get", "sprintf", "data.lib.check", "f"];
const BINOPS = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&", "|", "in"];
const STRINGS = ['"admin"', '"queue.login"', '"a\\"b"', '"\\u00e9"', "`raw\\d+`", '""'];
const NUMBERS = ["0", "1", "42", "-3", "2.5", "1e3", "123456789012345678901"];

class Gen {
  constructor(private readonly r: () => number) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  scalar(): string {
    return this.pick([
      () => this.pick(STRINGS),
      () => this.pick(NUMBERS),
      () => this.pick(["true", "false", "null"]),
    ])();
  }

  ref(depth: number): string {
    let text = this.pick(["input", "data.app", ...VARS.slice(0, 5)]);
    const n = Math.floor(this.r() * 3);
    for (let i = 0; i < n; i++) {
      text += this.chance(0.6)
        ? "." + this.pick(["resource", "id", "roles", "tenant", "if", "type"])
        : `[${this.chance(0.5) ? this.pick(VARS) : this.term(depth + 1, true)}]`;
    }
    return text;
  }

  /** A term that can stand before `|` in a comprehension or be an operand. */
  postfix(depth: number): string {
    if (depth > 3) return this.chance(0.5) ? this.scalar() : this.pick(VARS);
    return this.pick([
      () => this.scalar(),
      () => this.pick(VARS),
      () => this.ref(depth),
      () => `${this.pick(FUNCS)}(${this.list(depth, 0, 3)})`,
      () => `[${this.list(depth, 0, 3)}]`,
      () => this.object(depth),
      () => (this.chance(0.3) ? "set()" : `{${this.list(depth, 1, 3)}}`),
      () => this.comprehension(depth),
      () => `(${this.term(depth + 1, false)})`,
    ])();
  }

  term(depth: number, inList: boolean): string {
    const left = this.postfix(depth + 1);
    if (depth > 3 || this.chance(0.6)) return left;
    const text = `${left} ${this.pick(BINOPS)} ${this.term(depth + 1, inList)}`;
    // Inside lists a bare `a | b` first item would read as a comprehension.
    return inList ? `(${text})` : text;
  }

  list(depth: number, min: number, max: number): string {
    const n = min + Math.floor(this.r() * (max - min + 1));
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(this.term(depth + 1, true));
    const sep = this.chance(0.15) ? ",\n\t\t" : ", ";
    return items.join(sep);
  }

  object(depth: number): string {
    const n = Math.floor(this.r() * 3);
    const entries: string[] = [];
    for (let i = 0; i < n; i++) {
      entries.push(`${this.term(depth + 1, true)}: ${this.term(depth + 1, true)}`);
    }
    return `{${entries.join(this.chance(0.2) ? ",\n\t\t" : ", ")}}`;
  }

  comprehension(depth: number): string {
    const body = this.body(depth + 1, 2).join("; ");
    return this.pick([
      () => `[${this.postfix(depth + 1)} | ${body}]`,
      () => `{${this.postfix(depth + 1)} | ${body}}`,
      () => `{${this.postfix(depth + 1)}: ${this.postfix(depth + 1)} | ${body}}`,
    ])();
  }

  expr(depth: number): string {
    const withs = this.chance(0.1) ? ` with input.x as ${this.term(depth + 1, false)}` : "";
    return (
      this.pick([
        () => this.term(depth, false),
        () => `${this.pick(VARS.slice(0, 8))} := ${this.term(depth, false)}`,
        () => `${this.term(depth, false)} = ${this.term(depth, false)}`,
        () => `not ${this.term(depth, false)}`,
        () => `some ${this.pick(VARS.slice(0, 8))}, ${this.pick(VARS.slice(0, 8))}`,
        () => `some ${this.pick(VARS)} in ${this.ref(depth)}`,
        () => `some k, v in ${this.ref(depth)}`,
        () => `k, v in ${this.ref(depth)}`,
        () =>
          depth > 2
            ? "true"
            : `every ${this.pick(VARS.slice(0, 8))} in ${this.ref(depth)} {\n${this.body(
                depth + 1,
                2,
              )
                .map((e) => "\t\t" + e)
                .join("\n")}\n\t}`,
      ])() + withs
    );
  }

  body(depth: number, max: number): string[] {
    const n = 1 + Math.floor(this.r() * max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.expr(depth));
    return out;
  }

  comment(): string {
    return this.chance(0.15) ? ` # ${this.pick(["why", "see R-12", "todo: none"])}` : "";
  }

  blockBody(): string {
    return this.body(0, 4)
      .map((e) => `\t${e}${this.comment()}`)
      .join("\n");
  }

  rule(): string {
    const name = this.pick(NAMES);
    const value = (): string => this.term(1, false);
    const body = (): string => {
      const inline = this.expr(1);
      // `if {` always opens a block, so only other expressions can follow `if` directly.
      return this.chance(0.3) && !inline.startsWith("{") ? inline : `{\n${this.blockBody()}\n}`;
    };
    return this.pick([
      () => `default ${name} := ${this.scalar()}`,
      () => `${name} if ${body()}`,
      () => `${name} := ${value()} if ${body()}`,
      () => `${name} = ${value()}`,
      () => `${name} contains ${this.postfix(1)} if ${body()}`,
      () => `${name}[${this.pick(VARS)}] := ${value()} if ${body()}`,
      () => `a.b.${name} := ${value()}`,
      () => `a.b[x].${name} contains y if ${body()}`,
      () => `f(x, ${this.pick(VARS)}) := ${value()} if ${body()}`,
      () => `g(x) := 1 if ${body()} else := 2 if ${body()} else = 3`,
    ])();
  }

  module(rules: number): string {
    const parts = [
      "# A generated module.",
      "package gen.policy",
      "",
      "import data.lib",
      "import rego.v1",
    ];
    for (let i = 0; i < rules; i++) {
      parts.push("");
      const roll = this.r();
      if (roll < 0.2) {
        parts.push(`# METADATA\n# title: rule ${i}\n# custom:\n#   rule_ids: [R-${i}]`);
      } else if (roll < 0.35) {
        parts.push("# comment before a rule");
      }
      parts.push(this.rule() + this.comment());
    }
    return parts.join("\n") + "\n";
  }
}

/** A random valid module with about `rules` rules. */
export function generateModule(seed: number, rules = 12): string {
  return new Gen(rng(seed)).module(rules);
}
