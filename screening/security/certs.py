"""Throwaway TLS material for the demo and the tests: a private CA, a server certificate
for the loopback names, and optional client certificates for mutual TLS.

Production certificates come from the operator's PKI; these exist so that what the tests
exercise is TLS, not a plaintext shortcut.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path
    server_cert: Path
    server_key: Path


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    os.chmod(path, 0o600)  # a private key is readable by its owner only


def _cert(subject: str, key, issuer_name: x509.Name, issuer_key, *, ca: bool,
          sans: list[x509.GeneralName] | None = None, client: bool = False,
          days: int = 30) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer_name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5))
               .not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if not ca:
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def generate_tls(out: Path, *, hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1"),
                 clients: tuple[str, ...] = ()) -> TlsFiles:
    """Write ca.pem, server.pem, server.key (and CLIENT.pem/.key for mutual TLS) in `out`.
    The CA key is not kept: nothing can be signed with it afterwards."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "screening throwaway CA")])
    ca = _cert("screening throwaway CA", ca_key, ca_name, ca_key, ca=True)
    sans: list[x509.GeneralName] = []
    for h in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            sans.append(x509.DNSName(h))
    server_key = _key()
    server = _cert(hosts[0], server_key, ca_name, ca_key, ca=False, sans=sans)
    files = TlsFiles(out / "ca.pem", out / "server.pem", out / "server.key")
    files.ca_cert.write_bytes(_pem(ca))
    files.server_cert.write_bytes(_pem(server))
    _write_key(server_key, files.server_key)
    for name in clients:
        key = _key()
        cert = _cert(name, key, ca_name, ca_key, ca=False, client=True)
        (out / f"{name}.pem").write_bytes(_pem(cert))
        _write_key(key, out / f"{name}.key")
    return files
