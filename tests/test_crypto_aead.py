"""Properties of field encryption and key wrapping (real AES-GCM, no mocks)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.crypto.aead import (
    DecryptionError,
    blob_key_id,
    decrypt_field,
    encrypt_field,
    field_aad,
    key_id_for,
    new_key,
    unwrap_key,
    wrap_key,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KEY_ID = key_id_for(KEY)
PLACE = {"table": "messages", "column": "text_enc", "row_id": "row-1"}

keys = st.binary(min_size=32, max_size=32)
key_ids = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=64
)
names = st.text(max_size=40)  # includes non-ASCII, empty and control characters
plaintexts = st.binary(max_size=512)


def flip_bit(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@settings(max_examples=200)
@given(key=keys, key_id=key_ids, plaintext=plaintexts, table=names, column=names, row_id=names)
def test_any_bytes_round_trip_at_their_own_place(key, key_id, plaintext, table, column, row_id):
    blob = encrypt_field(key, key_id, plaintext, table=table, column=column, row_id=row_id)
    assert blob_key_id(blob) == key_id
    assert decrypt_field(key, blob, table=table, column=column, row_id=row_id) == plaintext


@settings(max_examples=100)
@given(text=st.text(max_size=300))
def test_swedish_and_any_unicode_text_round_trips(text):
    blob = encrypt_field(KEY, KEY_ID, text.encode("utf-8"), **PLACE)
    assert decrypt_field(KEY, blob, **PLACE).decode("utf-8") == text


def test_blob_has_the_documented_layout():
    blob = encrypt_field(KEY, KEY_ID, b"hej", **PLACE)
    assert blob[0] == 0x01
    assert blob[1] == len(KEY_ID)
    assert blob[2 : 2 + len(KEY_ID)] == KEY_ID.encode("ascii")
    assert len(blob) == 2 + len(KEY_ID) + 12 + len(b"hej") + 16


def test_same_plaintext_encrypts_differently_each_time():
    first = encrypt_field(KEY, KEY_ID, b"samma text", **PLACE)
    second = encrypt_field(KEY, KEY_ID, b"samma text", **PLACE)
    assert first != second


def test_plaintext_does_not_appear_in_the_blob():
    secret = "jag är rädd för pappa".encode("utf-8")
    assert secret not in encrypt_field(KEY, KEY_ID, secret, **PLACE)


@settings(max_examples=200)
@given(plaintext=st.binary(max_size=64), data=st.data())
def test_any_single_bit_flip_anywhere_in_the_blob_is_rejected(plaintext, data):
    blob = encrypt_field(KEY, KEY_ID, plaintext, **PLACE)
    bit = data.draw(st.integers(min_value=0, max_value=len(blob) * 8 - 1))
    with pytest.raises(DecryptionError):
        decrypt_field(KEY, flip_bit(blob, bit), **PLACE)


def test_every_single_bit_flip_of_one_blob_is_rejected():
    blob = encrypt_field(KEY, KEY_ID, "hemlis".encode(), **PLACE)
    for bit in range(len(blob) * 8):
        with pytest.raises(DecryptionError):
            decrypt_field(KEY, flip_bit(blob, bit), **PLACE)


def test_every_truncation_of_a_blob_is_rejected():
    blob = encrypt_field(KEY, KEY_ID, b"hemlis", **PLACE)
    for length in range(len(blob)):
        with pytest.raises(DecryptionError):
            decrypt_field(KEY, blob[:length], **PLACE)


def test_appended_bytes_are_rejected():
    blob = encrypt_field(KEY, KEY_ID, b"hemlis", **PLACE)
    with pytest.raises(DecryptionError):
        decrypt_field(KEY, blob + b"\x00", **PLACE)


@settings(max_examples=100)
@given(row_id=names, other_row=names)
def test_ciphertext_moved_to_another_row_does_not_decrypt(row_id, other_row):
    blob = encrypt_field(KEY, KEY_ID, b"secret", table="t", column="c", row_id=row_id)
    if other_row != row_id:
        with pytest.raises(DecryptionError):
            decrypt_field(KEY, blob, table="t", column="c", row_id=other_row)


@settings(max_examples=100)
@given(column=names, other_column=names)
def test_ciphertext_moved_to_another_column_does_not_decrypt(column, other_column):
    blob = encrypt_field(KEY, KEY_ID, b"secret", table="t", column=column, row_id="r")
    if other_column != column:
        with pytest.raises(DecryptionError):
            decrypt_field(KEY, blob, table="t", column=other_column, row_id="r")


@settings(max_examples=100)
@given(table=names, other_table=names)
def test_ciphertext_moved_to_another_table_does_not_decrypt(table, other_table):
    blob = encrypt_field(KEY, KEY_ID, b"secret", table=table, column="c", row_id="r")
    if other_table != table:
        with pytest.raises(DecryptionError):
            decrypt_field(KEY, blob, table=other_table, column="c", row_id="r")


def test_shifting_characters_between_table_column_and_row_does_not_decrypt():
    blob = encrypt_field(KEY, KEY_ID, b"secret", table="ab", column="c", row_id="d")
    for table, column, row_id in [("a", "bc", "d"), ("abc", "", "d"), ("ab", "", "cd")]:
        with pytest.raises(DecryptionError):
            decrypt_field(KEY, blob, table=table, column=column, row_id=row_id)


@settings(max_examples=200)
@given(a=st.tuples(names, names, names, key_ids), b=st.tuples(names, names, names, key_ids))
def test_field_aad_is_unambiguous(a, b):
    if a != b:
        assert field_aad(*a) != field_aad(*b)


@settings(max_examples=100)
@given(key=keys, wrong=keys, plaintext=plaintexts)
def test_wrong_key_does_not_decrypt(key, wrong, plaintext):
    blob = encrypt_field(key, KEY_ID, plaintext, **PLACE)
    if wrong != key:
        with pytest.raises(DecryptionError):
            decrypt_field(wrong, blob, **PLACE)


def test_relabelled_key_id_does_not_decrypt():
    blob = encrypt_field(KEY, "aaaa", b"secret", **PLACE)
    relabelled = blob.replace(b"aaaa", b"bbbb", 1)
    assert blob_key_id(relabelled) == "bbbb"
    with pytest.raises(DecryptionError):
        decrypt_field(KEY, relabelled, **PLACE)


@pytest.mark.parametrize("version", [0x00, 0x02, 0xFF])
def test_unknown_version_byte_is_rejected(version):
    blob = bytes([version]) + encrypt_field(KEY, KEY_ID, b"secret", **PLACE)[1:]
    with pytest.raises(DecryptionError):
        decrypt_field(KEY, blob, **PLACE)
    with pytest.raises(DecryptionError):
        blob_key_id(blob)


@pytest.mark.parametrize("bad_key", [b"", b"short", bytes(31), bytes(33)])
def test_malformed_key_on_decrypt_is_a_decryption_error(bad_key):
    blob = encrypt_field(KEY, KEY_ID, b"secret", **PLACE)
    with pytest.raises(DecryptionError):
        decrypt_field(bad_key, blob, **PLACE)


@pytest.mark.parametrize("bad_id", ["", "å", "x" * 256])
def test_key_ids_must_be_short_ascii(bad_id):
    with pytest.raises(ValueError):
        encrypt_field(KEY, bad_id, b"secret", **PLACE)


def test_decryption_error_never_reveals_the_plaintext():
    secret = b"mitt hemliga ord"
    blob = encrypt_field(KEY, KEY_ID, secret, **PLACE)
    with pytest.raises(DecryptionError) as info:
        decrypt_field(OTHER_KEY, blob, **PLACE)
    assert "hemliga" not in str(info.value) and "hemliga" not in repr(info.value)
    assert info.value.__cause__ is None


def test_new_keys_are_32_random_bytes():
    first, second = new_key(), new_key()
    assert len(first) == 32 and len(second) == 32 and first != second


@given(key=keys)
def test_key_id_is_16_hex_chars_and_stable(key):
    key_id = key_id_for(key)
    assert key_id == key_id_for(bytes(key))
    assert len(key_id) == 16 and int(key_id, 16) >= 0


@settings(max_examples=100)
@given(kek=keys, dek=keys, context=names)
def test_wrapped_data_key_round_trips(kek, dek, context):
    blob = wrap_key(kek, key_id_for(kek), dek, context=context)
    assert blob_key_id(blob) == key_id_for(kek)
    assert unwrap_key(kek, blob, context=context) == dek


@settings(max_examples=100)
@given(context=names, other=names)
def test_wrapped_key_moved_to_another_context_does_not_unwrap(context, other):
    blob = wrap_key(KEY, KEY_ID, OTHER_KEY, context=context)
    if other != context:
        with pytest.raises(DecryptionError):
            unwrap_key(KEY, blob, context=other)


def test_wrapped_key_does_not_unwrap_under_another_kek():
    blob = wrap_key(KEY, KEY_ID, new_key(), context="data_key:1")
    with pytest.raises(DecryptionError):
        unwrap_key(OTHER_KEY, blob, context="data_key:1")


def test_every_single_bit_flip_of_a_wrapped_key_is_rejected():
    blob = wrap_key(KEY, KEY_ID, new_key(), context="data_key:1")
    for bit in range(len(blob) * 8):
        with pytest.raises(DecryptionError):
            unwrap_key(KEY, flip_bit(blob, bit), context="data_key:1")


def test_a_field_blob_is_not_accepted_as_a_wrapped_key_or_vice_versa():
    dek = new_key()
    field = encrypt_field(KEY, KEY_ID, dek, table="", column="", row_id="data_key:1")
    with pytest.raises(DecryptionError):
        unwrap_key(KEY, field, context="data_key:1")
    wrapped = wrap_key(KEY, KEY_ID, dek, context="data_key:1")
    with pytest.raises(DecryptionError):
        decrypt_field(KEY, wrapped, table="", column="", row_id="data_key:1")


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_only_32_byte_data_keys_can_be_wrapped(size):
    with pytest.raises(ValueError):
        wrap_key(KEY, KEY_ID, bytes(size), context="data_key:1")
