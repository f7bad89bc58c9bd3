"""`screening hits list|show|update|sql --data DIR`: the queue straight from DuckDB."""

from __future__ import annotations

import csv
import io
import json

import pytest

from screening.cli import main
from screening.followup import open_store
from tests.conftest import REPO
from tests.service.test_followup_store import routed_hit


@pytest.fixture()
def data(tmp_path):
    store = open_store(tmp_path)
    store.add([routed_hit("1A", 1, "ncb-FRA", "ops"), routed_hit("2B", 3, "ncb-USA", "ops"),
               routed_hit("3C", 2, "ncb-USA", "ops")])
    store.close()
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_filters_and_json(data, capsys):
    code, out, _ = run(capsys, "hits", "list", "--data", str(data))
    assert code == 0 and out.strip().endswith("3 item(s)")
    code, out, _ = run(capsys, "hits", "list", "--data", str(data), "--recipient", "ncb-USA",
                       "--max-priority", "2", "--json")
    items = json.loads(out)
    assert [(i["passenger"]["ref"], i["priority"]) for i in items] == [("3C", 2)]
    assert [r["id"] for r in items[0]["recipients"]] == ["ncb-USA", "ops"]


def test_show_and_update_with_history(data, capsys):
    _, out, _ = run(capsys, "hits", "list", "--data", str(data), "--json")
    item_id = json.loads(out)[0]["id"]
    code, out, _ = run(capsys, "hits", "update", item_id, "ACKNOWLEDGED", "--by", "op1",
                       "--note", "calling the gate", "--data", str(data))
    assert code == 0 and json.loads(out)["status"] == "ACKNOWLEDGED"
    # an illegal move is refused with the reason, and exit code 2
    code, _, err = run(capsys, "hits", "update", item_id, "ACKNOWLEDGED", "--data", str(data))
    assert code == 2 and "cannot go from ACKNOWLEDGED to ACKNOWLEDGED" in err
    code, out, _ = run(capsys, "hits", "show", item_id, "--data", str(data))
    shown = json.loads(out)
    assert shown["history"][0]["by"] == "op1" and shown["history"][0]["note"] == "calling the gate"
    assert shown["seconds_to_acknowledge"] >= 0


def test_sql_reports(data, capsys):
    code, out, _ = run(capsys, "hits", "sql", "--data", str(data), "--report", "per-recipient")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["recipient", "hits", "waiting"]
    assert {r[0]: int(r[1]) for r in rows[1:]} == {"ops": 3, "ncb-USA": 2, "ncb-FRA": 1}
    for report in ("per-list", "per-route", "per-week", "time-to-ack"):
        assert run(capsys, "hits", "sql", "--data", str(data), "--report", report)[0] == 0
    code, out, _ = run(capsys, "hits", "sql", "--data", str(data),
                       "SELECT priority, count(*) AS n FROM hits GROUP BY 1 ORDER BY 1")
    assert out.splitlines() == ["priority,n", "1,1", "2,1", "3,1"]
    # read-only: a report cannot change the queue
    code, _, err = run(capsys, "hits", "sql", "--data", str(data), "DELETE FROM hits")
    assert code == 2 and "read-only" in err.lower()
    code, _, err = run(capsys, "hits", "sql", "--data", str(data / "nowhere"), "SELECT 1")
    assert code == 2 and "no hit store" in err


def test_sql_reports_while_another_process_holds_the_store(data, capsys):
    """A running server keeps the file locked; the report reads a copy, committed hits
    included (the last one is only in the write-ahead log)."""
    import subprocess
    import sys
    import textwrap

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from screening.followup import open_store
        from tests.service.test_followup_store import routed_hit
        store = open_store({str(data)!r})
        store.add([routed_hit("4D", 1, "ncb-GBR", "ops")])
        print("ready", flush=True)
        sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "ready"
        code, out, err = run(capsys, "hits", "sql", "--data", str(data),
                             "SELECT count(*) AS n FROM hits")
        assert code == 0 and out.splitlines() == ["n", "4"] and "copy" in err
        code, _, err = run(capsys, "hits", "list", "--data", str(data))
        assert code == 2 and "--server" in err
    finally:
        holder.stdin.close()
        holder.wait(10)
