// The last builtin error: static message literals (no allocation when an error happens).
// Strict mode reads it (rt_last_error) to abort with a located message.
import { alloc } from "./mem";

let errName: string | null = null;
let errMsg: string | null = null;

/** Records a builtin error and returns 0 (undefined), so callers can `return fail(...)`. */
export function fail(name: string, msg: string): usize {
  errName = name;
  errMsg = msg;
  return 0;
}

export function clearError(): void {
  errName = null;
  errMsg = null;
}

function copyLiteral(dst: usize, s: string): usize {
  const n = <usize>s.length;
  const src = changetype<usize>(s);
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + (i << 1)));
  return dst + n;
}

/** `name: message` as a NUL-terminated string, or 0 when no error is recorded. */
export function lastErrorC(): usize {
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
