"""Who may ask what, end to end over TLS: every role against every RPC, what a partner
sees of a hit, whose hits a caller may read, revocation, limits and transport rules."""

from __future__ import annotations

import subprocess
import sys
import time

import grpc
import pytest

from screening.client import Client, result_dict
from screening.domain import Flight, Passenger, TravelDocument
from screening.errors import FailedPrecondition
from screening.grpc import convert
from screening.pb import screening_pb2 as pb
from screening.security import credentials
from screening.security.roles import ALLOWED
from tests import trust
from tests.e2e.conftest import start
from tests.trust import connect

KARIMOV = Passenger(ref="k", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
                    date_of_birth="1970-05-12", nationality="UZB",
                    document=TravelDocument(number="AB1234567", issuing_country="UZB"))
STOLEN = Passenger(ref="s", surname="ROE", document=TravelDocument(number="X1234567",
                                                                  issuing_country="FRA"))
CLEAN = Passenger(ref="c", surname="NOBODY", given_names="ATALL")


def _manifest(flight_id: str, passengers: list[Passenger]):
    yield pb.ManifestRequest(flight=pb.Flight(carrier="AF", flight_number="AF1",
                                              manifest_id=flight_id))
    yield pb.ManifestRequest(batch=pb.PassengerBatch(
        passengers=[convert.passenger_to_pb(p) for p in passengers]))


# one minimal, well-formed call per RPC
CALLS = {
    "/screening.v1.Screening/CheckPassenger": lambda c: c.screening.CheckPassenger(
        pb.CheckPassengerRequest(passenger=convert.passenger_to_pb(CLEAN)), timeout=10),
    "/screening.v1.Screening/ScreenManifest": lambda c: list(c.screening.ScreenManifest(
        _manifest("m-matrix", [CLEAN]), timeout=10)),
    "/screening.v1.FollowUp/ListHits": lambda c: c.followup.ListHits(pb.ListHitsRequest(),
                                                                     timeout=10),
    "/screening.v1.FollowUp/GetHit": lambda c: c.followup.GetHit(pb.GetHitRequest(id="nope"),
                                                                 timeout=10),
    "/screening.v1.FollowUp/UpdateHit": lambda c: c.followup.UpdateHit(
        pb.UpdateHitRequest(id="nope", status=pb.ACKNOWLEDGED), timeout=10),
    "/screening.v1.FollowUp/StreamHits": lambda c: list(c.followup.StreamHits(
        pb.StreamHitsRequest(follow=False), timeout=10)),
    "/screening.v1.Watchlists/GetStatus": lambda c: c.watchlists.GetStatus(
        pb.GetStatusRequest(), timeout=10),
    "/screening.v1.Watchlists/ApplyChanges": lambda c: c.watchlists.ApplyChanges(
        iter([]), timeout=10),
}
# expected answer to the minimal call when allowed (GetHit/UpdateHit of an unknown id)
ALLOWED_CODE = {"/screening.v1.FollowUp/GetHit": grpc.StatusCode.NOT_FOUND,
                "/screening.v1.FollowUp/UpdateHit": grpc.StatusCode.NOT_FOUND}


def _code(call, client) -> grpc.StatusCode:
    try:
        call(client)
    except grpc.RpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


def test_every_rpc_of_the_api_is_in_the_authorisation_table():
    methods = {f"/{s.full_name}/{m.name}" for s in pb.DESCRIPTOR.services_by_name.values()
               for m in s.methods}
    assert methods == set(ALLOWED) == set(CALLS)


@pytest.mark.parametrize("role", credentials.ROLES)
def test_every_role_against_every_rpc(server, data_dir, role):
    outcomes = {}
    with connect(server.port, f"{role}-matrix") as c:
        for method, call in CALLS.items():
            outcomes[method] = _code(call, c)
    expected = {m: (ALLOWED_CODE.get(m, grpc.StatusCode.OK) if role in ALLOWED[m]
                    else grpc.StatusCode.PERMISSION_DENIED) for m in CALLS}
    assert outcomes == expected
    denied = sum(1 for code in outcomes.values() if code == grpc.StatusCode.PERMISSION_DENIED)
    assert denied == sum(1 for m in CALLS if role not in ALLOWED[m])
    # every refusal is in the audit trail, with the RPC it was for
    from screening.audit.query import query

    _, rows = query(data_dir / "audit", f"SELECT rpc FROM audit WHERE action = 'refused' "
                    f"AND who = '{role}-matrix' ORDER BY seq")
    assert [r[0] for r in rows] == [m for m in CALLS if role not in ALLOWED[m]]


