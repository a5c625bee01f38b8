#!/usr/bin/env python3
"""verify_transcript.py: an independent verifier for TLSLab transcripts.

    python3 verify_transcript.py [-v] [--server-key KEY.pem ...] TRANSCRIPT.json [...]

Exit status: 0 if every check passed in every file, 1 if at least one check
failed, 2 on a usage or input error (unreadable file, not JSON, not a
"tlslab-transcript" of version 1, hex that is not hex, ...).

The verifier was written from the RFCs and the transcript's JSON contract
alone, without looking at TLSLab's sources. It reads the TLS records as they
crossed the channel, follows the handshake itself, and recomputes every value
it can from the wire bytes and the listed ephemeral private keys:

  * the hellos: randoms, negotiated version, cipher suite, group, and the
    extended-master-secret / encrypt-then-MAC extensions; the TLS 1.3
    downgrade sentinel  (RFC 8446 4.1, RFC 5246 7.4.1, RFC 7627, RFC 7366);
  * the key exchange: public keys recomputed from the listed private shares,
    and the (EC)DHE shared secret  (RFC 8446 7.4, RFC 8422 5, RFC 7748);
    RSA key exchange with --server-key  (RFC 5246 7.4.7.1, RFC 8017 7.2);
  * TLS 1.2: master secret (plain or extended), key block, Finished
    verify_data  (RFC 5246 5, 6.3, 7.4.9, 8.1; RFC 7627 4); abbreviated
    handshakes by session ID or ticket  (RFC 5246 7.3, RFC 5077, RFC 7627 5.3);
  * TLS 1.3: the whole key schedule, traffic keys and IVs, finished keys and
    both Finished messages  (RFC 8446 7.1, 7.3, 4.4.4); HelloRetryRequest
    (4.1.4); PSK resumption from a ticket of an earlier connection, binders
    and 0-RTT accepted or rejected  (4.2.10, 4.2.11, 4.6.1); KeyUpdate (4.6.3);
  * every protected record: AEAD tags, CBC MACs and padding, sequence numbers
    (RFC 5246 6.2.3, RFC 5288, RFC 7905, RFC 7366, RFC 8446 5.2);
  * the signatures in ServerKeyExchange and CertificateVerify
    (RFC 5246 7.4.3, RFC 8446 4.4.3);
  * the NSS key log, each connection's outcome and the transcript's.

A transcript may hold several connections (resumption, 0-RTT, replays). Each is
verified on its own (its records, its record layers, its secrets, its
outcome), in order; the sessions and tickets a connection leaves behind are
what a later one resumes. When the channel changed what a side received (a
rewritten, tampered or dropped record), the connection is verified twice: as
the client saw it and as the server saw it.

Every recomputed value is compared with every side's listed value of the same
name. Values that cannot be recomputed (for example a premaster secret that
is RSA-encrypted and no --server-key was given) are reported as "skipped",
and the listed value is then used so that the rest can still be checked.

Reading guide: the file is laid out bottom-up.
   1. the Check collector            9. loading the transcript (JSON contract)
   2. reading bytes                 10. the record loop (shared by 1.2 / 1.3)
   3. TLS registries                11. the TLS 1.2 handshake
   4. PRF / HKDF                    12. the TLS 1.3 handshake
   5. record protection             12b. resumption across connections
   6. handshake message parsers     13. per connection: outcome, failures
   7. key exchange groups           14. whole transcript: key log, outcome
   8. signatures                    15. report and command line
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from dataclasses import dataclass, field

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, hmac, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa, x448, x25519
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM, ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
except ImportError as exc:  # pragma: no cover
    print(f"verify_transcript.py needs the 'cryptography' package: {exc}", file=sys.stderr)
    sys.exit(2)

SIDES = ("client", "server")


def other(side: str) -> str:
    return "server" if side == "client" else "client"


def show(value: bytes | None, limit: int = 48) -> str:
    """Hex for messages; long values are shortened."""
    if value is None:
        return "(nothing)"
    if len(value) <= limit:
        return value.hex() if value else "(empty)"
    return f"{value[:limit].hex()}... ({len(value)} bytes)"


# ---------------------------------------------------------------------------
# 1. The Check collector
# ---------------------------------------------------------------------------
# Every check has a kind (used for the per-file summary), a status and, when
# it is about one record, that record's index. The index lets a "failed"
# transcript explain the failure that made a peer send its fatal alert.

PASS, FAIL, SKIP, EXPECTED = "ok", "FAIL", "skipped", "expected"

KINDS = ("record", "handshake", "hello", "key-exchange", "key-schedule", "secret",
         "finished", "signature", "certificate", "resumption", "keylog", "eavesdropper", "outcome")


@dataclass
class Check:
    kind: str
    status: str
    what: str
    detail: str = ""
    record: int | None = None
    connection: int | None = None    # None: about the whole file (key log, top-level outcome)
    view: str | None = None          # None: the wire; "client"/"server": as that side saw it
    listed: bool = False             # compares a listed value (never explained by a failure)


class Checks:
    """All checks of one file. `connection` and `view` tag every check added while they are set."""

    def __init__(self) -> None:
        self.items: list[Check] = []
        self.connection: int | None = None
        self.view: str | None = None

    def scoped(self, connection: int | None, view: str | None = None) -> "Checks":
        self.connection, self.view = connection, view
        return self

    def _new(self, kind: str, status: str, what: str, detail: str, record: int | None) -> Check:
        check = Check(kind, status, what, detail, record, self.connection, self.view)
        self.items.append(check)
        return check

    def add(self, kind: str, ok: bool, what: str, detail: str = "", record: int | None = None) -> bool:
        self._new(kind, PASS if ok else FAIL, what, "" if ok else detail, record)
        return ok

    def same(self, kind: str, what: str, *, found: bytes | None, expected: bytes | None,
             record: int | None = None) -> bool:
        """Pass if the value found in the transcript equals the recomputed one."""
        if found == expected:
            return self.add(kind, True, what, record=record)
        return self.add(kind, False, what, f"recomputed {show(expected)}, transcript has {show(found)}", record)

    def skip(self, kind: str, what: str, why: str, record: int | None = None) -> None:
        self._new(kind, SKIP, what, why, record)

    def known_bug(self, kind: str, ok: bool, what: str, detail: str, todo: str, record: int | None = None) -> None:
        """A check that fails because of a known TLSLab bug: reported as EXPECTED (with the TODO) while
        it fails, and as a normal pass once TLSLab is fixed."""
        if ok:
            self.add(kind, True, what, record=record)
        else:
            self._new(kind, EXPECTED, what, f"{detail} [known TLSLab bug, TODO: {todo}]", record)

    def with_status(self, status: str) -> list[Check]:
        return [c for c in self.items if c.status == status]

    def in_scope(self, connection: int | None, view: str | None) -> list[Check]:
        return [c for c in self.items if c.connection == connection and c.view == view]


# ---------------------------------------------------------------------------
# 2. Reading bytes
# ---------------------------------------------------------------------------
# TLS structures are length-prefixed vectors (RFC 8446 3.4). A Reader walks one
# and raises Malformed with a readable message when the bytes do not fit.

class Malformed(Exception):
    """The bytes do not have the structure the RFC describes."""


class Reader:
    def __init__(self, data: bytes, what: str) -> None:
        self.data, self.pos, self.what = data, 0, what

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise Malformed(f"{self.what}: truncated (needs {n} more bytes at offset {self.pos}, "
                            f"has {len(self.data) - self.pos})")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uint(self, n: int) -> int:
        return int.from_bytes(self.take(n), "big")

    def u8(self) -> int:
        return self.uint(1)

    def u16(self) -> int:
        return self.uint(2)

    def vec(self, length_bytes: int) -> bytes:
        return self.take(self.uint(length_bytes))

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def done(self) -> None:
        if self.remaining():
            raise Malformed(f"{self.what}: {self.remaining()} unexpected bytes at the end")


def u16_list(data: bytes, what: str) -> list[int]:
    if len(data) % 2:
        raise Malformed(f"{what}: odd length {len(data)} for a list of 16-bit values")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


# ---------------------------------------------------------------------------
# 3. TLS registries (IANA values from the RFCs)
# ---------------------------------------------------------------------------

CONTENT_TYPES = {20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data"}

HANDSHAKE_TYPES = {0: "HelloRequest", 1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket",
                   5: "EndOfEarlyData", 8: "EncryptedExtensions", 11: "Certificate",
                   12: "ServerKeyExchange", 13: "CertificateRequest", 14: "ServerHelloDone",
                   15: "CertificateVerify", 16: "ClientKeyExchange", 20: "Finished",
                   24: "KeyUpdate", 254: "message_hash"}

EXT_SUPPORTED_GROUPS, EXT_SIGNATURE_ALGORITHMS = 10, 13
EXT_ENCRYPT_THEN_MAC, EXT_EXTENDED_MASTER_SECRET = 22, 23
EXT_PRE_SHARED_KEY, EXT_EARLY_DATA, EXT_SUPPORTED_VERSIONS, EXT_KEY_SHARE = 41, 42, 43, 51
EXT_SESSION_TICKET, EXT_COOKIE, EXT_PSK_KEY_EXCHANGE_MODES = 35, 44, 45
PSK_KE, PSK_DHE_KE = 0, 1                     # RFC 8446 4.2.9

VERSIONS = {0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}
TLS12, TLS13 = 0x0303, 0x0304

# RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this "random".
HELLO_RETRY_REQUEST_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

# RFC 8446 4.1.3: a TLS 1.3 server that negotiates TLS 1.2 (or below) ends its random with these.
DOWNGRADE_SENTINELS = {bytes.fromhex("444f574e47524401"): "TLS 1.2", bytes.fromhex("444f574e47524400"): "TLS 1.1"}

ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
          22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure",
          41: "no_certificate", 42: "bad_certificate", 43: "unsupported_certificate",
          44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
          47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
          51: "decrypt_error", 60: "export_restriction", 70: "protocol_version",
          71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
          90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
          110: "unsupported_extension", 111: "certificate_unobtainable", 112: "unrecognized_name",
          113: "bad_certificate_status_response", 114: "bad_certificate_hash_value",
          115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol"}

# When a transcript "failed" with one of these alerts, failing checks of these
# kinds on the record that provoked the alert are what the alert is about.
EXPLAINED_BY = {
    10: {"handshake"}, 20: {"record"}, 21: {"record"}, 22: {"record", "handshake"},
    40: {"hello", "key-exchange", "signature", "finished"}, 42: {"certificate", "signature"},
    43: {"certificate", "signature"}, 44: {"certificate"}, 45: {"certificate"},
    46: {"certificate", "signature"}, 47: {"hello", "key-exchange", "handshake"},
    48: {"certificate"}, 50: {"handshake", "hello", "key-exchange"}, 51: {"finished", "signature"},
    70: {"hello"}, 109: {"hello"}, 110: {"hello"}, 116: {"handshake"},
}

HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


@dataclass(frozen=True)
class Suite12:
    """A TLS 1.2 cipher suite: key exchange, bulk cipher, MAC and PRF hash."""
    code: int
    name: str
    kx: str         # "ECDHE" or "RSA"
    auth: str       # "RSA" or "ECDSA" (the certificate's key)
    cipher: str     # "AES-GCM", "AES-CBC" or "CHACHA20-POLY1305"
    key_len: int
    mac: str | None  # HMAC hash for CBC suites, None for AEAD suites
    prf: str        # RFC 5246 5: SHA-256 unless the suite says SHA384

    @property
    def mac_len(self) -> int:
        return HASHES[self.mac].digest_size if self.mac else 0

    @property
    def iv_len(self) -> int:
        # The key-block IV length: the 4-byte GCM salt (RFC 5288 3), the 12-byte
        # ChaCha20 IV (RFC 7905 2) and, by TLSLab's convention, 16 bytes for CBC
        # (derived like the others, though CBC records carry explicit IVs).
        return {"AES-GCM": 4, "CHACHA20-POLY1305": 12, "AES-CBC": 16}[self.cipher]


def _s12(code, name, kx, auth, cipher, key_len, mac, prf="sha256"):
    return code, Suite12(code, name, kx, auth, cipher, key_len, mac, prf)


SUITES12 = dict([
    _s12(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "RSA", "RSA", "AES-CBC", 16, "sha1"),
    _s12(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "RSA", "RSA", "AES-CBC", 32, "sha1"),
    _s12(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", "RSA", "RSA", "AES-CBC", 16, "sha256"),
    _s12(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", "RSA", "RSA", "AES-CBC", 32, "sha256"),
    _s12(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA", "RSA", "AES-GCM", 16, None),
    _s12(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "RSA", "RSA", "AES-GCM", 32, None, "sha384"),
    _s12(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE", "ECDSA", "AES-CBC", 16, "sha1"),
    _s12(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE", "ECDSA", "AES-CBC", 32, "sha1"),
    _s12(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE", "RSA", "AES-CBC", 16, "sha1"),
    _s12(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE", "RSA", "AES-CBC", 32, "sha1"),
    _s12(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE", "ECDSA", "AES-CBC", 16, "sha256"),
    _s12(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE", "ECDSA", "AES-CBC", 32, "sha384",
         "sha384"),
    _s12(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE", "RSA", "AES-CBC", 16, "sha256"),
    _s12(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE", "RSA", "AES-CBC", 32, "sha384",
         "sha384"),
    _s12(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE", "ECDSA", "AES-GCM", 16, None),
    _s12(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE", "ECDSA", "AES-GCM", 32, None,
         "sha384"),
    _s12(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE", "RSA", "AES-GCM", 16, None),
    _s12(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE", "RSA", "AES-GCM", 32, None, "sha384"),
    _s12(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE", "RSA", "CHACHA20-POLY1305",
         32, None),
    _s12(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE", "ECDSA", "CHACHA20-POLY1305",
         32, None),
])


@dataclass(frozen=True)
class Suite13:
    """A TLS 1.3 cipher suite: an AEAD and a hash (RFC 8446 B.4)."""
    code: int
    name: str
    aead: str
    key_len: int
    hash: str


SUITES13 = {s.code: s for s in [
    Suite13(0x1301, "TLS_AES_128_GCM_SHA256", "AES-GCM", 16, "sha256"),
    Suite13(0x1302, "TLS_AES_256_GCM_SHA384", "AES-GCM", 32, "sha384"),
    Suite13(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "CHACHA20-POLY1305", 32, "sha256"),
    Suite13(0x1304, "TLS_AES_128_CCM_SHA256", "AES-CCM", 16, "sha256"),
    Suite13(0x1305, "TLS_AES_128_CCM_8_SHA256", "AES-CCM-8", 16, "sha256"),
]}


def suite_name(code: int) -> str:
    s = SUITES12.get(code) or SUITES13.get(code)
    return s.name if s else f"0x{code:04x}"


@dataclass(frozen=True)
class SigScheme:
    code: int
    name: str
    family: str      # rsa_pkcs1, rsa_pss, ecdsa, ed25519, ed448
    hash: str | None


SIG_SCHEMES = {s.code: s for s in [
    SigScheme(0x0201, "rsa_pkcs1_sha1", "rsa_pkcs1", "sha1"),
    SigScheme(0x0401, "rsa_pkcs1_sha256", "rsa_pkcs1", "sha256"),
    SigScheme(0x0501, "rsa_pkcs1_sha384", "rsa_pkcs1", "sha384"),
    SigScheme(0x0601, "rsa_pkcs1_sha512", "rsa_pkcs1", "sha512"),
    SigScheme(0x0203, "ecdsa_sha1", "ecdsa", "sha1"),
    SigScheme(0x0403, "ecdsa_secp256r1_sha256", "ecdsa", "sha256"),
    SigScheme(0x0503, "ecdsa_secp384r1_sha384", "ecdsa", "sha384"),
    SigScheme(0x0603, "ecdsa_secp521r1_sha512", "ecdsa", "sha512"),
    SigScheme(0x0804, "rsa_pss_rsae_sha256", "rsa_pss", "sha256"),
    SigScheme(0x0805, "rsa_pss_rsae_sha384", "rsa_pss", "sha384"),
    SigScheme(0x0806, "rsa_pss_rsae_sha512", "rsa_pss", "sha512"),
    SigScheme(0x0809, "rsa_pss_pss_sha256", "rsa_pss", "sha256"),
    SigScheme(0x080A, "rsa_pss_pss_sha384", "rsa_pss", "sha384"),
    SigScheme(0x080B, "rsa_pss_pss_sha512", "rsa_pss", "sha512"),
    SigScheme(0x0807, "ed25519", "ed25519", None),
    SigScheme(0x0808, "ed448", "ed448", None),
]}


def scheme_name(code: int) -> str:
    return SIG_SCHEMES[code].name if code in SIG_SCHEMES else f"0x{code:04x}"


# ---------------------------------------------------------------------------
# 4. PRF (TLS 1.2) and HKDF (TLS 1.3)
# ---------------------------------------------------------------------------

def digest(alg: str, data: bytes) -> bytes:
    h = hashes.Hash(HASHES[alg]())
    h.update(data)
    return h.finalize()


def hmac_digest(alg: str, key: bytes, data: bytes) -> bytes:
    h = hmac.HMAC(key, HASHES[alg]())
    h.update(data)
    return h.finalize()


def p_hash(alg: str, secret: bytes, seed: bytes, length: int) -> bytes:
    """RFC 5246 5: P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..."""
    out, a = b"", seed
    while len(out) < length:
        a = hmac_digest(alg, secret, a)                  # A(i) = HMAC(secret, A(i-1))
        out += hmac_digest(alg, secret, a + seed)
    return out[:length]


def prf_tls12(alg: str, secret: bytes, label: bytes, seed: bytes, length: int) -> bytes:
    """RFC 5246 5: PRF(secret, label, seed) = P_<hash>(secret, label + seed)."""
    return p_hash(alg, secret, label + seed, length)


def hkdf_extract(alg: str, salt: bytes, ikm: bytes) -> bytes:
    """RFC 5869 2.2: PRK = HMAC-Hash(salt, IKM)."""
    return hmac_digest(alg, salt, ikm)


def hkdf_expand_label(alg: str, secret: bytes, label: str, context: bytes, length: int) -> bytes:
    """RFC 8446 7.1: HKDF-Expand(secret, HkdfLabel, length), HkdfLabel = length || "tls13 "+label || context."""
    full_label = b"tls13 " + label.encode()
    info = length.to_bytes(2, "big") + bytes([len(full_label)]) + full_label + bytes([len(context)]) + context
    return HKDFExpand(HASHES[alg](), length, info).derive(secret)


def derive_secret(alg: str, secret: bytes, label: str, transcript_hash: bytes) -> bytes:
    """RFC 8446 7.1: Derive-Secret(Secret, Label, Messages), given Transcript-Hash(Messages)."""
    return hkdf_expand_label(alg, secret, label, transcript_hash, HASHES[alg].digest_size)


# ---------------------------------------------------------------------------
# 5. Record protection
# ---------------------------------------------------------------------------

class RecordError(Exception):
    """A protected record cannot be opened: tag, MAC or padding is wrong."""


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def make_aead(name: str, key: bytes):
    if name == "AES-GCM":
        return AESGCM(key)
    if name == "CHACHA20-POLY1305":
        return ChaCha20Poly1305(key)
    if name == "AES-CCM":
        return AESCCM(key, tag_length=16)
    if name == "AES-CCM-8":
        return AESCCM(key, tag_length=8)
    raise ValueError(name)


@dataclass
class Record:
    """One TLS record as it crossed the channel (RFC 5246 6.2.1, RFC 8446 5.1)."""
    index: int
    sender: str
    raw: bytes
    framing_problem: str | None = None
    content_type: int | None = None     # the real type, after decryption
    plaintext: bytes | None = None
    connection: int = 0
    note: str | None = None             # channel_note: what the channel did to it
    original: bytes | None = None       # original_hex: what the sender sent, if the channel changed it

    @property
    def replayed(self) -> bool:
        """Sent by an attacker replaying an earlier connection (channel_note "replayed by an attacker")."""
        return bool(self.note) and "replayed by an attacker" in self.note

    @property
    def dropped(self) -> bool:
        """The channel dropped it: the sender sent it, the receiver never got it."""
        return bool(self.note) and ("never arrives" in self.note or " drops " in f" {self.note} ")

    def as_seen_by(self, side: str | None) -> "Record | None":
        """A fresh copy with the bytes `side` saw: its own records as it sent them, the peer's as they
        arrived (None if dropped). side None: the wire, as recorded."""
        raw = self.raw
        if side is not None and side == self.sender and self.original is not None:
            raw = self.original
        elif side is not None and side != self.sender and self.dropped:
            return None
        return Record(self.index, self.sender, raw, self.framing_problem, connection=self.connection,
                      note=self.note, original=self.original)

    @property
    def type(self) -> int:
        return self.raw[0]

    @property
    def version(self) -> int:
        return int.from_bytes(self.raw[1:3], "big")

    @property
    def fragment(self) -> bytes:
        return self.raw[5:]

    @property
    def label(self) -> str:
        return f"record #{self.index} ({self.sender})"


class Protection12:
    """One direction's TLS 1.2 protection: RFC 5246 6.2.3 with RFC 5288 / RFC 7905 / RFC 7366."""

    def __init__(self, suite: Suite12, mac_key: bytes, key: bytes, iv: bytes, etm: bool, side: str) -> None:
        self.suite, self.mac_key, self.key, self.iv, self.etm, self.side = suite, mac_key, key, iv, etm, side
        self.seq = 0

    @property
    def name(self) -> str:
        mode = ""
        if self.suite.cipher == "AES-CBC":
            mode = ", encrypt-then-MAC" if self.etm else ", MAC-then-encrypt"
        return f"{self.side} write keys ({self.suite.cipher}{mode})"

    def header_fields(self, rec: Record, length: int) -> bytes:
        # seq_num || type || version || length: the MAC input (6.2.3.1) and the AEAD
        # additional data (6.2.3.3) both start like this.
        return self.seq.to_bytes(8, "big") + bytes([rec.type]) + rec.version.to_bytes(2, "big") + \
            length.to_bytes(2, "big")

    def open(self, rec: Record) -> tuple[int, bytes, str]:
        if self.suite.cipher == "AES-GCM":
            content, how = self.open_gcm(rec)
        elif self.suite.cipher == "CHACHA20-POLY1305":
            content, how = self.open_chacha20(rec)
        elif self.etm:
            content, how = self.open_cbc_encrypt_then_mac(rec)
        else:
            content, how = self.open_cbc_mac_then_encrypt(rec)
        if len(content) > 2 ** 14:
            raise RecordError(f"plaintext of {len(content)} bytes exceeds 2^14 (RFC 5246 6.2.1)")
        self.seq += 1
        return rec.type, content, how

    def open_gcm(self, rec: Record) -> tuple[bytes, str]:
        """RFC 5288 3: nonce = salt(4, from the key block) || explicit nonce (8, in the record)."""
        frag = rec.fragment
        if len(frag) < 8 + 16:
            raise RecordError(f"GCM fragment of {len(frag)} bytes is shorter than nonce + tag")
        explicit, sealed = frag[:8], frag[8:]
        try:
            content = AESGCM(self.key).decrypt(self.iv + explicit, sealed, self.header_fields(rec, len(sealed) - 16))
        except InvalidTag:
            raise RecordError(f"AES-GCM tag does not verify with the {self.side} write key, seq {self.seq}") from None
        return content, "AES-GCM tag verifies"

    def open_chacha20(self, rec: Record) -> tuple[bytes, str]:
        """RFC 7905 2: nonce = client/server_write_IV XOR (zero-padded 64-bit sequence number)."""
        frag = rec.fragment
        if len(frag) < 16:
            raise RecordError("ChaCha20-Poly1305 fragment shorter than the tag")
        nonce = xor(self.iv, self.seq.to_bytes(12, "big"))
        try:
            content = ChaCha20Poly1305(self.key).decrypt(nonce, frag, self.header_fields(rec, len(frag) - 16))
        except InvalidTag:
            raise RecordError(f"Poly1305 tag does not verify with the {self.side} write key, "
                              f"seq {self.seq}") from None
        return content, "Poly1305 tag verifies"

    def cbc_decrypt(self, iv: bytes, ciphertext: bytes) -> bytes:
        d = Cipher(algorithms.AES(self.key), modes.CBC(iv)).decryptor()
        return d.update(ciphertext) + d.finalize()

    @staticmethod
    def strip_padding(block: bytes) -> tuple[bytes, int]:
        """RFC 5246 6.2.3.2: every padding byte, and the length byte, hold padding_length."""
        pad = block[-1]
        if pad + 1 > len(block):
            raise RecordError(f"padding_length {pad} is longer than the decrypted data")
        if block[-(pad + 1):] != bytes([pad]) * (pad + 1):
            raise RecordError(f"padding bytes are not all {pad} (RFC 5246 6.2.3.2)")
        return block[:-(pad + 1)], pad

    def open_cbc_mac_then_encrypt(self, rec: Record) -> tuple[bytes, str]:
        """RFC 5246 6.2.3.2: IV || E(content || MAC(seq||header||content) || padding)."""
        frag, n = rec.fragment, self.suite.mac_len
        if len(frag) < 32 or len(frag) % 16:
            raise RecordError(f"CBC fragment of {len(frag)} bytes is not IV + whole blocks")
        plain = self.cbc_decrypt(frag[:16], frag[16:])
        without_padding, pad = self.strip_padding(plain)
        if len(without_padding) < n:
            raise RecordError("decrypted data is shorter than the MAC")
        content, mac = without_padding[:-n], without_padding[-n:]
        expected = hmac_digest(self.suite.mac, self.mac_key, self.header_fields(rec, len(content)) + content)
        if mac != expected:
            raise RecordError(f"HMAC-{self.suite.mac.upper()} does not verify (MAC-then-encrypt, seq {self.seq})")
        return content, f"HMAC-{self.suite.mac.upper()} and {pad + 1}-byte padding verify"

    def open_cbc_encrypt_then_mac(self, rec: Record) -> tuple[bytes, str]:
        """RFC 7366 3: IV || E(content || padding) || MAC(seq||header with that length||IV||ciphertext)."""
        frag, n = rec.fragment, self.suite.mac_len
        if len(frag) < 32 + n or (len(frag) - n) % 16:
            raise RecordError(f"encrypt-then-MAC fragment of {len(frag)} bytes is not IV + blocks + MAC")
        body, mac = frag[:-n], frag[-n:]
        expected = hmac_digest(self.suite.mac, self.mac_key, self.header_fields(rec, len(body)) + body)
        if mac != expected:
            raise RecordError(f"HMAC-{self.suite.mac.upper()} does not verify (encrypt-then-MAC, seq {self.seq})")
        content, pad = self.strip_padding(self.cbc_decrypt(body[:16], body[16:]))
        return content, f"HMAC-{self.suite.mac.upper()} (encrypt-then-MAC) and {pad + 1}-byte padding verify"


