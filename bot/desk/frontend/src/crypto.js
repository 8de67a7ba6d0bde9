// The coordinator desk's crypto, run in the coordinator's own browser.
//
// The server hands over the key file (bot/crypto/keyfile.py) and sealed envelopes
// (bot/crypto/sealing.py) as they are stored; the passphrase and the private key never
// leave this page. Every format detail here must stay byte-compatible with those two
// Python modules: the tests in tests/test_desk_crypto.py check it against them.
import {
  Aes256Gcm,
  CipherSuite,
  DhkemX25519HkdfSha256,
  HkdfSha256,
} from "@hpke/core";
import { argon2id } from "hash-wasm";

const subtle = globalThis.crypto.subtle;

const KEY_FILE_FORMAT = "sipkompis-coordinator-key/1";
const AEAD_NAME = "AES-256-GCM";
export const DEFAULT_KDF_PARAMS = Object.freeze({ iterations: 3, lanes: 4, memory_cost: 65536 });
// Same bounds as keyfile._MAX_KDF, so a crafted file cannot make the tab allocate
// gigabytes or spin for minutes before the passphrase is even checked.
const MAX_KDF = Object.freeze({ iterations: 64, lanes: 64, memory_cost: 4 * 1024 * 1024 });
const KEY_FILE_FIELDS = [
  "format", "coordinator_id", "public_key", "fingerprint",
  "service_verify_key", "kdf", "aead", "nonce", "ciphertext",
];
const SALT_BYTES = 16;
const NONCE_BYTES = 12;

const ENVELOPE_FORMAT = "sipkompis-sealed-statement/1";
const SUITE_NAME = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM";
const HEADER_FIELDS = ["format", "suite", "meeting_id", "version", "recipient_key_id", "ciphertext"];
const INNER_FIELDS = ["payload", "meeting_id", "version", "recipient_key_id", "signature", "signer"];
// sealing._SIGNATURE_CONTEXT: "sipkompis-sealed-statement/1 signature\x00".
const SIGNATURE_CONTEXT = new TextEncoder().encode("sipkompis-sealed-statement/1 signature\u0000");
const ENC_BYTES = 32; // DHKEM(X25519) encapsulated key, prefixed to the HPKE ciphertext
const TAG_BYTES = 16;

// PKCS#8 prefix for a raw 32-byte X25519 private key (RFC 8410): WebCrypto imports
// X25519 private keys only as PKCS#8 or JWK.
const PKCS8_X25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const X25519_BASE_POINT = new Uint8Array(32);
X25519_BASE_POINT[0] = 9;

const DB_NAME = "sipkompis-desk";
const DB_STORE = "keys";
const DB_KEY = "current";

function fail(code, message) {
  const error = new Error(message || code);
  error.code = code;
  return error;
}

// ---------------------------------------------------------------------------------------
// Strict JSON: one parse for every document we authenticate.
//
// JSON.parse keeps the last of two duplicate keys while Python's check (and possibly
// another reader) sees the first or rejects it; that would let two parsers see two
// different statements. Integers are kept exact (BigInt beyond 2^53) so that canonical
// JSON re-serialises them like Python does; floats, NaN and Infinity are refused, since
// guessing Python's float repr could make a genuine signature look forged or worse.
// ---------------------------------------------------------------------------------------

const MAX_DEPTH = 200;