def test_every_rpc_without_or_with_a_bad_credential_is_unauthenticated(server):
    ca = str(trust.tls().ca_cert)
    good = trust.kit(server.port).token("centre-real")
    bad_tokens = ["", "centre-real", "centre-real.wrongsecret", good + "x",
                  "nobody." + good.split(".", 1)[1]]
    for token in bad_tokens:
        with Client(f"127.0.0.1:{server.port}", token=token, ca_cert=ca) as c:
            codes = [_code(call, c) for call in CALLS.values()]
        assert codes == [grpc.StatusCode.UNAUTHENTICATED] * len(CALLS), token
    # the health check stays open: load balancers probe it without a credential
    with Client(f"127.0.0.1:{server.port}", token="", ca_cert=ca) as c:
        assert c.is_serving()


def test_partner_answer_to_a_hit_carries_no_police_data(server):
    with connect(server.port, "centre-compare") as centre:
        full = centre.check(KARIMOV)
    # the same check really is a hit with police data behind it
    assert full.decision == pb.HIT and full.matches
    assert full.matches[0].record_id == "N-1" and full.matches[0].list == "interpol-red"

    with connect(server.port, "partner-airline") as partner:
        resp = partner.check(KARIMOV)
    set_fields = {f.name for f, _ in resp.ListFields()}
    assert set_fields == {"check_id", "decision", "snapshot_version"}
    assert resp.decision == pb.HIT
    assert len(resp.check_id) == 32
    assert resp.snapshot_version.startswith("v")
    assert len(resp.matches) == 0
    # nothing of the record anywhere in the bytes on the wire
    wire = resp.SerializeToString()
    for secret in (b"N-1", b"interpol", b"KARIMOV", b"wanted", b"UZB", b"AB1234567",
                   b"record", b"name"):
        assert secret not in wire
    # and the document list the same way
    with connect(server.port, "partner-airline") as partner:
        doc = partner.check(STOLEN)
    assert {f.name for f, _ in doc.ListFields()} == {"check_id", "decision",
                                                    "snapshot_version"}
    assert doc.decision == pb.HIT and b"D-1" not in doc.SerializeToString()


def test_a_caller_never_sees_another_callers_hits(server):
    flight = Flight(carrier="LH", flight_number="LH9", manifest_id="own-1")
    with connect(server.port, "centre-a") as a:
        results, _ = a.screen_all(flight, [KARIMOV, CLEAN])
    ids = {m.follow_up_id for r in results for m in r.matches}
    assert len(ids) == 1
    item_id = ids.pop()

    with connect(server.port, "centre-a") as a:
        assert [i.id for i in a.list_hits()] == [item_id]
        assert a.followup.GetHit(pb.GetHitRequest(id=item_id), timeout=5).id == item_id
    with connect(server.port, "centre-b") as b:
        b.screen_all(Flight(carrier="LH", flight_number="LH8", manifest_id="own-2"), [STOLEN])
        mine = b.list_hits()
        assert len(mine) == 1 and mine[0].id != item_id
        assert all(i.requester == "centre-b" for i in mine)
        with pytest.raises(grpc.RpcError) as err:
            b.followup.GetHit(pb.GetHitRequest(id=item_id), timeout=5)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
        streamed = list(b.followup.StreamHits(pb.StreamHitsRequest(), timeout=5))
        assert [i.id for i in streamed] == [mine[0].id]
    with connect(server.port, "operator-for-b", serves=["centre-b"]) as op_b:
        assert {i.requester for i in op_b.list_hits()} == {"centre-b"}
        with pytest.raises(grpc.RpcError) as err:
            op_b.followup.UpdateHit(pb.UpdateHitRequest(id=item_id, status=pb.ACKNOWLEDGED),
                                    timeout=5)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
    with connect(server.port, "operator-for-a", serves=["centre-a"]) as op_a:
        seen = op_a.list_hits()
        assert [i.id for i in seen] == [item_id]
        # full hit details for the operator serving that requester
        assert seen[0].passenger.surname == "KARIMOV" and seen[0].match.record_id == "N-1"
        item = op_a.followup.UpdateHit(pb.UpdateHitRequest(id=item_id,
                                                           status=pb.ACKNOWLEDGED), timeout=5)
        assert item.updated_by == "operator-for-a"


