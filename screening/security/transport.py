"""Wiring of the trust layer into a gRPC server: TLS credentials, the interceptor, and
the refusal to expose a server beyond loopback without TLS and credentials."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import grpc

from screening.errors import FailedPrecondition
from screening.settings import Settings

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings) -> None:
    """Beyond loopback, police data travels only encrypted and only to known callers."""
    if is_loopback(settings.host):
        return
    if not settings.tls_cert:
        raise FailedPrecondition(f"refusing to serve on {settings.host} without TLS: set "
                                 "SCREENING_TLS_CERT and SCREENING_TLS_KEY", field="tls_cert")
    if settings.auth != "token":
        raise FailedPrecondition(f"refusing to serve on {settings.host} without client "
                                 "credentials (auth=none is for loopback development)",
                                 field="auth")


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    if not settings.tls_cert:
        return None
    pair = (Path(settings.tls_key).read_bytes(), Path(settings.tls_cert).read_bytes())
    client_ca = Path(settings.tls_client_ca).read_bytes() if settings.tls_client_ca else None
    return grpc.ssl_server_credentials([pair], root_certificates=client_ca,
                                       require_client_auth=client_ca is not None)


def interceptors(settings: Settings, service) -> list[grpc.ServerInterceptor]:
    if settings.auth == "none":
        return []
    from screening.audit import open_audit
    from screening.security.credentials import CredentialStore
    from screening.security.interceptor import TrustInterceptor
    from screening.security.limits import RateLimiter
    from screening.security.policy import Policy

    audit = open_audit(settings.audit_path)
    return [TrustInterceptor(CredentialStore(settings.credentials_path),
                             RateLimiter(settings.rate_limit_per_s),
                             Policy(service, audit, settings.max_manifest_passengers))]