export function parseStrictJson(text) {
  if (typeof text !== "string") throw new SyntaxError("JSON text must be a string");
  let pos = 0;

  function syntax(what) {
    return new SyntaxError(`${what} at position ${pos}`);
  }

  function skipWhitespace() {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos += 1;
      else break;
    }
  }

  function parseString() {
    pos += 1; // opening quote
    let out = "";
    let start = pos;
    while (true) {
      if (pos >= text.length) throw syntax("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos += 1;
        return out;
      }
      if (c < 0x20) throw syntax("control character in string");
      if (c === 0x5c) {
        out += text.slice(start, pos);
        const e = text[pos + 1];
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) {
          out += simple[e];
          pos += 2;
        } else if (e === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw syntax("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          throw syntax("bad escape");
        }
        start = pos;
        continue;
      }
      pos += 1;
    }
  }

  function parseNumber() {
    const match = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 4096));
    if (!match) throw syntax("bad number");
    if (match[1] !== undefined || match[2] !== undefined) throw syntax("floats are not accepted");
    pos += match[0].length;
    const big = BigInt(match[0]);
    const small = Number(match[0]);
    return Number.isSafeInteger(small) ? small : big;
  }

  function parseValue(depth) {
    if (depth > MAX_DEPTH) throw syntax("nested too deeply");
    skipWhitespace();
    const c = text[pos];
    if (c === "{") {
      pos += 1;
      const obj = Object.create(null);
      const seen = new Set();
      skipWhitespace();
      if (text[pos] === "}") {
        pos += 1;
        return toPlain(obj);
      }
      while (true) {
        skipWhitespace();
        if (text[pos] !== '"') throw syntax("expected key");
        const key = parseString();
        if (seen.has(key)) throw syntax("duplicate key");
        seen.add(key);
        skipWhitespace();
        if (text[pos] !== ":") throw syntax("expected ':'");
        pos += 1;
        obj[key] = parseValue(depth + 1);
        skipWhitespace();
        if (text[pos] === ",") { pos += 1; continue; }
        if (text[pos] === "}") { pos += 1; return toPlain(obj); }
        throw syntax("expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos += 1;
      const arr = [];
      skipWhitespace();
      if (text[pos] === "]") { pos += 1; return arr; }
      while (true) {
        arr.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ",") { pos += 1; continue; }
        if (text[pos] === "]") { pos += 1; return arr; }
        throw syntax("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (c === "-" || (c >= "0" && c <= "9")) return parseNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]]) {
      if (text.startsWith(word, pos)) { pos += word.length; return value; }
    }
    throw syntax("unexpected character");
  }

  const value = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) throw syntax("trailing data");
  return value;
}

// A key such as "__proto__" must be an ordinary own property, never the prototype:
// defineProperty on a normal object keeps it data.
function toPlain(nullProtoObj) {
  const out = {};
  for (const key of Object.keys(nullProtoObj)) {
    Object.defineProperty(out, key, { value: nullProtoObj[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Canonical JSON = Python json.dumps(sort_keys=True, separators=(",", ":"),
// ensure_ascii=True, allow_nan=False).
// ---------------------------------------------------------------------------------------

// Python sorts str keys by code point; JS's default sort compares UTF-16 code units,
// which puts U+1F600 (surrogates D83D..) before U+FFFF. Compare code points instead.
function compareCodePoints(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  while (true) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0);
    const cy = y.value.codePointAt(0);
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

const SHORT_ESCAPES = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };

function encodeString(s) {
  let out = '"';
  // Per UTF-16 code unit: an astral character becomes its surrogate pair, and a lone
  // surrogate its own escape, exactly as Python's ensure_ascii writes them.
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c in SHORT_ESCAPES) out += SHORT_ESCAPES[c];
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else out += "\\u" + c.toString(16).padStart(4, "0");
  }
  return out + '"';
}

function encodeValue(value, depth) {
  if (depth > MAX_DEPTH) throw new TypeError("nested too deeply");
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return encodeString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    // Only exact integers: Python would write a float as e.g. 1.0 or 1e+16.
    if (!Number.isSafeInteger(value)) throw new TypeError("only safe integers are accepted");
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (Array.isArray(value)) {
    return "[" + value.map((item) => encodeValue(item, depth + 1)).join(",") + "]";
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new TypeError("not a plain object");
    const keys = Object.keys(value).sort(compareCodePoints);
    return "{" + keys.map((k) => encodeString(k) + ":" + encodeValue(value[k], depth + 1)).join(",") + "}";
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

export function canonicalJson(value) {
  return encodeValue(value, 0);
}

function canonicalBytes(value) {
  return new TextEncoder().encode(canonicalJson(value)); // ASCII only, so UTF-8 == ASCII
}

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Like base64.b64decode(validate=True): alphabet and padding checked.
function b64decode(text) {
  if (typeof text !== "string" || !BASE64.test(text)) throw new TypeError("not base64 text");
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

export function b64encode(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let bin = "";
  for (let i = 0; i < view.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

// Like sealing._b64decode_strict: only the canonical encoding, so an envelope has one form.
function b64decodeStrict(text) {
  const raw = b64decode(text);
  if (b64encode(raw) !== text) throw new TypeError("not canonical base64");
  return raw;
}

function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i] ^ b[i];
  return diff === 0;
}

function sameFields(obj, fields) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return false;
  const keys = Object.keys(obj);
  return keys.length === fields.length && fields.every((f) => Object.prototype.hasOwnProperty.call(obj, f));
}

function isInt(value) {
  return (typeof value === "number" && Number.isSafeInteger(value)) || typeof value === "bigint";
}

// As sealing.public_key_fingerprint: SHA-256 of the raw key, first 16 bytes, hex in
// eight colon-separated groups of four, so a person can read it aloud and compare.
export async function fingerprint(rawPublicKeyBytes) {
  const digest = new Uint8Array(await subtle.digest("SHA-256", new Uint8Array(rawPublicKeyBytes)));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return hex.match(/.{4}/g).join(":");
}

function passphraseBytes(passphrase) {
  // NFC first: "å" may arrive as one code point or as "a" + combining ring depending on
  // the keyboard and OS; Python normalises the same way, so both unlock the file.
  if (typeof passphrase !== "string" || !passphrase) throw fail("wrong_passphrase", "passphrase must be a non-empty string");
  return new TextEncoder().encode(passphrase.normalize("NFC"));
}

function checkKdf(kdf) {
  if (!sameFields(kdf, ["name", "salt", "iterations", "lanes", "memory_cost"])) throw new TypeError("bad kdf");
  if (kdf.name !== "argon2id") throw new TypeError("unsupported kdf");
  const params = {};
  for (const [name, upper] of Object.entries(MAX_KDF)) {
    const value = kdf[name];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > upper) {
      throw new TypeError("kdf parameter out of range");
    }
    params[name] = value;
  }
  if (params.memory_cost < 8 * params.lanes) throw new TypeError("kdf parameter out of range");
  return params;
}

async function deriveWrappingKey(passphrase, salt, params, usage) {
  const password = passphraseBytes(passphrase);
  // Python's Argon2id refuses a salt under 8 bytes, and read_key_file reports that as a
  // wrong passphrase; do the same rather than let it look like a browser failure.
  if (salt.length < 8) throw fail("wrong_passphrase", "wrong passphrase or damaged key file");
  let secret;
  try {
    secret = await argon2id({
      password,
      salt,
      iterations: params.iterations,
      parallelism: params.lanes,
      memorySize: params.memory_cost,
      hashLength: 32,
      outputType: "binary",
    });
  } catch (error) {
    // The WebAssembly could not run (a CSP without 'wasm-unsafe-eval') or the memory
    // could not be had: that is not the coordinator's typing, so never say so.
    throw fail("kdf_unavailable", `Argon2id could not run in this browser: ${error && error.message}`);
  } finally {
    password.fill(0);
  }
  try {
    return await subtle.importKey("raw", secret, "AES-GCM", false, [usage]);
  } finally {
    secret.fill(0);
  }
}

function keyFileAad(header) {
  const rest = {};
  for (const [k, v] of Object.entries(header)) if (k !== "nonce" && k !== "ciphertext") rest[k] = v;
  return canonicalBytes(rest);
}

async function importX25519Private(raw, extractable) {
  const pkcs8 = concatBytes(PKCS8_X25519_PREFIX, raw);
  try {
    return await subtle.importKey("pkcs8", pkcs8, { name: "X25519" }, extractable, ["deriveBits"]);
  } finally {
    pkcs8.fill(0);
  }
}

// The public half of a non-extractable private key: X25519(sk, 9) is the public key,
// and deriveBits works without ever exporting the private key.
async function x25519PublicRaw(privateKey) {
  const base = await subtle.importKey("raw", X25519_BASE_POINT, { name: "X25519" }, true, []);
  return new Uint8Array(await subtle.deriveBits({ name: "X25519", public: base }, privateKey, 256));
}

// ---------------------------------------------------------------------------------------
// Key file
// ---------------------------------------------------------------------------------------

export async function unlockKeyFile(keyFileText, passphrase) {
  let header, params, salt, nonce, ciphertext, publicRaw, verifyRaw, aad;
  try {
    header = parseStrictJson(keyFileText);
    if (!sameFields(header, KEY_FILE_FIELDS)) throw new TypeError("wrong fields");
    if (header.format !== KEY_FILE_FORMAT || header.aead !== AEAD_NAME) throw new TypeError("wrong format");
    if (typeof header.coordinator_id !== "string" || typeof header.fingerprint !== "string") {
      throw new TypeError("wrong field types");
    }
    params = checkKdf(header.kdf);
    salt = b64decode(header.kdf.salt);
    nonce = b64decode(header.nonce);
    ciphertext = b64decode(header.ciphertext);
    publicRaw = b64decode(header.public_key);
    verifyRaw = b64decode(header.service_verify_key);
    if (nonce.length !== NONCE_BYTES || publicRaw.length !== 32 || verifyRaw.length !== 32) {
      throw new TypeError("wrong lengths");
    }
    aad = keyFileAad(header);
  } catch (error) {
    throw fail("not_a_key_file", "not a SIP-kompis coordinator key file");
  }
  let rawPrivate;
  try {
    const wrapping = await deriveWrappingKey(passphrase, salt, params, "decrypt");
    rawPrivate = new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, wrapping, ciphertext));
  } catch (error) {
    if (error.code === "kdf_unavailable") throw error;
    throw fail("wrong_passphrase", "wrong passphrase or damaged key file");
  }
  let privateKey, verifyKey;
  try {
    if (rawPrivate.length !== 32) throw new TypeError("wrong private key length");
    privateKey = await importX25519Private(rawPrivate, false);
    verifyKey = await subtle.importKey("raw", verifyRaw, { name: "Ed25519" }, true, ["verify"]);
  } catch (error) {
    throw fail("wrong_passphrase", "wrong passphrase or damaged key file");
  } finally {
    rawPrivate.fill(0);
  }
  // The AAD already authenticates these; checking again catches a file written by buggy
  // tooling whose public half does not belong to the private key.
  const ownPublic = await x25519PublicRaw(privateKey);
  const ownFingerprint = await fingerprint(ownPublic);
  if (!bytesEqual(ownPublic, publicRaw) || ownFingerprint !== header.fingerprint) {
    throw fail("wrong_passphrase", "wrong passphrase or damaged key file");
  }
  const publicKey = await subtle.importKey("raw", ownPublic, { name: "X25519" }, true, []);
  return {
    coordinatorId: header.coordinator_id,
    fingerprint: ownFingerprint,
    keyPair: { privateKey, publicKey },
    publicKeyRaw: ownPublic,
    verifyKey,
    verifyKeyRaw: verifyRaw,
    verifyKeyFingerprint: await fingerprint(verifyRaw),
  };
}

// The browser-side twin of keyfile.write_key_file: a fresh X25519 key made here, wrapped
// under the passphrase, readable by Python's read_key_file.
export async function writeKeyFile({ passphrase, coordinatorId, serviceVerifyKeyRaw, kdf } = {}) {
  if (typeof coordinatorId !== "string" || !coordinatorId) throw new TypeError("coordinatorId must be a non-empty string");
  const verifyRaw = new Uint8Array(serviceVerifyKeyRaw || []);
  if (verifyRaw.length !== 32) throw new TypeError("serviceVerifyKeyRaw must be 32 bytes");
  passphraseBytes(passphrase); // fail before the slow KDF
  const given = kdf || DEFAULT_KDF_PARAMS;
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const params = checkKdf({ name: "argon2id", salt: "", iterations: given.iterations, lanes: given.lanes, memory_cost: given.memory_cost });

  // Extractable only for this moment: the raw bytes are needed once, to be wrapped.
  const pair = await subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
  const publicRaw = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", pair.privateKey));
  const rawPrivate = pkcs8.slice(PKCS8_X25519_PREFIX.length);
  pkcs8.fill(0);
  try {
    if (rawPrivate.length !== 32) throw new Error("unexpected PKCS#8 layout");
    const header = {
      format: KEY_FILE_FORMAT,
      coordinator_id: coordinatorId,
      public_key: b64encode(publicRaw),
      fingerprint: await fingerprint(publicRaw),
      service_verify_key: b64encode(verifyRaw),
      kdf: {
        name: "argon2id",
        salt: b64encode(salt),
        iterations: params.iterations,
        lanes: params.lanes,
        memory_cost: params.memory_cost,
      },
      aead: AEAD_NAME,
    };
    const wrapping = await deriveWrappingKey(passphrase, salt, params, "encrypt");
    const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    header.nonce = b64encode(nonce);
    const sealed = await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: keyFileAad(header) }, wrapping, rawPrivate);
    header.ciphertext = b64encode(new Uint8Array(sealed));
    // Same layout as Python's json.dumps(indent=2, ensure_ascii=False) + "\n".
    return { text: JSON.stringify(header, null, 2) + "\n", publicKeyRaw: publicRaw };
  } finally {
    rawPrivate.fill(0);
  }
}

// ---------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------

const HPKE_SUITE = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

function parseObject(text, fields) {
  let obj;
  try {
    obj = parseStrictJson(text);
  } catch (error) {
    throw fail("tampered", "tampered or corrupt");
  }
  if (!sameFields(obj, fields)) throw fail("tampered", "tampered or corrupt");
  return obj;
}

function envelopeText(envelope) {
  if (typeof envelope === "string") return envelope;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(envelope);
  } catch (error) {
    throw fail("tampered", "tampered or corrupt");
  }
}

export async function openEnvelope(envelope, unlocked) {
  if (!unlocked || !unlocked.keyPair || !unlocked.verifyKey) throw new TypeError("no unlocked key");
  const header = parseObject(envelopeText(envelope), HEADER_FIELDS);
  if (header.format !== ENVELOPE_FORMAT || header.suite !== SUITE_NAME) throw fail("tampered");
  if (typeof header.recipient_key_id !== "string") throw fail("tampered");
  const meetingId = header.meeting_id;
  const version = header.version;
  if (typeof meetingId !== "string" || !meetingId || !isInt(version)) throw fail("tampered");

  const ownKeyId = unlocked.fingerprint;
  if (header.recipient_key_id !== ownKeyId) throw fail("not_for_this_key", "not for this key");

  let sealed;
  try {
    sealed = b64decodeStrict(header.ciphertext);
  } catch (error) {
    throw fail("tampered");
  }
  if (sealed.length < ENC_BYTES + TAG_BYTES) throw fail("tampered");
  // HPKE info is built from the header, so editing any header field breaks decryption.
  const info = canonicalBytes({
    format: ENVELOPE_FORMAT,
    meeting_id: meetingId,
    recipient_key_id: ownKeyId,
    suite: SUITE_NAME,
    version,
  });
  let innerBytes;
  try {
    innerBytes = await HPKE_SUITE.open(
      { recipientKey: unlocked.keyPair, enc: sealed.slice(0, ENC_BYTES), info },
      sealed.slice(ENC_BYTES),
    );
  } catch (error) {
    throw fail("tampered");
  }
  const inner = parseObject(envelopeText(new Uint8Array(innerBytes)), INNER_FIELDS);
  const payload = inner.payload;
  if (
    typeof inner.meeting_id !== "string" || !isInt(inner.version)
    || inner.meeting_id !== meetingId || inner.version !== version
    || inner.recipient_key_id !== ownKeyId
    || payload === null || typeof payload !== "object" || Array.isArray(payload)
  ) {
    throw fail("tampered");
  }
  if (inner.signer !== unlocked.verifyKeyFingerprint) throw fail("not_signed", "not signed by this service");
  let ok = false;
  try {
    const signature = b64decodeStrict(inner.signature);
    const signed = concatBytes(SIGNATURE_CONTEXT, canonicalBytes({
      meeting_id: meetingId,
      payload,
      recipient_key_id: ownKeyId,
      version,
    }));
    ok = await subtle.verify({ name: "Ed25519" }, unlocked.verifyKey, signature, signed);
  } catch (error) {
    ok = false;
  }
  if (!ok) throw fail("not_signed", "not signed by this service");
  return { meetingId, version, payload };
}