def test_revoked_credential_is_refused_on_its_next_call(server):
    kit = trust.kit(server.port)
    with connect(server.port, "partner-revoked") as c:
        assert c.check(CLEAN).decision == pb.CLEAR
        credentials.revoke(kit.path, "partner-revoked")
        with pytest.raises(grpc.RpcError) as err:
            c.check(CLEAN)
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_credentials_file_keeps_no_token(server):
    kit = trust.kit(server.port)
    token = kit.token("partner-stored")
    text = kit.path.read_text()
    assert token not in text and token.split(".", 1)[1] not in text
    assert (kit.path.stat().st_mode & 0o777) == 0o600


def test_request_rate_limit_per_client(server):
    rate = 2
    with connect(server.port, "partner-slow", rate_per_s=rate) as slow, \
            connect(server.port, "partner-fast") as fast:
        t0 = time.monotonic()
        codes = [_code(lambda c: c.check(CLEAN), slow) for _ in range(20)]
        elapsed = time.monotonic() - t0
        ok = codes.count(grpc.StatusCode.OK)
        exhausted = codes.count(grpc.StatusCode.RESOURCE_EXHAUSTED)
        # a burst of one second's worth, then what the bucket refilled meanwhile
        assert rate <= ok <= rate + int(elapsed * rate) + 1
        assert ok + exhausted == 20
        # another client is not slowed by it
        assert [_code(lambda c: c.check(CLEAN), fast) for _ in range(20)].count(
            grpc.StatusCode.OK) == 20
        time.sleep(1.0 / rate + 0.1)  # the bucket refills
        assert _code(lambda c: c.check(CLEAN), slow) == grpc.StatusCode.OK


def test_manifest_size_limit_per_client(server):
    flight = Flight(carrier="AF", flight_number="AF7", manifest_id="size")
    with connect(server.port, "centre-small", max_manifest=3) as c:
        results, summary = c.screen_all(flight, [CLEAN] * 3)
        assert len(results) == 3 and summary.passengers == 3
        with pytest.raises(grpc.RpcError) as err:
            c.screen_all(flight, [CLEAN] * 4, batch=2)
        assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "3" in err.value.details()


def test_deadline_is_honoured_mid_manifest(server, data_dir):
    def slow_requests():
        yield from _manifest("slow", [CLEAN])
        time.sleep(1.0)  # the deadline passes before the next batch
        yield pb.ManifestRequest(batch=pb.PassengerBatch(
            passengers=[convert.passenger_to_pb(CLEAN)]))
    with connect(server.port, "centre-deadline") as c:
        t0 = time.monotonic()
        with pytest.raises(grpc.RpcError) as err:
            list(c.screening.ScreenManifest(slow_requests(), timeout=0.5))
        assert err.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert time.monotonic() - t0 < 1.5
    time.sleep(1.0)  # the late batch has reached the server by now
    from screening.audit.query import query

    _, rows = query(data_dir / "audit", "SELECT count(*) FROM audit WHERE who = "
                    "'centre-deadline' AND action = 'manifest_batch'")
    assert rows == [(1,)]  # the batch after the deadline was not screened


def test_plaintext_client_cannot_talk_to_a_tls_server(server):
    with Client(f"127.0.0.1:{server.port}", token="", ca_cert="") as c:
        assert _code(lambda x: x.check(CLEAN), c) == grpc.StatusCode.UNAVAILABLE


