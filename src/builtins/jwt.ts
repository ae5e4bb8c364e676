// JSON Web Tokens: io.jwt.decode, io.jwt.verify_* (HMAC, RSA PKCS#1 v1.5, RSA-PSS, ECDSA
// with PEM certificates, PEM public keys, JWKs or JWK sets), io.jwt.decode_verify with
// OPA's constraints, and io.jwt.encode_sign / encode_sign_raw with JWK keys.
import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  X509Certificate,
  type KeyObject,
  type JsonWebKey,
} from "node:crypto";
import { fromJSON, RegoObject, toJSON, type Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import { goJSON } from "./encoding.js";
import type { Builtin, BuiltinContext } from "./registry.js";

type Family = "HS" | "RS" | "PS" | "ES";

interface AlgSpec {
  family: Family;
  hash: "sha256" | "sha384" | "sha512";
}

const ALGS: Record<string, AlgSpec> = {
  HS256: { family: "HS", hash: "sha256" },
  HS384: { family: "HS", hash: "sha384" },
  HS512: { family: "HS", hash: "sha512" },
  RS256: { family: "RS", hash: "sha256" },
  RS384: { family: "RS", hash: "sha384" },
  RS512: { family: "RS", hash: "sha512" },
  PS256: { family: "PS", hash: "sha256" },
  PS384: { family: "PS", hash: "sha384" },
  PS512: { family: "PS", hash: "sha512" },
  ES256: { family: "ES", hash: "sha256" },
  ES384: { family: "ES", hash: "sha384" },
  ES512: { family: "ES", hash: "sha512" },
};

interface Token {
  header: RegoObject;
  payload: Value;
  signature: Buffer;
  signingInput: string;
}

function b64urlText(name: string, part: string, what: string): string {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(part)) {
    throw fail(name, `failed to decode JWT ${what}: illegal base64 data`);
  }
  return Buffer.from(part, "base64url").toString("utf8");
}

function b64urlJSON(name: string, part: string, what: string): Value {
  const text = b64urlText(name, part, what);
  try {
    return fromJSON(JSON.parse(text));
  } catch {
    throw fail(name, `failed to decode JWT ${what}: invalid JSON`);
  }
}

/**
 * Splits and decodes a compact JWS. With `cty: JWT` the payload is itself a token and is
 * returned as its text.
 */
export function parseToken(name: string, jwt: string): Token {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw fail(name, "encoded JWT had no period separators");
  const header = b64urlJSON(name, parts[0]!, "headers");
  if (!(header instanceof RegoObject)) throw fail(name, "JWT headers must be an object");
  if (header.has("enc")) throw fail(name, "JWT is a JWE object, which is not supported");
  if (!/^[A-Za-z0-9_-]*$/.test(parts[2]!)) {
    throw fail(name, "failed to decode JWT signature: illegal base64 data");
  }
  const nested = header.get("cty") === "JWT";
  return {
    header,
    payload: nested
      ? b64urlText(name, parts[1]!, "payload")
      : b64urlJSON(name, parts[1]!, "payload"),
    signature: Buffer.from(parts[2]!, "base64url"),
    signingInput: parts[0] + "." + parts[1],
  };
}

/** A nested JWT (`cty: JWT`) is decoded through to its innermost token, as OPA does. */
function decode([jwt]: Value[]): Value {
  const name = "io.jwt.decode";
  let token = parseToken(name, jwt as string);
  while (token.header.get("cty") === "JWT" && typeof token.payload === "string") {
    token = parseToken(name, token.payload);
  }
  return [token.header, token.payload, token.signature.toString("hex")];
}

// --- keys ---

/** PEM certificates, PEM public keys, a JWK or a JWK set, as verification keys. */
export function publicKeys(name: string, material: string): KeyObject[] {
  const text = material.trim();
  if (text.startsWith("-----BEGIN")) {
    const blocks = text.match(/-----BEGIN [^-]+-----[\s\S]+?-----END [^-]+-----/g) ?? [];
    if (blocks.length === 0) throw fail(name, "failed to find a PEM block");
    return blocks.map((pem) => {
      try {
        return pem.includes("CERTIFICATE")
          ? new X509Certificate(pem).publicKey
          : createPublicKey(pem);
      } catch (e) {
        throw fail(name, `failed to parse a PEM key: ${(e as Error).message}`);
      }
    });
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw fail(name, "failed to parse a JWK key (set)");
  }
  const keys = isJwkSet(jwk) ? jwk.keys : [jwk];
  return keys.map((k) => {
    try {
      return createPublicKey({ key: k as JsonWebKey, format: "jwk" });
    } catch (e) {
      throw fail(name, `failed to parse a JWK key: ${(e as Error).message}`);
    }
  });
}

