"""Per-client credentials: a bearer token per client, only a salted hash of it at rest.

The token is ``<client_id>.<secret>`` with 32 random bytes of secret. It is shown once,
when issued; the file keeps the salt and HMAC-SHA256(salt, secret). A slow password hash
is not needed: 256 random bits cannot be guessed offline, and a fast hash lets every call
be checked without a cache of plaintext tokens. The file is re-read when it changes, so
a revocation takes effect on the next call, without a restart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from screening.errors import InvalidArgument, NotFound

ROLES = ("partner", "centre", "operator", "admin")


@dataclass(frozen=True)
class Identity:
    """An authenticated caller."""

    client_id: str
    role: str
    # operator: the requesters (partners, centres) whose hits it follows up; "*" for all
    serves: frozenset[str] = field(default_factory=frozenset)
    rate_per_s: float = 0.0        # 0: the server default
    max_manifest: int = 0          # 0: the server default

    def serves_requester(self, requester: str) -> bool:
        if self.role == "centre":
            return requester == self.client_id  # a centre sees its own manifests only
        if self.role == "operator":
            return "*" in self.serves or requester in self.serves
        return self.role == "admin"


def _digest(salt: bytes, secret: str) -> str:
    return hmac.new(salt, secret.encode(), hashlib.sha256).hexdigest()


def _read(path: Path) -> dict:
    if not path.exists():
        return {"clients": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}-{uuid.uuid4().hex}")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


def issue(path: Path, client_id: str, role: str, *, serves: list[str] | None = None,
          rate_per_s: float = 0.0, max_manifest: int = 0, mtls: bool = False) -> str:
    """Create (or replace) a client's credential; returns the token, which is not stored."""
    if role not in ROLES:
        raise InvalidArgument(f"unknown role {role!r} ({', '.join(ROLES)})", field="role")
    if not client_id or "." in client_id or len(client_id) > 64:
        raise InvalidArgument("1 to 64 characters, no dot", field="client_id")
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    salt = secrets.token_bytes(16)
    data = _read(Path(path))
    data["clients"][client_id] = {
        "role": role, "salt": salt.hex(), "hash": _digest(salt, secret),
        "serves": sorted(serves or []), "rate_per_s": rate_per_s,
        "max_manifest": max_manifest,
        # mutual TLS: a client certificate with this common name also identifies it
        "mtls": mtls,
        "issued_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "revoked_at": None,
    }
    _write(Path(path), data)
    return f"{client_id}.{secret}"


def revoke(path: Path, client_id: str) -> None:
    data = _read(Path(path))
    entry = data["clients"].get(client_id)
    if entry is None:
        raise NotFound(f"no credential for {client_id!r}", field="client_id")
    entry["revoked_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    _write(Path(path), data)


def list_clients(path: Path) -> list[dict]:
    """Client ids, roles and dates: never the hashes."""
    return [{"client_id": cid, "role": e["role"], "serves": e.get("serves", []),
             "issued_at": e["issued_at"], "revoked_at": e["revoked_at"]}
            for cid, e in sorted(_read(Path(path))["clients"].items())]


class CredentialStore:
    """Verifies tokens against the credentials file, re-reading it when it changes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._clients: dict[str, dict] = {}
        # Tokens already verified against this version of the file, by their SHA-256: a
        # partner sends the same token on every call, and the keyed hash and the identity
        # cost more than the check's own decoding. Only tokens that verified get in (a
        # stranger's guesses cannot fill it); any change to the file (a revocation) empties it.
        self._verified: dict[bytes, Identity] = {}

    def _refresh(self) -> None:
        try:
            st = os.stat(self.path)
            # the inode too: every write replaces the file, and two writes within one tick
            # of the file-time clock can leave the same time and size
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp:
            return
        with self._lock:
            self._clients = _read(self.path)["clients"] if stamp else {}
            self._verified = {}
            self._stamp = stamp

    def verify(self, token: str) -> Identity | None:
        """The identity behind a token, or None (unknown, wrong secret or revoked)."""
        client_id, dot, secret = token.partition(".")
        if not dot or not secret:
            return None
        self._refresh()
        verified = self._verified  # this file version's (a refresh swaps in a new one)
        seen = hashlib.sha256(token.encode()).digest()
        identity = verified.get(seen)
        if identity is not None:
            return identity
        entry = self._clients.get(client_id)
        if entry is None or entry.get("revoked_at"):
            return None
        if not hmac.compare_digest(_digest(bytes.fromhex(entry["salt"]), secret), entry["hash"]):
            return None
        identity = verified[seen] = _identity(client_id, entry)
        return identity

    def by_certificate(self, common_name: str) -> Identity | None:
        """The identity of a verified client certificate, if its credential allows it."""
        self._refresh()
        entry = self._clients.get(common_name)
        if entry is None or entry.get("revoked_at") or not entry.get("mtls"):
            return None
        return _identity(common_name, entry)


def _identity(client_id: str, entry: dict) -> Identity:
    return Identity(client_id=client_id, role=entry["role"],
                    serves=frozenset(entry.get("serves") or ()),
                    rate_per_s=float(entry.get("rate_per_s") or 0),
                    max_manifest=int(entry.get("max_manifest") or 0))