def test_no_tls_beyond_loopback_is_refused(data_dir):
    from screening.grpc.server import start_server
    from screening.settings import Settings

    with pytest.raises(FailedPrecondition, match="without TLS"):
        start_server(Settings(data_dir=data_dir, host="0.0.0.0", port=0).validate())
    tls = trust.tls()
    with pytest.raises(FailedPrecondition, match="without client credentials"):
        start_server(Settings(data_dir=data_dir, host="0.0.0.0", port=0, auth="none",
                              tls_cert=str(tls.server_cert),
                              tls_key=str(tls.server_key)).validate())
    run = subprocess.run([sys.executable, "-m", "screening", "serve", "--data", str(data_dir),
                          "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True,
                         timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 2 and "refusing to serve on 0.0.0.0 without TLS" in run.stderr


def test_mutual_tls_requires_a_client_certificate(data_dir):
    tls = trust.tls()
    running = start(data_dir, tls_client_ca=str(tls.ca_cert))
    try:
        token = trust.kit(running.port).token("centre-mtls")
        target = f"127.0.0.1:{running.port}"
        with Client(target, token=token, ca_cert=str(tls.ca_cert)) as c:
            assert _code(lambda x: x.check(CLEAN), c) == grpc.StatusCode.UNAVAILABLE
        cert, key = (tls.ca_cert.parent / "mtls-client.pem", tls.ca_cert.parent / "mtls-client.key")
        with Client(target, token=token, ca_cert=str(tls.ca_cert), client_cert=str(cert),
                    client_key=str(key)) as c:
            assert result_dict(c.check(KARIMOV))["decision"] == "HIT"
        # the certificate alone identifies a client only if its credential says so
        with Client(target, token="", ca_cert=str(tls.ca_cert), client_cert=str(cert),
                    client_key=str(key)) as c:
            assert _code(lambda x: x.check(KARIMOV), c) == grpc.StatusCode.UNAUTHENTICATED
            credentials.issue(trust.kit(running.port).path, "mtls-client", "partner",
                              mtls=True)
            resp = c.check(KARIMOV)
            assert resp.decision == pb.HIT and not resp.matches  # a partner's view
            assert _code(lambda x: x.list_hits(), c) == grpc.StatusCode.PERMISSION_DENIED
    finally:
        running.stop(grace=1)


def test_credentials_command_issues_lists_and_revokes(tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "screening", "credentials", *args,
                               "--file", str(tmp_path / "c.json")], capture_output=True,
                              text=True, timeout=120)
    issued = cli("issue", "ops-1", "--role", "operator", "--serves", "centre-a,centre-b")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("ops-1.") and len(token) > 40
    store = credentials.CredentialStore(tmp_path / "c.json")
    who = store.verify(token)
    assert (who.client_id, who.role, who.serves) == ("ops-1", "operator",
                                                     frozenset({"centre-a", "centre-b"}))
    listed = cli("list")
    assert "ops-1" in listed.stdout and "active" in listed.stdout
    assert token.split(".", 1)[1] not in listed.stdout
    assert cli("revoke", "ops-1").returncode == 0
    assert store.verify(token) is None
    assert "revoked" in cli("list").stdout
    assert cli("issue", "x", "--role", "root").returncode == 2  # argparse refuses the role
    assert cli("revoke", "nobody").returncode == 2


def test_loopback_plaintext_server_with_credentials(data_dir):
    from screening.grpc.server import start_server
    from screening.settings import Settings

    running = start_server(Settings(data_dir=data_dir, port=0).validate())  # no TLS
    try:
        kit = trust.register(running.port, running.service.settings)
        token = kit.token("centre-plain")
        with Client(f"127.0.0.1:{running.port}", token=token, ca_cert="") as c:
            assert result_dict(c.check(KARIMOV))["decision"] == "HIT"
        with Client(f"127.0.0.1:{running.port}", token="", ca_cert="") as c:
            assert _code(lambda x: x.check(KARIMOV), c) == grpc.StatusCode.UNAUTHENTICATED
    finally:
        running.stop(grace=1)
    with pytest.raises(ValueError, match="over TLS only"):
        Client("10.0.0.1:50051", token=token, ca_cert="")