// ---------------------------------------------------------------------------------------
// The unlocked key for this browser session: IndexedDB keeps CryptoKeys as structured
// clones, so the private key stays non-extractable there too. Never localStorage or
// sessionStorage (strings only: that would mean raw key bytes).
// ---------------------------------------------------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(DB_STORE)) request.result.createObjectStore(DB_STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(DB_STORE, mode);
      const request = action(tx.objectStore(DB_STORE));
      let result;
      request.onsuccess = () => { result = request.result; };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function storeUnlocked(unlocked) {
  if (!unlocked || !unlocked.keyPair || unlocked.keyPair.privateKey.extractable) {
    throw new TypeError("only a non-extractable unlocked key is stored");
  }
  const record = {
    coordinatorId: unlocked.coordinatorId,
    fingerprint: unlocked.fingerprint,
    keyPair: { privateKey: unlocked.keyPair.privateKey, publicKey: unlocked.keyPair.publicKey },
    publicKeyRaw: unlocked.publicKeyRaw,
    verifyKey: unlocked.verifyKey,
    verifyKeyRaw: unlocked.verifyKeyRaw,
    verifyKeyFingerprint: unlocked.verifyKeyFingerprint,
  };
  await withStore("readwrite", (store) => store.put(record, DB_KEY));
}

export async function loadUnlocked() {
  const record = await withStore("readonly", (store) => store.get(DB_KEY));
  return record || null;
}

export async function forgetUnlocked() {
  await withStore("readwrite", (store) => store.delete(DB_KEY));
}

export const SipDeskCrypto = Object.freeze({
  unlockKeyFile,
  openEnvelope,
  fingerprint,
  canonicalJson,
  parseStrictJson,
  writeKeyFile,
  storeUnlocked,
  loadUnlocked,
  forgetUnlocked,
  DEFAULT_KDF_PARAMS,
});
globalThis.SipDeskCrypto = SipDeskCrypto;
