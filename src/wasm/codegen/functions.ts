// IR functions → binaryen functions. Every IR statement list becomes a labelled Wasm block;
// a conditional statement that does not hold branches out of the innermost one, which is
// exactly the IR's failure semantics (see src/compiler/ir.ts).
import binaryen from "binaryen";
import type { Func, IndexCase, Local, SourceLoc, Stmt } from "../../compiler/ir.js";
import type { StaticData } from "./data.js";

const i32 = binaryen.i32;

/** What statement emission needs from the module being built. */
export interface EmitContext {
  m: binaryen.Module;
  data: StaticData;
  /** Internal name of a runtime export (`rt_get`, ...). */
  rt: (exportName: string) => string;
  /** Expression producing constant number `index`. */
  constant: (index: number) => binaryen.ExpressionRef;
  /** Global holding the index object (key → case number) of an index statement. */
  indexTable: (cases: readonly IndexCase[]) => string;
  /** How a builtin is called: native runtime export or `opa_builtinN` id. */
  builtin: (name: string) => { native: string } | { hostId: number };
  strict: boolean;
  /** Globals for memoisation. */
  epoch: string;
  currentInput: string;
  currentData: string;
  /** Helper functions emitted once per module. */
  helpers: { abortWith: string; printPiece: string; println: string };
}

export function emitFunction(ctx: EmitContext, f: Func): void {
  new FunctionEmitter(ctx, f).emit();
}

class FunctionEmitter {
  private readonly m: binaryen.Module;
  private nextTemp: number;
  private nextLabel = 0;
  private readonly vars: number[] = [];

  constructor(
    private readonly ctx: EmitContext,
    private readonly f: Func,
  ) {
    this.m = ctx.m;
    this.nextTemp = f.locals;
  }

  emit(): void {
    const params = 2 + this.f.params;
    const body = this.list(this.f.body, this.freshLabel());
    const result = this.m.local.get(this.f.result, i32);
    const code = this.f.cached
      ? this.memoised(body, result)
      : this.m.block(null, [body, this.m.return(result)]);
    for (let i = params; i < this.nextTemp; i++) this.vars.push(i32);
    this.m.addFunction(
      this.f.name,
      binaryen.createType(new Array<number>(params).fill(i32)),
      i32,
      this.vars,
      code,
    );
  }

  /**
   * One result per evaluation, reused while input and data are the evaluation's own (a
   * `with` passes copies, which bypass the cache).
   */
  private memoised(
    body: binaryen.ExpressionRef,
    result: binaryen.ExpressionRef,
  ): binaryen.ExpressionRef {
    const m = this.m;
    const value = `${this.f.name}$cache`;
    const epoch = `${this.f.name}$epoch`;
    m.addGlobal(value, i32, true, m.i32.const(0));
    m.addGlobal(epoch, i32, true, m.i32.const(0));
    const own = (): binaryen.ExpressionRef =>
      m.i32.and(
        m.i32.eq(m.local.get(0, i32), m.global.get(this.ctx.currentInput, i32)),
        m.i32.eq(m.local.get(1, i32), m.global.get(this.ctx.currentData, i32)),
      );
    return m.block(null, [
      m.if(
        m.i32.and(m.i32.eq(m.global.get(epoch, i32), m.global.get(this.ctx.epoch, i32)), own()),
        m.return(m.global.get(value, i32)),
      ),
      body,
      m.if(
        own(),
        m.block(null, [
          m.global.set(value, m.local.get(this.f.result, i32)),
          m.global.set(epoch, m.global.get(this.ctx.epoch, i32)),
        ]),
      ),
      m.return(result),
    ]);
  }

  private freshLabel(): string {
    return `s${this.nextLabel++}`;
  }

  private temp(): number {
    return this.nextTemp++;
  }

  /** A statement list as a block: failing inside branches to `label`. */
  private list(stmts: readonly Stmt[], label: string): binaryen.ExpressionRef {
    const children = stmts.map((s) => this.stmt(s, label));
    return this.m.block(label, children.length > 0 ? children : [this.m.nop()]);
  }

  private get(l: Local): binaryen.ExpressionRef {
    return this.m.local.get(l, i32);
  }

  private set(l: Local, v: binaryen.ExpressionRef): binaryen.ExpressionRef {
    return this.m.local.set(l, v);
  }

  private call(exportName: string, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    return this.m.call(this.ctx.rt(exportName), args, i32);
  }

  private callVoid(exportName: string, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    return this.m.call(this.ctx.rt(exportName), args, binaryen.none);
  }

  private failIf(cond: binaryen.ExpressionRef, fail: string): binaryen.ExpressionRef {
    return this.m.br(fail, cond);
  }

