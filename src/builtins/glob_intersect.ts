// regex.globs_match: whether two "glob-like" regular expressions (literals, `.`,
// character classes, each optionally followed by `*`, `+` or `?`) match a common
// non-empty string. Each expression is a small automaton over positions in its token
// list; a breadth-first search over pairs of positions looks for a shared accepted word.

interface CharSet {
  negated: boolean;
  ranges: [number, number][];
}

interface Token {
  set: CharSet;
  /** May repeat after matching once. */
  repeat: boolean;
  /** May be skipped. */
  optional: boolean;
}

export class GlobSyntaxError extends Error {
  override name = "GlobSyntaxError";
}

const ANY: CharSet = { negated: true, ranges: [] };

function single(cp: number): CharSet {
  return { negated: false, ranges: [[cp, cp]] };
}

function parseClass(cps: number[], start: number): { set: CharSet; next: number } {
  let i = start + 1;
  let negated = false;
  if (cps[i] === 0x5e /* ^ */) {
    negated = true;
    i++;
  }
  const ranges: [number, number][] = [];
  let first = true;
  while (i < cps.length && (cps[i] !== 0x5d /* ] */ || first)) {
    first = false;
    let lo = cps[i]!;
    if (lo === 0x5c /* \ */) lo = cps[++i] ?? lo;
    i++;
    let hi = lo;
    if (cps[i] === 0x2d /* - */ && i + 1 < cps.length && cps[i + 1] !== 0x5d) {
      i++;
      hi = cps[i]!;
      if (hi === 0x5c) hi = cps[++i] ?? hi;
      i++;
      if (hi < lo) throw new GlobSyntaxError("invalid character class range");
    }
    ranges.push([lo, hi]);
  }
  if (cps[i] !== 0x5d) throw new GlobSyntaxError("missing closing ]");
  return { set: { negated, ranges }, next: i + 1 };
}

export function parseGlobRegex(pattern: string): Token[] {
  const cps = [...pattern].map((c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    let set: CharSet;
    if (c === 0x2e /* . */) {
      set = ANY;
      i++;
    } else if (c === 0x5b /* [ */) {
      const parsed = parseClass(cps, i);
      set = parsed.set;
      i = parsed.next;
    } else if (c === 0x5c /* \ */) {
      const next = cps[i + 1];
      if (next === undefined) throw new GlobSyntaxError("trailing backslash");
      set = single(next);
      i += 2;
    } else if (c === 0x2a || c === 0x2b || c === 0x3f /* * + ? */) {
      throw new GlobSyntaxError("quantifier without a preceding character");
    } else {
      set = single(c);
      i++;
    }
    const q = cps[i];
    if (q === 0x2a) tokens.push({ set, repeat: true, optional: true });
    else if (q === 0x2b) tokens.push({ set, repeat: true, optional: false });
    else if (q === 0x3f) tokens.push({ set, repeat: false, optional: true });
    else tokens.push({ set, repeat: false, optional: false });
    if (q === 0x2a || q === 0x2b || q === 0x3f) i++;
  }
  return tokens;
}

function contains(set: CharSet, cp: number): boolean {
  const inRanges = set.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
  return set.negated ? !inRanges : inRanges;
}

/** Whether some code point is in both sets. */
function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.negated && b.negated) return true;
  if (a.negated) return overlaps(b, a);
  // `a` is a finite list of ranges: look for a member of `b` at range ends or just past
  // the ends of `b`'s own ranges, which is where membership can change.
  const candidates = new Set<number>();
  for (const [lo, hi] of a.ranges) {
    candidates.add(lo);
    candidates.add(hi);
    for (const [blo, bhi] of b.ranges) {
      for (const x of [blo, bhi, blo - 1, bhi + 1]) if (x >= lo && x <= hi) candidates.add(x);
    }
  }
  return [...candidates].some((cp) => contains(a, cp) && contains(b, cp));
}

/** Positions reachable from `i` without consuming (skipping optional tokens). */
function closure(tokens: Token[], i: number): number[] {
  const out = [i];
  while (i < tokens.length && tokens[i]!.optional) out.push(++i);
  return out;
}

/** Positions after consuming one character with token `i`. */
function stepsAfter(tokens: Token[], i: number): number[] {
  return tokens[i]!.repeat ? [i, ...closure(tokens, i + 1)] : closure(tokens, i + 1);
}

export function globsIntersect(p1: string, p2: string): boolean {
  const a = parseGlobRegex(p1);
  const b = parseGlobRegex(p2);
  const seen = new Set<string>();
  const queue: [number, number, boolean][] = [];
  const push = (i: number, j: number, consumed: boolean): void => {
    const key = `${i},${j},${consumed}`;
    if (!seen.has(key)) {
      seen.add(key);
      queue.push([i, j, consumed]);
    }
  };
  for (const i of closure(a, 0)) for (const j of closure(b, 0)) push(i, j, false);
  while (queue.length > 0) {
    const [i, j, consumed] = queue.shift()!;
    if (consumed && i === a.length && j === b.length) return true;
    if (i === a.length || j === b.length) continue;
    if (!overlaps(a[i]!.set, b[j]!.set)) continue;
    for (const ni of stepsAfter(a, i)) for (const nj of stepsAfter(b, j)) push(ni, nj, true);
  }
  return false;
}