class Protection13:
    """One direction's TLS 1.3 protection with one traffic secret (RFC 8446 5.2, 5.3, 7.3)."""

    def __init__(self, suite: Suite13, key: bytes, iv: bytes, name: str, early: bool = False) -> None:
        self.suite, self.key, self.iv, self.name, self.early = suite, key, iv, name, early
        self.seq = 0

    def open(self, rec: Record) -> tuple[int, bytes, str]:
        nonce = xor(self.iv, self.seq.to_bytes(len(self.iv), "big"))   # 5.3: iv XOR padded seq
        try:
            inner = make_aead(self.suite.aead, self.key).decrypt(nonce, rec.fragment, rec.raw[:5])
        except InvalidTag:
            raise RecordError(f"{self.suite.aead} tag does not verify with the {self.name} keys, "
                              f"seq {self.seq}") from None
        # 5.4: TLSInnerPlaintext = content || real type || zero padding.
        end = len(inner)
        while end and inner[end - 1] == 0:
            end -= 1
        if not end:
            raise RecordError("TLSInnerPlaintext has no non-zero content type (RFC 8446 5.4)")
        if end - 1 > 2 ** 14:
            raise RecordError("plaintext exceeds 2^14 bytes (RFC 8446 5.4)")
        self.seq += 1
        return inner[end - 1], inner[:end - 1], f"{self.suite.aead} tag verifies"


# ---------------------------------------------------------------------------
# 6. Handshake message parsers
# ---------------------------------------------------------------------------

@dataclass
class Hello:
    """A ClientHello or ServerHello (RFC 8446 4.1.2-4.1.3, RFC 5246 7.4.1.2-7.4.1.3)."""
    kind: str
    legacy_version: int
    random: bytes
    session_id: bytes
    suites: list[int]
    compressions: list[int]
    extensions: list[tuple[int, bytes]]
    raw: bytes

    @property
    def ext(self) -> dict[int, bytes]:
        return dict(self.extensions)

    @property
    def suite(self) -> int:
        return self.suites[0]


def parse_extensions(data: bytes, where: str) -> list[tuple[int, bytes]]:
    r, out, seen = Reader(data, f"{where} extensions"), [], set()
    while r.remaining():
        ext_type, body = r.u16(), r.vec(2)
        if ext_type in seen:
            raise Malformed(f"{where}: extension {ext_type} appears twice (RFC 8446 4.2)")
        seen.add(ext_type)
        out.append((ext_type, body))
    return out


def parse_client_hello(msg: bytes) -> Hello:
    r = Reader(msg[4:], "ClientHello")
    version, random, session_id = r.u16(), r.take(32), r.vec(1)
    if len(session_id) > 32:
        raise Malformed("ClientHello: session id longer than 32 bytes")
    suites = u16_list(r.vec(2), "ClientHello cipher_suites")
    compressions = list(r.vec(1))
    extensions = parse_extensions(r.vec(2), "ClientHello") if r.remaining() else []
    r.done()
    return Hello("ClientHello", version, random, session_id, suites, compressions, extensions, msg)


def parse_server_hello(msg: bytes) -> Hello:
    r = Reader(msg[4:], "ServerHello")
    version, random, session_id = r.u16(), r.take(32), r.vec(1)
    if len(session_id) > 32:
        raise Malformed("ServerHello: session id longer than 32 bytes")
    suite, compression = r.u16(), r.u8()
    extensions = parse_extensions(r.vec(2), "ServerHello") if r.remaining() else []
    r.done()
    kind = "HelloRetryRequest" if random == HELLO_RETRY_REQUEST_RANDOM else "ServerHello"
    return Hello(kind, version, random, session_id, [suite], [compression], extensions, msg)


def client_key_shares(data: bytes) -> list[tuple[int, bytes]]:
    """RFC 8446 4.2.8: KeyShareClientHello = client_shares<0..2^16-1> of (group, key_exchange<1..2^16-1>)."""
    r, out = Reader(data, "ClientHello key_share"), []
    shares = Reader(r.vec(2), "ClientHello key_share entries")
    r.done()
    while shares.remaining():
        out.append((shares.u16(), shares.vec(2)))
    return out


def server_key_share(data: bytes) -> tuple[int, bytes]:
    r = Reader(data, "ServerHello key_share")
    group, key = r.u16(), r.vec(2)
    r.done()
    return group, key


def offered_versions(ch: Hello) -> list[int]:
    if EXT_SUPPORTED_VERSIONS in ch.ext:
        r = Reader(ch.ext[EXT_SUPPORTED_VERSIONS], "ClientHello supported_versions")
        versions = u16_list(r.vec(1), "supported_versions")
        r.done()
        return versions
    return [v for v in (0x0301, 0x0302, 0x0303) if v <= ch.legacy_version]


def u16_vector_extension(hello: Hello, ext_type: int, what: str) -> list[int] | None:
    if ext_type not in hello.ext:
        return None
    r = Reader(hello.ext[ext_type], what)
    values = u16_list(r.vec(2), what)
    r.done()
    return values


def parse_psk_offer(data: bytes) -> tuple[list[tuple[bytes, int]], list[bytes], int]:
    """RFC 8446 4.2.11: OfferedPsks = identities<7..2^16-1> of (identity<1..2^16-1>, obfuscated_ticket_age),
    binders<33..2^16-1>. Returns (identities, binders, length of the binders block incl. its 2-byte length)."""
    r = Reader(data, "ClientHello pre_shared_key")
    identities = Reader(r.vec(2), "pre_shared_key identities")
    out = []
    while identities.remaining():
        out.append((identities.vec(2), identities.uint(4)))
    start = r.pos
    block = Reader(r.vec(2), "pre_shared_key binders")
    r.done()
    binders = []
    while block.remaining():
        binders.append(block.vec(1))
    return out, binders, len(data) - start


def parse_certificate_list_12(body: bytes) -> list[bytes]:
    """RFC 5246 7.4.2: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>."""
    r = Reader(body, "Certificate")
    certs = Reader(r.vec(3), "Certificate list")
    r.done()
    out = []
    while certs.remaining():
        out.append(certs.vec(3))
    return out


def parse_certificate_13(body: bytes) -> tuple[bytes, list[bytes]]:
    """RFC 8446 4.4.2: request context, then CertificateEntry{cert_data, extensions}."""
    r = Reader(body, "Certificate")
    context = r.vec(1)
    entries = Reader(r.vec(3), "Certificate entries")
    r.done()
    out = []
    while entries.remaining():
        out.append(entries.vec(3))
        entries.vec(2)
    return context, out


def parse_signed(r: Reader, what: str) -> tuple[int, bytes]:
    """A DigitallySigned (RFC 5246 4.7 / RFC 8446 4.4.3): scheme(2) || signature<0..2^16-1>."""
    scheme, signature = r.u16(), r.vec(2)
    r.done()
    return scheme, signature


# ---------------------------------------------------------------------------
# 7. Key exchange groups (RFC 7748, RFC 8422, RFC 8446 4.2.7-4.2.8)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    code: int
    name: str
    kind: str                 # "x25519", "x448" or "ec"
    size: int                 # scalar / coordinate length
    curve: type | None = None

    def load_private(self, raw: bytes):
        if self.kind == "x25519":
            return x25519.X25519PrivateKey.from_private_bytes(raw)
        if self.kind == "x448":
            return x448.X448PrivateKey.from_private_bytes(raw)
        if len(raw) != self.size:
            raise ValueError(f"a {self.name} private key is a {self.size}-byte big-endian scalar, "
                             f"got {len(raw)} bytes")
        return ec.derive_private_key(int.from_bytes(raw, "big"), self.curve())

    def public_bytes(self, private) -> bytes:
        if self.kind in ("x25519", "x448"):
            return private.public_key().public_bytes_raw()
        return private.public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)

    def load_public(self, raw: bytes):
        if self.kind == "x25519":
            return x25519.X25519PublicKey.from_public_bytes(raw)
        if self.kind == "x448":
            return x448.X448PublicKey.from_public_bytes(raw)
        if len(raw) != 1 + 2 * self.size or raw[0] != 4:
            raise ValueError("not an uncompressed point 04||X||Y (RFC 8446 4.2.8.2, RFC 8422 5.4.1)")
        return ec.EllipticCurvePublicKey.from_encoded_point(self.curve(), raw)

    def exchange(self, private, public) -> bytes:
        if self.kind in ("x25519", "x448"):
            return private.exchange(public)       # RFC 7748 6; raises on an all-zero result
        return private.exchange(ec.ECDH(), public)  # the x-coordinate (RFC 8422 5.10, RFC 8446 7.4.2)


GROUPS = {g.code: g for g in [
    Group(0x0017, "secp256r1", "ec", 32, ec.SECP256R1),
    Group(0x0018, "secp384r1", "ec", 48, ec.SECP384R1),
    Group(0x0019, "secp521r1", "ec", 66, ec.SECP521R1),
    Group(0x001D, "x25519", "x25519", 32),
    Group(0x001E, "x448", "x448", 56),
]}


def group_name(code: int | None) -> str:
    if code is None:
        return "-"
    return GROUPS[code].name if code in GROUPS else f"0x{code:04x}"


# ---------------------------------------------------------------------------
# 8. Signatures (RFC 8446 4.2.3 schemes, also used by TLS 1.2 per RFC 5246 7.4.1.4.1)
# ---------------------------------------------------------------------------

def verify_signature(public_key, scheme: int, signature: bytes, message: bytes) -> str | None:
    """Return None if the signature verifies, else why not."""
    s = SIG_SCHEMES.get(scheme)
    if s is None:
        return f"unknown signature scheme 0x{scheme:04x}"
    try:
        if s.family == "rsa_pkcs1":
            if not isinstance(public_key, rsa.RSAPublicKey):
                return f"{s.name} needs an RSA key, the certificate has {type(public_key).__name__}"
            public_key.verify(signature, message, padding.PKCS1v15(), HASHES[s.hash]())
        elif s.family == "rsa_pss":
            if not isinstance(public_key, rsa.RSAPublicKey):
                return f"{s.name} needs an RSA key, the certificate has {type(public_key).__name__}"
            h = HASHES[s.hash]()
            public_key.verify(signature, message, padding.PSS(padding.MGF1(h), h.digest_size), h)
        elif s.family == "ecdsa":
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                return f"{s.name} needs an EC key, the certificate has {type(public_key).__name__}"
            public_key.verify(signature, message, ec.ECDSA(HASHES[s.hash]()))
        elif s.family == "ed25519":
            if not isinstance(public_key, ed25519.Ed25519PublicKey):
                return f"ed25519 needs an Ed25519 key, the certificate has {type(public_key).__name__}"
            public_key.verify(signature, message)
        elif s.family == "ed448":
            if not isinstance(public_key, ed448.Ed448PublicKey):
                return f"ed448 needs an Ed448 key, the certificate has {type(public_key).__name__}"
            public_key.verify(signature, message)
    except InvalidSignature:
        return f"{s.name} signature does not verify with the certificate's public key"
    except (ValueError, TypeError) as exc:
        return f"{s.name} signature could not be checked: {exc}"
    return None


def load_leaf(checks: Checks, certs: list[bytes], who: str, rec: Record):
    """Load the end-entity certificate (the first in the list) and return its public key."""
    if not certs:
        return None
    try:
        cert = x509.load_der_x509_certificate(certs[0])
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        checks.add("certificate", False, f"the {who}'s certificate is valid DER X.509", str(exc), rec.index)
        return None
    subject = name_of(cert)
    checks.add("certificate", True, f"the {who}'s certificate loads ({subject}, {key_description(key)} key, "
               f"{len(certs)} in chain)", record=rec.index)
    check_chain_order(checks, certs, who, rec)
    return key