  private abort(code: string, message: string, loc: SourceLoc): binaryen.ExpressionRef {
    const text = `${loc.file}:${loc.line}:${loc.col}: ${code}: ${message}`;
    return this.m.block(null, [
      this.callVoid("rt_abort", [this.m.i32.const(this.ctx.data.cstring(text))]),
      this.m.unreachable(),
    ]);
  }

  private stmt(s: Stmt, fail: string): binaryen.ExpressionRef {
    const m = this.m;
    switch (s.op) {
      case "const":
        return this.set(s.target, this.ctx.constant(s.index));
      case "assign":
        return this.set(s.target, this.get(s.source));
      case "reset":
        return this.set(s.target, m.i32.const(0));
      case "dot":
        return m.block(null, [
          this.set(
            s.target,
            m.if(
              this.get(s.source),
              this.call("rt_get", [this.get(s.source), this.get(s.key)]),
              m.i32.const(0),
            ),
          ),
          this.failIf(m.i32.eqz(this.get(s.target)), fail),
        ]);
      case "scan":
        return this.scan(s);
      case "block":
        return this.list(s.body, `b${s.label}`);
      case "break":
        return m.br(`b${s.label}`);
      case "equal":
        return this.failIf(m.i32.eqz(this.call("rt_equal", [this.get(s.a), this.get(s.b)])), fail);
      case "notequal":
        return this.failIf(this.call("rt_equal", [this.get(s.a), this.get(s.b)]), fail);
      case "truthy":
        return this.failIf(m.i32.eqz(this.call("rt_truthy", [this.get(s.source)])), fail);
      case "defined":
        return this.failIf(m.i32.eqz(this.get(s.source)), fail);
      case "undefined":
        return this.failIf(this.get(s.source), fail);
      case "istype":
        return this.failIf(
          m.i32.ne(this.call("rt_type", [this.get(s.source)]), m.i32.const(s.tag)),
          fail,
        );
      case "iscollection":
        return this.failIf(
          m.i32.lt_s(this.call("rt_type", [this.get(s.source)]), m.i32.const(5)),
          fail,
        );
      case "lenequal":
        return this.failIf(
          m.i32.ne(this.call("rt_length", [this.get(s.source)]), m.i32.const(s.length)),
          fail,
        );
      case "call": {
        const args = s.args.map((a) => this.get(a));
        const call = this.set(s.target, m.call(s.func, args, i32));
        if (s.keepUndefined === true) return call;
        return m.block(null, [call, this.failIf(m.i32.eqz(this.get(s.target)), fail)]);
      }
      case "builtin":
        return this.builtin(s.name, s.args, s.target, s.loc, fail);
      case "makearray":
        return this.set(s.target, this.call("rt_array", [m.i32.const(4)]));
      case "makeobject":
        return this.set(s.target, this.call("rt_object", []));
      case "makeset":
        return this.set(s.target, this.call("rt_set", []));
      case "arraypush":
        return this.callVoid("rt_array_push", [this.get(s.array), this.get(s.value)]);
      case "setadd":
        return this.callVoid("rt_set_add", [this.get(s.set), this.get(s.value)]);
      case "objectset":
        return this.callVoid("rt_object_set", [
          this.get(s.object),
          this.get(s.key),
          this.get(s.value),
        ]);
      case "objectinsert": {
        const insert = this.call("rt_object_insert", [
          this.get(s.object),
          this.get(s.key),
          this.get(s.value),
        ]);
        if (s.conflict === undefined) return m.drop(insert);
        return m.if(insert, this.abort(s.conflict.code, s.conflict.message, s.conflict.loc));
      }
      case "objectchild":
        return this.objectChild(s.object, s.key, s.target, s.loc);
      case "setonce":
        return m.block(null, [
          m.if(
            m.i32.and(
              m.i32.ne(this.get(s.target), m.i32.const(0)),
              m.i32.eqz(this.call("rt_equal", [this.get(s.target), this.get(s.value)])),
            ),
            this.abort(s.conflict.code, s.conflict.message, s.conflict.loc),
          ),
          this.set(s.target, this.get(s.value)),
        ]);
      case "index":
        return this.index(s.source, s.cases);
      case "print":
        return this.print(s.args);
    }
  }

