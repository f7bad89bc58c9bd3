"""Settings of the trust layer are validated at start-up, like the others."""

from __future__ import annotations

import pytest

from screening.errors import InvalidArgument
from screening.security.transport import is_loopback
from screening.settings import Settings, load_settings


@pytest.mark.parametrize("overrides,field", [
    ({"auth": "maybe"}, "auth"),
    ({"tls_cert": "server.pem"}, "tls_cert"),
    ({"tls_client_ca": "ca.pem"}, "tls_client_ca"),
    ({"rate_limit_per_s": -1}, "rate_limit_per_s"),
    ({"retention_days": -1}, "retention_days"),
    ({"delta_poll_s": -0.1}, "delta_poll_s"),
])
def test_bad_trust_settings_name_the_field(overrides, field):
    with pytest.raises(InvalidArgument) as err:
        Settings(**overrides).validate()
    assert err.value.field == field


def test_defaults_are_secure_and_paths_follow_the_data_dir(tmp_path):
    s = Settings(data_dir=tmp_path).validate()
    assert s.auth == "token"
    assert s.credentials_path == tmp_path / "credentials.json"
    assert s.audit_path == tmp_path / "audit"
    env = load_settings({"SCREENING_AUTH": "none", "SCREENING_RATE_LIMIT_PER_S": "5",
                         "SCREENING_AUDIT_DIR": "/var/audit"})
    assert (env.auth, env.rate_limit_per_s, str(env.audit_path)) == ("none", 5.0, "/var/audit")


@pytest.mark.parametrize("host,loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("10.1.2.3", False), ("screening.example", False), ("::", False),
])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback
