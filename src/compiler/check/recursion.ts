// Recursion check: Rego rules may not depend on themselves, directly or through other
// rules or functions. A rule depends on every group its refs and calls reach; a ref to a
// namespace (`data.pkg`, `data.pkg[x]`) depends on every rule below it.
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RuleTree } from "./references.js";
import { dataPathText } from "./vars.js";

/** `graph`: group path → paths of the groups it depends on (from checkReferences). */
export function checkRecursion(
  tree: RuleTree,
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  out: Diagnostic[],
): void {
  const cyclic = cyclicNodes(graph);
  if (cyclic.size === 0) return;
  for (const [key, group] of tree.program.groups) {
    if (!cyclic.has(key)) continue;
    const cycle = shortestCycle(graph, key);
    const first = group.rules[0] ?? group.default;
    if (cycle === undefined || first === undefined) continue;
    const text = cycle.map((k) => dataPathText(k.split("."))).join(" -> ");
    out.push(
      diagnostic(
        "rego_recursion_error",
        `rule ${dataPathText(group.path)} is recursive: ${text}`,
        first.rule.head.loc,
      ),
    );
  }
}

/** Nodes on some cycle: members of strongly connected components that loop. */
function cyclicNodes(graph: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cyclic = new Set<string>();
  let counter = 0;

  // Iterative Tarjan, so deep dependency chains cannot overflow the JS stack. forEach rather
  // than for-of over the maps and sets: no iterator result per node before the code is hot.
  graph.forEach((_, root) => {
    if (index.has(root)) return;
    const work: { node: string; edges: string[]; i: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      const edges: string[] = [];
      graph.get(node)?.forEach((next) => edges.push(next));
      work.push({ node, edges, i: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.edges.length) {
        const next = frame.edges[frame.i++]!;
        if (!graph.has(next)) continue;
        if (!index.has(next)) enter(next);
        else if (onStack.has(next))
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const loops = component.length > 1 || (graph.get(frame.node)?.has(frame.node) ?? false);
      if (loops) for (const c of component) cyclic.add(c);
    }
  });
  return cyclic;
}

/** `start -> ... -> start` with the fewest steps (breadth-first). */
function shortestCycle(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  start: string,
): string[] | undefined {
  const previous = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of graph.get(node) ?? []) {
      if (next === start) return [...pathTo(previous, node, start), start];
      if (previous.has(next) || next === start) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  return undefined;
}

function pathTo(previous: ReadonlyMap<string, string>, node: string, start: string): string[] {
  const path = [node];
  let current = node;
  while (current !== start) {
    current = previous.get(current)!;
    path.push(current);
  }
  return path.reverse();
}