  /** Iterates arrays, objects and sets in order; any other value has no elements. */
  private scan(s: Stmt & { op: "scan" }): binaryen.ExpressionRef {
    const m = this.m;
    const i = this.temp();
    const n = this.temp();
    const id = this.freshLabel();
    const done = `${id}done`;
    const loop = `${id}loop`;
    const src = (): binaryen.ExpressionRef => this.get(s.source);
    return m.if(
      m.i32.ge_s(this.call("rt_type", [src()]), m.i32.const(5)),
      m.block(done, [
        this.set(n, this.call("rt_length", [src()])),
        this.set(i, m.i32.const(0)),
        m.loop(
          loop,
          m.block(null, [
            m.br(done, m.i32.ge_s(this.get(i), this.get(n))),
            this.set(s.key, this.call("rt_key_at", [src(), this.get(i)])),
            this.set(s.value, this.call("rt_value_at", [src(), this.get(i)])),
            this.list(s.body, `${id}body`),
            this.set(i, m.i32.add(this.get(i), m.i32.const(1))),
            m.br(loop),
          ]),
        ),
      ]),
    );
  }

  private builtin(
    name: string,
    args: Local[],
    target: Local,
    loc: SourceLoc,
    fail: string,
  ): binaryen.ExpressionRef {
    const m = this.m;
    const how = this.ctx.builtin(name);
    const argExprs = args.map((a) => this.get(a));
    const callExpr =
      "native" in how
        ? m.call(how.native, argExprs, i32)
        : this.call(`rt_call_builtin${args.length}`, [
            m.i32.const(how.hostId),
            this.call("rt_ctx", []),
            ...argExprs,
          ]);
    const steps = [this.set(target, callExpr)];
    if (this.ctx.strict) {
      const err = this.temp();
      const prefix = `${loc.file}:${loc.line}:${loc.col}: `;
      steps.push(
        m.if(
          m.i32.eqz(this.get(target)),
          m.block(null, [
            this.set(err, this.call("rt_last_error_coded", [])),
            m.if(
              this.get(err),
              m.call(
                this.ctx.helpers.abortWith,
                [m.i32.const(this.ctx.data.cstring(prefix)), this.get(err)],
                binaryen.none,
              ),
            ),
          ]),
        ),
      );
    }
    steps.push(this.failIf(m.i32.eqz(this.get(target)), fail));
    return m.block(null, steps);
  }

  private objectChild(
    object: Local,
    key: Local,
    target: Local,
    loc: SourceLoc,
  ): binaryen.ExpressionRef {
    const m = this.m;
    return m.block(null, [
      this.set(target, this.call("rt_get", [this.get(object), this.get(key)])),
      m.if(
        m.i32.eqz(this.get(target)),
        m.block(null, [
          this.set(target, this.call("rt_object", [])),
          this.callVoid("rt_object_set", [this.get(object), this.get(key), this.get(target)]),
        ]),
        m.if(
          m.i32.ne(this.call("rt_type", [this.get(target)]), m.i32.const(6)),
          this.abort("eval_conflict_error", "object keys must be unique", loc),
        ),
      ),
    ]);
  }

  /** Hash lookup of the tested value, then a binary decision tree over case numbers. */
  private index(source: Local, cases: readonly IndexCase[]): binaryen.ExpressionRef {
    const m = this.m;
    if (cases.length === 0) return m.nop();
    const table = this.ctx.indexTable(cases);
    const hit = this.temp();
    const n = this.temp();
    const tree = (lo: number, hi: number): binaryen.ExpressionRef => {
      if (hi - lo === 1) return this.list(cases[lo]!.body, this.freshLabel());
      const mid = (lo + hi) >> 1;
      return m.if(m.i32.lt_s(this.get(n), m.i32.const(mid)), tree(lo, mid), tree(mid, hi));
    };
    return m.block(null, [
      this.set(hit, this.call("rt_get", [m.global.get(table, i32), this.get(source)])),
      m.if(
        this.get(hit),
        m.block(null, [
          this.set(n, m.i32.trunc_s_sat.f64(this.callF64("rt_number_value", [this.get(hit)]))),
          tree(0, cases.length),
        ]),
      ),
    ]);
  }

  private callF64(exportName: string, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    return this.m.call(this.ctx.rt(exportName), args, binaryen.f64);
  }

  /** Joins the arguments' text with spaces (undefined prints `<undefined>`) and prints it. */
  private print(args: Local[]): binaryen.ExpressionRef {
    const m = this.m;
    const text = this.temp();
    const concat = (piece: binaryen.ExpressionRef): binaryen.ExpressionRef =>
      this.set(text, this.call("rt_string_concat", [this.get(text), piece]));
    const steps = [this.set(text, m.i32.const(this.ctx.data.stringValue("")))];
    args.forEach((a, i) => {
      if (i > 0) steps.push(concat(m.i32.const(this.ctx.data.stringValue(" "))));
      steps.push(concat(m.call(this.ctx.helpers.printPiece, [this.get(a)], i32)));
    });
    steps.push(m.call(this.ctx.helpers.println, [this.get(text)], binaryen.none));
    return m.block(null, steps);
  }
}
