// Go's RE2 syntax translated to an equivalent JavaScript RegExp (with the `u` flag, so
// that `.` and classes work on code points as Go's do). Where the two engines differ the
// translation makes JS behave like Go (`\s`, `.`, `\z`, `(?P<name>)`, POSIX classes,
// `\Q...\E`); what Go rejects (look-around, back-references) is rejected too; and what JS
// cannot express faithfully (inline flags after the start, `(?U)`, `\C`) is an error.

export class RegexSyntaxError extends Error {
  override name = "RegexSyntaxError";
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const GO_SPACE_CLASS = "\\t\\n\\f\\r ";

/** Characters that may be backslash-escaped in a JS `u` pattern. */
const JS_SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);

interface Translated {
  source: string;
  flags: string;
}

export function translateGoRegex(pattern: string): Translated {
  const t = new Translator(pattern);
  return t.run();
}

class Translator {
  private i = 0;
  private out = "";
  private dotAll = false;
  private multiline = false;
  private ignoreCase = false;
  private groupDepth = 0;

  constructor(private readonly p: string) {}

  run(): Translated {
    this.leadingFlags();
    while (this.i < this.p.length) this.atom();
    if (this.groupDepth !== 0) throw new RegexSyntaxError("missing closing )");
    const flags = "u" + (this.ignoreCase ? "i" : "") + (this.multiline ? "m" : "");
    return { source: this.out, flags };
  }

  /** `(?ims)` at the very start become JS flags; `s` is handled when translating `.`. */
  private leadingFlags(): void {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(this.p);
    if (m === null) return;
    for (const f of m[1]!) {
      if (f === "i") this.ignoreCase = true;
      else if (f === "m") this.multiline = true;
      else if (f === "s") this.dotAll = true;
      else throw new RegexSyntaxError(`unsupported flag (?${f})`);
    }
    this.i = m[0].length;
  }

  private atom(): void {
    const c = this.p[this.i]!;
    if (c === "\\") return this.escape(false);
    if (c === "[") return this.charClass();
    if (c === "(") return this.group();
    if (c === ")") {
      if (this.groupDepth === 0) throw new RegexSyntaxError("unexpected )");
      this.groupDepth--;
      this.out += ")";
      this.i++;
      return;
    }
    if (c === ".") {
      // Go's `.` excludes only \n; JS's also excludes \r, U+2028 and U+2029.
      this.out += this.dotAll ? "[^]" : "[^\\n]";
      this.i++;
      return;
    }
    if (c === "{" || c === "}") {
      // Go reads a brace that does not start a repetition as a literal; JS `u` rejects it.
      const rep = /^\{\d+(?:,\d*)?\}/.exec(this.p.slice(this.i));
      if (c === "{" && rep !== null) {
        this.out += rep[0];
        this.i += rep[0].length;
        return;
      }
      this.out += "\\" + c;
      this.i++;
      return;
    }
    this.out += c;
    this.i++;
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    this.groupDepth++;
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named !== null) {
      this.out += `(?<${named[1]}>`;
      this.i += named[0].length;
      return;
    }
    if (rest.startsWith("(?:")) {
      this.out += "(?:";
      this.i += 3;
      return;
    }
    if (/^\(\?[=!<]/.test(rest)) {
      throw new RegexSyntaxError("invalid or unsupported Perl syntax: look-around");
    }
    if (rest.startsWith("(?")) {
      throw new RegexSyntaxError("unsupported inline flags inside a pattern");
    }
    this.out += "(";
    this.i++;
  }

