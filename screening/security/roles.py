"""The one authorisation table: which roles may call which RPC.

Anything not listed here is refused, so a new RPC is closed until someone decides who
may call it. Health checks are open: load balancers probe them without a credential.
"""

from __future__ import annotations

_S = "/screening.v1.Screening/"
_F = "/screening.v1.FollowUp/"
_W = "/screening.v1.Watchlists/"

ALLOWED: dict[str, frozenset[str]] = {
    _S + "CheckPassenger": frozenset({"partner", "centre"}),
    _S + "ScreenManifest": frozenset({"centre"}),
    # centres read the hits of their own manifests; operators those of the requesters
    # they serve (filtered in `screening.security.policy`)
    _F + "ListHits": frozenset({"centre", "operator"}),
    _F + "GetHit": frozenset({"centre", "operator"}),
    _F + "StreamHits": frozenset({"centre", "operator"}),
    _F + "UpdateHit": frozenset({"operator"}),
    # the loaded version and counts per list: no record in it
    _W + "GetStatus": frozenset({"centre", "operator", "admin"}),
    _W + "ApplyChanges": frozenset({"admin"}),
}

# Served without any credential.
OPEN_PREFIXES = ("/grpc.health.v1.Health/",)
# Served to any authenticated caller (it describes the API, not the data).
ANY_ROLE_PREFIXES = ("/grpc.reflection.",)


def allowed(method: str, role: str) -> bool:
    if method.startswith(ANY_ROLE_PREFIXES):
        return True
    return role in ALLOWED.get(method, frozenset())
