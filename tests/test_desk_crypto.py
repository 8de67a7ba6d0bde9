"""The coordinator desk's browser crypto against the real Python formats.

Real Chromium (WebCrypto, IndexedDB, the WebAssembly Argon2id) opens key files written by
bot/crypto/keyfile.py and envelopes sealed by bot/crypto/sealing.py, and Python opens a key
file the browser wrote. No mocks: the page is served with the desk's CSP, so a bundle that
needs more than `script-src 'self' 'wasm-unsafe-eval'` fails here.
"""
from __future__ import annotations

import base64
import json
import random
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from bot.crypto import sealing
from bot.crypto.keyfile import DEFAULT_KDF_PARAMS, generate_keypair, read_key_file, write_key_file
from bot.crypto.sealing import canonical_json, public_key_fingerprint, seal_statement
from tests.conftest import FAST_KDF, REPO, _missing_service

STATIC = REPO / "bot" / "desk" / "static"
BUNDLE = STATIC / "desk.js"
PAGE = REPO / "tests" / "data" / "desk_crypto_page.html"
NO_WASM_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'"
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PASSPHRASE = "Blåbär och äppelpaj 2030!"


# ------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def bundle() -> Path:
    result = subprocess.run(["bash", str(REPO / "scripts" / "build_desk.sh")], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    # Without npm the script warns and exits 0 (the child's chat does not need the bundle);
    # here that, or a stale bundle left from before, must fail loudly instead.
    if result.returncode != 0 or not BUNDLE.exists() or "NOT built" in result.stderr:
        pytest.fail("the desk bundle bot/desk/static/desk.js is missing: scripts/build_desk.sh "
                    f"needs node and npm (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return BUNDLE


class _Site:
    """A tiny threaded server for the static bundle, the test page and per-test routes."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.post_routes: dict[str, tuple[str, bytes]] = {}
        self.posts: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output readable
                pass

            def _send(self, status: int, kind: str, body: bytes, csp: str = CSP) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Security-Policy", csp)
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path in site.routes:
                    self._send(200, *site.routes[path])
                elif path == "/page":
                    self._send(200, "text/html; charset=utf-8", PAGE.read_bytes())
                elif path == "/page-without-wasm":
                    self._send(200, "text/html; charset=utf-8", PAGE.read_bytes(), NO_WASM_CSP)
                elif path == "/static/desk.js":
                    self._send(200, "text/javascript; charset=utf-8", BUNDLE.read_bytes())
                else:
                    self._send(404, "text/plain", b"not found")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                site.posts.append((self.path, self.rfile.read(length).decode("utf-8")))
                if self.path in site.post_routes:
                    self._send(200, *site.post_routes[self.path])
                else:
                    self._send(204, "text/plain", b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def desk(bundle):
    """One Chromium and one server for the module: starting Chromium per test would eat
    the time budget. Tests that use IndexedDB clear it themselves."""
    from tests.web_browser import Browser, browser_missing

    why = browser_missing()
    if why:
        _missing_service("browser", why)
    site = _Site()
    browser = Browser()
    browser.driver.set_script_timeout(120)
    browser.driver.implicitly_wait(0)  # absence checks must not wait; waits are explicit
    browser.open(site.base + "/page")
    yield site, browser.driver
    browser.quit()
    site.close()


CALL = """
const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
(async () => {
  for (let i = 0; !globalThis.SipDeskCrypto; i += 1) {
    if (i > 400) throw new Error("SipDeskCrypto never loaded");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const C = globalThis.SipDeskCrypto;
  %s
})().then((value) => done({ok: value === undefined ? null : value}),
          (error) => done({error: String(error && error.message), code: (error && error.code) || null}));
"""


def js(driver, body: str, *args):
    """Run `body` (async, sees `C` = SipDeskCrypto and `args`) and return {ok} or {error, code}."""
    return driver.execute_async_script(CALL % body, *args)


def ok(result):
    assert "ok" in result, result
    return result["ok"]


# ------------------------------------------------------------------------- helpers
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def raw(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class Coordinator:
    def __init__(self, tmp_path: Path, *, coordinator_id: str = "samordnare-Åsa",
                 kdf=FAST_KDF, passphrase: str = PASSPHRASE) -> None:
        self.private = generate_keypair()
        self.service = Ed25519PrivateKey.generate()
        self.path = tmp_path / f"{coordinator_id.encode().hex()[:12]}-{id(self)}.key"
        write_key_file(self.path, self.private, passphrase, coordinator_id=coordinator_id,
                       service_verify_key=self.service.public_key(), _kdf_params=kdf)
        self.text = self.path.read_text(encoding="utf-8")
        self.fingerprint = public_key_fingerprint(self.private.public_key())

    def seal(self, payload: dict, *, meeting_id: str = "m-1", version: int = 1, signer=None,
             to=None) -> str:
        return seal_statement(payload, recipient_public_key=to or self.private.public_key(),
                              meeting_id=meeting_id, version=version,
                              signing_key=signer or self.service).decode("utf-8")


UNLOCK_AND_OPEN = """
const unlocked = await C.unlockKeyFile(args[0], args[1]);
const out = [];
for (const envelope of args[2]) {
  try {
    const opened = await C.openEnvelope(envelope, unlocked);
    out.push({meetingId: opened.meetingId, version: opened.version,
              canonical: C.canonicalJson(opened.payload), json: JSON.stringify(opened.payload)});
  } catch (error) {
    out.push({code: error.code || null, error: String(error.message)});
  }
}
return {fingerprint: unlocked.fingerprint, coordinatorId: unlocked.coordinatorId,
        verifyKeyFingerprint: unlocked.verifyKeyFingerprint, opened: out};
"""

TRICKY = ["å", "ä", "ö", "ÅÄÖ", "😀", "👩‍👧", '"', "\\", "{", "0[", "</script>", "", "\u2028",
          "\x00", "\x7f", "\t\n\r", "\udc00", "é", "\uffff", "\U0001F600", "a b", "-", "Nej!"]


def generated_payloads(count: int = 30) -> list[dict]:
    """Seeded random payloads that stress canonical JSON: every escape class, astral
    characters, keys whose code-point order differs from UTF-16 order, ints, nesting."""
    rng = random.Random(20300520)

    def text() -> str:
        return "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 5)))

    def value(depth: int):
        pick = rng.randrange(8 if depth < 3 else 5)
        if pick == 0:
            return text()
        if pick == 1:
            return rng.choice([0, 1, -1, 42, 2**53 - 1, -(2**53 - 1), 1700000000])
        if pick == 2:
            return rng.choice([True, False, None])
        if pick in (3, 4):
            return text() + rng.choice(TRICKY)
        if pick == 5:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        keys = rng.sample(["\uffff", "\U0001F600", "a", "B", "é", "", "kind", "z", "ä", "0"],
                          rng.randint(0, 5))
        return {k + (text() if rng.random() < 0.3 else ""): value(depth + 1) for k in keys}

    payloads = [
        {"kind": "statement", "approved_at": "2030-05-19T10:00:00+00:00",
         "items": [{"kind": "good", "text": "Jag gillar rasterna 😀 och \"fröken\""}]},
        {"\uffff": 1, "\U0001F600": 2, "a": [[], [[]], {}], "": ""},
    ]
    while len(payloads) < count:
        payloads.append({"n": len(payloads), "v": value(0), "x": value(1)})
    return payloads


# ------------------------------------------------------------------------- tests
def test_python_key_file_and_envelopes_open_in_the_browser(desk, tmp_path):
    _, driver = desk
    coordinator = Coordinator(tmp_path)
    payloads = generated_payloads()
    envelopes = [coordinator.seal(p, meeting_id=f"möte-{i}-😀", version=i)
                 for i, p in enumerate(payloads)]
    result = ok(js(driver, UNLOCK_AND_OPEN, coordinator.text, PASSPHRASE, envelopes))
    assert result["fingerprint"] == coordinator.fingerprint
    assert result["coordinatorId"] == "samordnare-Åsa"
    assert len(result["opened"]) == len(payloads) == 30
    assert result["verifyKeyFingerprint"] == public_key_fingerprint(coordinator.service.public_key())
    for i, (payload, opened) in enumerate(zip(payloads, result["opened"])):
        assert opened.get("canonical") == canonical_json(payload).decode("ascii"), (i, opened)
        assert opened["meetingId"] == f"möte-{i}-😀" and opened["version"] == i
        assert json.loads(opened["json"]) == payload


def test_canonical_json_equals_python(desk):
    _, driver = desk
    values = generated_payloads(40) + [
        {"big": 2**70, "neg": -(2**64), "zero": 0, "minus_zero_text": "-0"},
        [1, "två", {"b": [], "a": {}}], "bara text\u2028", 0, None, True,
    ]
    texts = [json.dumps(v, ensure_ascii=True) for v in values]
    got = ok(js(driver, "return args[0].map((t) => C.canonicalJson(C.parseStrictJson(t)));", texts))
    assert got == [canonical_json(v).decode("ascii") for v in values]
    # Plain JS values too (the HPKE info and signed bytes are built from them), and the
    # values Python would write differently or not at all are refused, never guessed.
    checks = ok(js(driver, """
      const refuses = (f) => { try { f(); return false; } catch (e) { return true; } };
      return {
        direct: C.canonicalJson({"\\uffff": 1, "\\u{1F600}": [-0, "å\\"\\\\"], b: null, a: true}),
        float: refuses(() => C.canonicalJson({x: 1.5})),
        nan: refuses(() => C.canonicalJson(NaN)),
        undef: refuses(() => C.canonicalJson({x: undefined})),
        date: refuses(() => C.canonicalJson(new Date(0))),
        unsafe: refuses(() => C.canonicalJson(2 ** 60)),
        floatText: refuses(() => C.parseStrictJson('{"x": 1.0}')),
        expText: refuses(() => C.parseStrictJson('[1e3]')),
        nanText: refuses(() => C.parseStrictJson('[NaN]')),
        dup: refuses(() => C.parseStrictJson('{"a": 1, "a": 2}')),
        trailing: refuses(() => C.parseStrictJson('{} x')),
        proto: Object.getPrototypeOf(C.parseStrictJson('{"__proto__": {"x": 1}}')) === Object.prototype,
        protoKey: C.canonicalJson(C.parseStrictJson('{"__proto__": {"x": 1}}')),
      };
    """))
    assert checks.pop("direct") == canonical_json(
        {"\uffff": 1, "\U0001F600": [0, 'å"\\'], "b": None, "a": True}).decode("ascii")
    assert checks.pop("protoKey") == '{"__proto__":{"x":1}}'
    assert all(checks.values()), checks


def test_wrong_passphrase_and_edited_key_files_are_refused(desk, tmp_path):
    _, driver = desk
    coordinator = Coordinator(tmp_path, passphrase="hallå")
    header = json.loads(coordinator.text)
    other_service = b64(raw(Ed25519PrivateKey.generate().public_key()))

    def edited(**changes) -> str:
        copy = json.loads(coordinator.text)
        for key, value in changes.items():
            if key == "kdf":
                copy["kdf"] = {**copy["kdf"], **value}
            else:
                copy[key] = value
        return json.dumps(copy, indent=2, ensure_ascii=False)

    cases = {
        "wrong": (coordinator.text, "hallå!"),
        "empty": (coordinator.text, ""),
        "coordinator_id": (edited(coordinator_id="någon-annan"), "hallå"),
        "service_key_swapped": (edited(service_verify_key=other_service), "hallå"),
        "salt": (edited(kdf={"salt": b64(b"x" * 16)}), "hallå"),
        "format": (edited(format="sipkompis-coordinator-key/2"), "hallå"),
        "aead": (edited(aead="AES-128-GCM"), "hallå"),
        "iterations_too_many": (edited(kdf={"iterations": 65}), "hallå"),
        "memory_too_big": (edited(kdf={"memory_cost": 4 * 1024 * 1024 + 1}), "hallå"),
        "lanes_vs_memory": (edited(kdf={"lanes": 2, "memory_cost": 8}), "hallå"),
        "float_param": (edited(kdf={"iterations": 1.0}), "hallå"),
        "bool_param": (edited(kdf={"iterations": True}), "hallå"),
        "extra_field": (edited(note="x"), "hallå"),
        "bad_nonce": (edited(nonce=b64(b"short")), "hallå"),
        "not_base64": (edited(public_key="!!!"), "hallå"),
        "duplicate_key": (coordinator.text.replace('"aead"', '"aead": "AES-256-GCM",\n  "aead"', 1), "hallå"),
        "not_json": ("ingen nyckel här", "hallå"),
        "fingerprint": (edited(fingerprint="0000:" + header["fingerprint"][5:]), "hallå"),
    }
    results = ok(js(driver, """
      const out = {};
      for (const [name, [text, pass]] of Object.entries(args[0])) {
        try { await C.unlockKeyFile(text, pass); out[name] = "opened"; }
        catch (error) { out[name] = error.code || String(error.message); }
      }
      // NFC: "å" typed as "a" + combining ring unlocks a file made with the single code point.
      out.nfc = (await C.unlockKeyFile(args[1], "halla\\u030a")).fingerprint;
      return out;
    """, cases, coordinator.text))
    assert results.pop("nfc") == coordinator.fingerprint
    expected = {name: "wrong_passphrase" for name in
                ("wrong", "empty", "coordinator_id", "service_key_swapped", "salt", "fingerprint")}
    expected.update({name: "not_a_key_file" for name in cases if name not in expected})
    assert results == expected


def _inner_envelope(coordinator: Coordinator, inner_text: bytes, *, meeting_id="m-1", version=1) -> str:
    """An envelope around an inner statement written by hand (the service never would)."""
    key_id = coordinator.fingerprint
    ciphertext = sealing._SUITE.encrypt(inner_text, coordinator.private.public_key(),
                                        info=sealing._info(meeting_id, version, key_id))
    return json.dumps({"format": sealing.FORMAT, "suite": sealing.SUITE_NAME,
                       "meeting_id": meeting_id, "version": version,
                       "recipient_key_id": key_id, "ciphertext": b64(ciphertext)})


def test_tampered_misaddressed_and_forged_envelopes_show_nothing(desk, tmp_path):
    _, driver = desk
    coordinator = Coordinator(tmp_path)
    payload = {"kind": "statement", "items": [{"kind": "hard", "text": "hemligt"}]}
    good = coordinator.seal(payload)

    def with_header(**changes) -> str:
        envelope = json.loads(good)
        envelope.update(changes)
        return json.dumps(envelope, ensure_ascii=False)

    sealed = bytearray(base64.b64decode(json.loads(good)["ciphertext"]))
    flipped = bytes(sealed[:40]) + bytes([sealed[40] ^ 1]) + bytes(sealed[41:])
    flipped_enc = bytes([sealed[0] ^ 1]) + bytes(sealed[1:])
    signer = coordinator.service
    key_id = coordinator.fingerprint
    signed = sealing._signed_bytes(payload, "m-1", 1, key_id)
    signature = b64(signer.sign(signed))
    inner_fields = {"meeting_id": "m-1", "payload": payload, "recipient_key_id": key_id,
                    "signature": signature, "signer": public_key_fingerprint(signer.public_key()),
                    "version": 1}
    genuine_inner = canonical_json(inner_fields)
    # Two payload keys: the first is the signed one, the last is what JSON.parse would keep.
    duplicate_inner = genuine_inner.replace(
        b'"payload":', b'"payload":{"kind":"statement","items":[]},"payload":', 1)
    other_recipient = generate_keypair().public_key()
    cases = {
        "genuine_hand_made": _inner_envelope(coordinator, genuine_inner),
        "ciphertext_byte": with_header(ciphertext=b64(flipped)),
        "enc_byte": with_header(ciphertext=b64(flipped_enc)),
        "short": with_header(ciphertext=b64(bytes(sealed[:40]))),
        "version": with_header(version=2),
        "meeting_id": with_header(meeting_id="m-2"),
        "version_float": with_header(version=1.0),
        "suite": with_header(suite="DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM"),
        "extra_header_field": with_header(note="x"),
        "non_canonical_base64": with_header(ciphertext=json.loads(good)["ciphertext"].rstrip("=") + "=="),
        "duplicate_header_key": good.replace('"version":1', '"version":1,"version":1', 1),
        "duplicate_inner_key": _inner_envelope(coordinator, duplicate_inner),
        "inner_meeting_moved": _inner_envelope(
            coordinator, canonical_json({**inner_fields, "meeting_id": "m-2"})),
        "other_key": coordinator.seal(payload, to=other_recipient),
        "recipient_id_edited": with_header(recipient_key_id=public_key_fingerprint(other_recipient)),
        "other_signer": coordinator.seal(payload, signer=Ed25519PrivateKey.generate()),
        "signer_claimed_bad_signature": _inner_envelope(coordinator, canonical_json(
            {**inner_fields, "signature": b64(Ed25519PrivateKey.generate().sign(signed))})),
        "signature_for_other_payload": _inner_envelope(coordinator, canonical_json(
            {**inner_fields, "payload": {"kind": "statement", "items": []}})),
        "not_json": "{",
    }
    names = list(cases)
    result = ok(js(driver, UNLOCK_AND_OPEN, coordinator.text, PASSPHRASE, [cases[n] for n in names]))
    got = dict(zip(names, result["opened"]))
    assert got.pop("genuine_hand_made")["canonical"] == canonical_json(payload).decode("ascii")
    expected = {name: "tampered" for name in got}
    expected.update(other_key="not_for_this_key", recipient_id_edited="not_for_this_key",
                    other_signer="not_signed", signer_claimed_bad_signature="not_signed",
                    signature_for_other_payload="not_signed")
    assert {name: value.get("code") for name, value in got.items()} == expected
    assert all("canonical" not in value and "json" not in value for value in got.values())


def test_browser_written_key_file_opens_in_python_and_back(desk, tmp_path):
    _, driver = desk
    service = Ed25519PrivateKey.generate()
    written = ok(js(driver, """
      const {text, publicKeyRaw} = await C.writeKeyFile({passphrase: args[0], coordinatorId: args[1],
        serviceVerifyKeyRaw: Uint8Array.from(atob(args[2]), (c) => c.charCodeAt(0)), kdf: args[3]});
      return {text, publicKeyRaw: btoa(String.fromCharCode(...publicKeyRaw)),
              fingerprint: await C.fingerprint(publicKeyRaw)};
    """, PASSPHRASE, "samordnare-Örjan", b64(raw(service.public_key())), FAST_KDF))
    path = tmp_path / "browser.key"
    path.write_text(written["text"], encoding="utf-8")
    private, header = read_key_file(path, PASSPHRASE)
    assert raw(private.public_key()) == base64.b64decode(written["publicKeyRaw"])
    assert header["coordinator_id"] == "samordnare-Örjan"
    assert header["fingerprint"] == written["fingerprint"] == public_key_fingerprint(private.public_key())
    assert raw(header["service_verify_key"]) == raw(service.public_key())
    assert json.loads(written["text"])["kdf"]["memory_cost"] == FAST_KDF["memory_cost"]
    payload = {"kind": "feedback", "items": [{"kind": "wish", "text": "Mer tid 😀"}]}
    envelope = seal_statement(payload, recipient_public_key=private.public_key(), meeting_id="m-9",
                              version=3, signing_key=service).decode("utf-8")
    result = ok(js(driver, UNLOCK_AND_OPEN, written["text"], PASSPHRASE, [envelope]))
    assert result["opened"][0]["canonical"] == canonical_json(payload).decode("ascii")


def test_stored_key_survives_a_reload_stays_non_extractable_and_is_forgotten(desk, tmp_path):
    site, driver = desk
    coordinator = Coordinator(tmp_path)
    payload = {"kind": "statement", "items": [{"kind": "good", "text": "Bra"}]}
    ok(js(driver, "await C.forgetUnlocked(); await C.storeUnlocked(await C.unlockKeyFile(args[0], args[1]));",
          coordinator.text, PASSPHRASE))
    driver.get(site.base + "/page")
    after = ok(js(driver, """
      const unlocked = await C.loadUnlocked();
      const opened = await C.openEnvelope(args[0], unlocked);
      let exported = "exported";
      try { await crypto.subtle.exportKey("pkcs8", unlocked.keyPair.privateKey); }
      catch (error) { exported = error.name; }
      let jwk = "exported";
      try { await crypto.subtle.exportKey("jwk", unlocked.keyPair.privateKey); }
      catch (error) { jwk = error.name; }
      // Nothing of the key may sit in web storage.
      const storage = JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage)]);
      await C.forgetUnlocked();
      return {canonical: C.canonicalJson(opened.payload), exported, jwk, storage,
              extractable: unlocked.keyPair.privateKey.extractable,
              isCryptoKey: unlocked.keyPair.privateKey instanceof CryptoKey,
              afterForget: await C.loadUnlocked()};
    """, coordinator.seal(payload)))
    assert after == {"canonical": canonical_json(payload).decode("ascii"), "exported": "InvalidAccessError",
                     "jwk": "InvalidAccessError", "storage": "[[],[]]", "extractable": False,
                     "isCryptoKey": True, "afterForget": None}


def test_default_argon2_parameters_unlock_in_chromium(desk, tmp_path):
    _, driver = desk
    coordinator = Coordinator(tmp_path, kdf=None)
    assert json.loads(coordinator.text)["kdf"]["memory_cost"] == DEFAULT_KDF_PARAMS["memory_cost"]
    result = ok(js(driver, """
      const started = performance.now();
      const unlocked = await C.unlockKeyFile(args[0], args[1]);
      return {fingerprint: unlocked.fingerprint, ms: Math.round(performance.now() - started)};
    """, coordinator.text, PASSPHRASE))
    print(f"\nArgon2id t=3 p=4 m=64 MiB unlock in Chromium: {result['ms']} ms")
    assert result["fingerprint"] == coordinator.fingerprint
    assert result["ms"] < 60_000


def test_a_csp_without_wasm_is_reported_as_such_never_as_a_wrong_passphrase(desk, tmp_path):
    site, driver = desk
    coordinator = Coordinator(tmp_path)
    driver.get(site.base + "/page-without-wasm")
    try:
        result = js(driver, "await C.unlockKeyFile(args[0], args[1]);", coordinator.text, PASSPHRASE)
    finally:
        driver.get(site.base + "/page")
    assert result.get("code") == "kdf_unavailable", result


ALL_SECTIONS_DONE = """
return Array.from(document.querySelectorAll("section[data-envelope-url]")).every(
  (section) => section.querySelector("div.opened > ol, div.opened > p.rejected, div.opened > p.nothing-shared"));
"""


def _sections_page(sections: str) -> bytes:
    return ("<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Möte</title>"
            "<script type=\"module\" src=\"/static/desk.js\"></script></head>"
            f"<body data-keyfile-url=\"/keyfile\"><main>{sections}</main><footer></footer></body></html>"
            ).encode("utf-8")


def test_page_glue_shows_the_childs_words_as_text_and_rejects_forgeries(desk, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    site, driver = desk
    coordinator = Coordinator(tmp_path)
    statement = {"kind": "statement", "approved_at": "2030-05-19T08:00:00Z", "items": [
        {"kind": "good", "text": "<b>Rasterna</b> & \"fröken\" 😀", "shared_with": ["coordinator", "guardians"]},
        {"kind": "hard", "text": "-"},
        {"kind": "question", "text": "</script><img src=x onerror=alert(1)>", "use": "read_aloud"},
        {"kind": "nytt", "text": "Okänd sort"},
        {"kind": "constructor", "text": "Inget från Object.prototype"},
    ]}
    site.routes.update({
        "/keyfile": ("text/plain; charset=utf-8", coordinator.text.encode("utf-8")),
        "/e/good": ("application/json", coordinator.seal(statement).encode("utf-8")),
        "/e/empty": ("application/json", coordinator.seal({"kind": "feedback", "items": []}).encode()),
        "/e/forged": ("application/json",
                      coordinator.seal(statement, signer=Ed25519PrivateKey.generate()).encode()),
        "/e/other": ("application/json",
                     coordinator.seal(statement, to=generate_keypair().public_key()).encode()),
        "/meeting": ("text/html; charset=utf-8", _sections_page(
            '<section id="good" data-envelope-url="/e/good" data-receipt-url="/receipt/1" '
            'data-csrf="tok&amp;1"><div class="opened"></div></section>'
            '<section id="empty" data-envelope-url="/e/empty"><div class="opened"></div></section>'
            '<section id="forged" data-envelope-url="/e/forged" data-receipt-url="/receipt/2">'
            '<div class="opened"></div></section>'
            '<section id="other" data-envelope-url="/e/other"><div class="opened"></div></section>')),
    })
    site.posts.clear()
    ok(js(driver, "await C.forgetUnlocked();"))
    driver.get(site.base + "/meeting")
    # No key stored: every section offers the inline unlock form; the field has no name.
    field = WebDriverWait(driver, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#good form.unlock input[type=password]"))[0]
    assert field.get_attribute("name") in (None, "")
    field.send_keys("fel lösenfras")
    driver.find_element(By.CSS_SELECTOR, "#good form.unlock button").click()
    WebDriverWait(driver, 30).until(lambda d: "Fel lösenfras" in d.find_element(By.ID, "good").text)
    field.clear()
    field.send_keys(PASSPHRASE)
    driver.find_element(By.CSS_SELECTOR, "#good form.unlock button").click()
    # Each section opens on its own: wait until all four show their outcome.
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(ALL_SECTIONS_DONE))
    good = driver.find_element(By.ID, "good")
    assert good.find_element(By.TAG_NAME, "h3").text == "Barnets ord före mötet"
    items = good.find_elements(By.CSS_SELECTOR, "ol > li")
    assert [li.find_element(By.TAG_NAME, "strong").text for li in items] == [
        "Det här är bra", "Det här vill jag fråga", "nytt", "constructor"]
    assert [li.find_element(By.CSS_SELECTOR, "p.child-words").text for li in items] == [
        "<b>Rasterna</b> & \"fröken\" 😀", "</script><img src=x onerror=alert(1)>", "Okänd sort",
        "Inget från Object.prototype"]
    assert "Delas med: dig (samordnaren) och vårdnadshavarna" in items[0].find_element(By.CSS_SELECTOR, "p.item-meta").text
    assert "På mötet: läs upp ordagrant" in items[1].find_element(By.CSS_SELECTOR, "p.item-meta").text
    assert not good.find_elements(By.CSS_SELECTOR, "b, img")  # text, never markup
    assert "Godkänt: 19 maj 2030 kl. 10:00" in good.text  # Stockholm time, from UTC
    assert driver.find_element(By.ID, "empty").text.endswith("Barnet valde att inte dela något med dig.")
    assert "Barnets svar efter mötet" in driver.find_element(By.ID, "empty").text
    forged = driver.find_element(By.ID, "forged")
    assert forged.text == ("Kunde inte öppnas: uttalandet är ändrat eller inte signerat av tjänsten. "
                           "Det visas inte.")
    assert forged.find_element(By.CSS_SELECTOR, "p.rejected").get_attribute("role") == "alert"
    assert driver.find_element(By.ID, "other").text == "Det här är skickat till en annan nyckel."
    WebDriverWait(driver, 10).until(lambda d: site.posts)
    assert site.posts == [("/receipt/1", "csrf=tok%261")]  # only the section that opened
    # The key now sits in IndexedDB: a reload opens the sections without asking again.
    driver.get(site.base + "/meeting")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(ALL_SECTIONS_DONE))
    assert driver.find_elements(By.CSS_SELECTOR, "#good ol li")
    assert not driver.find_elements(By.CSS_SELECTOR, "form.unlock")
    ok(js(driver, "await C.forgetUnlocked();"))


def test_sign_in_unlocks_in_the_browser_and_posts_only_the_challenge_answer(desk, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    site, driver = desk
    coordinator = Coordinator(tmp_path)
    challenge = b64(b"\x01" * 32)
    envelope = coordinator.seal({"purpose": "desk-signin", "challenge": challenge},
                                meeting_id="desk-signin:ch-7", version=1)

    site.routes["/signin"] = ("text/html; charset=utf-8", _sections_page("<p>Inloggad</p>"))
    site.routes["/signin-page"] = ("text/html; charset=utf-8", _sections_page(
        '<form id="signin" method="post" action="/signin">'
        '<input id="coordinator_id" name="coordinator_id" value="samordnare-Åsa">'
        '<input id="passphrase" type="password">'
        '<input id="totp" name="totp" value="123456">'
        '<input type="hidden" name="csrf" value="c1">'
        '<input type="hidden" id="challenge_id" name="challenge_id">'
        '<input type="hidden" id="challenge_response" name="challenge_response">'
        '<p id="signin-error" role="alert" hidden></p><p id="signin-status" aria-live="polite"></p>'
        '<button type="submit">Logga in</button></form>'))
    answer = json.dumps({"challenge_id": "ch-7", "key_file": coordinator.text,
                         "envelope": envelope}).encode("utf-8")
    site.post_routes["/signin/challenge"] = ("application/json", answer)
    site.post_routes["/signin"] = ("text/html; charset=utf-8", _sections_page(
        '<p id="done">Inloggad</p><form class="signout" method="post" action="/signout">'
        '<button type="submit">Logga ut</button></form>'))
    site.post_routes["/signout"] = ("text/html; charset=utf-8", _sections_page('<p id="out">Utloggad</p>'))
    site.posts.clear()
    # A key left unlocked by an earlier session is forgotten as soon as the sign-in page loads.
    ok(js(driver, "await C.storeUnlocked(await C.unlockKeyFile(args[0], args[1]));",
          Coordinator(tmp_path).text, PASSPHRASE))
    driver.get(site.base + "/signin-page")
    WebDriverWait(driver, 30).until(lambda d: js(d, "return await C.loadUnlocked();") == {"ok": None})
    driver.find_element(By.ID, "passphrase").send_keys("fel")
    driver.find_element(By.CSS_SELECTOR, "#signin button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "signin-error").is_displayed())
    assert driver.find_element(By.ID, "signin-error").text == "Fel lösenfras. Försök igen."
    assert [path for path, _ in site.posts] == ["/signin/challenge"]
    driver.find_element(By.ID, "passphrase").clear()
    driver.find_element(By.ID, "passphrase").send_keys(PASSPHRASE)
    driver.find_element(By.CSS_SELECTOR, "#signin button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "done"))
    from urllib.parse import parse_qs

    assert parse_qs(site.posts[1][1]) == {"coordinator_id": ["samordnare-Åsa"], "csrf": ["c1"],
                                       "totp": ["123456"]}
    signin = parse_qs(site.posts[-1][1])
    assert site.posts[-1][0] == "/signin"
    assert signin == {"coordinator_id": ["samordnare-Åsa"], "totp": ["123456"], "csrf": ["c1"],
                      "challenge_id": ["ch-7"], "challenge_response": [challenge]}
    assert PASSPHRASE not in "".join(body for _, body in site.posts)
    stored = ok(js(driver, "const u = await C.loadUnlocked(); return u && u.fingerprint;"))
    assert stored == coordinator.fingerprint
    # Signing out forgets the unlocked key before the form posts.
    driver.find_element(By.CSS_SELECTOR, "form.signout button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "out"))
    assert site.posts[-1][0] == "/signout"
    assert ok(js(driver, "return await C.loadUnlocked();")) is None