function isJwkSet(x: unknown): x is { keys: unknown[] } {
  return typeof x === "object" && x !== null && Array.isArray((x as { keys?: unknown }).keys);
}

function verifySignature(alg: AlgSpec, token: Token, key: KeyObject | Buffer): boolean {
  const data = Buffer.from(token.signingInput, "utf8");
  if (alg.family === "HS") {
    const mac = createHmac(alg.hash, key as Buffer)
      .update(data)
      .digest();
    return mac.length === token.signature.length && timingSafeEqual(mac, token.signature);
  }
  const k = key as KeyObject;
  try {
    if (alg.family === "ES") {
      if (k.asymmetricKeyType !== "ec") return false;
      return cryptoVerify(alg.hash, data, { key: k, dsaEncoding: "ieee-p1363" }, token.signature);
    }
    if (k.asymmetricKeyType !== "rsa" && k.asymmetricKeyType !== "rsa-pss") return false;
    if (alg.family === "PS") {
      return cryptoVerify(
        alg.hash,
        data,
        {
          key: k,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_AUTO,
        },
        token.signature,
      );
    }
    return cryptoVerify(
      alg.hash,
      data,
      { key: k, padding: constants.RSA_PKCS1_PADDING },
      token.signature,
    );
  } catch {
    return false;
  }
}

function verifyWith(name: string, algName: string, jwt: string, material: string): boolean {
  const alg = ALGS[algName]!;
  const token = parseToken(name, jwt);
  if (alg.family === "HS") return verifySignature(alg, token, Buffer.from(material, "utf8"));
  return publicKeys(name, material).some((k) => verifySignature(alg, token, k));
}

function verifier(algName: string): Builtin {
  const name = `io.jwt.verify_${algName.toLowerCase()}`;
  return defineBuiltin({
    name,
    args: [T.string, T.string],
    result: T.boolean,
    impl: ([jwt, key]) => verifyWith(name, algName, jwt as string, key as string),
  });
}

// --- decode_verify ---

interface Constraints {
  keys?: KeyObject[];
  secret?: Buffer;
  alg?: string;
  iss?: string;
  aud?: string;
  timeSec: number;
}

function parseConstraints(name: string, c: RegoObject, ctx: BuiltinContext): Constraints {
  const out: Constraints = { timeSec: Number(ctx.nowNs) / 1e9 };
  for (const [k, v] of c.entries()) {
    const str = (): string => {
      if (typeof v !== "string") throw fail(name, `token constraint ${String(k)} must be a string`);
      return v;
    };
    switch (k) {
      case "cert":
        out.keys = publicKeys(name, str());
        break;
      case "secret":
        out.secret = Buffer.from(str(), "utf8");
        break;
      case "alg":
        out.alg = str();
        break;
      case "iss":
        out.iss = str();
        break;
      case "aud":
        out.aud = str();
        break;
      case "time":
        if (typeof v !== "number") throw fail(name, "token constraint time must be a number");
        out.timeSec = v / 1e9;
        break;
      default:
        throw fail(
          name,
          `unknown token validation constraint: ${typeof k === "string" ? k : goJSON(k, undefined)}`,
        );
    }
  }
  if ((out.keys === undefined) === (out.secret === undefined)) {
    throw fail(name, "exactly one of the cert and secret constraints must be given");
  }
  return out;
}

function audienceMatches(aud: Value | undefined, wanted: string | undefined): boolean {
  if (aud === undefined) return wanted === undefined;
  if (wanted === undefined) return false;
  if (typeof aud === "string") return aud === wanted;
  return Array.isArray(aud) && aud.includes(wanted);
}

