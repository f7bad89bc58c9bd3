"""Test helpers for the trust layer: throwaway TLS, credentials issued on demand, and
clients that connect over TLS with the credential of the role a test asks for."""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from screening.client import Client
from screening.security import credentials
from screening.security.certs import TlsFiles, generate_tls
from screening.settings import Settings

_lock = threading.Lock()
_tls: TlsFiles | None = None


def tls() -> TlsFiles:
    """One throwaway CA and server certificate for the whole test session."""
    global _tls
    with _lock:
        if _tls is None:
            _tls = generate_tls(Path(tempfile.mkdtemp(prefix="screening-tls-")),
                                clients=("mtls-client",))
        return _tls


def role_for(client_id: str) -> str:
    """Tests name clients by role: partner-*, centre-*, operator-*, admin-*."""
    for role in credentials.ROLES:
        if client_id.startswith(role) or client_id.startswith(f"test-{role}"):
            return role
    return "centre"


@dataclass
class Kit:
    """The credentials of one running server (its credentials file)."""

    path: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, client_id: str, role: str | None = None, **limits) -> str:
        with _lock:
            if client_id not in self.tokens:
                self.tokens[client_id] = credentials.issue(
                    self.path, client_id, role or role_for(client_id),
                    serves=limits.pop("serves", ["*"]), **limits)
            return self.tokens[client_id]


_kits: dict[int, Kit] = {}


def settings_for(data_dir: Path, **overrides) -> Settings:
    files = tls()
    base = {"tls_cert": str(files.server_cert), "tls_key": str(files.server_key)}
    return Settings(data_dir=Path(data_dir), port=0, **{**base, **overrides}).validate()


def register(port: int, settings: Settings) -> Kit:
    kit = Kit(settings.credentials_path)
    _kits[port] = kit
    return kit


def kit(port: int) -> Kit:
    return _kits[port]


def connect(port: int, client_id: str = "operator", role: str | None = None,
            **limits) -> Client:
    """A TLS client holding `client_id`'s credential (issued on first use)."""
    token = _kits[port].token(client_id, role, **limits)
    return Client(f"127.0.0.1:{port}", client_id=client_id, token=token,
                  ca_cert=str(tls().ca_cert))
