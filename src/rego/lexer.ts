// The Rego lexer: turns source text into a flat token array (plus the comments, kept aside
// for the formatter and for `# METADATA` annotations). Tokenizing up front keeps the parser
// simple (arbitrary look-ahead) and fast. Whitespace is not a token, but each token records
// whether whitespace or a newline preceded it: Rego uses newlines as expression separators
// and forbids whitespace inside refs (`a.b`, `a[0]`) and before a call's `(`.

export type TokenKind = "ident" | "number" | "string" | "rawstring" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuation text, number literal, or decoded string value. */
  value: string;
  /** 0-based UTF-16 offset of the first character. */
  offset: number;
  /** 0-based UTF-16 offset just past the last character. */
  end: number;
  line: number;
  col: number;
  /** A newline (or a comment, which ends at one) lies between this token and the previous. */
  nlBefore: boolean;
  /** Any whitespace or comment lies between this token and the previous. */
  wsBefore: boolean;
}

export interface LexComment {
  /** The comment text after `#`. */
  text: string;
  offset: number;
  end: number;
  line: number;
  col: number;
}

export interface LexResult {
  tokens: Token[];
  comments: LexComment[];
}

/** A lexing or parsing failure at one offset; the parser turns it into a diagnostic. */
export class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "SyntaxFailure";
  }
}

// Longest first, so that `:=` wins over `:`.
export const PUNCT: readonly string[] = [
  ":=",
  "==",
  "!=",
  "<=",
  ">=",
  "<",
  ">",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ";",
  ":",
  ".",
];

const SINGLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** 1 at the ASCII codes that may continue an identifier (wider codes read as undefined). */
const IDENT_PART: Uint8Array = identPartTable();

function identPartTable(): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = isIdentPart(c) ? 1 : 0;
  return table;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Maps offsets to 1-based line and code-point column. */
