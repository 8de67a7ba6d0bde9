"""Properties of sealed, signed statements (real HPKE and Ed25519, no mocks)."""
from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from bot.crypto.sealing import (
    FORMAT,
    SUITE_NAME,
    SealError,
    open_statement,
    public_key_fingerprint,
    read_envelope_header,
    seal_statement,
)

SERVICE = Ed25519PrivateKey.generate()
ATTACKER = Ed25519PrivateKey.generate()
COORDINATOR = X25519PrivateKey.generate()
OTHER_COORDINATOR = X25519PrivateKey.generate()
SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)

PAYLOAD = {"child_words": "Jag vill inte gå hem. Pappa blir arg.", "mood": "rädd", "n": 3}

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
payloads = st.dictionaries(st.text(max_size=12), json_values, max_size=6)
meeting_ids = st.text(min_size=1, max_size=40)
versions = st.integers(min_value=0, max_value=2**40)


def seal(payload=PAYLOAD, *, meeting_id="möte-1", version=1, to=COORDINATOR, signer=SERVICE) -> bytes:
    return seal_statement(
        payload,
        recipient_public_key=to.public_key(),
        meeting_id=meeting_id,
        version=version,
        signing_key=signer,
    )


def open_(envelope: bytes, *, key=COORDINATOR, verify=SERVICE) -> dict:
    return open_statement(envelope, recipient_private_key=key, verify_key=verify.public_key())


def edit_header(envelope: bytes, **changes) -> bytes:
    header = json.loads(envelope)
    header.update(changes)
    return json.dumps(header).encode("utf-8")


