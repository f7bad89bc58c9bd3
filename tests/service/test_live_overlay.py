"""Live changes at the service level: a change racing a full reload holds on the new
version too; answers of the overlay name their version."""

from __future__ import annotations

from indexes.snapshot import build_snapshot
from screening import loader
from screening.domain import Flight, Passenger
from screening.live import manager
from screening.live.changes import Change
from screening.live.versions import set_current
from screening.service import ScreeningService
from screening.settings import Settings
from tests.fixtures import NOMINAL, build_fixture_data, write_jsonl

KARIMOV = Passenger(ref="k", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
                    date_of_birth="1970-05-12")


def _ids(service: ScreeningService) -> list[str]:
    return [m.record_id for m in service.check(KARIMOV, Flight(), "t").matches]


def test_change_racing_a_full_reload_holds_on_the_new_version(tmp_path, monkeypatch):
    build_fixture_data(tmp_path)
    build_snapshot(tmp_path, nominal=loader.read_nominal(write_jsonl(tmp_path / "n.jsonl",
                                                                     NOMINAL)))
    set_current(tmp_path, "v000001")
    service = ScreeningService(Settings(data_dir=tmp_path).validate())
    try:
        service.load()
        assert "N-1" in _ids(service)
        real = manager.write_delta
        calls = []

        def write_then_reload(data, base, changes):
            name = real(data, base, changes)
            calls.append(base)
            if len(calls) == 1:  # the reload watcher swaps in v000002 right now
                set_current(tmp_path, "v000002")
                service.load()
            return name
        monkeypatch.setattr(manager, "write_delta", write_then_reload)
        applied = service.apply_changes([Change("cancel", "nominal", "N-1")])
        assert calls == ["v000001", "v000002"]
        assert applied.version == "v000002+d000001"
        assert "N-1" not in _ids(service)
        result = service.check(KARIMOV, Flight(), "t")
        assert result.snapshot_version == "v000002+d000001"
    finally:
        service.close()
