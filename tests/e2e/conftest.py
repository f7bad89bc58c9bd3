"""End-to-end fixtures: a real gRPC server on a free loopback port over fixture data."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.followup.nats_server import NatsServer
from tests import trust
from tests.fixtures import build_fixture_data


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data")
    build_fixture_data(path)
    return path


def start(data_dir: Path, **overrides):
    """A real server over TLS that wants client credentials (tests.trust issues them)."""
    from screening.grpc.server import start_server

    settings = trust.settings_for(data_dir, **overrides)
    running = start_server(settings)
    trust.register(running.port, settings)
    return running


@pytest.fixture(scope="module")
def server(data_dir):
    running = start(data_dir, max_manifest_passengers=50)
    yield running
    running.stop(grace=1)


@pytest.fixture()
def client(server):
    # a centre: sees full match details (a partner sees only decisions, see test_trust)
    with trust.connect(server.port, "test-centre") as c:
        yield c


@pytest.fixture(scope="module")
def snapshot_dir(tmp_path_factory) -> Path:
    """A snapshot folder that servers copy into their own data folders (tests with NATS)."""
    path = tmp_path_factory.mktemp("snapshot")
    build_fixture_data(path)
    return path


@pytest.fixture()
def nats_server(tmp_path):
    """A real nats-server with JetStream on a free loopback port, storage in tmp."""
    with NatsServer(tmp_path / "nats") as ns:
        yield ns