  private escape(inClass: boolean): void {
    const next = this.p[this.i + 1];
    if (next === undefined) throw new RegexSyntaxError("trailing backslash at end of expression");
    this.i += 2;
    switch (next) {
      case "s":
        this.out += inClass ? GO_SPACE_CLASS : `[${GO_SPACE_CLASS}]`;
        return;
      case "S":
        if (inClass) throw new RegexSyntaxError("\\S inside a character class is not supported");
        this.out += `[^${GO_SPACE_CLASS}]`;
        return;
      case "A":
        this.out += inClass ? "A" : "(?<![^])";
        return;
      case "z":
        this.out += "(?![^])";
        return;
      case "Q":
        return this.quoted(inClass);
      case "C":
        throw new RegexSyntaxError("\\C (any byte) is not supported");
      case "p":
      case "P":
        this.out += this.unicodeClass(next === "P");
        return;
      case "x":
        this.out += this.hexEscape();
        return;
      case "a":
        this.out += "\\x07";
        return;
    }
    if (/[0-7]/.test(next)) {
      this.out += this.octal(next);
      return;
    }
    if (/[89]/.test(next)) throw new RegexSyntaxError(`invalid escape sequence: \\${next}`);
    if (/[dDwWbBfnrtv]/.test(next)) {
      this.out += "\\" + next;
      return;
    }
    if (/[A-Za-z]/.test(next)) throw new RegexSyntaxError(`invalid escape sequence: \\${next}`);
    // Go lets any punctuation be escaped; JS `u` patterns allow only syntax characters.
    this.out += JS_SYNTAX.has(next) || (inClass && next === "-") ? "\\" + next : next;
  }

  private octal(first: string): string {
    if (first !== "0" && !/[0-7]/.test(this.p[this.i] ?? "")) {
      throw new RegexSyntaxError(
        `invalid escape sequence: \\${first} (back-references are not supported)`,
      );
    }
    let digits = first;
    while (digits.length < 3 && /[0-7]/.test(this.p[this.i] ?? "")) digits += this.p[this.i++];
    return `\\u{${parseInt(digits, 8).toString(16)}}`;
  }

  private hexEscape(): string {
    if (this.p[this.i] === "{") {
      const end = this.p.indexOf("}", this.i);
      const hex = this.p.slice(this.i + 1, end);
      if (end < 0 || !/^[0-9A-Fa-f]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
        throw new RegexSyntaxError("invalid escape sequence: \\x{");
      }
      this.i = end + 1;
      return `\\u{${hex}}`;
    }
    const hex = this.p.slice(this.i, this.i + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new RegexSyntaxError("invalid escape sequence: \\x");
    this.i += 2;
    return `\\x${hex}`;
  }

  private quoted(inClass: boolean): void {
    const end = this.p.indexOf("\\E", this.i);
    const text = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end);
    this.i = end < 0 ? this.p.length : end + 2;
    for (const ch of text) {
      this.out += JS_SYNTAX.has(ch) || (inClass && ch === "-") ? "\\" + ch : ch;
    }
  }

  /** `\pL`, `\p{Greek}`, `\p{^Lu}`: general categories stay, other names are scripts. */
  private unicodeClass(negated: boolean): string {
    let name: string;
    if (this.p[this.i] === "{") {
      const end = this.p.indexOf("}", this.i);
      if (end < 0) throw new RegexSyntaxError("invalid character class range");
      name = this.p.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = this.p[this.i] ?? "";
      this.i++;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name))
      throw new RegexSyntaxError(`invalid character class range: ${name}`);
    if (name === "Any") return negated ? "[^\\s\\S]" : "[\\s\\S]";
    const prop = /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
    return `\\${negated ? "P" : "p"}{${prop}}`;
  }

  private charClass(): void {
    this.i++;
    let body = "";
    let negated = false;
    if (this.p[this.i] === "^") {
      negated = true;
      this.i++;
    }
    let first = true;
    while (this.i < this.p.length) {
      const c = this.p[this.i]!;
      if (c === "]" && !first) break;
      first = false;
      if (c === "[" && this.p[this.i + 1] === ":") {
        const end = this.p.indexOf(":]", this.i + 2);
        const raw = end < 0 ? "" : this.p.slice(this.i + 2, end);
        const neg = raw.startsWith("^");
        const cls = POSIX_CLASSES[neg ? raw.slice(1) : raw];
        if (cls === undefined)
          throw new RegexSyntaxError(`invalid character class range: [:${raw}:]`);
        if (neg) throw new RegexSyntaxError("negated POSIX classes are not supported");
        body += cls;
        this.i = end + 2;
        continue;
      }
      if (c === "\\") {
        const saved = this.out;
        this.out = "";
        this.escape(true);
        body += this.out;
        this.out = saved;
        continue;
      }
      body += c === "[" || c === "]" || c === "/" ? "\\" + c : c;
      this.i++;
    }
    if (this.p[this.i] !== "]") throw new RegexSyntaxError("missing closing ]");
    this.i++;
    this.out += "[" + (negated ? "^" : "") + body + "]";
  }
}
