"""Token verification: a verified token is remembered only while the credentials file is
unchanged, so a revoked or replaced credential is refused on its next call."""

from __future__ import annotations

from screening.security import credentials


def test_a_remembered_token_is_forgotten_when_the_file_changes(tmp_path):
    path = tmp_path / "c.json"
    old = credentials.issue(path, "partner-1", "partner")
    store = credentials.CredentialStore(path)
    first = store.verify(old)
    assert first is not None and first.client_id == "partner-1"
    assert store.verify(old) is first  # remembered: no second keyed hash
    client, _, secret = old.partition(".")
    assert store.verify(f"{client}.{secret[:-1]}x") is None  # a near guess is not remembered
    new = credentials.issue(path, "partner-1", "partner")  # replaced: the old token is void
    assert store.verify(old) is None
    assert store.verify(new).client_id == "partner-1"
    credentials.revoke(path, "partner-1")
    assert store.verify(new) is None
