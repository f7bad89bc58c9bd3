"""End-to-end fixtures: a real gRPC server on a free loopback port over fixture data."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.client import Client
from screening.settings import Settings
from tests.fixtures import build_fixture_data


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data")
    build_fixture_data(path)
    return path


def start(data_dir: Path, **overrides):
    from screening.grpc.server import start_server

    settings = Settings(data_dir=data_dir, port=0, **overrides).validate()
    return start_server(settings)


@pytest.fixture(scope="module")
def server(data_dir):
    running = start(data_dir, max_manifest_passengers=50)
    yield running
    running.stop(grace=1)


@pytest.fixture()
def client(server):
    with Client(f"127.0.0.1:{server.port}", client_id="test-partner") as c:
        yield c