export class LineMap {
  private readonly starts: number[] = [0];
  /** Columns need counting only when some character takes two UTF-16 units. */
  readonly hasSurrogates: boolean;

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
      this.starts.push(i + 1);
    }
    this.hasSurrogates = /[\uD800-\uDFFF]/.test(text);
  }

  position(offset: number): { line: number; col: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo] as number;
    return { line: lo + 1, col: this.column(lineStart, offset) };
  }

  private column(lineStart: number, offset: number): number {
    if (!this.hasSurrogates) return offset - lineStart + 1;
    let col = 1;
    for (let i = lineStart; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      // A low surrogate that follows a high one is the same code point.
      const pairTail =
        c >= 0xdc00 && c <= 0xdfff && i > lineStart && isHighSurrogate(this.text.charCodeAt(i - 1));
      if (!pairTail) col++;
    }
    return col;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Tokenizes `text`; throws SyntaxFailure on the first lexical error. */
export function lex(text: string, lines: LineMap = new LineMap(text)): LexResult {
  const tokens: Token[] = [];
  const comments: LexComment[] = [];
  const n = text.length;
  let i = 0;
  // Line and column are tracked incrementally for speed; `lines` handles the rest.
  let line = 1;
  let lineStart = 0;
  let nl = false;
  let ws = false;
  const ascii = !lines.hasSurrogates;
  const colOf = (offset: number): number =>
    ascii ? offset - lineStart + 1 : lines.position(offset).col;

  const push = (kind: TokenKind, value: string, start: number, end: number): void => {
    tokens.push({
      kind,
      value,
      offset: start,
      end,
      line,
      col: colOf(start),
      nlBefore: nl,
      wsBefore: ws,
    });
    nl = false;
    ws = false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      nl = true;
      ws = true;
      continue;
    }
    // A byte-order mark at the start of a file is encoding, not text.
    if (c === 32 || c === 9 || c === 13 || (c === 0xfeff && i === 0)) {
      i++;
      ws = true;
      continue;
    }
    if (c === 35) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 10) j++;
      const raw = text.slice(i + 1, j);
      comments.push({
        text: raw.endsWith("\r") ? raw.slice(0, -1) : raw,
        offset: i,
        end: j,
        line,
        col: colOf(i),
      });
      i = j;
      ws = true;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      // The table lookup is written out (not a call to isIdentPart): this loop runs for
      // every identifier character, often before the optimizing compiler has inlined calls.
      while (j < n && IDENT_PART[text.charCodeAt(j)] === 1) j++;
      push("ident", text.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (isDigit(c)) {
      const j = scanNumber(text, i);
      push("number", text.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (c === 34) {
      const [value, j] = scanString(text, i);
      push("string", value, i, j);
      i = j;
      continue;
    }
    if (c === 96) {
      const j = text.indexOf("`", i + 1);
      if (j < 0) throw new SyntaxFailure("unterminated raw string", i);
      const value = text.slice(i + 1, j);
      push("rawstring", value, i, j + 1);
      // Raw strings may span lines: keep line tracking in step.
      for (let k = i + 1; k < j; k++) {
        if (text.charCodeAt(k) === 10) {
          line++;
          lineStart = k + 1;
        }
      }
      i = j + 1;
      continue;
    }
    const p = matchPunct(text, i);
    if (p === undefined) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
      const shown = ch === "!" ? '"!" (did you mean "!="?)' : JSON.stringify(ch);
      throw new SyntaxFailure(`illegal character ${shown}`, i);
    }
    push("punct", p, i, i + p.length);
    i += p.length;
  }
  tokens.push({
    kind: "eof",
    value: "",
    offset: n,
    end: n,
    line,
    col: colOf(n),
    nlBefore: true,
    wsBefore: true,
  });
  return { tokens, comments };
}

/**
 * PUNCT grouped by first character code (ASCII only; none is wider), each group still
 * longest first: the lexer then tries one or two candidates instead of the whole list.
 */
const PUNCT_BY_FIRST: readonly (readonly string[] | undefined)[] = groupByFirstChar(PUNCT);

function groupByFirstChar(puncts: readonly string[]): (string[] | undefined)[] {
  const table: (string[] | undefined)[] = new Array<string[] | undefined>(128).fill(undefined);
  for (const p of puncts) (table[p.charCodeAt(0)] ??= []).push(p);
  return table;
}

function matchPunct(text: string, i: number): string | undefined {
  const c = text.charCodeAt(i);
  const candidates = c < 128 ? PUNCT_BY_FIRST[c] : undefined;
  if (candidates === undefined) return undefined;
  for (let k = 0; k < candidates.length; k++) {
    const p = candidates[k]!;
    if (p.length === 1 || text.startsWith(p, i)) return p;
  }
  return undefined;
}

/** Integer part, optional fraction, optional exponent (JSON number syntax, unsigned). */
function scanNumber(text: string, start: number): number {
  let j = start;
  const n = text.length;
  while (j < n && isDigit(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
    j += 2;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
  }
  const e = text.charCodeAt(j);
  if (e === 101 || e === 69) {
    let k = j + 1;
    const sign = text.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    if (!isDigit(text.charCodeAt(k))) {
      throw new SyntaxFailure("invalid number: exponent has no digits", start);
    }
    while (k < n && isDigit(text.charCodeAt(k))) k++;
    j = k;
  }
  if (j < n && isIdentStart(text.charCodeAt(j))) {
    let k = j;
    while (k < n && isIdentPart(text.charCodeAt(k))) k++;
    throw new SyntaxFailure(`invalid number "${text.slice(start, k)}"`, start);
  }
  return j;
}

/** Scans a double-quoted string starting at `start`; returns its value and end offset. */
function scanString(text: string, start: number): [string, number] {
  const n = text.length;
  let j = start + 1;
  let out = "";
  let chunk = j;
  while (true) {
    if (j >= n) throw new SyntaxFailure("unterminated string", start);
    const c = text.charCodeAt(j);
    if (c === 34) {
      out += text.slice(chunk, j);
      return [out, j + 1];
    }
    if (c === 10 || c === 13) throw new SyntaxFailure("unterminated string", start);
    if (c !== 92) {
      j++;
      continue;
    }
    out += text.slice(chunk, j);
    const esc = text[j + 1];
    if (esc === undefined) throw new SyntaxFailure("unterminated string", start);
    const single = SINGLE_ESCAPES[esc];
    if (single !== undefined) {
      out += single;
      j += 2;
    } else if (esc === "u") {
      const hex = text.slice(j + 2, j + 6);
      if (hex.length < 4 || ![0, 1, 2, 3].every((k) => isHex(hex.charCodeAt(k)))) {
        throw new SyntaxFailure("invalid unicode escape: expected \\u followed by 4 hex digits", j);
      }
      // Surrogate pairs written as two escapes combine naturally in UTF-16.
      out += String.fromCharCode(parseInt(hex, 16));
      j += 6;
    } else {
      throw new SyntaxFailure(`invalid escape sequence "\\${esc}" in string`, j);
    }
    chunk = j;
  }
}
