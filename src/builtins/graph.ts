// Graph traversal: walk (a relation over every node of a document), graph.reachable and
// graph.reachable_paths over adjacency objects.
import { RegoObject, RegoSet, type Value } from "../value/value.js";
import { defineBuiltin, elementsOf, T, TT } from "./define.js";
import type { Builtin } from "./registry.js";

/** Pre-order, children in OPA's value order; set elements are their own path keys. */
function walkInto(v: Value, path: Value[], out: Value[]): void {
  out.push([[...path], v]);
  if (v instanceof RegoObject) {
    for (const [k, x] of v.entries()) walkInto(x, [...path, k], out);
  } else if (v instanceof RegoSet) {
    for (const x of v.values()) walkInto(x, [...path, x], out);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => walkInto(x, [...path, i], out));
  }
}

function edgesOf(graph: RegoObject, node: Value): Value[] | undefined {
  const edges = graph.get(node);
  if (edges === undefined) return undefined;
  return Array.isArray(edges) || edges instanceof RegoSet ? elementsOf(edges) : [];
}

/** Nodes are reached only if they are keys of the graph, as OPA's breadth-first walk does. */
function reachable([g, initial]: Value[]): Value {
  const graph = g as RegoObject;
  const queue = [...elementsOf(initial!)];
  const reached = new RegoSet();
  while (queue.length > 0) {
    const node = queue.shift()!;
    const edges = edgesOf(graph, node);
    if (edges === undefined) continue;
    for (const n of edges) if (!reached.has(n)) queue.push(n);
    reached.add(node);
  }
  return reached;
}

/** Every path from a start node until a leaf, an unknown node or a cycle ends it. */
function pathsFrom(
  graph: RegoObject,
  node: Value,
  path: Value[],
  seen: RegoSet,
  out: RegoSet,
): void {
  const edges = edgesOf(graph, node);
  if (edges === undefined) {
    out.add(path);
    return;
  }
  const here = [...path, node];
  if (edges.length === 0) {
    out.add(here);
    return;
  }
  const nextSeen = RegoSet.of(seen.values());
  nextSeen.add(node);
  for (const n of edges) {
    if (nextSeen.has(n)) out.add(here);
    else pathsFrom(graph, n, here, nextSeen, out);
  }
}

function reachablePaths([g, initial]: Value[]): Value {
  const graph = g as RegoObject;
  const out = new RegoSet();
  for (const node of elementsOf(initial!)) {
    const edges = edgesOf(graph, node);
    if (edges === undefined) continue;
    if (edges.length === 0) out.add([node]);
    for (const n of edges) pathsFrom(graph, n, [node], RegoSet.of([node]), out);
  }
  return out;
}

const graphType = T.object(T.any, TT.arrayOrSet());

export const graphBuiltins: Builtin[] = [
  defineBuiltin({
    name: "walk",
    relation: true,
    args: [T.any],
    result: T.tuple(T.array(), T.any),
    impl: ([v]) => {
      const out: Value[] = [];
      walkInto(v!, [], out);
      return out;
    },
  }),
  defineBuiltin({
    name: "graph.reachable",
    args: [graphType, TT.arrayOrSet()],
    result: T.set(),
    impl: reachable,
  }),
  defineBuiltin({
    name: "graph.reachable_paths",
    args: [graphType, TT.arrayOrSet()],
    result: T.set(T.array()),
    impl: reachablePaths,
  }),
];
