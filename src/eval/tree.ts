// The rule tree: every rule group of the program hung at its path under `data`, so that a
// ref like `data.a.b[x]` walks rules and base data side by side without scanning groups.
// Package nodes are marked because a package document is defined (possibly `{}`) even when
// none of its rules are, while the inner nodes of ref-head rules are not.
import type { Program, RuleGroup } from "../compiler/program.js";
import { RegoObject, type Value } from "../value/value.js";

export interface TreeNode {
  readonly children: Map<string, TreeNode>;
  group?: RuleGroup;
  isPackage: boolean;
}

function newNode(): TreeNode {
  return { children: new Map(), isPackage: false };
}

export function buildRuleTree(program: Program): TreeNode {
  const root = newNode();
  root.isPackage = true;
  for (const m of program.modules) {
    let node = root;
    for (const seg of m.package.path) {
      node = childOf(node, seg);
      node.isPackage = true;
    }
  }
  for (const group of program.groups.values()) {
    let node = root;
    for (const seg of group.path) node = childOf(node, seg);
    node.group = group;
  }
  return root;
}

function childOf(node: TreeNode, seg: string): TreeNode {
  let child = node.children.get(seg);
  if (child === undefined) {
    child = newNode();
    node.children.set(seg, child);
  }
  return child;
}

/** The node at a string path, or undefined when no rule lives at or below it. */
export function nodeAt(root: TreeNode, path: readonly string[]): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const seg of path) {
    node = node.children.get(seg);
    if (node === undefined) return undefined;
  }
  return node;
}

export const PATH_SEP = "\u0000";

export function pathKey(path: readonly string[]): string {
  return path.join(PATH_SEP);
}

/** Recursive object merge where `over` wins on every non-object conflict. */
export function mergeValues(under: Value | undefined, over: Value): Value {
  if (!(under instanceof RegoObject) || !(over instanceof RegoObject)) return over;
  const out = RegoObject.fromEntries(under.entries());
  for (const [k, v] of over.entries()) out.set(k, mergeValues(out.get(k), v));
  return out;
}

/** A copy of `doc` with `value` stored at `path`, creating objects along the way. */
export function upsertPath(doc: Value | undefined, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  const out = doc instanceof RegoObject ? RegoObject.fromEntries(doc.entries()) : new RegoObject();
  const [first, ...rest] = path;
  out.set(first!, upsertPath(out.get(first!), rest, value));
  return out;
}
