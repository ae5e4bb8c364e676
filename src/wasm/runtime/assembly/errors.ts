// The last builtin error: static message literals (no allocation when an error happens),
// or a C string the host wrote for a builtin it serves. Strict mode reads it
// (rt_last_error_coded) to abort with a located message.
import { alloc } from "./mem";

let errName: string | null = null;
let errMsg: string | null = null;
let errHostText: usize = 0;
// OPA reports errors about an operand's type or value as eval_type_error, the rest as
// eval_builtin_error; our messages about operands start with "operand".
let errIsType = false;

/** Records a builtin error and returns 0 (undefined), so callers can `return fail(...)`. */
export function fail(name: string, msg: string): usize {
  errName = name;
  errMsg = msg;
  errHostText = 0;
  errIsType = msg.startsWith("operand");
  return 0;
}

/** Records the error of a host builtin: `text` is its NUL-terminated `name: message`. */
export function failFromHost(text: usize, isTypeError: bool): void {
  errName = null;
  errMsg = null;
  errHostText = text;
  errIsType = isTypeError;
}

export function clearError(): void {
  errName = null;
  errMsg = null;
  errHostText = 0;
  errIsType = false;
}

function copyLiteral(dst: usize, s: string): usize {
  const n = <usize>s.length;
  const src = changetype<usize>(s);
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + (i << 1)));
  return dst + n;
}

/** `name: message` as a NUL-terminated string, or 0 when no error is recorded. */
export function lastErrorC(): usize {
  if (errHostText != 0) return errHostText;
  const name = errName;
  const msg = errMsg;
  if (name === null || msg === null) return 0;
  const out = alloc(<usize>(name.length + msg.length + 3));
  let p = copyLiteral(out, name);
  store<u8>(p, 58);
  store<u8>(p + 1, 32);
  p = copyLiteral(p + 2, msg);
  store<u8>(p, 0);
  return out;
}

/** `eval_type_error: name: message` or `eval_builtin_error: ...`; 0 when none is recorded. */
export function lastErrorCodedC(): usize {
  const text = lastErrorC();
  if (text == 0) return 0;
  const code = errIsType ? "eval_type_error: " : "eval_builtin_error: ";
  let n: usize = 0;
  while (load<u8>(text + n) != 0) n++;
  const out = alloc(<usize>code.length + n + 1);
  memory.copy(copyLiteral(out, code), text, n + 1);
  return out;
}