def name_of(cert) -> str:
    """The subject as text; a damaged certificate may fail only when its subject is read."""
    try:
        return cert.subject.rfc4514_string() or "(empty subject)"
    except Exception:                                   # cryptography parses names lazily
        return "(unreadable subject)"


def key_description(key) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    return type(key).__name__


def check_chain_order(checks: Checks, certs: list[bytes], who: str, rec: Record) -> None:
    """RFC 5246 7.4.2 / RFC 8446 4.4.2: each certificate should be certified by the one after it.
    (Only the signatures inside the chain are checked; trust anchors and dates are not.)"""
    if len(certs) < 2:
        return
    try:
        chain = [x509.load_der_x509_certificate(der) for der in certs]
    except ValueError as exc:
        checks.add("certificate", False, f"every certificate in the {who}'s chain is valid DER X.509",
                   str(exc), rec.index)
        return
    for i in range(len(chain) - 1):
        subject, issuer = chain[i], chain[i + 1]
        try:
            subject.verify_directly_issued_by(issuer)
            problem = None
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as exc:
            problem = str(exc) or type(exc).__name__
        checks.add("certificate", problem is None,
                   f"the {who}'s certificate #{i} ({name_of(subject)}) is signed by "
                   f"certificate #{i + 1} ({name_of(issuer)})", problem or "", rec.index)


# ---------------------------------------------------------------------------
# 9. Loading the transcript (the JSON contract)
# ---------------------------------------------------------------------------

class InputError(Exception):
    """The file is not a transcript this verifier can read (exit status 2)."""


@dataclass
class Connection:
    """One connection of the transcript: its records and secrets, and what `connections[i]` says."""
    index: int
    label: str
    status: str
    alert: dict | None
    records: list[Record] = field(default_factory=list)
    listed: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)   # name -> [(side, value)]
    resumed: bool | None = None          # as stated in `connections`
    hello_retry: bool | None = None
    negotiated: dict | None = None

    @property
    def replayed(self) -> bool:
        """An attacker's replay: every client record is a recorded copy (no client behind it)."""
        client = [r for r in self.records if r.sender == "client"]
        return bool(client) and all(r.replayed for r in client)

    @property
    def channel_interfered(self) -> bool:
        """The two sides did not see the same bytes: a record was rewritten, tampered with or dropped."""
        return any((r.original is not None and r.original != r.raw) or r.dropped for r in self.records)


@dataclass
class Transcript:
    path: str
    scenario: str
    seed: object
    status: str
    alert: dict | None
    records: list[Record]
    connections: list[Connection]
    keylog: str | None
    events: list[dict]
    has_connections: bool                # False for single-connection transcripts without `connections`


def hex_field(value, where: str) -> bytes:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a hex string, found {type(value).__name__}")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise InputError(f"{where}: not a hex string: {value[:40]!r}") from None


def read_outcome(outcome, where: str) -> tuple[str, dict | None]:
    if not isinstance(outcome, dict) or outcome.get("status") not in ("completed", "failed", "incomplete"):
        raise InputError(f"\"{where}.status\" must be \"completed\", \"failed\" or \"incomplete\"")
    alert = outcome.get("alert")
    if alert is not None and not isinstance(alert, dict):
        raise InputError(f"\"{where}.alert\" must be an object or null")
    if isinstance(alert, dict) and alert.get("code") is not None and not isinstance(alert.get("code"), int):
        raise InputError(f"\"{where}.alert.code\" must be an integer")
    return outcome["status"], alert


def connection_field(item: dict, where: str, known: dict[int, Connection]) -> Connection:
    number = item.get("connection", 0)
    if not isinstance(number, int) or number not in known:
        raise InputError(f"{where}.connection is {number!r}, not one of the listed connections {sorted(known)}")
    return known[number]


def load_connections(data: dict, status: str, alert: dict | None) -> tuple[dict[int, Connection], bool]:
    """`connections` (several connections), or one implicit connection 0 with the top-level outcome."""
    raw = data.get("connections")
    if raw is None:
        return {0: Connection(0, "connection 0", status, alert)}, False
    if not isinstance(raw, list) or not raw:
        raise InputError("\"connections\" must be a non-empty list")
    out: dict[int, Connection] = {}
    for position, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("index", position), int):
            raise InputError(f"connections[{position}] is not an object with an integer index")
        index = item.get("index", position)
        if index in out:
            raise InputError(f"connections[{position}]: index {index} appears twice")
        c_status, c_alert = read_outcome(item.get("outcome"), f"connections[{position}].outcome")
        negotiated = item.get("negotiated")
        out[index] = Connection(index, str(item.get("label", f"connection {index}")), c_status, c_alert,
                                resumed=item.get("resumed"), hello_retry=item.get("hello_retry"),
                                negotiated=negotiated if isinstance(negotiated, dict) else None)
    return dict(sorted(out.items())), True


