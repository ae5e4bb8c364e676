// Hooks into the generated policy. Declared here (module name "ccpol", taken from this
// file's name) and replaced by the code generator with real functions; see
// docs/wasm-runtime.md. Tests supply them from JavaScript.

/** Value of entrypoint `entrypoint` for `input` and `data`, or 0 when undefined. */
export declare function eval_entrypoint(entrypoint: i32, input: usize, data: usize): usize;

/** NUL-terminated JSON text mapping the names of `opa_builtinN` builtins to their ids. */
export declare function builtins_json(): usize;

/** NUL-terminated JSON text mapping entrypoint names to their ids. */
export declare function entrypoints_json(): usize;

/** First byte after the generated data segments (0 when there are none). */
export declare function heap_base(): usize;