function claimsValid(name: string, payload: RegoObject, c: Constraints): boolean {
  const exp = payload.get("exp");
  const nbf = payload.get("nbf");
  if (exp !== undefined) {
    if (typeof exp !== "number") throw fail(name, "exp value must be a number");
    if (c.timeSec >= exp) return false;
  }
  if (nbf !== undefined) {
    if (typeof nbf !== "number") throw fail(name, "nbf value must be a number");
    if (c.timeSec < nbf) return false;
  }
  if (c.iss !== undefined && payload.get("iss") !== c.iss) return false;
  return audienceMatches(payload.get("aud"), c.aud);
}

function decodeVerify([jwt, constraints]: Value[], ctx: BuiltinContext): Value {
  const name = "io.jwt.decode_verify";
  const invalid: Value = [false, new RegoObject(), new RegoObject()];
  const c = parseConstraints(name, constraints as RegoObject, ctx);
  let token: Token;
  try {
    token = parseToken(name, jwt as string);
  } catch {
    return invalid;
  }
  const algName = token.header.get("alg");
  if (typeof algName !== "string" || ALGS[algName] === undefined) return invalid;
  if (c.alg !== undefined && c.alg !== algName) return invalid;
  const alg = ALGS[algName]!;
  const ok =
    alg.family === "HS"
      ? c.secret !== undefined && verifySignature(alg, token, c.secret)
      : c.keys !== undefined && c.keys.some((k) => verifySignature(alg, token, k));
  if (!ok) return invalid;
  const payload = token.payload;
  if (!(payload instanceof RegoObject)) return invalid;
  if (!claimsValid(name, payload, c)) return invalid;
  return [true, token.header, payload];
}

// --- encode_sign ---

function signToken(name: string, headerText: string, payloadText: string, jwkText: string): string {
  let header: unknown;
  let jwk: JsonWebKey;
  try {
    header = JSON.parse(headerText);
    jwk = JSON.parse(jwkText) as JsonWebKey;
  } catch {
    throw fail(name, "headers and key must be JSON");
  }
  const algName = (header as { alg?: unknown }).alg;
  const alg = typeof algName === "string" ? ALGS[algName] : undefined;
  if (alg === undefined) throw fail(name, `unknown signature algorithm ${String(algName)}`);
  const input =
    Buffer.from(headerText, "utf8").toString("base64url") +
    "." +
    Buffer.from(payloadText, "utf8").toString("base64url");
  let sig: Buffer;
  try {
    if (alg.family === "HS") {
      if (typeof jwk.k !== "string") throw new Error("an HMAC key needs the `k` member");
      sig = createHmac(alg.hash, Buffer.from(jwk.k, "base64url")).update(input).digest();
    } else {
      const key = createPrivateKey({ key: jwk, format: "jwk" });
      const opts =
        alg.family === "ES"
          ? { key, dsaEncoding: "ieee-p1363" as const }
          : alg.family === "PS"
            ? {
                key,
                padding: constants.RSA_PKCS1_PSS_PADDING,
                saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
              }
            : { key };
      sig = cryptoSign(alg.hash, Buffer.from(input), opts);
    }
  } catch (e) {
    throw fail(name, (e as Error).message);
  }
  return input + "." + sig.toString("base64url");
}

const jsonText = (v: Value): string => JSON.stringify(toJSON(v));

export const jwtBuiltins: Builtin[] = [
  defineBuiltin({
    name: "io.jwt.decode",
    args: [T.string],
    result: T.tuple(T.object(T.any, T.any), T.object(T.any, T.any), T.string),
    impl: decode,
  }),
  ...Object.keys(ALGS).map(verifier),
  defineBuiltin({
    name: "io.jwt.decode_verify",
    args: [T.string, T.object(T.string, T.any)],
    result: T.tuple(T.boolean, T.object(T.any, T.any), T.object(T.any, T.any)),
    impl: decodeVerify,
  }),
  defineBuiltin({
    name: "io.jwt.encode_sign",
    args: [T.object(T.string, T.any), T.object(T.string, T.any), T.object(T.string, T.any)],
    result: T.string,
    nondeterministic: true,
    impl: ([h, p, k]) => signToken("io.jwt.encode_sign", jsonText(h!), jsonText(p!), jsonText(k!)),
  }),
  defineBuiltin({
    name: "io.jwt.encode_sign_raw",
    args: [T.string, T.string, T.string],
    result: T.string,
    nondeterministic: true,
    impl: ([h, p, k]) => signToken("io.jwt.encode_sign_raw", h as string, p as string, k as string),
  }),
];