def load_transcript(path: str) -> Transcript:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise InputError(f"cannot read: {exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError("the top level is not a JSON object")
    if data.get("format") != "tlslab-transcript":
        raise InputError(f"\"format\" is {data.get('format')!r}, expected \"tlslab-transcript\"")
    if data.get("version") != 1:
        raise InputError(f"transcript version {data.get('version')!r} is not supported (only 1)")
    status, alert = read_outcome(data.get("outcome"), "outcome")
    connections, has_connections = load_connections(data, status, alert)
    raw_records = data.get("records")
    if not isinstance(raw_records, list):
        raise InputError("\"records\" must be a list")
    records = []
    for position, item in enumerate(raw_records):
        if not isinstance(item, dict):
            raise InputError(f"records[{position}] is not an object")
        sender = item.get("from")
        if sender not in SIDES:
            raise InputError(f"records[{position}].from is {sender!r}, expected \"client\" or \"server\"")
        raw = hex_field(item.get("hex"), f"records[{position}].hex")
        conn = connection_field(item, f"records[{position}]", connections)
        note = item.get("channel_note")
        original = item.get("original_hex")
        rec = Record(position, sender, raw, connection=conn.index, note=note if isinstance(note, str) else None,
                     original=hex_field(original, f"records[{position}].original_hex") if original else None)
        if item.get("index", position) != position:
            rec.framing_problem = f"its \"index\" is {item.get('index')!r} but it is entry {position} of the list"
        records.append(rec)
        conn.records.append(rec)
    secrets = data.get("secrets", [])
    if not isinstance(secrets, list):
        raise InputError("\"secrets\" must be a list")
    for position, item in enumerate(secrets):
        if not isinstance(item, dict) or item.get("side") not in SIDES or not isinstance(item.get("name"), str):
            raise InputError(f"secrets[{position}] needs \"side\" (client/server), \"name\" and \"hex\"")
        conn = connection_field(item, f"secrets[{position}]", connections)
        conn.listed.setdefault(item["name"], []).append(
            (item["side"], hex_field(item.get("hex"), f"secrets[{position}].hex")))
    keylog = data.get("keylog")
    if keylog is not None and not isinstance(keylog, str):
        raise InputError("\"keylog\" must be a string")
    events = data.get("events", [])
    events = [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
    return Transcript(path, str(data.get("scenario", "?")), data.get("seed"), status, alert, records,
                      list(connections.values()), keylog, events, has_connections)


@dataclass
class Scope:
    """What one verification pass sees: one connection, either as recorded on the wire (view None) or as
    one side saw it (its own records as sent, the peer's as received), with only that side's secrets."""
    conn: Connection
    view: str | None
    records: list[Record]
    listed: dict[str, list[tuple[str, bytes]]]

    @property
    def status(self) -> str:
        return self.conn.status

    @property
    def alert(self) -> dict | None:
        return self.conn.alert


def scopes_of(conn: Connection) -> list[Scope]:
    """One pass over the wire; or, when the channel changed what a side received, one pass per side
    (a rewritten ClientHello means the client's transcript and the server's differ)."""
    views = ["client", "server"] if conn.channel_interfered else [None]
    out = []
    for view in views:
        records = [r for r in (rec.as_seen_by(view) for rec in conn.records) if r is not None]
        # A side's own listed values are compared; the private key shares stay available as inputs.
        listed = conn.listed if view is None else \
            {n: [(s, v) for s, v in entries if s == view or n.endswith("_key_share_private")]
             for n, entries in conn.listed.items()}
        out.append(Scope(conn, view, records, {n: e for n, e in listed.items() if e}))
    return out


# ---------------------------------------------------------------------------
# 10. The record loop, shared by TLS 1.2 and TLS 1.3
# ---------------------------------------------------------------------------

@dataclass
class Direction:
    """What one side has sent, and how its records are protected right now."""
    side: str
    protection: object = None           # Protection12 / Protection13, or None (plaintext)
    pending: object = None              # protection to switch to after the current record
    hs_buffer: bytes = b""              # handshake bytes not yet forming a whole message
    blocked: str | None = None          # why later records from this side cannot be checked
    app_data: list = field(default_factory=list)   # [(record index, bytes)], 0-RTT data included
    alerts: list = field(default_factory=list)     # [(record index, level, description)]
    early_records: list = field(default_factory=list)   # client 0-RTT records opened with early keys
    rejecting_early: object = None      # while the server skips rejected 0-RTT records: the early keys


def public_der(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass
class Options:
    server_keys: list = field(default_factory=list)    # --server-key: private keys of server certificates

    def key_for(self, public_key):
        """The --server-key whose public key is the certificate's, or None."""
        if public_key is None:
            return None
        wanted = public_der(public_key)
        return next((k for k in self.server_keys if public_der(k.public_key()) == wanted), None)


class Verifier:
    """Verifies one connection, on the wire or as one side saw it (a Scope)."""

    def __init__(self, t: Scope, opts: Options, checks: Checks, cache: "SessionCache") -> None:
        self.t, self.opts, self.cache = t, opts, cache
        self.checks = checks
        self.dirs = {side: Direction(side) for side in SIDES}
        self.handshake: HandshakeBase | None = None
        self.first_client_hello: tuple[Record, bytes, Hello] | None = None
        self.offer: PskOffer | None = None        # the ClientHello's pre_shared_key offer (TLS 1.3)
        self.current: Record | None = None
        self.stopped: str | None = None
        self.computed: dict[str, bytes] = {}      # every value recomputed here, by contract name
        self.compared: set[str] = set()           # listed names compared with a recomputed value
        self.used_as_input: set[str] = set()      # listed names used because they cannot be recomputed
        self.disagreements_reported: set[str] = set()
        self.info = {"version": "?", "suite": "?", "group": "-"}
        self.registers = True                     # remember its sessions/tickets for later connections

    # -- listed secrets -----------------------------------------------------
    def compare_listed(self, name: str, value: bytes, record: Record | None = None, kind: str = "secret",
                       sides: tuple[str, ...] = SIDES, nth: int | str | None = None) -> None:
        """Compare a recomputed value with every side's listed value of that name. When a name is listed
        once per occurrence (one PSK per ticket, one binder per ClientHello), only each side's nth
        listing is compared ("first"/"last": that side's first or last one)."""
        self.computed[name] = value
        self.compared.add(name)
        entries = self.t.listed.get(name, [])
        count = {side: sum(1 for s, _ in entries if s == side) for side in SIDES}
        seen = {side: -1 for side in SIDES}
        for side, listed in entries:
            seen[side] += 1
            wanted = {"first": 0, "last": count[side] - 1}.get(nth, nth) if isinstance(nth, str) else nth
            if side not in sides or (wanted is not None and seen[side] != wanted):
                continue
            which = f" (#{seen[side] + 1})" if nth is not None and count[side] > 1 else ""
            self.checks.same(kind, f"{name}{which} listed by the {side}", found=listed, expected=value,
                             record=record.index if record else None)
            self.checks.items[-1].listed = True

    def listed_values(self, name: str) -> list[bytes]:
        """Every listed value of a name, in order (a client lists one key share per ClientHello)."""
        self.used_as_input.add(name)
        return [v for _, v in self.t.listed.get(name, [])]

    def listed_one(self, name: str) -> bytes | None:
        """A listed value used as an input (private key shares, or a fallback)."""
        entries = self.t.listed.get(name, [])
        if not entries:
            return None
        values = {v for _, v in entries}
        if len(values) > 1 and name not in self.disagreements_reported:
            self.disagreements_reported.add(name)
            self.checks.add("secret", False, f"both sides list the same {name}",
                            "; ".join(f"{s}: {show(v)}" for s, v in entries))
        self.used_as_input.add(name)
        return entries[0][1]

    # -- the loop ------------------------------------------------------------
    def run(self) -> None:
        self.check_record_framing()
        for rec in self.t.records:
            self.current = rec
            self.process_record(rec)
            self.switch_keys_after(rec)
        self.current = None
        self.check_listed_key_shares()
        if self.handshake:
            self.handshake.at_end()
        elif not self.stopped and self.t.status == "completed":
            self.checks.add("handshake", False, "a ServerHello was seen",
                            "the transcript is \"completed\" but has no ServerHello")
        for d in self.dirs.values():
            if d.hs_buffer and not d.blocked and not self.stopped:
                what = f"the {d.side}'s last handshake message is complete"
                why = f"{len(d.hs_buffer)} bytes of an unfinished handshake message are left over"
                if self.t.status == "completed":
                    self.checks.add("handshake", False, what, why)
                else:
                    self.checks.skip("handshake", what, why)
        check_outcome(self)
        self.report_listed_but_unverified()
        explain_failures_by_outcome(self)

    def public_shares(self) -> dict[str, list[tuple[str, int | None, bytes]]]:
        """Every (EC)DHE public key each side put on the wire: key_share entries of the ClientHellos and
        the ServerHello (TLS 1.3), ServerKeyExchange and ClientKeyExchange (TLS 1.2)."""
        hs, out = self.handshake, {"client": [], "server": []}
        hellos = [("the ClientHello", self.first_client_hello[2])] if self.first_client_hello else []
        if isinstance(hs, Tls13Handshake) and hs.hrr is not None and hs.ch is not hs.first_ch:
            hellos.append(("the second ClientHello", hs.ch))
        for label, ch in hellos:
            if EXT_KEY_SHARE in ch.ext:
                try:
                    out["client"] += [(label, g, pub) for g, pub in client_key_shares(ch.ext[EXT_KEY_SHARE])]
                except Malformed:
                    pass
        if isinstance(hs, Tls13Handshake) and hs.server_share is not None:
            out["server"].append(("the ServerHello", *hs.server_share))
        if isinstance(hs, Tls12Handshake):
            if hs.server_pub is not None:
                out["server"].append(("the ServerKeyExchange", hs.group, hs.server_pub))
            if hs.client_pub is not None:
                out["client"].append(("the ClientKeyExchange", hs.group, hs.client_pub))
        return out

    def check_listed_key_shares(self) -> None:
        """Each listed private key share is the key of a public share its side sent (RFC 8446 4.2.8,
        RFC 8422 5.4, 5.7), even one that was not used (the first ClientHello's after a
        HelloRetryRequest, a psk_ke resumption, a handshake that failed before the key exchange)."""
        shares = self.public_shares()
        for side in SIDES:
            name = f"{side}_key_share_private"
            values = [v for s, v in self.t.listed.get(name, []) if s == side]
            for number, raw in enumerate(values):
                what = f"listed {name}" + (f" #{number + 1}" if len(values) > 1 else "")
                if not shares[side]:
                    self.checks.skip("key-exchange", f"{what} belongs to a key share on the wire",
                                     f"the {side} sent no (EC)DHE public key")
                    continue
                found = None
                for label, code, public in shares[side]:
                    group = GROUPS.get(code)
                    try:
                        if group is not None and group.public_bytes(group.load_private(raw)) == public:
                            found = f"{label}'s {group.name} share"
                            break
                    except ValueError:
                        continue
                self.used_as_input.add(name)
                self.checks.add("key-exchange", found is not None, f"{what} is the private key of " +
                                (found or f"a key share the {side} sent"),
                                f"it matches none of {[(l, group_name(g)) for l, g, _ in shares[side]]}")

    # -- 0-RTT (RFC 8446 4.2.10) ----------------------------------------------
    def reject_early_data(self, handshake_keys: "Protection13 | None", why: str) -> None:
        """The server did not take the client's 0-RTT data. It skips the client's records it cannot
        open with the client handshake keys (or, after a HelloRetryRequest, every application_data
        record) until the client's second flight (RFC 8446 4.2.10)."""
        d = self.dirs["client"]
        early = d.protection if isinstance(d.protection, Protection13) and d.protection.early else None
        for rec in d.early_records:
            self.skip_rejected_early_record(rec, handshake_keys, why, opened_early=True)
        rejected = {rec.index for rec in d.early_records}
        d.app_data = [(i, data) for i, data in d.app_data if i not in rejected]
        d.early_records = []
        d.rejecting_early = early or True
        if d.pending is not None and self.current is not None and self.current.sender == "client":
            d.pending = handshake_keys
        else:
            d.protection = handshake_keys

    def skip_rejected_early_record(self, rec: Record, handshake_keys: "Protection13 | None", why: str,
                                   opened_early: bool) -> None:
        if handshake_keys is not None:
            trial = Protection13(handshake_keys.suite, handshake_keys.key, handshake_keys.iv, handshake_keys.name)
            trial.seq = handshake_keys.seq
            try:
                trial.open(rec)
            except RecordError:
                pass
            else:
                self.checks.add("record", False, f"{rec.label}: rejected 0-RTT data does not open under the "
                                "client handshake keys", "it does: it is not early data", rec.index)
                return
        how = "it opened under the client early traffic keys (the client's 0-RTT data), " if opened_early else ""
        self.checks.skip("record", f"{rec.label} skipped (rejected 0-RTT)",
                         f"{why}: {how}the server cannot open it with the client handshake keys and "
                         "discards it (RFC 8446 4.2.10)", rec.index)

    def on_undecryptable_rejected_early(self, rec: Record, d: Direction, problem: str) -> None:
        """A client record that fails while the server is skipping rejected 0-RTT data."""
        if isinstance(d.rejecting_early, str):           # 0-RTT keys unknown to the verifier
            self.checks.skip("record", f"{rec.label} (0-RTT data) opened", d.rejecting_early, rec.index)
            return
        early = d.rejecting_early if isinstance(d.rejecting_early, Protection13) else None
        opened = False
        if early is not None:
            try:
                early.open(rec)
                opened = True
            except RecordError as exc:
                self.checks.add("record", False, f"{rec.label} (rejected 0-RTT) opens under the client "
                                "early traffic keys", str(exc), rec.index)
        self.skip_rejected_early_record(rec, None, f"0-RTT rejected ({problem})", opened)

    def check_record_framing(self) -> None:
        """RFC 5246 6.2.1 / RFC 8446 5.1: type(1) version(2) length(2) fragment."""
        problems = 0
        for rec in self.t.records:
            raw = rec.raw
            if rec.framing_problem:
                pass
            elif len(raw) < 5:
                rec.framing_problem = f"only {len(raw)} bytes, shorter than a record header"
            elif raw[0] not in CONTENT_TYPES:
                rec.framing_problem = f"unknown content type {raw[0]}"
            elif raw[1] != 3:
                rec.framing_problem = f"record version 0x{rec.version:04x} is not 3.x"
            elif int.from_bytes(raw[3:5], "big") != len(raw) - 5:
                rec.framing_problem = (f"header says {int.from_bytes(raw[3:5], 'big')} fragment bytes, "
                                       f"the record has {len(raw) - 5}")
            elif len(raw) - 5 > 2 ** 14 + 2048:
                rec.framing_problem = f"fragment of {len(raw) - 5} bytes exceeds 2^14 + 2048"
            elif len(raw) == 5 and raw[0] != 23:
                rec.framing_problem = "empty handshake/alert/change_cipher_spec fragment (RFC 5246 6.2.1)"
            if rec.framing_problem:
                problems += 1
                self.checks.add("record", False, f"{rec.label} is framed correctly", rec.framing_problem, rec.index)
        if not problems:
            self.checks.add("record", True, f"all {len(self.t.records)} records are framed correctly "
                            "(5-byte header, length matches)")
        self.check_record_versions()

    def check_record_versions(self) -> None:
        """RFC 8446 5.1: legacy_record_version is 0x0303 on every record except the initial
        ClientHello, which may say 0x0301 (RFC 5246 E.1: 0x0300-0x0303). TLS 1.2 records after the
        hellos carry the negotiated version, 0x0303, too."""
        wrong, before_server = [], True
        for rec in self.t.records:
            if rec.framing_problem:
                continue
            before_server = before_server and rec.sender == "client"
            allowed = (0x0300, 0x0301, 0x0302, 0x0303) if before_server else (0x0303,)
            if rec.version not in allowed:
                wrong.append(rec)
                self.checks.add("record", False, f"{rec.label} has record version 0x0303",
                                f"found 0x{rec.version:04x}" + (" (only the initial ClientHello may differ)"
                                                               if not before_server else ""), rec.index)
        if not wrong:
            self.checks.add("record", True, "every record's version field is allowed (0x0303 after the "
                            "initial ClientHello)")

    def process_record(self, rec: Record) -> None:
        d = self.dirs[rec.sender]
        if self.stopped and not (rec.type == 21 and d.protection is None and not rec.framing_problem):
            self.checks.skip("record", f"{rec.label} not followed", self.stopped, rec.index)
            return
        if d.blocked:
            self.checks.skip("record", f"{rec.label} not followed", d.blocked, rec.index)
            return
        if rec.framing_problem:
            d.blocked = f"{rec.label} is not a well-framed record"
            return
        try:
            content_type, payload, how = self.unprotect(rec, d)
        except RecordError as exc:
            if d.rejecting_early is not None and rec.type == 23:
                self.on_undecryptable_rejected_early(rec, d, str(exc))
                return
            self.checks.add("record", False, f"{rec.label} opens", str(exc), rec.index)
            d.blocked = f"{rec.label} could not be opened, so later {rec.sender} records cannot be followed"
            return
        d.rejecting_early = None
        early = isinstance(d.protection, Protection13) and d.protection.early and how is not None
        if how:
            self.checks.add("record", True, f"{rec.label}: {how} -> "
                            f"{CONTENT_TYPES.get(content_type, content_type)}, {len(payload)} bytes",
                            record=rec.index)
        rec.content_type, rec.plaintext = content_type, payload
        if early:
            d.early_records.append(rec)
        try:
            if content_type == 22:
                self.on_handshake_fragment(rec, d, payload)
            elif content_type == 20:
                self.on_change_cipher_spec(rec, payload)
            elif content_type == 21:
                self.on_alert(rec, d, payload)
            elif content_type == 23:
                d.app_data.append((rec.index, payload))
            else:
                self.checks.add("record", False, f"{rec.label} has a known inner content type",
                                f"content type {content_type}", rec.index)
        except Malformed as exc:
            self.checks.add("handshake", False, f"{rec.label} is well-formed", str(exc), rec.index)
            self.stopped = f"the handshake could not be followed after {rec.label}"

    def unprotect(self, rec: Record, d: Direction) -> tuple[int, bytes, str | None]:
        if d.protection is None:
            if rec.type == 23:
                raise RecordError(f"an application_data record, but no {rec.sender} keys are in place yet"
                                  " (0-RTT needs a PSK from a ticket issued earlier in the transcript)")
            return rec.type, rec.fragment, None
        if isinstance(d.protection, Protection13) and rec.type != 23:
            # RFC 8446 5: only ChangeCipherSpec (middlebox compatibility) and alerts
            # from a peer that could not set up its keys travel in the clear.
            if rec.type in (20, 21):
                return rec.type, rec.fragment, None
            raise RecordError(f"a {CONTENT_TYPES[rec.type]} record sent in the clear after the "
                              f"{rec.sender}'s keys were in use (RFC 8446 5)")
        seq = d.protection.seq
        content_type, payload, how = d.protection.open(rec)
        return content_type, payload, f"{how} ({d.protection.name}, seq {seq})"

    def install(self, side: str, protection) -> None:
        """Switch a direction's keys. For the side that sent the current record,
        the switch happens at the end of that record (RFC 8446 5.1, RFC 5246 7.1)."""
        d = self.dirs[side]
        if self.current is not None and self.current.sender == side:
            d.pending = protection
        else:
            d.protection = protection

    def switch_keys_after(self, rec: Record) -> None:
        d = self.dirs[rec.sender]
        if d.pending is not None:
            d.protection, d.pending = d.pending, None

    def on_handshake_fragment(self, rec: Record, d: Direction, payload: bytes) -> None:
        """Reassemble handshake messages: several per record, or one across records."""
        d.hs_buffer += payload
        while len(d.hs_buffer) >= 4:
            length = int.from_bytes(d.hs_buffer[1:4], "big")
            if len(d.hs_buffer) < 4 + length:
                break
            msg, d.hs_buffer = d.hs_buffer[:4 + length], d.hs_buffer[4 + length:]
            self.on_handshake_message(rec, msg)
            if self.stopped:
                return
            if d.pending is not None and d.hs_buffer:
                self.checks.add("handshake", False, f"{rec.label}: a key change ends the record",
                                "more handshake data follows a message that changes keys (RFC 8446 5.1)",
                                rec.index)

    def on_handshake_message(self, rec: Record, msg: bytes) -> None:
        htype = msg[0]
        if self.handshake is not None:
            self.handshake.on_message(rec, htype, msg)
            return
        if rec.sender == "client" and htype == 1 and self.first_client_hello is None:
            hello = parse_client_hello(msg)
            self.first_client_hello = (rec, msg, hello)
            self.compare_listed("client_random", hello.random, rec, kind="hello")
            if EXT_PRE_SHARED_KEY in hello.ext and TLS13 in offered_versions(hello):
                self.offer = PskOffer(self, rec, msg, hello, prefix=[])
        elif rec.sender == "server" and htype == 2 and self.first_client_hello is not None:
            self.on_first_server_hello(rec, msg)
        else:
            raise Malformed(f"unexpected {HANDSHAKE_TYPES.get(htype, htype)} from the {rec.sender} "
                            "before the hellos were exchanged")

    def on_first_server_hello(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.1.3 / 4.2.1: the version is supported_versions if present, else legacy_version."""
        ch_rec, ch_msg, ch = self.first_client_hello
        sh = parse_server_hello(msg)
        offered = offered_versions(ch)
        if EXT_SUPPORTED_VERSIONS in sh.ext:
            r = Reader(sh.ext[EXT_SUPPORTED_VERSIONS], "ServerHello supported_versions")
            version = r.u16()
            r.done()
        else:
            version = sh.legacy_version
        self.info["version"] = VERSIONS.get(version, f"0x{version:04x}")
        self.checks.add("hello", version in offered,
                        f"the negotiated version {self.info['version']} was offered by the client",
                        f"client offered {[VERSIONS.get(v, hex(v)) for v in offered]}", rec.index)
        self.checks.add("hello", sh.suite in ch.suites,
                        f"the server's cipher suite {suite_name(sh.suite)} was offered by the client",
                        f"client offered {[suite_name(s) for s in ch.suites]}", rec.index)
        self.info["suite"] = suite_name(sh.suite)
        self.check_downgrade_sentinel(rec, ch, sh, version)
        if version == TLS13:
            self.handshake = Tls13Handshake(self, ch_rec, ch_msg, ch, rec, msg, sh)
        elif version == TLS12:
            self.checks.add("hello", EXT_SUPPORTED_VERSIONS not in sh.ext,
                            "a TLS 1.2 ServerHello has no supported_versions extension",
                            "RFC 8446 4.2.1: servers selecting TLS 1.2 MUST NOT send it", rec.index)
            self.handshake = Tls12Handshake(self, ch_rec, ch_msg, ch, rec, msg, sh)
        else:
            self.checks.add("hello", False, "the negotiated version is TLS 1.2 or TLS 1.3",
                            f"version {self.info['version']} is not supported by this verifier", rec.index)
            self.stopped = "the negotiated version is not supported by this verifier"

    def check_downgrade_sentinel(self, rec: Record, ch: Hello, sh: Hello, version: int) -> None:
        """RFC 8446 4.1.3: a TLS 1.3 client that negotiates TLS 1.2 or below MUST check the last 8 bytes
        of ServerHello.random and abort with illegal_parameter if they are a downgrade sentinel."""
        if version >= TLS13 or TLS13 not in offered_versions(ch):
            return
        sentinel = DOWNGRADE_SENTINELS.get(sh.random[-8:])
        self.checks.add("hello", sentinel is None,
                        "no downgrade sentinel in ServerHello.random (the client offered TLS 1.3)",
                        f"the random ends with DOWNGRD ({sentinel} sentinel): the server supports TLS 1.3, so "
                        "the offer was altered on the way; the client MUST abort with illegal_parameter "
                        "(RFC 8446 4.1.3)", rec.index)

    def on_change_cipher_spec(self, rec: Record, payload: bytes) -> None:
        ok = payload == b"\x01"
        self.checks.add("handshake", ok, f"{rec.label}: ChangeCipherSpec is the single byte 01",
                        f"payload {show(payload)}", rec.index)
        if self.handshake is None:
            raise Malformed("ChangeCipherSpec before the hellos were exchanged")
        self.handshake.on_change_cipher_spec(rec)

    def on_alert(self, rec: Record, d: Direction, payload: bytes) -> None:
        """RFC 8446 6 / RFC 5246 7.2: level(1) description(1), possibly several in a record."""
        if not payload or len(payload) % 2:
            self.checks.add("handshake", False, f"{rec.label}: alert is well-formed",
                            f"alert payload of {len(payload)} bytes", rec.index)
            return
        for i in range(0, len(payload), 2):
            level, description = payload[i], payload[i + 1]
            d.alerts.append((rec.index, level, description))

    # -- end of verification ---------------------------------------------------
    def report_listed_but_unverified(self) -> None:
        names = CONTRACT_NAMES_13 if self.info["version"] == "TLS 1.3" else CONTRACT_NAMES_12
        for name in sorted(self.t.listed):
            generation = re.fullmatch(r"(client|server)_application_(traffic_secret_[1-9]\d*|[1-9]\d*_(key|iv))", name)
            known = name in names or (generation is not None and names is CONTRACT_NAMES_13)
            if known and name not in self.compared and name not in self.used_as_input:
                sides = ", ".join(s for s, _ in self.t.listed[name])
                self.checks.skip("secret", f"{name} (listed by {sides})",
                                 "not recomputed: the verification did not get that far or it does not apply")


CONTRACT_NAMES_12 = {
    "client_random", "server_random", "premaster_secret", "master_secret", "client_write_mac_key",
    "server_write_mac_key", "client_write_key", "server_write_key", "client_write_iv", "server_write_iv",
    "client_verify_data", "server_verify_data", "client_key_share_private", "server_key_share_private",
    "key_block", "pkcs1_block", "encrypted_premaster_secret"}
CONTRACT_NAMES_13 = {
    "psk", "resumption_psk", "binder_key", "binder_finished_key", "psk_binder", "client_early_traffic_secret",
    "client_early_key", "client_early_iv", "early_exporter_master_secret", "derived_for_handshake",
    "derived_for_master",
    "client_random", "server_random", "client_key_share_private", "server_key_share_private",
    "shared_secret", "early_secret", "handshake_secret", "client_handshake_traffic_secret",
    "server_handshake_traffic_secret", "master_secret", "client_application_traffic_secret_0",
    "server_application_traffic_secret_0", "exporter_master_secret", "resumption_master_secret",
    "client_handshake_key", "client_handshake_iv", "server_handshake_key", "server_handshake_iv",
    "client_application_key", "client_application_iv", "server_application_key", "server_application_iv",
    "client_finished_key", "server_finished_key", "client_verify_data", "server_verify_data"}


class HandshakeBase:
    """What TLS 1.2 and TLS 1.3 share: the transcript, message order and (EC)DHE."""

    hash: str = "sha256"

    def __init__(self, v: Verifier) -> None:
        self.v, self.checks = v, v.checks
        self.messages: list[bytes] = []                     # the handshake transcript
        self.allowed: dict[str, set] = {"client": set(), "server": set()}
        self.finished_ok: dict[str, bool] = {}              # side -> its Finished verified?
        self.server_key = None
        self.client_key = None

    def transcript_hash(self) -> bytes:
        return digest(self.hash, b"".join(self.messages))

    def check_order(self, rec: Record, htype: int) -> None:
        name = HANDSHAKE_TYPES.get(htype, f"handshake type {htype}")
        allowed = self.allowed[rec.sender]
        if htype not in allowed:
            expected = ", ".join(HANDSHAKE_TYPES.get(a, str(a)) if isinstance(a, int) else a
                                 for a in sorted(allowed, key=str)) or "nothing"
            raise Malformed(f"{name} from the {rec.sender} is out of order (expected: {expected})")

    def key_exchange(self, group_code: int, client_pub: bytes, client_rec: Record,
                     server_pub: bytes, server_rec: Record) -> bytes | None:
        """Recompute both public keys from the listed private shares and the shared secret
        (RFC 8446 7.4, RFC 8422 5.10, RFC 7748 6). Returns the shared secret or None."""
        group = GROUPS.get(group_code)
        if group is None:
            self.checks.add("key-exchange", False, f"group {group_name(group_code)} is supported",
                            "this verifier knows secp256r1/384r1/521r1, x25519 and x448", server_rec.index)
            return None
        results = []
        for side, own, own_rec, peer in (("client", client_pub, client_rec, server_pub),
                                         ("server", server_pub, server_rec, client_pub)):
            name = f"{side}_key_share_private"
            candidates = self.v.listed_values(name)
            if not candidates:
                self.checks.skip("key-exchange", f"the {side}'s key share matches its private key",
                                 f"no {name} is listed", own_rec.index)
                continue
            try:
                private, which = self.matching_private_key(group, candidates, own)
            except ValueError as exc:
                self.checks.add("key-exchange", False, f"{name} is a valid {group.name} private key", str(exc))
                continue
            self.checks.same("key-exchange", f"the {side}'s {group.name} public key on the wire = "
                             f"public key of {name}{which}", found=own, expected=group.public_bytes(private),
                             record=own_rec.index)
            try:
                shared = group.exchange(private, group.load_public(peer))
            except ValueError as exc:
                peer_rec = server_rec if side == "client" else client_rec
                self.checks.add("key-exchange", False, f"the {other(side)}'s {group.name} public key is usable",
                                str(exc), peer_rec.index)
                continue
            results.append((side, shared))
        if len(results) == 2:
            self.checks.same("key-exchange", "client and server derive the same (EC)DHE shared secret",
                             found=results[1][1], expected=results[0][1], record=server_rec.index)
        return results[0][1] if results else None

    @staticmethod
    def matching_private_key(group: "Group", candidates: list[bytes], public: bytes):
        """The listed private share whose public key is on the wire. A client lists one share per key
        share it generated (after a HelloRetryRequest, one per ClientHello): the last one is reported if
        none matches."""
        for number, raw in enumerate(candidates):
            try:
                private = group.load_private(raw)
            except ValueError:
                continue
            if group.public_bytes(private) == public:
                return private, (f" (listed value #{number + 1} of {len(candidates)})" if len(candidates) > 1 else "")
        return group.load_private(candidates[-1]), ""

    def load_certificate(self, rec: Record, certs: list[bytes]):
        key = load_leaf(self.checks, certs, rec.sender, rec)
        if rec.sender == "server":
            if key is not None and self.v.opts.server_keys:
                self.checks.add("certificate", self.v.opts.key_for(key) is not None,
                                "the server's certificate holds the public key of a --server-key",
                                "no --server-key matches it (wrong key file?)", rec.index)
            self.server_key = key
        else:
            self.client_key = key
        return key

    def check_signature(self, rec: Record, key, scheme: int, signature: bytes, message: bytes, what: str) -> None:
        if key is None:
            self.checks.skip("signature", what, "no certificate public key to verify it with", rec.index)
            return
        problem = verify_signature(key, scheme, signature, message)
        self.checks.add("signature", problem is None, f"{what} ({scheme_name(scheme)}) verifies",
                        problem or "", rec.index)

    def at_end(self) -> None:
        pass


# ---------------------------------------------------------------------------
# 11. The TLS 1.2 handshake (RFC 5246, RFC 8422, RFC 7627, RFC 7366)
# ---------------------------------------------------------------------------

class Tls12Handshake(HandshakeBase):
    def __init__(self, v: Verifier, ch_rec: Record, ch_msg: bytes, ch: Hello,
                 sh_rec: Record, sh_msg: bytes, sh: Hello) -> None:
        super().__init__(v)
        self.ch, self.sh, self.ch_rec = ch, sh, ch_rec
        self.messages = [ch_msg, sh_msg]
        self.suite = SUITES12.get(sh.suite)
        self.group = None
        self.server_pub = self.server_pub_rec = self.client_pub = None
        self.master: bytes | None = None
        self.premaster: bytes | None = None
        self.keys: dict[str, Protection12] = {}
        self.client_auth = False
        self.client_certs: list[bytes] = []
        self.rsa_encrypted_premaster: bytes | None = None
        self.ccs_allowed = {"client": False, "server": False}
        self.check_server_hello(sh_rec)
        if self.suite is None:
            v.checks.add("hello", False, f"cipher suite {suite_name(sh.suite)} is supported by this verifier",
                         "supported: the ECDHE/RSA suites with AES-GCM, AES-CBC and ChaCha20-Poly1305",
                         sh_rec.index)
            v.stopped = "the cipher suite is not supported by this verifier"
            return
        self.hash = self.suite.prf
        # A full handshake continues with the server's Certificate; an abbreviated
        # (resumed) one with NewSessionTicket or ChangeCipherSpec (RFC 5246 7.3).
        self.allowed["server"] = {11, 4}
        self.ccs_allowed["server"] = True
        self.abbreviated: bool | None = None      # known at the server's first message after ServerHello
        self.session_echoed = bool(ch.session_id) and sh.session_id == ch.session_id
        self.session, self.session_how = self.resumable_session()
        self.tickets: list[bytes] = []            # RFC 5077 tickets issued in this connection

    # -- ServerHello -------------------------------------------------------------
    def check_server_hello(self, rec: Record) -> None:
        """RFC 5246 7.4.1.3, RFC 7627 5.1, RFC 7366 2."""
        ch, sh, v = self.ch, self.sh, self.v
        v.compare_listed("server_random", sh.random, rec, kind="hello")
        self.checks.add("hello", sh.compressions == [0] and 0 in ch.compressions,
                        "compression method is null", f"server chose {sh.compressions}", rec.index)
        for ext, name, rfc in ((EXT_EXTENDED_MASTER_SECRET, "extended_master_secret", "RFC 7627 5.1"),
                               (EXT_ENCRYPT_THEN_MAC, "encrypt_then_mac", "RFC 7366 2")):
            if ext in sh.ext:
                self.checks.add("hello", ext in ch.ext, f"the server's {name} answers the client's",
                                f"{rfc}: the server MUST NOT send it unless the client did", rec.index)
        self.ems = EXT_EXTENDED_MASTER_SECRET in sh.ext and EXT_EXTENDED_MASTER_SECRET in ch.ext
        suite = SUITES12.get(sh.suite)
        is_cbc = suite is not None and suite.cipher == "AES-CBC"
        if EXT_ENCRYPT_THEN_MAC in sh.ext and suite is not None and not is_cbc:
            self.checks.add("hello", False, "no encrypt_then_mac with an AEAD suite",
                            "RFC 7366 3: the server MUST NOT send it when selecting an AEAD suite", rec.index)
        self.etm = is_cbc and EXT_ENCRYPT_THEN_MAC in sh.ext and EXT_ENCRYPT_THEN_MAC in ch.ext
        v.info["ems"] = "yes" if self.ems else "no"
        v.info["etm"] = ("yes" if self.etm else "no") if is_cbc else "n/a"

    # -- message dispatch ----------------------------------------------------------
    def on_message(self, rec: Record, htype: int, msg: bytes) -> None:
        if htype == 0 and rec.sender == "server":
            return                                       # HelloRequest: not in the transcript
        self.check_order(rec, htype)
        if rec.sender == "server" and self.abbreviated is None:
            self.decide_abbreviated(rec, abbreviated=htype != 11)
        handler = {
            ("server", 11): self.on_server_certificate, ("server", 12): self.on_server_key_exchange,
            ("server", 13): self.on_certificate_request, ("server", 14): self.on_server_hello_done,
            ("server", 4): self.on_new_session_ticket, ("server", 20): self.on_finished,
            ("client", 11): self.on_client_certificate, ("client", 16): self.on_client_key_exchange,
            ("client", 15): self.on_certificate_verify, ("client", 20): self.on_finished,
        }.get((rec.sender, htype))
        if handler is None:
            raise Malformed(f"{HANDSHAKE_TYPES.get(htype, htype)} from the {rec.sender} is not handled")
        handler(rec, msg)

    def on_server_certificate(self, rec: Record, msg: bytes) -> None:
        key = self.load_certificate(rec, parse_certificate_list_12(msg[4:]))
        self.messages.append(msg)
        self.ccs_allowed["server"] = False
        if key is not None:
            wanted = rsa.RSAPublicKey if self.suite.auth == "RSA" else (ec.EllipticCurvePublicKey,
                                                                        ed25519.Ed25519PublicKey)
            self.checks.add("certificate", isinstance(key, wanted),
                            f"the certificate's key type fits {self.suite.name}",
                            f"found {type(key).__name__}", rec.index)
        self.allowed["server"] = {12} if self.suite.kx == "ECDHE" else {13, 14}

    def on_server_key_exchange(self, rec: Record, msg: bytes) -> None:
        """RFC 8422 5.4: ServerECDHParams (curve_type 3, named_curve, point) then a signature
        over client_random || server_random || params (RFC 5246 7.4.3)."""
        r = Reader(msg[4:], "ServerKeyExchange")
        curve_type = r.u8()
        if curve_type != 3:
            raise Malformed(f"ServerKeyExchange: curve_type {curve_type}, only named_curve (3) is allowed")
        self.group = r.u16()
        self.server_pub = r.vec(1)
        params = msg[4:4 + r.pos]
        scheme, signature = parse_signed(r, "ServerKeyExchange signature")
        self.server_pub_rec = rec
        self.v.info["group"] = group_name(self.group)
        groups = u16_vector_extension(self.ch, EXT_SUPPORTED_GROUPS, "ClientHello supported_groups")
        if groups is not None:
            self.checks.add("hello", self.group in groups,
                            f"the server's group {group_name(self.group)} was offered by the client",
                            f"client offered {[group_name(g) for g in groups]}", rec.index)
        self.check_scheme_offered(rec, scheme)
        self.check_signature(rec, self.server_key, scheme, signature,
                             self.ch.random + self.sh.random + params, "the ServerKeyExchange signature")
        self.messages.append(msg)
        self.allowed["server"] = {13, 14}

    def check_scheme_offered(self, rec: Record, scheme: int) -> None:
        offered = u16_vector_extension(self.ch, EXT_SIGNATURE_ALGORITHMS, "ClientHello signature_algorithms")
        if offered is not None:
            self.checks.add("signature", scheme in offered,
                            f"{scheme_name(scheme)} was offered in the client's signature_algorithms",
                            f"offered {[scheme_name(s) for s in offered]}", rec.index)

    def on_certificate_request(self, rec: Record, msg: bytes) -> None:
        self.client_auth = True
        self.messages.append(msg)
        self.allowed["server"] = {14}

    def on_server_hello_done(self, rec: Record, msg: bytes) -> None:
        if len(msg) != 4:
            raise Malformed("ServerHelloDone must be empty")
        self.messages.append(msg)
        self.allowed["server"] = set()
        self.allowed["client"] = {11} if self.client_auth else {16}

    def on_client_certificate(self, rec: Record, msg: bytes) -> None:
        self.client_certs = parse_certificate_list_12(msg[4:])
        self.load_certificate(rec, self.client_certs)
        self.messages.append(msg)
        self.allowed["client"] = {16}

    def on_client_key_exchange(self, rec: Record, msg: bytes) -> None:
        r = Reader(msg[4:], "ClientKeyExchange")
        if self.suite.kx == "ECDHE":
            client_pub = self.client_pub = r.vec(1)   # RFC 8422 5.7: ClientECDiffieHellmanPublic
            r.done()
            if self.server_pub is None:
                raise Malformed("ClientKeyExchange without a ServerKeyExchange")
            premaster = self.key_exchange(self.group, client_pub, rec, self.server_pub, self.server_pub_rec)
            if premaster is not None:
                self.v.compare_listed("premaster_secret", premaster, rec)
        else:
            encrypted = r.vec(2)                      # RFC 5246 7.4.7.1: EncryptedPreMasterSecret
            r.done()
            self.rsa_encrypted_premaster = encrypted
            premaster = self.rsa_premaster(rec, encrypted)
        if premaster is None:
            premaster = self.v.listed_one("premaster_secret")
            if premaster is not None:
                self.checks.skip("key-exchange", "premaster_secret recomputed",
                                 "cannot be recomputed here; the listed premaster_secret is used", rec.index)
        if premaster is not None and self.suite.kx == "RSA":
            # RFC 5246 7.4.7.1: client_version (the ClientHello's) followed by 46 random bytes.
            version = self.ch.legacy_version.to_bytes(2, "big")
            self.checks.add("key-exchange", len(premaster) == 48 and premaster[:2] == version,
                            "the RSA premaster is 48 bytes starting with the ClientHello version",
                            f"{len(premaster)} bytes starting {premaster[:2].hex()}", rec.index)
        self.premaster = premaster
        self.messages.append(msg)
        self.session_hash = self.transcript_hash()   # ClientHello .. ClientKeyExchange (RFC 7627 3)
        self.derive_master_secret(rec)
        needs_verify = self.client_auth and bool(self.client_certs)
        self.allowed["client"] = {15} if needs_verify else set()
        self.ccs_allowed["client"] = not needs_verify

    def rsa_premaster(self, rec: Record, encrypted: bytes) -> bytes | None:
        """RFC 5246 7.4.7.1: the premaster is PKCS#1 v1.5-encrypted to the server's RSA key."""
        self.v.compare_listed("encrypted_premaster_secret", encrypted, rec, kind="key-exchange")
        key = self.v.opts.key_for(self.server_key)
        if key is None or not isinstance(key, rsa.RSAPrivateKey):
            why = ("give the server's RSA key with --server-key to decrypt it" if not self.v.opts.server_keys
                   else "no --server-key matches the server's certificate")
            self.checks.skip("key-exchange", "premaster_secret decrypted from ClientKeyExchange",
                             f"RSA key exchange: {why}", rec.index)
            return None
        self.check_pkcs1_block(rec, key, encrypted)
        try:
            premaster = key.decrypt(encrypted, padding.PKCS1v15())
        except ValueError as exc:
            self.checks.add("key-exchange", False, "the ClientKeyExchange decrypts with --server-key",
                            str(exc), rec.index)
            return None
        self.v.compare_listed("premaster_secret", premaster, rec)
        return premaster

    def check_pkcs1_block(self, rec: Record, key, encrypted: bytes) -> None:
        """RFC 8017 7.2.2 (RFC 5246 7.4.7.1): the raw RSA decryption is EM = 0x00 || 0x02 || PS || 0x00 || M,
        PS at least 8 non-zero bytes, M the 48-byte premaster."""
        numbers = key.private_numbers()
        n, d = numbers.public_numbers.n, numbers.d
        k = (n.bit_length() + 7) // 8
        block = pow(int.from_bytes(encrypted, "big"), d, n).to_bytes(k, "big")
        end = block.find(b"\x00", 2)
        self.checks.add("key-exchange", block[:2] == b"\x00\x02" and end >= 10 and len(block) - end - 1 == 48,
                        "the decrypted RSA block is 00 02 || >= 8 non-zero padding bytes || 00 || 48-byte premaster",
                        f"block starts {block[:4].hex()}, separator at {end}", rec.index)
        self.v.compare_listed("pkcs1_block", block, rec, kind="key-exchange")

    def derive_master_secret(self, rec: Record) -> None:
        """RFC 5246 8.1 (master secret) or RFC 7627 4 (extended master secret)."""
        if self.premaster is None:
            self.use_listed_master(rec, "the premaster secret is unknown")
            return
        master = self.master_secret_from(self.premaster)
        self.master = master
        self.v.compare_listed("master_secret", master, rec)
        self.derive_key_block(rec)

    def master_secret_from(self, premaster: bytes) -> bytes:
        if self.ems:
            return prf_tls12(self.hash, premaster, b"extended master secret", self.session_hash, 48)
        return prf_tls12(self.hash, premaster, b"master secret", self.ch.random + self.sh.random, 48)

    def use_listed_master(self, rec: Record, why: str) -> None:
        self.master = self.v.listed_one("master_secret")
        if self.master is None:
            self.checks.add("key-schedule", False, "a master secret is available", f"{why}, and no "
                            "master_secret is listed", rec.index)
            self.v.stopped = "no master secret: the protected records cannot be opened"
            return
        self.checks.skip("key-schedule", "master_secret recomputed", f"{why}; the listed master_secret is used",
                         rec.index)
        self.derive_key_block(rec)

    def derive_key_block(self, rec: Record) -> None:
        """RFC 5246 6.3: key_block = PRF(master, "key expansion", server_random || client_random)."""
        s = self.suite
        sizes = [("client_write_mac_key", s.mac_len), ("server_write_mac_key", s.mac_len),
                 ("client_write_key", s.key_len), ("server_write_key", s.key_len),
                 ("client_write_iv", s.iv_len), ("server_write_iv", s.iv_len)]
        block = prf_tls12(self.hash, self.master, b"key expansion", self.sh.random + self.ch.random,
                          sum(n for _, n in sizes))
        self.v.compare_listed("key_block", block, rec)
        values, pos = {}, 0
        for name, n in sizes:
            values[name], pos = block[pos:pos + n], pos + n
            self.v.compare_listed(name, values[name], rec)
        for side in SIDES:
            self.keys[side] = Protection12(s, values[f"{side}_write_mac_key"], values[f"{side}_write_key"],
                                           values[f"{side}_write_iv"], self.etm, side)

    def on_certificate_verify(self, rec: Record, msg: bytes) -> None:
        """RFC 5246 7.4.8: signed over all handshake messages so far (not hashed first)."""
        scheme, signature = parse_signed(Reader(msg[4:], "CertificateVerify"), "CertificateVerify")
        self.check_signature(rec, self.client_key, scheme, signature, b"".join(self.messages),
                             "the client's CertificateVerify signature")
        self.messages.append(msg)
        self.allowed["client"] = set()
        self.ccs_allowed["client"] = True

    def on_change_cipher_spec(self, rec: Record) -> None:
        side = rec.sender
        if not self.ccs_allowed[side]:
            raise Malformed(f"ChangeCipherSpec from the {side} is out of order")
        self.ccs_allowed[side] = False
        if side == "server" and self.abbreviated is None:
            self.decide_abbreviated(rec, abbreviated=True)
        if self.abbreviated and self.master is None and not self.v.stopped:
            self.resume_master_secret(rec)
        if side in self.keys:
            self.v.install(side, self.keys[side])
        self.allowed[side] = {20}

    def on_new_session_ticket(self, rec: Record, msg: bytes) -> None:
        r = Reader(msg[4:], "NewSessionTicket")       # RFC 5077 3.3: lifetime hint, ticket
        r.take(4)
        ticket = r.vec(2)
        r.done()
        self.check_ticket_announced(rec)
        self.tickets.append(ticket)
        self.messages.append(msg)
        self.allowed["server"] = set()
        self.ccs_allowed["server"] = True

    def on_finished(self, rec: Record, msg: bytes) -> None:
        """RFC 5246 7.4.9: verify_data = PRF(master, finished_label, Hash(handshake_messages))[0..11]."""
        side = rec.sender
        if self.v.dirs[side].protection is None:
            self.checks.add("finished", False, f"the {side}'s Finished is protected",
                            "Finished arrived before the side's ChangeCipherSpec", rec.index)
        if self.master is None:
            self.checks.skip("finished", f"the {side}'s Finished verify_data", "no master secret", rec.index)
            expected = None
        else:
            expected = prf_tls12(self.hash, self.master, f"{side} finished".encode(), self.transcript_hash(), 12)
            ok = self.checks.same("finished", f"the {side}'s Finished verify_data", found=msg[4:],
                                  expected=expected, record=rec.index)
            self.finished_ok[side] = ok
            self.v.compare_listed(f"{side}_verify_data", expected, rec)
        self.messages.append(msg)
        self.allowed[side] = set()
        if len(self.finished_ok) < 2:               # the other side's turn
            peer = other(side)
            if peer == "server":
                self.allowed["server"] = {4}
            self.ccs_allowed[peer] = True

    def at_end(self) -> None:
        if self.suite is not None:
            self.v.info["group"] = ("resumed" if self.abbreviated else
                                    group_name(self.group) if self.suite.kx == "ECDHE" else "RSA key exchange")
            self.remember_session()

    # -- session resumption (RFC 5246 7.3, 7.4.1.2-3; RFC 5077; RFC 7627 5.3) -------------
    def resumable_session(self) -> tuple["Session12 | None", str]:
        """The earlier session the client offers: by session ID (RFC 5246 7.4.1.2) or by the ticket in
        its SessionTicket extension (RFC 5077 3.1)."""
        ticket = self.ch.ext.get(EXT_SESSION_TICKET, b"")
        if ticket and ticket in self.v.cache.tickets12:
            return self.v.cache.tickets12[ticket], "its RFC 5077 ticket"
        if self.ch.session_id and self.ch.session_id in self.v.cache.sessions12:
            return self.v.cache.sessions12[self.ch.session_id], "its session ID"
        return None, ""

    def decide_abbreviated(self, rec: Record, abbreviated: bool) -> None:
        """RFC 5246 7.3: after ServerHello a full handshake goes on with Certificate, an abbreviated one with
        ChangeCipherSpec (RFC 5077 3.1: or NewSessionTicket). An echoed session ID means resumption
        (7.4.1.3); with a ticket the server echoes a non-empty session ID too (RFC 5077 3.4)."""
        self.abbreviated = abbreviated
        if self.session_echoed or abbreviated:
            self.checks.add("resumption", self.session_echoed == abbreviated,
                            "the ServerHello echoes the client's session ID exactly when it resumes",
                            f"session ID {'echoed' if self.session_echoed else 'not echoed'}, but the handshake "
                            f"is {'abbreviated' if abbreviated else 'full'} (RFC 5246 7.4.1.3, RFC 5077 3.4)",
                            rec.index)
        if abbreviated:
            self.v.info["resumed"] = "yes"

    def resume_master_secret(self, rec: Record) -> None:
        """An abbreviated handshake has no key exchange: it reuses the resumed session's master secret
        with the new randoms for the key block (RFC 5246 7.3, 6.3)."""
        s = self.session
        if s is None:
            self.use_listed_master(rec, "abbreviated handshake resuming a session not in this transcript")
            return
        self.checks.add("resumption", True, f"the abbreviated handshake resumes connection {s.connection}'s "
                        f"session, offered by {self.session_how}", record=rec.index)
        self.checks.add("resumption", self.sh.suite == s.suite,
                        "the resumed session keeps its cipher suite (RFC 5246 7.4.1.3)",
                        f"{suite_name(self.sh.suite)} now, {suite_name(s.suite)} in connection {s.connection}",
                        rec.index)
        self.checks.add("resumption", self.ems == s.ems,
                        "extended master secret is used exactly when the resumed session used it (RFC 7627 5.3)",
                        f"resumed session: {'with' if s.ems else 'without'} EMS; this handshake: "
                        f"{'with' if self.ems else 'without'}", rec.index)
        self.master = s.master
        self.v.compare_listed("master_secret", s.master, rec)
        self.derive_key_block(rec)

    def check_ticket_announced(self, rec: Record) -> None:
        """RFC 5077 3.2: a NewSessionTicket only if the client sent a SessionTicket extension and the server
        answered with an empty one."""
        self.checks.add("resumption", EXT_SESSION_TICKET in self.ch.ext and self.sh.ext.get(EXT_SESSION_TICKET) == b"",
                        "the NewSessionTicket was announced (SessionTicket in the ClientHello, empty SessionTicket "
                        "in the ServerHello)", "RFC 5077 3.2", rec.index)

    def remember_session(self) -> None:
        """A completed handshake's session can be resumed later: by its session ID or its tickets."""
        if not self.v.registers or self.master is None or not all(self.finished_ok.get(s) for s in SIDES):
            return
        session = Session12(self.v.t.conn.index, self.master, self.sh.suite, self.ems)
        if self.sh.session_id:
            self.v.cache.sessions12.setdefault(self.sh.session_id, session)
        for ticket in self.tickets:
            self.v.cache.tickets12[ticket] = session


# ---------------------------------------------------------------------------
# 12. The TLS 1.3 handshake (RFC 8446)
# ---------------------------------------------------------------------------

class Tls13Handshake(HandshakeBase):
    def __init__(self, v: Verifier, ch_rec: Record, ch_msg: bytes, ch: Hello,
                 sh_rec: Record, sh_msg: bytes, sh: Hello) -> None:
        super().__init__(v)
        self.ch, self.ch_msg, self.ch_rec = ch, ch_msg, ch_rec
        self.first_ch = ch
        self.suite = SUITES13.get(sh.suite)
        self.hrr: Hello | None = None
        self.server_share: tuple[int, bytes] | None = None
        self.secrets: dict[str, bytes] = {}
        self.psk_mode = False
        self.selected_psk: int | None = None
        self.early_data: str | None = None          # None, "offered", "accepted" or "rejected"
        self.client_handshake_keys: Protection13 | None = None
        self.cert_request_context: bytes | None = None
        self.generation = {"client": 0, "server": 0}
        self.update_requested: dict[str, int] = {}  # side -> record of its KeyUpdate(update_requested)
        self.tickets: list[tuple[Record, dict]] = []
        if self.suite is None:
            v.checks.add("hello", False, f"{suite_name(sh.suite)} is a TLS 1.3 cipher suite",
                         "RFC 8446 B.4 lists 0x1301..0x1305", sh_rec.index)
            v.stopped = "the cipher suite is not a TLS 1.3 suite"
            return
        self.hash = self.suite.hash
        self.hlen = HASHES[self.hash].digest_size
        if v.offer is not None and v.offer.early_data_offered:
            self.early_data = "offered"
        if sh.kind == "HelloRetryRequest":
            self.on_hello_retry_request(sh_rec, sh_msg, sh)
        else:
            self.messages = [ch_msg, sh_msg]
            self.on_server_hello(sh_rec, sh)

    # -- hellos ---------------------------------------------------------------
    def on_hello_retry_request(self, rec: Record, msg: bytes, hrr: Hello) -> None:
        """RFC 8446 4.1.4: the transcript restarts with message_hash(ClientHello1)."""
        self.hrr = hrr
        self.v.info["hrr"] = "yes"
        message_hash = bytes([254, 0, 0, self.hlen]) + digest(self.hash, self.ch_msg)
        self.messages = [message_hash, msg]
        self.hrr_group = None
        if EXT_KEY_SHARE in hrr.ext:
            r = Reader(hrr.ext[EXT_KEY_SHARE], "HelloRetryRequest key_share")
            self.hrr_group = r.u16()
            r.done()
            offered = [g for g, _ in client_key_shares(self.ch.ext.get(EXT_KEY_SHARE, b"\x00\x00"))]
            self.checks.add("hello", self.hrr_group not in offered,
                            f"the HelloRetryRequest asks for a group ({group_name(self.hrr_group)}) "
                            "the client had not sent a share for",
                            "RFC 8446 4.2.8: it MUST NOT name a group already in key_share", rec.index)
        if self.early_data == "offered":
            # RFC 8446 4.2.10: after a HelloRetryRequest the server skips the 0-RTT records by type.
            self.early_data = "rejected"
            self.v.reject_early_data(None, "0-RTT rejected by the HelloRetryRequest")
        self.allowed = {"client": {1}, "server": set()}

    def on_second_client_hello(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.1.2: the same ClientHello but for key_share (only the requested group), cookie (echoed),
        early_data (removed) and pre_shared_key (binders over the new transcript)."""
        ch2 = parse_client_hello(msg)
        self.checks.add("hello", ch2.random == self.first_ch.random,
                        "the second ClientHello keeps the client random",
                        "RFC 8446 4.1.2: it must be the same ClientHello except for the listed changes", rec.index)
        if EXT_COOKIE in self.hrr.ext:
            self.checks.add("hello", ch2.ext.get(EXT_COOKIE) == self.hrr.ext[EXT_COOKIE],
                            "the second ClientHello echoes the HelloRetryRequest's cookie",
                            "RFC 8446 4.2.2: the client MUST copy the cookie", rec.index)
        if self.hrr_group is not None:
            groups = [g for g, _ in client_key_shares(ch2.ext.get(EXT_KEY_SHARE, b"\x00\x00"))]
            self.checks.add("hello", groups == [self.hrr_group],
                            f"the second ClientHello has exactly one key share, for {group_name(self.hrr_group)}",
                            f"it has {[group_name(g) for g in groups]} (RFC 8446 4.2.8)", rec.index)
        self.checks.add("hello", EXT_EARLY_DATA not in ch2.ext, "the second ClientHello offers no early data",
                        "RFC 8446 4.2.10: a client MUST NOT offer early data after a HelloRetryRequest", rec.index)
        self.ch, self.ch_msg, self.ch_rec = ch2, msg, rec
        if EXT_PRE_SHARED_KEY in ch2.ext:
            self.v.offer = PskOffer(self.v, rec, msg, ch2, prefix=list(self.messages))
        self.messages.append(msg)
        self.allowed = {"client": set(), "server": {2}}

    def on_server_hello_after_retry(self, rec: Record, msg: bytes) -> None:
        sh = parse_server_hello(msg)
        if sh.kind == "HelloRetryRequest":
            raise Malformed("a second HelloRetryRequest (RFC 8446 4.1.4 forbids it)")
        self.checks.add("hello", sh.suite == self.hrr.suite,
                        "the ServerHello keeps the HelloRetryRequest's cipher suite",
                        f"{suite_name(sh.suite)} vs {suite_name(self.hrr.suite)}", rec.index)
        self.messages.append(msg)
        self.on_server_hello(rec, sh)

    def on_server_hello(self, rec: Record, sh: Hello) -> None:
        """RFC 8446 4.1.3, then the key schedule up to the handshake traffic keys (7.1, 7.3)."""
        v, ch = self.v, self.ch
        v.compare_listed("server_random", sh.random, rec, kind="hello")
        self.checks.add("hello", sh.legacy_version == TLS12, "the ServerHello's legacy_version is 0x0303",
                        f"found 0x{sh.legacy_version:04x}", rec.index)
        self.checks.add("hello", sh.session_id == ch.session_id, "the ServerHello echoes the legacy_session_id",
                        "RFC 8446 4.1.3: legacy_session_id_echo", rec.index)
        self.checks.add("hello", sh.compressions == [0], "legacy_compression_method is 0",
                        f"found {sh.compressions}", rec.index)
        self.checks.add("hello", sh.suite in ch.suites, "the cipher suite is in the (final) ClientHello",
                        "", rec.index)
        for ext, name in ((EXT_EXTENDED_MASTER_SECRET, "extended_master_secret"),
                          (EXT_ENCRYPT_THEN_MAC, "encrypt_then_mac")):
            if ext in sh.ext:
                self.checks.add("hello", False, f"no {name} in a TLS 1.3 ServerHello",
                                "RFC 8446 4.1.3: only key_share, pre_shared_key and supported_versions", rec.index)
        v.info["ems"] = v.info["etm"] = "n/a"
        if EXT_PRE_SHARED_KEY in sh.ext:
            self.check_psk_key_exchange_mode(rec, sh)

        shared = None
        if EXT_KEY_SHARE in sh.ext:
            group, server_pub = server_key_share(sh.ext[EXT_KEY_SHARE])
            self.server_share = (group, server_pub)
            v.info["group"] = group_name(group)
            shares = dict(client_key_shares(ch.ext.get(EXT_KEY_SHARE, b"\x00\x00")))
            if not self.checks.add("hello", group in shares,
                                   f"the server's group {group_name(group)} has a client key share",
                                   f"client shares: {[group_name(g) for g in shares]}", rec.index):
                v.stopped = "no matching key share"
                return
            shared = self.key_exchange(group, shares[group], self.ch_rec, server_pub, rec)
            if shared is not None:
                v.compare_listed("shared_secret", shared, rec, kind="secret")
            else:
                shared = v.listed_one("shared_secret")
                if shared is not None:
                    self.checks.skip("key-exchange", "shared_secret recomputed",
                                     "no private key share listed; the listed shared_secret is used", rec.index)
        else:
            v.info["group"] = "none (psk_ke)"
            shared = bytes(self.hlen)                   # RFC 8446 7.1: 0 when there is no (EC)DHE

        early_secret = self.early_secret(rec, sh)
        if early_secret is None:
            return
        self.derive_handshake_secrets(rec, early_secret, shared)
        if self.early_data == "offered" and self.selected_psk != 0:
            self.reject_early_data(rec, "0-RTT rejected: the server did not accept the first PSK")

    def check_psk_key_exchange_mode(self, rec: Record, sh: Hello) -> None:
        """RFC 8446 4.2.9: the server must use a mode the client listed in psk_key_exchange_modes;
        psk_ke has no key_share in the ServerHello, psk_dhe_ke has one."""
        mode = PSK_DHE_KE if EXT_KEY_SHARE in sh.ext else PSK_KE
        name = "psk_dhe_ke" if mode == PSK_DHE_KE else "psk_ke"
        self.v.info["psk"] = name
        raw = self.ch.ext.get(EXT_PSK_KEY_EXCHANGE_MODES)
        modes = list(Reader(raw, "psk_key_exchange_modes").vec(1)) if raw is not None else []
        self.checks.add("hello", mode in modes, f"the PSK key exchange mode ({name}) was offered by the client",
                        f"psk_key_exchange_modes: {modes}", rec.index)

    def early_secret(self, rec: Record, sh: Hello) -> bytes | None:
        """RFC 8446 7.1: Early Secret = HKDF-Extract(0, PSK), with PSK = 0 when none is used."""
        if EXT_PRE_SHARED_KEY not in sh.ext:
            early = hkdf_extract(self.hash, bytes(self.hlen), bytes(self.hlen))
            self.v.compare_listed("early_secret", early, rec, kind="secret")
            return early
        self.psk_mode = True
        self.v.info["resumed"] = "yes"
        r = Reader(sh.ext[EXT_PRE_SHARED_KEY], "ServerHello pre_shared_key")
        selected = self.selected_psk = r.u16()
        r.done()
        offer = self.v.offer
        if offer is None or selected >= len(offer.identities):
            self.checks.add("hello", False, "the server selects a PSK identity the client offered",
                            f"selected_identity {selected}, offered {len(offer.identities) if offer else 0}",
                            rec.index)
            self.v.stopped = "the selected PSK was not offered"
            return None
        psk = offer.psk(selected, rec)
        if psk is None:
            return self.listed_early_secret(rec)
        ticket = offer.tickets[selected]
        if ticket is not None:
            self.checks.add("resumption", ticket.suite.hash == self.hash,
                            "the resumed PSK's hash is the cipher suite's hash (RFC 8446 4.2.11)",
                            f"ticket from a {ticket.suite.name} connection, now {self.suite.name}", rec.index)
        if selected != 0:
            self.v.compare_listed("psk", psk, rec, sides=("server",))
        early = hkdf_extract(self.hash, bytes(self.hlen), psk)
        self.v.compare_listed("early_secret", early, rec)
        offer.check_binder(selected, early, self.hash, sides=("server",))
        return early

    def listed_early_secret(self, rec: Record) -> bytes | None:
        early = self.v.listed_one("early_secret")
        if early is None:
            self.checks.add("key-schedule", False, "an early secret is available",
                            "a PSK was used, the PSK is not in the transcript and no early_secret is listed",
                            rec.index)
            self.v.stopped = "PSK handshake without a listed early_secret"
            return None
        self.checks.skip("key-schedule", "early_secret recomputed",
                         "a PSK was used and the PSK itself is not in the transcript; the listed early_secret "
                         "is used", rec.index)
        return early

    def derive_handshake_secrets(self, rec: Record, early: bytes, shared: bytes | None) -> None:
        h, hlen, v = self.hash, self.hlen, self.v
        empty_hash = digest(h, b"")
        if shared is not None:
            derived = derive_secret(h, early, "derived", empty_hash)
            v.compare_listed("derived_for_handshake", derived, rec)
            handshake_secret = hkdf_extract(h, derived, shared)
            v.compare_listed("handshake_secret", handshake_secret, rec)
        else:
            handshake_secret = v.listed_one("handshake_secret")
            if handshake_secret is not None:
                self.checks.skip("key-schedule", "handshake_secret recomputed", "the (EC)DHE shared secret "
                                 "is unknown; the listed handshake_secret is used", rec.index)
        th = self.transcript_hash()                                   # ClientHello .. ServerHello
        for side, letter in (("client", "c"), ("server", "s")):
            if handshake_secret is not None:
                secret = derive_secret(h, handshake_secret, f"{letter} hs traffic", th)
                v.compare_listed(f"{side}_handshake_traffic_secret", secret, rec)
            else:
                # Last resort (e.g. a transcript made from a key log): the listed traffic secret.
                secret = v.listed_one(f"{side}_handshake_traffic_secret")
                if secret is None:
                    self.checks.add("key-schedule", False, "the handshake traffic secrets are available",
                                    "no shared secret, handshake_secret or handshake traffic secrets", rec.index)
                    v.stopped = "the handshake traffic secrets are unknown"
                    return
                self.checks.skip("key-schedule", f"{side}_handshake_traffic_secret recomputed",
                                 "no shared or handshake secret; the listed traffic secret is used", rec.index)
            self.secrets[f"{side}_handshake"] = secret
            keys = self.traffic_protection(rec, side, "handshake", secret)
            if side == "client" and self.early_data == "offered":
                self.client_handshake_keys = keys       # 4.2.10: the client keeps its early keys for now
            else:
                v.install(side, keys)
            finished_key = hkdf_expand_label(h, secret, "finished", b"", hlen)   # 4.4.4
            v.compare_listed(f"{side}_finished_key", finished_key, rec)
            self.secrets[f"{side}_finished_key"] = finished_key
        if handshake_secret is not None:
            derived = derive_secret(h, handshake_secret, "derived", empty_hash)
            v.compare_listed("derived_for_master", derived, rec)
            self.secrets["master"] = hkdf_extract(h, derived, bytes(hlen))
            v.compare_listed("master_secret", self.secrets["master"], rec)
        else:
            self.secrets["master"] = None
        self.allowed = {"client": set(), "server": {8}}

    def traffic_protection(self, rec: Record, side: str, phase: str, secret: bytes,
                           names: tuple[str, str] | None = None) -> Protection13:
        """RFC 8446 7.3: write_key = HKDF-Expand-Label(secret, "key", "", key_length), iv likewise."""
        key = hkdf_expand_label(self.hash, secret, "key", b"", self.suite.key_len)
        iv = hkdf_expand_label(self.hash, secret, "iv", b"", 12)
        names = names or (f"{side}_{phase}_key", f"{side}_{phase}_iv")
        self.v.compare_listed(names[0], key, rec)
        self.v.compare_listed(names[1], iv, rec)
        return Protection13(self.suite, key, iv, f"{side} {phase}")

    # -- 0-RTT (RFC 8446 4.2.10) -------------------------------------------------
    def reject_early_data(self, rec: Record, why: str) -> None:
        self.early_data = "rejected"
        self.v.reject_early_data(self.client_handshake_keys, why)
        self.client_handshake_keys = None

    def on_early_data_indication(self, rec: Record, accepted: bool) -> None:
        """EncryptedExtensions says whether the server takes the 0-RTT data: it may only if the client
        offered it and the server selected the first PSK, with the ticket's cipher suite."""
        if not accepted:
            if self.early_data == "offered":
                self.reject_early_data(rec, "0-RTT rejected: no early_data in EncryptedExtensions")
            return
        offer = self.v.offer
        ticket = offer.tickets[0] if offer is not None and offer.tickets else None
        ok = self.early_data == "offered" and self.selected_psk == 0
        self.checks.add("hello", ok, "the server accepts early data only when it was offered, with the first PSK",
                        f"early data {self.early_data or 'not offered'}, selected PSK {self.selected_psk} "
                        "(RFC 8446 4.2.10)", rec.index)
        if ticket is not None:
            self.checks.add("resumption", ticket.suite.code == self.suite.code,
                            "0-RTT is accepted with the ticket's cipher suite (RFC 8446 4.2.10)",
                            f"ticket from {ticket.suite.name}, now {self.suite.name}", rec.index)
        if ok:
            self.early_data = "accepted"
            self.v.info["0-rtt"] = "accepted"

    def on_end_of_early_data(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.5: an empty message, under the early keys, that ends the 0-RTT data."""
        if len(msg) != 4:
            raise Malformed("EndOfEarlyData must be empty")
        protection = self.v.dirs["client"].protection
        self.checks.add("record", isinstance(protection, Protection13) and protection.early,
                        "EndOfEarlyData is protected with the client early traffic keys",
                        "RFC 8446 4.5", rec.index)
        self.messages.append(msg)
        self.v.install("client", self.client_handshake_keys)
        self.client_handshake_keys = None
        self.allowed["client"] = {11} if self.cert_request_context is not None else {20}

    def check_early_data_size(self) -> None:
        """RFC 8446 4.2.10: the 0-RTT data may not exceed the ticket's max_early_data_size."""
        offer = self.v.offer
        d = self.v.dirs["client"]
        sent = sum(len(r.plaintext or b"") for r in d.early_records if r.content_type == 23)
        ticket = offer.tickets[0] if offer is not None and offer.tickets else None
        if self.early_data == "accepted" and ticket is not None and ticket.max_early_data is not None:
            self.checks.add("resumption", sent <= ticket.max_early_data,
                            f"the 0-RTT data ({sent} bytes) fits the ticket's max_early_data_size "
                            f"({ticket.max_early_data})", "RFC 8446 4.2.10")

    # -- the rest of the handshake ------------------------------------------------
    def on_message(self, rec: Record, htype: int, msg: bytes) -> None:
        self.check_order(rec, htype)
        handler = {
            ("client", 1): self.on_second_client_hello, ("server", 2): self.on_server_hello_after_retry,
            ("server", 8): self.on_encrypted_extensions, ("server", 13): self.on_certificate_request,
            ("server", 11): self.on_certificate, ("client", 11): self.on_certificate,
            ("server", 15): self.on_certificate_verify, ("client", 15): self.on_certificate_verify,
            ("server", 20): self.on_finished, ("client", 20): self.on_finished,
            ("client", 5): self.on_end_of_early_data,
            ("server", 4): self.on_new_session_ticket,
            ("server", 24): self.on_key_update, ("client", 24): self.on_key_update,
        }.get((rec.sender, htype))
        if handler is None:
            raise Malformed(f"{HANDSHAKE_TYPES.get(htype, htype)} from the {rec.sender} is not handled")
        handler(rec, msg)

    def on_change_cipher_spec(self, rec: Record) -> None:
        """RFC 8446 5 and D.4: a middlebox-compatibility ChangeCipherSpec is dropped by the
        receiver, but only if it comes before the sender's Finished."""
        self.checks.add("handshake", rec.sender not in self.finished_ok,
                        f"{rec.label}: compatibility ChangeCipherSpec comes before the {rec.sender}'s Finished",
                        "RFC 8446 5: a later change_cipher_spec is an unexpected_message", rec.index)

    def on_encrypted_extensions(self, rec: Record, msg: bytes) -> None:
        r = Reader(msg[4:], "EncryptedExtensions")
        extensions = parse_extensions(r.vec(2), "EncryptedExtensions")
        r.done()
        forbidden = {EXT_KEY_SHARE, EXT_SUPPORTED_VERSIONS, EXT_PRE_SHARED_KEY, EXT_SIGNATURE_ALGORITHMS}
        bad = [t for t, _ in extensions if t in forbidden]
        self.checks.add("handshake", not bad, "EncryptedExtensions carries no ServerHello-only extension",
                        f"found extension(s) {bad} (RFC 8446 4.2 table)", rec.index)
        self.messages.append(msg)
        if self.early_data is not None or EXT_EARLY_DATA in dict(extensions):
            self.on_early_data_indication(rec, EXT_EARLY_DATA in dict(extensions))
        # RFC 8446 4.3.2, 4.4.2: a PSK handshake has no Certificate and no CertificateRequest.
        self.allowed["server"] = {20} if self.psk_mode else {11, 13}

    def on_certificate_request(self, rec: Record, msg: bytes) -> None:
        r = Reader(msg[4:], "CertificateRequest")
        self.cert_request_context = r.vec(1)
        r.vec(2)
        r.done()
        self.messages.append(msg)
        self.allowed["server"] = {11}

    def on_certificate(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.4.2."""
        context, certs = parse_certificate_13(msg[4:])
        side = rec.sender
        if side == "server":
            self.checks.add("handshake", context == b"", "the server's certificate_request_context is empty",
                            "", rec.index)
            if not certs:
                raise Malformed("the server's Certificate is empty")
        else:
            self.checks.add("handshake", context == self.cert_request_context,
                            "the client's certificate_request_context echoes the CertificateRequest", "", rec.index)
        self.load_certificate(rec, certs)
        self.messages.append(msg)
        if side == "server":
            self.allowed["server"] = {15}
        else:
            self.allowed["client"] = {15} if certs else {20}

    def on_certificate_verify(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.4.3: signed content = 64 x 0x20 || context string || 0x00 || Transcript-Hash."""
        side = rec.sender
        scheme, signature = parse_signed(Reader(msg[4:], "CertificateVerify"), "CertificateVerify")
        s = SIG_SCHEMES.get(scheme)
        if s is not None:
            self.checks.add("signature", s.family not in ("rsa_pkcs1",) and s.hash != "sha1",
                            f"{s.name} may sign a TLS 1.3 CertificateVerify",
                            "RFC 8446 4.4.3: RSASSA-PKCS1-v1_5 and SHA-1 are not allowed", rec.index)
        context = f"TLS 1.3, {side} CertificateVerify".encode()
        content = b"\x20" * 64 + context + b"\x00" + self.transcript_hash()
        key = self.server_key if side == "server" else self.client_key
        self.check_signature(rec, key, scheme, signature, content, f"the {side}'s CertificateVerify signature")
        self.messages.append(msg)
        self.allowed[side] = {20}

    def on_finished(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(... up to this message))."""
        side, v, h = rec.sender, self.v, self.hash
        expected = hmac_digest(h, self.secrets[f"{side}_finished_key"], self.transcript_hash())
        self.finished_ok[side] = self.checks.same("finished", f"the {side}'s Finished verify_data",
                                                  found=msg[4:], expected=expected, record=rec.index)
        v.compare_listed(f"{side}_verify_data", expected, rec)
        self.messages.append(msg)
        th = self.transcript_hash()
        master = self.secrets["master"]
        if side == "server":
            # 7.1: application traffic secrets and the exporter secret use ClientHello..server Finished.
            for peer, letter in (("client", "c"), ("server", "s")):
                name = f"{peer}_application_traffic_secret_0"
                if master is not None:
                    secret = derive_secret(h, master, f"{letter} ap traffic", th)
                    v.compare_listed(name, secret, rec)
                else:
                    secret = v.listed_one(name)
                    if secret is None:
                        self.checks.add("key-schedule", False, f"{name} is available",
                                        "no master secret and nothing listed", rec.index)
                        v.stopped = "the application traffic secrets are unknown"
                        return
                    self.checks.skip("key-schedule", f"{name} recomputed",
                                     "no master secret; the listed traffic secret is used", rec.index)
                self.secrets[f"{peer}_application"] = secret
                self.secrets[f"{peer}_application_protection"] = self.traffic_protection(
                    rec, peer, "application", secret)
            if master is not None:
                v.compare_listed("exporter_master_secret", derive_secret(h, master, "exp master", th), rec)
            v.install("server", self.secrets["server_application_protection"])
            self.allowed["server"] = {4, 24}
            if self.early_data == "accepted":
                self.allowed["client"] = {5}           # 4.5: EndOfEarlyData first
            else:
                self.allowed["client"] = {11} if self.cert_request_context is not None else {20}
        else:
            if master is not None:
                resumption = derive_secret(h, master, "res master", th)
                v.compare_listed("resumption_master_secret", resumption, rec)
                self.secrets["resumption"] = resumption
            v.install("client", self.secrets["client_application_protection"])
            self.allowed["client"] = {24}

    def on_new_session_ticket(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.6.1 (post-handshake, not part of the transcript)."""
        r = Reader(msg[4:], "NewSessionTicket")
        lifetime = r.uint(4)
        age_add = r.uint(4)
        nonce = r.vec(1)
        ticket = r.vec(2)
        if not ticket:
            raise Malformed("NewSessionTicket: empty ticket")
        extensions = dict(parse_extensions(r.vec(2), "NewSessionTicket"))
        r.done()
        self.checks.add("resumption", lifetime <= 604800,
                        f"the ticket lifetime ({lifetime} s) is at most 7 days", "RFC 8446 4.6.1", rec.index)
        max_early = None
        if EXT_EARLY_DATA in extensions:
            er = Reader(extensions[EXT_EARLY_DATA], "NewSessionTicket early_data")
            max_early = er.uint(4)
            er.done()
        self.tickets.append((rec, {"ticket": ticket, "nonce": nonce, "lifetime": lifetime, "age_add": age_add,
                                   "max_early_data": max_early}))

    def on_key_update(self, rec: Record, msg: bytes) -> None:
        """RFC 8446 4.6.3, 7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(N, "traffic upd", "", Hash.length)."""
        side = rec.sender
        if len(msg) != 5 or msg[4] not in (0, 1):
            raise Malformed("KeyUpdate must hold one byte, 0 or 1")
        if msg[4] == 1:
            self.update_requested[other(side)] = rec.index
        elif side in self.update_requested:
            del self.update_requested[side]          # the answer to the peer's request
        secret = hkdf_expand_label(self.hash, self.secrets[f"{side}_application"], "traffic upd", b"", self.hlen)
        self.secrets[f"{side}_application"] = secret
        self.generation[side] += 1
        n = self.generation[side]
        self.v.compare_listed(f"{side}_application_traffic_secret_{n}", secret, rec)
        self.v.install(side, self.traffic_protection(rec, side, f"application #{n}", secret,
                                                     (f"{side}_application_{n}_key", f"{side}_application_{n}_iv")))

    def at_end(self) -> None:
        if self.suite is None:
            return
        for side, index in self.update_requested.items():
            answered = self.v.stopped or self.v.dirs[side].blocked or self.v.t.status != "completed"
            if not answered:
                self.checks.add("handshake", False, f"the {side} answers the KeyUpdate(update_requested) "
                                "with its own KeyUpdate", "RFC 8446 4.6.3", index)
        if self.update_requested == {} and any(self.generation.values()):
            self.checks.add("handshake", True, "every KeyUpdate(update_requested) was answered with a KeyUpdate")
        self.check_early_data_size()
        self.remember_tickets()

    def remember_tickets(self) -> None:
        """RFC 8446 4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)."""
        if not self.tickets:
            return
        rms = self.secrets.get("resumption")
        if rms is None:
            rms = self.v.listed_one("resumption_master_secret")
            if rms is not None:
                self.checks.skip("resumption", "resumption_master_secret recomputed",
                                 "the listed resumption_master_secret is used for the tickets' PSKs")
        for number, (rec, t) in enumerate(self.tickets):
            psk = None
            if rms is not None:
                psk = hkdf_expand_label(self.hash, rms, "resumption", t["nonce"], self.hlen)
                self.v.compare_listed("resumption_psk", psk, rec,
                                      nth=number if len(self.tickets) > 1 else None)
            if self.v.registers:
                self.v.cache.tickets13.append(Ticket13(
                    self.v.t.conn.index, rec.index, t["ticket"], t["nonce"], t["lifetime"], t["age_add"],
                    t["max_early_data"], self.suite, psk))


# ---------------------------------------------------------------------------
# 12b. Resumption across connections (RFC 8446 4.2.10, 4.2.11, 4.6.1; RFC 5246 7.3; RFC 5077)
# ---------------------------------------------------------------------------
# Connections are verified in order. A completed connection leaves its TLS 1.2 session (by session ID
# and tickets) or its TLS 1.3 tickets (with the PSK derived from its resumption_master_secret) in the
# SessionCache; a later ClientHello that offers them is then checked against those values, so a
# resumed handshake is verified from values recomputed earlier in the same transcript.

@dataclass
class Ticket13:
    """A TLS 1.3 NewSessionTicket and the PSK it stands for."""
    connection: int
    record: int
    ticket: bytes
    nonce: bytes
    lifetime: int
    age_add: int
    max_early_data: int | None
    suite: Suite13
    psk: bytes | None


@dataclass
class Session12:
    """A completed TLS 1.2 session that can be resumed."""
    connection: int
    master: bytes
    suite: int
    ems: bool


@dataclass
class SessionCache:
    tickets13: list[Ticket13] = field(default_factory=list)
    sessions12: dict[bytes, Session12] = field(default_factory=dict)    # by session ID
    tickets12: dict[bytes, Session12] = field(default_factory=dict)     # by RFC 5077 ticket

    def ticket13(self, identity: bytes) -> Ticket13 | None:
        for t in self.tickets13:
            if t.ticket == identity:
                return t
        return None


def psk_binder(alg: str, early: bytes, prefix: list[bytes], truncated_hello: bytes,
               label: str = "res binder") -> tuple[bytes, bytes, bytes]:
    """RFC 8446 4.2.11.2 and 7.1: binder_key = Derive-Secret(Early Secret, "res binder", ""),
    finished_key = HKDF-Expand-Label(binder_key, "finished", "", Hash.length), and
    binder = HMAC(finished_key, Transcript-Hash(prefix || truncated ClientHello)); after a
    HelloRetryRequest the prefix is message_hash(ClientHello1) || HelloRetryRequest."""
    hlen = HASHES[alg].digest_size
    binder_key = derive_secret(alg, early, label, digest(alg, b""))
    finished_key = hkdf_expand_label(alg, binder_key, "finished", b"", hlen)
    return binder_key, finished_key, hmac_digest(alg, finished_key, digest(alg, b"".join(prefix) + truncated_hello))


class PskOffer:
    """The client's pre_shared_key offer (RFC 8446 4.2.11): its identities (tickets issued earlier in the
    transcript), its binders and, for the first identity, the early secret and the 0-RTT keys the client
    derives before the server answers (7.1: client_early_traffic_secret = Derive-Secret(Early Secret,
    "c e traffic", ClientHello))."""

    def __init__(self, v: Verifier, rec: Record, msg: bytes, ch: Hello, prefix: list[bytes]) -> None:
        self.v, self.checks, self.rec, self.msg, self.ch, self.prefix = v, v.checks, rec, msg, ch, prefix
        self.identities, self.binders, self.binders_len = parse_psk_offer(ch.ext[EXT_PRE_SHARED_KEY])
        self.tickets = [v.cache.ticket13(identity) for identity, _ in self.identities]
        self.early_data_offered = EXT_EARLY_DATA in ch.ext and not prefix
        self.binder_checked: set[int] = set()
        self.check_offer()
        self.client_side_key_schedule()

    @property
    def truncated_hello(self) -> bytes:
        """4.2.11.2: the ClientHello up to and including the identities (the binders list cut off)."""
        return self.msg[:len(self.msg) - self.binders_len]

    def check_offer(self) -> None:
        rec, ch = self.rec, self.ch
        self.checks.add("hello", ch.extensions[-1][0] == EXT_PRE_SHARED_KEY,
                        "pre_shared_key is the last ClientHello extension", "RFC 8446 4.2.11", rec.index)
        self.checks.add("hello", EXT_PSK_KEY_EXCHANGE_MODES in ch.ext,
                        "a ClientHello with pre_shared_key has psk_key_exchange_modes", "RFC 8446 4.2.9", rec.index)
        self.checks.add("hello", len(self.identities) == len(self.binders),
                        "one binder per offered PSK identity",
                        f"{len(self.identities)} identities, {len(self.binders)} binders", rec.index)
        for number, ((identity, obfuscated_age), ticket) in enumerate(zip(self.identities, self.tickets)):
            if ticket is None:
                self.checks.skip("resumption", f"PSK identity #{number} is a ticket issued earlier in the transcript",
                                 "not found among the NewSessionTickets of earlier connections", rec.index)
                continue
            self.checks.add("resumption", True, f"PSK identity #{number} is the ticket from connection "
                            f"{ticket.connection} (record #{ticket.record})", record=rec.index)
            age = (obfuscated_age - ticket.age_add) % 2 ** 32            # 4.2.11.1
            self.checks.add("resumption", age <= ticket.lifetime * 1000,
                            f"the ticket age ({age} ms = obfuscated_ticket_age - ticket_age_add) is within the "
                            f"ticket lifetime ({ticket.lifetime} s)", "RFC 8446 4.2.11.1, 4.6.1", rec.index)
        if EXT_EARLY_DATA in ch.ext and self.tickets and self.tickets[0] is not None:
            self.checks.add("resumption", self.tickets[0].max_early_data is not None,
                            "0-RTT is offered with a ticket that allows early data (early_data in NewSessionTicket)",
                            "RFC 8446 4.2.10, 4.6.1", rec.index)

    def psk(self, number: int, rec: Record | None = None) -> bytes | None:
        """The PSK of identity #number: recomputed from the issuing connection, else the listed one."""
        ticket = self.tickets[number] if number < len(self.tickets) else None
        if ticket is not None and ticket.psk is not None:
            return ticket.psk
        listed = self.v.listed_one("psk")
        if listed is not None:
            self.checks.skip("resumption", f"PSK of identity #{number} recomputed",
                             "the ticket is not in the transcript; the listed psk is used",
                             (rec or self.rec).index)
        return listed

    def client_side_key_schedule(self) -> None:
        """What the client computes from its first offered PSK before any answer: the binder, and with
        early data the client early traffic secret and keys (RFC 8446 7.1, 4.2.10)."""
        psk = self.psk(0)
        if psk is None:
            if self.early_data_offered:
                self.v.dirs["client"].rejecting_early = "the 0-RTT keys cannot be derived: the PSK is unknown"
            return
        ticket = self.tickets[0]
        alg = ticket.suite.hash if ticket is not None else self.hash_of_first_suite()
        self.v.compare_listed("psk", psk, self.rec, sides=("client",) if self.prefix else SIDES)
        early = hkdf_extract(alg, bytes(HASHES[alg].digest_size), psk)
        self.check_binder(0, early, alg, sides=("client",))
        if not self.early_data_offered:
            return
        if ticket is None:
            self.v.dirs["client"].rejecting_early = "the 0-RTT cipher suite is unknown (no ticket)"
            return
        ch_hash = digest(alg, self.msg)
        secret = derive_secret(alg, early, "c e traffic", ch_hash)
        self.v.compare_listed("client_early_traffic_secret", secret, self.rec)
        self.v.compare_listed("early_exporter_master_secret", derive_secret(alg, early, "e exp master", ch_hash),
                              self.rec)
        key = hkdf_expand_label(alg, secret, "key", b"", ticket.suite.key_len)
        iv = hkdf_expand_label(alg, secret, "iv", b"", 12)
        self.v.compare_listed("client_early_key", key, self.rec)
        self.v.compare_listed("client_early_iv", iv, self.rec)
        self.v.install("client", Protection13(ticket.suite, key, iv, "client early (0-RTT)", early=True))

    def hash_of_first_suite(self) -> str:
        suite = next((SUITES13[c] for c in self.ch.suites if c in SUITES13), None)
        return suite.hash if suite else "sha256"

    def check_binder(self, number: int, early: bytes, alg: str, sides: tuple[str, ...]) -> None:
        """RFC 8446 4.2.11.2: the binder proves the client holds the PSK; the server MUST verify it."""
        if number >= len(self.binders):
            return
        binder_key, finished_key, binder = psk_binder(alg, early, self.prefix, self.truncated_hello)
        # After a HelloRetryRequest the client binds both ClientHellos: its first listing is for
        # ClientHello1, its last for ClientHello2 (the one the server answers).
        twice = sum(1 for s, _ in self.v.t.listed.get("psk_binder", []) if s == "client") > 1
        pick = ("last" if self.prefix else "first") if twice else None
        if twice and not self.prefix:
            sides = tuple(s for s in sides if s == "client")
        for name, value in (("binder_key", binder_key), ("binder_finished_key", finished_key),
                            ("psk_binder", binder)):
            self.v.compare_listed(name, value, self.rec, sides=sides, nth=pick)
        if number in self.binder_checked:
            return
        self.binder_checked.add(number)
        after = " (transcript: message_hash, HelloRetryRequest, truncated ClientHello)" if self.prefix else ""
        self.checks.same("finished", f"the PSK binder of identity #{number} verifies{after}",
                         found=self.binders[number], expected=binder, record=self.rec.index)


# ---------------------------------------------------------------------------
# 13. Per connection: outcome and the failure that explains it
# ---------------------------------------------------------------------------

def alert_name(code: int) -> str:
    return ALERTS.get(code, f"alert {code}")


def all_alerts(v: Verifier) -> list[tuple[int, str, int, int]]:
    """[(record index, side, level, description)] in channel order."""
    out = [(i, side, level, desc) for side in SIDES for (i, level, desc) in v.dirs[side].alerts]
    return sorted(out)


def ending_alert(v: Verifier) -> tuple[int, str, int, int] | None:
    """The alert that ended a failed connection: the first one that is not close_notify
    (whatever follows a fatal alert is not part of the failure), else the last one."""
    alerts = all_alerts(v)
    for a in alerts:
        if a[3] != 0:
            return a
    return alerts[-1] if alerts else None


def check_outcome(v: Verifier) -> None:
    status, checks = v.t.status, v.checks
    if status == "incomplete":
        why = "the connection is \"incomplete\": only what is there was checked"
        if v.t.conn.replayed:
            why = "an attacker's replay that cannot finish the handshake: only what is there was checked"
        checks.skip("outcome", "outcome", why)
        return
    if status == "completed":
        check_completed(v)
    else:
        check_failed(v)


def check_completed(v: Verifier) -> None:
    checks, hs = v.checks, v.handshake
    finished = hs.finished_ok if hs else {}
    checks.add("outcome", all(finished.get(s) for s in SIDES),
               "handshake completed: both Finished messages received and verified",
               f"verified: {finished}")
    client_data = [(i, d) for i, d in v.dirs["client"].app_data if d]
    checks.add("outcome", bool(client_data), "the client sent application data (a request" +
               (f": {preview(client_data[0][1])})" if client_data else ")"),
               "no non-empty application data from the client")
    if client_data:
        first = client_data[0][0]
        answer = [(i, d) for i, d in v.dirs["server"].app_data if d and i > first]
        checks.add("outcome", bool(answer), "the server answered with application data (a response" +
                   (f": {preview(answer[0][1])})" if answer else ")"),
                   "no non-empty server application data after the client's request")
    alerts = all_alerts(v)
    unexpected = [(i, s, d) for i, s, _, d in alerts if d != 0]
    checks.add("outcome", not unexpected, "no alert other than close_notify",
               "; ".join(f"record #{i}: {s} sent {alert_name(d)}" for i, s, d in unexpected))
    for side in SIDES:
        d = v.dirs[side]
        if not d.alerts:
            checks.add("outcome", False, f"the {side} sent close_notify", "no alert record from that side")
            continue
        index, _, description = d.alerts[-1]
        later = [i for i, _ in d.app_data if i > index]
        checks.add("outcome", description == 0 and not later,
                   f"the {side}'s last alert is close_notify, after its application data",
                   f"last alert: {alert_name(description)} in record #{index}" +
                   (f"; application data follows in {later}" if later else ""), index)


def preview(data: bytes, limit: int = 28) -> str:
    """The start of some application data: as text if it is printable, else as hex."""
    head = data[:limit]
    if all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        text = head.decode("ascii").encode("unicode_escape").decode("ascii")
        return f'"{text}"' + ("..." if len(data) > limit else "") + f" {len(data)} bytes"
    return show(data, 12)


def check_failed(v: Verifier) -> None:
    checks, stated = v.checks, v.t.alert
    if not stated:
        checks.skip("outcome", "the failure's alert", "outcome.alert is not given")
        return
    ending = ending_alert(v)
    if ending is None:
        checks.add("outcome", False, "the failure's alert is on the wire",
                   "no alert record was found (or none could be opened)")
        return
    index, side, level, description = ending
    code = stated.get("code")
    checks.add("outcome", description == code,
               f"the failure's alert carries the stated code {code} "
               f"({alert_name(code) if code is not None else '?'})",
               f"record #{index} carries {description} ({alert_name(description)})", index)
    if stated.get("sent_by") is not None:
        checks.add("outcome", side == stated.get("sent_by"), f"the alert comes from the {stated.get('sent_by')}",
                   f"record #{index} comes from the {side}", index)
    wanted_level = stated.get("level")
    if isinstance(wanted_level, str) and wanted_level.lower() in ("warning", "fatal"):
        wanted_level = 1 if wanted_level.lower() == "warning" else 2
    if isinstance(wanted_level, int):
        checks.add("outcome", level == wanted_level, f"the alert's level is {wanted_level}",
                   f"record #{index} has level {level}", index)
    stated_name = stated.get("description")
    if isinstance(stated_name, str) and description in ALERTS:
        norm = lambda s: s.replace("_", "").replace("-", "").replace(" ", "").lower()
        checks.add("outcome", norm(stated_name) == norm(ALERTS[description]),
                   f"the stated description \"{stated_name}\" names alert {description}",
                   f"alert {description} is {ALERTS[description]}", index)


def explain_failures_by_outcome(v: Verifier) -> None:
    """In a "failed" connection, the flight that made the peer send its fatal alert (the peer's records
    since the alert sender's previous record) is expected to fail the check the alert is about: a
    tampered record -> bad_record_mac, a downgrade sentinel in ServerHello -> illegal_parameter."""
    stated = v.t.alert
    if v.t.status != "failed" or not stated or stated.get("sent_by") not in SIDES:
        return
    code, sender = stated.get("code"), stated["sent_by"]
    if v.t.view is not None and v.t.view != sender:
        return          # as the other side saw it, its own records are as it sent them: nothing to explain
    ending = ending_alert(v)
    alert_index = ending[0] if ending and ending[1] == sender else len(v.t.records) + max(
        (r.index for r in v.t.records), default=0)
    own = [r.index for r in v.t.records if r.sender == sender and r.index < alert_index]
    since = own[-1] if own else -1
    flight = {r.index for r in v.t.records if r.sender == other(sender) and since < r.index < alert_index}
    if not flight:
        earlier = [r.index for r in v.t.records if r.sender == other(sender) and r.index < alert_index]
        flight = set(earlier[-1:])
    kinds = EXPLAINED_BY.get(code, set())
    for c in v.checks.in_scope(v.t.conn.index, v.t.view):
        if c.status == FAIL and c.record in flight and c.kind in kinds and not c.listed:
            c.status = EXPECTED
            c.detail += f" [expected: this is why the {sender} sent {alert_name(code)}]"


def check_connection_summary(v: Verifier) -> None:
    """`connections[i]`: negotiated version, suite and group, `resumed` and `hello_retry` as seen on the wire."""
    conn, checks, info = v.t.conn, v.checks, v.info
    if conn.resumed is not None and (v.handshake is not None or conn.resumed):
        ok = bool(info.get("resumed")) == conn.resumed
        what = f"connections[{conn.index}].resumed = {str(conn.resumed).lower()} matches the handshake"
        detail = f"the handshake {'resumes' if info.get('resumed') else 'does not resume'} a session"
        checks.add("hello", ok, what, detail)
    if conn.hello_retry is not None:
        checks.add("hello", bool(info.get("hrr")) == conn.hello_retry,
                   f"connections[{conn.index}].hello_retry = {str(conn.hello_retry).lower()} matches the handshake",
                   f"HelloRetryRequest {'seen' if info.get('hrr') else 'not seen'}")
    n = conn.negotiated
    if not n or v.handshake is None:
        return
    for key, seen in (("version", info["version"]), ("cipher_suite", info["suite"]), ("group", info["group"])):
        if n.get(key) is not None:
            checks.add("hello", n[key] == seen, f"connections[{conn.index}].negotiated.{key} = {n[key]} "
                       "matches the hellos", f"the hellos negotiated {seen}")


def check_replay(t: Transcript, conn: Connection, checks: Checks) -> None:
    """A replayed connection: the attacker's records are copies of an earlier connection's."""
    for rec in conn.records:
        if not rec.replayed:
            continue
        copies = [r for r in t.records if r.connection < conn.index and r.sender == rec.sender and r.raw == rec.raw]
        checks.add("record", bool(copies), f"{rec.label} is a byte-for-byte replay of an earlier record" +
                   (f" (record #{copies[0].index}, connection {copies[0].connection})" if copies else ""),
                   "no earlier record from the same side has these bytes", rec.index)
    checks.skip("secret", f"the client side of connection {conn.index}",
                "an attacker replays recorded client records: there is no client and no client secret; the "
                "server's records are verified with the server's listed and recomputed values")


# ---------------------------------------------------------------------------
# 14. The whole transcript: key log, top-level outcome, eavesdropper
# ---------------------------------------------------------------------------

KEYLOG_LABELS = {
    "CLIENT_RANDOM": "master_secret",                                   # TLS 1.2
    "CLIENT_EARLY_TRAFFIC_SECRET": "client_early_traffic_secret",
    "EARLY_EXPORTER_SECRET": "early_exporter_master_secret",
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET": "client_handshake_traffic_secret",
    "SERVER_HANDSHAKE_TRAFFIC_SECRET": "server_handshake_traffic_secret",
    "CLIENT_TRAFFIC_SECRET_0": "client_application_traffic_secret_0",
    "SERVER_TRAFFIC_SECRET_0": "server_application_traffic_secret_0",
    "EXPORTER_SECRET": "exporter_master_secret",
}


def primary(runs: list[Verifier], conn: int) -> Verifier | None:
    """The pass that speaks for a connection: the wire, else the client's view (it writes the key log)."""
    mine = [v for v in runs if v.t.conn.index == conn]
    return next((v for v in mine if v.t.view is None), None) or next((v for v in mine if v.t.view == "client"),
                                                                     mine[0] if mine else None)


def value_of(v: Verifier, name: str) -> tuple[bytes | None, str]:
    if name in v.computed:
        return v.computed[name], "recomputed"
    if v.t.conn.listed.get(name):
        return v.t.conn.listed[name][0][1], "listed (not recomputed)"
    return None, ""


def check_keylog(t: Transcript, runs: list[Verifier], checks: Checks) -> None:
    """NSS key log format: LABEL <client_random hex> <secret hex>, one per line; each line belongs to the
    connection whose ClientHello carries that random (a replayed connection shares the random of the
    connection it replays: the line then belongs to the one whose value it holds)."""
    text = t.keylog
    if text is None or not text.strip():
        checks.skip("keylog", "key log", "the transcript has no key log")
        return
    by_random: dict[bytes, list[Verifier]] = {}
    for conn in t.connections:
        v = primary(runs, conn.index)
        if v is not None and v.first_client_hello:
            by_random.setdefault(v.first_client_hello[2].random, []).append(v)
    logged: set[int] = set()
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            label, random_hex, secret_hex = line.split()
            random, secret = bytes.fromhex(random_hex), bytes.fromhex(secret_hex)
        except ValueError:
            checks.add("keylog", False, f"key log line {number} is LABEL CLIENT_RANDOM SECRET", repr(line[:80]))
            continue
        if label == "RSA":
            check_keylog_rsa_line(runs, checks, number, random, secret)
            continue
        candidates = by_random.get(random, [])
        names = " or ".join(f"connection {v.t.conn.index}" for v in candidates)
        if not checks.add("keylog", bool(candidates), f"key log line {number} ({label}) names the client random of "
                          f"a connection" + (f" ({names})" if candidates else ""),
                          f"no ClientHello has the random {show(random, 8)}"):
            continue
        name = KEYLOG_LABELS.get(label)
        if name is None:
            checks.skip("keylog", f"key log line {number} ({label})", "label not checked by this verifier")
            continue
        values = [(v, *value_of(v, name)) for v in candidates]
        values = [(v, value, how) for v, value, how in values if value is not None]
        if not values:
            checks.skip("keylog", f"key log line {number} ({label})", f"{name} is neither recomputed nor listed")
            continue
        v, value, how = next(((v, value, how) for v, value, how in values if value == secret), values[0])
        if value == secret:
            logged.add(v.t.conn.index)
        checks.same("keylog", f"key log line {number}: {label} = {how} {name} of connection {v.t.conn.index}",
                    found=secret, expected=value)
    for conn in t.connections:
        v = primary(runs, conn.index)
        has_secrets = v is not None and any(n in v.computed for n in KEYLOG_LABELS.values())
        if has_secrets and conn.index not in logged:
            checks.skip("keylog", f"key log lines for connection {conn.index} ({conn.label})",
                        "the key log has no line with this connection's client random and secrets, so a "
                        "capture of it cannot be decrypted with the key log")


def check_keylog_rsa_line(runs: list[Verifier], checks: Checks, number: int, prefix: bytes,
                          premaster: bytes) -> None:
    """NSS "RSA" line: first 8 bytes of the encrypted premaster, then the premaster itself."""
    candidates = [v for v in runs if getattr(v.handshake, "rsa_encrypted_premaster", None)]
    match = next((v for v in candidates if v.handshake.rsa_encrypted_premaster[:8] == prefix), None)
    if match is None:
        checks.add("keylog", False, f"key log line {number} (RSA) names an encrypted premaster of this transcript",
                   "no RSA ClientKeyExchange starts with " + prefix.hex())
        return
    v, hs = match, match.handshake
    value, how = value_of(v, "premaster_secret")
    if value is not None:
        checks.same("keylog", f"key log line {number}: RSA premaster = {how} premaster_secret",
                    found=premaster, expected=value)
    checks.add("keylog", len(premaster) == 48 and premaster[:2] == hs.ch.legacy_version.to_bytes(2, "big"),
               f"key log line {number}: the RSA premaster is 48 bytes starting with the ClientHello version",
               f"{len(premaster)} bytes starting {premaster[:2].hex()}")
    if hs.master is not None:
        checks.same("keylog", f"key log line {number}: the RSA premaster gives the master secret in use",
                    found=hs.master_secret_from(premaster), expected=hs.master)


def check_overall_outcome(t: Transcript, checks: Checks) -> None:
    """The top-level outcome is the first connection that did not complete, else "completed"."""
    if not t.has_connections:
        return
    first = next((c for c in t.connections if c.status != "completed"), None)
    status, alert = (first.status, first.alert) if first else ("completed", None)
    checks.add("outcome", t.status == status and (t.alert or None) == (alert or None),
               "the top-level outcome is that of the first connection that did not complete" +
               (f" (connection {first.index})" if first else " (all completed)"),
               f"top level: {t.status} {t.alert or ''}; expected {status} {alert or ''}")
    for c in t.connections:
        checks.scoped(c.index)
        checks.add("outcome", True, f"connection {c.index} ({c.label}): {c.status}" +
                   (f" with {c.alert.get('description', c.alert.get('code'))} from the {c.alert.get('sent_by')}"
                    if c.alert else ""))
    checks.scoped(None)


def check_eavesdropper(t: Transcript, runs: list[Verifier], checks: Checks) -> None:
    """`eavesdropper` events: what a passive attacker recomputes after the run. Every value it derives
    must be the connection's real value, and every record it decrypts must say what the record says."""
    for event in t.events:
        if event.get("kind") != "eavesdropper":
            continue
        number = event.get("connection", 0)
        v = primary(runs, number if isinstance(number, int) else 0)
        if v is None:
            continue
        checks.scoped(v.t.conn.index)
        derivation = event.get("derivation")
        if isinstance(derivation, dict):
            items = [derivation] + [i for i in derivation.get("inputs", []) if isinstance(i, dict)]
            for item in items:
                name, hex_value = item.get("name"), item.get("hex")
                if not isinstance(name, str) or not isinstance(hex_value, str):
                    continue
                real, how = value_of(v, name)
                what = f"the eavesdropper's {name}" + ("" if item is derivation else " (an input)")
                if real is None:
                    checks.skip("eavesdropper", what, f"{name} is neither recomputed nor listed")
                else:
                    checks.same("eavesdropper", f"{what} = the connection's {how} value",
                                found=bytes.fromhex(hex_value), expected=real)
        text, index = event.get("text", ""), event.get("record")
        if isinstance(index, int) and isinstance(text, str) and "decrypts to: " in text:
            claimed = text.split("decrypts to: ", 1)[1]
            rec = next((r for r in v.t.records if r.index == index), None)
            plain = rec.plaintext.decode("utf-8", "replace") if rec is not None and rec.plaintext is not None else None
            checks.add("eavesdropper", plain == claimed, f"the eavesdropper's decryption of record #{index} is its "
                       "real plaintext", f"record #{index} holds {plain!r}", index)
    checks.scoped(None)


# ---------------------------------------------------------------------------
# 15. Report and command line
# ---------------------------------------------------------------------------

def verify_transcript(t: Transcript, opts: Options) -> tuple[Checks, list[Verifier]]:
    """Every connection in order (each with its own record layers and key schedule), sharing the
    sessions and tickets they leave for later connections; then the whole-file checks."""
    checks, cache, runs = Checks(), SessionCache(), []
    for conn in t.connections:
        scopes = scopes_of(conn)
        for number, scope in enumerate(scopes):
            checks.scoped(conn.index, scope.view)
            if conn.replayed and number == 0:
                check_replay(t, conn, checks)
            v = Verifier(scope, opts, checks, cache)
            v.registers = scope.view in (None, "server")      # one pass leaves the sessions behind
            v.run()
            runs.append(v)
        main_pass = primary(runs, conn.index)
        checks.scoped(conn.index, main_pass.t.view)
        check_connection_summary(main_pass)
    checks.scoped(None)
    check_keylog(t, runs, checks)
    check_overall_outcome(t, checks)
    check_eavesdropper(t, runs, checks)
    return checks, runs


def describe(v: Verifier) -> str:
    info = v.info
    extras = [f"{k} {info[k]}" for k in ("ems", "etm") if info.get(k) not in (None, "n/a")]
    extras += [k.upper() for k in ("hrr",) if info.get(k)]
    extras += [f"PSK {info['psk']}"] if info.get("psk") else []
    extras += [f"0-RTT {info['0-rtt']}"] if info.get("0-rtt") else []
    extras += ["RESUMED"] if info.get("resumed") else []
    return f"{info['version']}, {info['suite']}, group {info['group']}" + (f", {', '.join(extras)}" if extras else "")


def print_counts(items: list[Check], indent: str) -> None:
    for kind in KINDS:
        mine = [c for c in items if c.kind == kind]
        if not mine:
            continue
        counts = {s: sum(1 for c in mine if c.status == s) for s in (PASS, FAIL, EXPECTED, SKIP)}
        parts = [f"{counts[PASS]} ok"] + [f"{counts[s]} {s}" for s in (FAIL, EXPECTED, SKIP) if counts[s]]
        print(f"{indent}{kind:<13} {', '.join(parts)}")


def where(c: Check) -> str:
    parts = []
    if c.connection is not None:
        parts.append(f"conn {c.connection}" + (f", {c.view}'s view" if c.view else ""))
    if c.record is not None:
        parts.append(f"record #{c.record}")
    return f" [{'; '.join(parts)}]" if parts else ""


def verify_file(path: str, opts: Options, verbose: bool) -> int:
    """Verify one transcript and print its summary. Returns its exit status."""
    try:
        transcript = load_transcript(path)
    except InputError as exc:
        print(f"{path}: cannot verify: {exc}", file=sys.stderr)
        return 2
    try:
        checks, runs = verify_transcript(transcript, opts)
    except Exception:                                        # a bug, or input nobody foresaw
        print(f"{path}: cannot verify: unexpected error\n{traceback.format_exc()}", file=sys.stderr)
        return 2
    print(f"{path}")
    n = len(transcript.connections)
    print(f"  scenario {transcript.scenario!r} (seed {transcript.seed}), {len(transcript.records)} records" +
          (f" in {n} connections" if n > 1 else "") + f", outcome {transcript.status}")
    for v in runs:
        conn = v.t.conn
        title = f"connection {conn.index}" + (f" \"{conn.label}\"" if transcript.has_connections else "") + \
            (f" as seen by the {v.t.view}" if v.t.view else "")
        print(f"  {title}: {describe(v)} -> {conn.status}")
        print_counts(checks.in_scope(conn.index, v.t.view), "    ")
    whole = [c for c in checks.items if c.connection is None]
    if whole:
        print("  whole transcript:")
        print_counts(whole, "    ")
    if verbose:
        print("  all checks:")
        for c in checks.items:
            print(f"    {c.status:<8} {c.kind:<13} {c.what}{where(c)}" + (f": {c.detail}" if c.detail else ""))
    else:
        for status, title in ((SKIP, "not verified"), (EXPECTED, "expected failures")):
            listed = checks.with_status(status)
            if listed:
                print(f"  {title}:")
                for c in listed:
                    print(f"    - [{c.kind}] {c.what}{where(c)}: {c.detail}")
    failures = checks.with_status(FAIL)
    if failures:
        print(f"  FAILURES ({len(failures)}):")
        for c in failures:
            print(f"    x [{c.kind}] {c.what}{where(c)}: {c.detail}")
        print(f"  => FAIL")
        return 1
    print(f"  => PASS ({sum(1 for c in checks.items if c.status == PASS)} checks)")
    return 0


def load_server_key(path: str):
    """The server certificate's private key. An RSA key also decrypts an RSA ClientKeyExchange; any
    key is checked against the server's certificate."""
    try:
        with open(path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"--server-key {path}: {exc}") from None
    return key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Independently verify TLSLab transcripts (TLS 1.2 / TLS 1.3) against the RFCs.",
        epilog="Exit status: 0 all checks passed, 1 some check failed, 2 usage or input error.")
    parser.add_argument("transcripts", nargs="+", metavar="TRANSCRIPT.json")
    parser.add_argument("--server-key", metavar="PEM", action="append", default=[],
                        help="a server certificate's private key (PEM; may be repeated): checked against the "
                             "server's certificate and, if RSA, used to decrypt an RSA ClientKeyExchange")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every check")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    opts = Options()
    for path in args.server_key:
        try:
            opts.server_keys.append(load_server_key(path))
        except InputError as exc:
            print(exc, file=sys.stderr)
            return 2
    worst = 0
    for number, path in enumerate(args.transcripts):
        if number:
            print()
        worst = max(worst, verify_file(path, opts, args.verbose))
    return worst


if __name__ == "__main__":
    sys.exit(main())
