// One-line text of expressions and bodies (`x := y; not p with input as {}`), for traces,
// explanations and test expectations; the formatter (format.ts) owns the canonical layout.
import type { Body, Expr, Term } from "./ast.js";

/**
 * One-line printers of expressions and bodies around a given printer of terms. Traces and
 * explanations print terms as Rego, the parser's tests as s-expressions that show the
 * tree; the expressions around them read alike.
 */
export function bodyPrinter(term: (t: Term) => string): {
  showExpr: (e: Expr) => string;
  showBody: (body: Body) => string;
} {
  const showExpr = (e: Expr): string => {
    const b = e.body;
    let text: string;
    switch (b.kind) {
      case "term":
        text = term(b.term);
        break;
      case "assign":
        text = `${term(b.lhs)} := ${term(b.rhs)}`;
        break;
      case "unify":
        text = `${term(b.lhs)} = ${term(b.rhs)}`;
        break;
      case "some":
        text = `some ${b.vars.map(term).join(", ")}`;
        break;
      case "somein":
        text = `some ${b.key === undefined ? "" : term(b.key) + ", "}${term(b.value)} in ${term(b.collection)}`;
        break;
      case "every":
        text = `every ${b.key === undefined ? "" : term(b.key) + ", "}${term(b.value)} in ${term(b.domain)} { ${showBody(b.body)} }`;
        break;
    }
    if (e.negated) text = `not ${text}`;
    for (const w of e.with) text += ` with ${term(w.target)} as ${term(w.value)}`;
    return text;
  };
  const showBody = (body: Body): string => body.map(showExpr).join("; ");
  return { showExpr, showBody };
}
