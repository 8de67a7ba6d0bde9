"""Pure cryptography for SIP-kompis.

What a child writes is the most sensitive data this service holds, so every
secret is encrypted before it touches storage, and statements leave the
service only sealed to one coordinator's key. The modules here are pure
functions over bytes and key objects; they know nothing about databases or
Rasa, which keeps them small enough to review and to test exhaustively:

- ``aead``: AES-256-GCM field encryption bound to table/column/row, and key
  wrapping of per-row data keys.
- ``masterkey``: loading (or first-time creation) of the service master key.
- ``sealing``: HPKE-sealed, Ed25519-signed statements for a coordinator.
- ``keyfile``: the coordinator's passphrase-protected private key file.
"""