def flip_bit(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def hpke_info(meeting_id, version, recipient_key_id) -> bytes:
    """The info the service uses, recomputed here as an attacker would."""
    return json.dumps(
        {"format": FORMAT, "meeting_id": meeting_id, "recipient_key_id": recipient_key_id,
         "suite": SUITE_NAME, "version": version},
        sort_keys=True, separators=(",", ":"),
    ).encode()


def forge(inner: dict, *, meeting_id="möte-1", version=1, to=COORDINATOR) -> bytes:
    """Build an envelope by hand: HPKE base mode lets anyone encrypt to a public key."""
    key_id = public_key_fingerprint(to.public_key())
    ciphertext = SUITE.encrypt(
        json.dumps(inner, sort_keys=True, separators=(",", ":")).encode(),
        to.public_key(),
        info=hpke_info(meeting_id, version, key_id),
    )
    return json.dumps(
        {"format": FORMAT, "suite": SUITE_NAME, "meeting_id": meeting_id, "version": version,
         "recipient_key_id": key_id, "ciphertext": base64.b64encode(ciphertext).decode()}
    ).encode()


@settings(max_examples=100, deadline=None)
@given(payload=payloads, meeting_id=meeting_ids, version=versions)
def test_any_json_payload_round_trips_to_the_right_coordinator(payload, meeting_id, version):
    envelope = seal(payload, meeting_id=meeting_id, version=version)
    opened = open_(envelope)
    assert opened == {"meeting_id": meeting_id, "version": version, "payload": payload}


def test_swedish_text_round_trips_and_is_not_visible_in_the_envelope():
    envelope = seal()
    assert open_(envelope)["payload"] == PAYLOAD
    assert b"Pappa" not in envelope and "rädd".encode() not in envelope


def test_envelope_has_a_readable_header_and_nothing_else_in_clear():
    envelope = seal(meeting_id="möte-7", version=4)
    assert json.loads(envelope.decode("utf-8")).keys() == {
        "format", "suite", "meeting_id", "version", "recipient_key_id", "ciphertext"
    }
    assert json.loads(envelope)["format"] == "sipkompis-sealed-statement/1"
    assert json.loads(envelope)["suite"] == "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM"
    assert read_envelope_header(envelope) == {
        "meeting_id": "möte-7",
        "version": 4,
        "recipient_key_id": public_key_fingerprint(COORDINATOR.public_key()),
    }


def test_fingerprint_is_eight_groups_of_four_hex_digits_and_distinguishes_keys():
    fingerprint = public_key_fingerprint(COORDINATOR.public_key())
    groups = fingerprint.split(":")
    assert len(groups) == 8 and all(len(g) == 4 and int(g, 16) >= 0 for g in groups)
    assert fingerprint == public_key_fingerprint(COORDINATOR.public_key())
    assert fingerprint != public_key_fingerprint(OTHER_COORDINATOR.public_key())
    assert len(public_key_fingerprint(SERVICE.public_key()).split(":")) == 8


def test_sealing_the_same_statement_twice_gives_different_ciphertexts():
    assert seal() != seal()


@settings(max_examples=50, deadline=None)
@given(new_meeting_id=meeting_ids)
def test_edited_header_meeting_id_does_not_open(new_meeting_id):
    envelope = seal(meeting_id="möte-1")
    if new_meeting_id != "möte-1":
        with pytest.raises(SealError, match="tampered or corrupt"):
            open_(edit_header(envelope, meeting_id=new_meeting_id))


@settings(max_examples=50, deadline=None)
@given(new_version=versions)
def test_edited_header_version_does_not_open(new_version):
    envelope = seal(version=1)
    if new_version != 1:
        with pytest.raises(SealError, match="tampered or corrupt"):
            open_(edit_header(envelope, version=new_version))


def test_header_readdressed_to_another_coordinator_does_not_open_for_either():
    envelope = seal(to=COORDINATOR)
    other_id = public_key_fingerprint(OTHER_COORDINATOR.public_key())
    readdressed = edit_header(envelope, recipient_key_id=other_id)
    with pytest.raises(SealError, match="tampered or corrupt"):
        open_(readdressed, key=OTHER_COORDINATOR)
    with pytest.raises(SealError, match="not for this key"):
        open_(readdressed, key=COORDINATOR)


def test_statement_for_another_coordinator_is_refused_as_not_for_this_key():
    with pytest.raises(SealError, match="not for this key"):
        open_(seal(to=OTHER_COORDINATOR), key=COORDINATOR)


@pytest.mark.parametrize(
    "changes",
    [{"format": "sipkompis-sealed-statement/2"}, {"suite": "something weaker"}, {"extra": 1},
     {"version": True}, {"version": "1"}, {"meeting_id": 1}],
)
def test_unknown_or_malformed_header_fields_are_refused(changes):
    with pytest.raises(SealError, match="tampered or corrupt"):
        open_(edit_header(seal(), **changes))


def test_every_single_bit_flip_anywhere_in_the_envelope_is_rejected():
    envelope = seal({"a": "ö"}, meeting_id="m-ä", version=12)
    for bit in range(len(envelope) * 8):
        with pytest.raises(SealError):
            open_(flip_bit(envelope, bit))


@settings(max_examples=100, deadline=None)
@given(payload=payloads, data=st.data())
def test_any_single_bit_flip_in_the_ciphertext_is_rejected(payload, data):
    header = json.loads(seal(payload))
    ciphertext = base64.b64decode(header["ciphertext"])
    bit = data.draw(st.integers(min_value=0, max_value=len(ciphertext) * 8 - 1))
    header["ciphertext"] = base64.b64encode(flip_bit(ciphertext, bit)).decode()
    with pytest.raises(SealError, match="tampered or corrupt"):
        open_(json.dumps(header).encode())


def test_truncated_or_garbage_envelopes_are_rejected():
    envelope = seal()
    for candidate in [b"", b"{}", b"null", b"[]", envelope[:-1], envelope[:40], b"\xff\xfe", b"{" * 5000]:
        with pytest.raises(SealError):
            open_(candidate)
        with pytest.raises(SealError):
            read_envelope_header(candidate)


def test_statement_signed_by_another_key_is_rejected_as_forged():
    with pytest.raises(SealError, match="not signed by this service"):
        open_(seal(signer=ATTACKER), verify=SERVICE)


def test_forged_signature_claiming_to_be_the_service_is_rejected():
    key_id = public_key_fingerprint(COORDINATOR.public_key())
    claimed = {"payload": {"child_words": "falskt"}, "meeting_id": "möte-1", "version": 1,
               "recipient_key_id": key_id}
    signed = json.dumps(claimed, sort_keys=True, separators=(",", ":")).encode()
    inner = dict(claimed, signature=base64.b64encode(ATTACKER.sign(signed)).decode(),
                 signer=public_key_fingerprint(SERVICE.public_key()))
    with pytest.raises(SealError, match="not signed by this service"):
        open_(forge(inner))


def test_unsigned_statement_encrypted_by_anyone_is_rejected():
    key_id = public_key_fingerprint(COORDINATOR.public_key())
    inner = {"payload": {"x": 1}, "meeting_id": "möte-1", "version": 1, "recipient_key_id": key_id,
             "signature": "", "signer": public_key_fingerprint(SERVICE.public_key())}
    with pytest.raises(SealError, match="not signed by this service"):
        open_(forge(inner))


def test_genuine_signed_statement_replayed_under_another_meeting_or_version_is_rejected():
    # The coordinator can decrypt a real statement and re-encrypt its signed
    # inner part under a different header; the inner fields must catch that.
    envelope = seal(meeting_id="möte-1", version=1)
    ciphertext = base64.b64decode(json.loads(envelope)["ciphertext"])
    key_id = public_key_fingerprint(COORDINATOR.public_key())
    inner = json.loads(SUITE.decrypt(ciphertext, COORDINATOR, info=hpke_info("möte-1", 1, key_id)))
    for meeting_id, version in [("möte-2", 1), ("möte-1", 2)]:
        with pytest.raises(SealError, match="tampered or corrupt"):
            open_(forge(inner, meeting_id=meeting_id, version=version))
    edited = dict(inner, meeting_id="möte-2")
    with pytest.raises(SealError):
        open_(forge(edited, meeting_id="möte-2"))


def test_genuine_inner_statement_with_edited_payload_fails_the_signature():
    envelope = seal()
    ciphertext = base64.b64decode(json.loads(envelope)["ciphertext"])
    key_id = public_key_fingerprint(COORDINATOR.public_key())
    inner = json.loads(SUITE.decrypt(ciphertext, COORDINATOR, info=hpke_info("möte-1", 1, key_id)))
    inner["payload"]["mood"] = "glad"
    with pytest.raises(SealError, match="not signed by this service"):
        open_(forge(inner))


def test_seal_error_messages_never_contain_the_statement():
    for envelope, kwargs in [(seal(signer=ATTACKER), {}), (seal(), {"key": OTHER_COORDINATOR})]:
        with pytest.raises(SealError) as info:
            open_(envelope, **kwargs)
        assert "Pappa" not in str(info.value)
        assert info.value.__cause__ is None


@pytest.mark.parametrize(
    "payload", [["not", "a", "dict"], {"x": object()}, {"x": float("nan")}, {"x": {1: "a", "1": "b"}}]
)
def test_non_json_payloads_are_refused_at_sealing_time(payload):
    with pytest.raises(SealError):
        seal(payload)


@pytest.mark.parametrize("meeting_id, version", [("", 1), (None, 1), ("m", "1"), ("m", True), ("m", 1.0)])
def test_malformed_meeting_id_or_version_is_refused_at_sealing_time(meeting_id, version):
    with pytest.raises(SealError):
        seal(meeting_id=meeting_id, version=version)
