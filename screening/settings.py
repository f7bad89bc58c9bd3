"""One settings object, read from `SCREENING_*` environment variables and validated at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from screening.errors import InvalidArgument

ENV_PREFIX = "SCREENING_"


@dataclass(frozen=True)
class Settings:
    # Where snapshots, the catalog and the follow-up queue live.
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = 50051
    grpc_threads: int = 32
    # Partner checks arriving together are screened as one batch of at most this many.
    check_batch: int = 64
    # Server processes sharing the port (SO_REUSEPORT) and the memory-mapped snapshot.
    workers: int = 1

    # Decision thresholds on the graded score in [0, 1].
    # Calibrated by the quality benchmark on its train part (README, "Name-matching quality"):
    # the lowest thresholds keeping false alarms per clean passenger within 1/10,000 (HIT) and
    # 2/100 (POSSIBLE_MATCH) on names alone, 1/100,000 and 2/1,000 with a date of birth, on a
    # list of 100,000 persons (0.9292 / 0.9000). A larger list has more namesakes: on
    # 1,000,000 the same targets need 0.9553 / 0.8728 (bench/results/quality.md; the lower
    # POSSIBLE_MATCH would also lower the name search floor, 0.8722 with these defaults, and
    # cost candidates). Recalibrate for the list you serve (bench/results/calibration.json).
    hit_threshold: float = 0.93
    possible_match_threshold: float = 0.90
    # Name candidates scoring below this are not reported at all.
    name_min_score: float = 0.75
    name_max_candidates: int = 2000
    # Matches per passenger, best first; more only when they tie with the last one kept
    # (namesakes scoring the same), up to name_rerank_limit (engine.cut_matches).
    max_matches: int = 10
    # Name matches fetched per passenger before the date of birth, sex and documents re-rank
    # them: among many namesakes (MAKAROV A) the one born that day must not be cut first.
    name_rerank_limit: int = 50

    # Input limits.
    max_field_length: int = 256
    max_manifest_passengers: int = 5000
    max_message_bytes: int = 8 * 1024 * 1024

    # How often the server looks for a newer snapshot version to swap in (0: never).
    reload_interval_s: float = 5.0

    # Follow-up queue backend: "duckdb" (embedded file in data_dir) or "nats": the same
    # file, which then also holds the outbox that a background thread drains, in order,
    # to a NATS JetStream stream shared by every server process.
    followup_backend: str = "duckdb"
    nats_url: str = "nats://127.0.0.1:4222"
    nats_stream: str = "SCREENING_HITS"
    # Subjects are <prefix>.<recipient>.p<priority>, e.g. screening.hits.ncb-FRA.p1.
    nats_subject_prefix: str = "screening.hits"
    # Status changes of items go to <this>.<recipient>.p<priority>, on the same stream.
    nats_status_subject_prefix: str = "screening.status"
    # JetStream drops a message whose Nats-Msg-Id it saw within this window: long enough
    # to cover a partner re-sending a manifest the next day.
    nats_duplicate_window_s: float = 48 * 3600.0
    nats_publish_timeout_s: float = 2.0
    # Seconds between reconnection attempts while NATS is unreachable.
    nats_retry_interval_s: float = 0.5

    # Routing: who must act on a hit (see README "Follow-up"). Recipient ids are NATS
    # subject tokens: the operations centre, and one bureau per country (ncb-FRA...).
    operations_centre: str = "ops"
    bureau_prefix: str = "ncb-"
    # IATA airport -> ISO alpha-3 country, added to (or correcting) the airportsdata table.
    airport_countries: dict[str, str] = field(default_factory=dict)

    # Priority 1 (act now) .. 4 (routine). The record's category sets the base level;
    # categories not named here get `priority_default`. A POSSIBLE_MATCH is demoted by
    # `priority_possible_match_demotion` levels (it is less sure), and a flight whose
    # scheduled arrival is near is promoted: one level within `priority_urgent_minutes`,
    # two within `priority_imminent_minutes` (or once it has landed).
    priority_by_category: dict[str, str] = field(default_factory=lambda: {
        "wanted": "1", "threat": "1", "terrorist": "1",
        "missing": "2", "sanctioned": "2", "stolen_blank_document": "2",
        "stolen_document": "3", "revoked_document": "3", "invalid_document": "3",
        "lost_document": "4",
    })
    priority_default: int = 3
    priority_possible_match_demotion: int = 1
    priority_urgent_minutes: float = 180.0
    priority_imminent_minutes: float = 45.0

    # iAPI answer codes per decision (CUSRES).
    cusres_codes: dict[str, str] = field(
        default_factory=lambda: {"CLEAR": "0Z", "HIT": "1Z", "POSSIBLE_MATCH": "2Z", "ERROR": "4Z"}
    )

    # -- trust: transport, identity, limits, audit, live changes --------------------------
    # TLS server certificate and key (PEM files). Required to serve beyond loopback.
    tls_cert: str = ""
    tls_key: str = ""
    # Mutual TLS: when set, clients must present a certificate signed by this CA (PEM).
    tls_client_ca: str = ""
    # "token": every call carries a per-client credential (metadata `authorization: Bearer`);
    # "none": no identity, no roles, no audit - loopback development only.
    auth: str = "token"
    # Salted hashes of the client credentials (default DATA_DIR/credentials.json).
    credentials_file: str = ""
    # Requests per second per client (token bucket, one second of burst) unless the
    # client's credential sets its own rate. 0: unlimited.
    rate_limit_per_s: float = 500.0
    # The audit trail folder (default DATA_DIR/audit).
    audit_dir: str = ""
    # Passenger data in the hit store and the audit trail is kept this many days.
    retention_days: float = 90.0
    # How often a server that owns the follow-up store applies it (0: only the command).
    retention_interval_s: float = 3600.0
    # How often the server looks for live watchlist changes written by another process.
    delta_poll_s: float = 0.2
    # Live changes are folded into a new full version this long after the first pending
    # one (0: never; `screening load` or a restart does it).
    compact_after_s: float = 60.0

    @property
    def credentials_path(self) -> Path:
        return Path(self.credentials_file) if self.credentials_file else (
            Path(self.data_dir) / "credentials.json")

    @property
    def audit_path(self) -> Path:
        return Path(self.audit_dir) if self.audit_dir else Path(self.data_dir) / "audit"

    def validate(self) -> Settings:
        if not 0 < self.possible_match_threshold <= self.hit_threshold <= 1:
            raise InvalidArgument(
                "need 0 < possible_match_threshold <= hit_threshold <= 1",
                field="hit_threshold",
            )
        if not 0 < self.name_min_score <= self.possible_match_threshold:
            raise InvalidArgument(
                "need 0 < name_min_score <= possible_match_threshold", field="name_min_score"
            )
        if not 0 <= self.port < 65536:
            raise InvalidArgument("port out of range", field="port")
        for name in ("workers", "grpc_threads", "check_batch", "max_field_length",
                     "max_manifest_passengers",
                     "name_max_candidates", "max_matches", "name_rerank_limit",
                     "max_message_bytes"):
            if getattr(self, name) <= 0:
                raise InvalidArgument("must be positive", field=name)
        if self.reload_interval_s < 0:
            raise InvalidArgument("must not be negative", field="reload_interval_s")
        if self.auth not in ("token", "none"):
            raise InvalidArgument("must be token or none", field="auth")
        if bool(self.tls_cert) != bool(self.tls_key):
            raise InvalidArgument("tls_cert and tls_key go together", field="tls_cert")
        if self.tls_client_ca and not self.tls_cert:
            raise InvalidArgument("mutual TLS needs the server's own tls_cert",
                                  field="tls_client_ca")
        for name in ("rate_limit_per_s", "retention_days", "retention_interval_s",
                     "delta_poll_s", "compact_after_s"):
            if getattr(self, name) < 0:
                raise InvalidArgument("must not be negative", field=name)
        if self.followup_backend not in ("duckdb", "nats"):
            raise InvalidArgument("unknown backend (duckdb, nats)", field="followup_backend")
        self._validate_followup()
        return self

    def _validate_followup(self) -> None:
        for name in ("nats_duplicate_window_s", "nats_publish_timeout_s", "nats_retry_interval_s"):
            if getattr(self, name) <= 0:
                raise InvalidArgument("must be positive", field=name)
        # Recipient ids and the stream name are single subject tokens (no dots); the
        # subject prefixes may have several.
        for name, banned in (("operations_centre", " *>."), ("bureau_prefix", " *>."),
                             ("nats_stream", " *>."), ("nats_subject_prefix", " *>"),
                             ("nats_status_subject_prefix", " *>")):
            value = getattr(self, name)
            if (not value and name != "bureau_prefix") or any(c in value for c in banned):
                raise InvalidArgument(f"must be a NATS subject token without {banned!r}",
                                      field=name)
        if self.nats_status_subject_prefix == self.nats_subject_prefix:
            raise InvalidArgument("must differ from nats_subject_prefix",
                                  field="nats_status_subject_prefix")
        levels = {**self.priority_by_category, "": str(self.priority_default)}
        for category, level in levels.items():
            if str(level) not in ("1", "2", "3", "4"):
                raise InvalidArgument(f"priority of {category or 'default'} must be 1..4",
                                      field="priority_by_category" if category
                                      else "priority_default")
        if not 0 <= self.priority_imminent_minutes <= self.priority_urgent_minutes:
            raise InvalidArgument("need 0 <= priority_imminent_minutes <= "
                                  "priority_urgent_minutes", field="priority_imminent_minutes")
        if not 0 <= self.priority_possible_match_demotion <= 3:
            raise InvalidArgument("must be 0..3", field="priority_possible_match_demotion")

    def with_overrides(self, **overrides: Any) -> Settings:
        """Apply non-None overrides (from command-line flags) and validate again."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "data_dir" in clean:
            clean["data_dir"] = Path(clean["data_dir"])
        return replace(self, **clean).validate()


def _coerce(name: str, raw: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, Path):
            return Path(raw)
        if isinstance(default, dict):
            # KEY=VALUE,KEY=VALUE
            return dict(item.split("=", 1) for item in raw.split(",") if item)
    except ValueError as exc:
        raise InvalidArgument(f"cannot parse {raw!r}: {exc}", field=ENV_PREFIX + name.upper()) from exc
    return raw


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Embedded defaults, overridden by `SCREENING_<FIELD>` variables; validated."""
    env = os.environ if env is None else env
    base = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        key = ENV_PREFIX + f.name.upper()
        if key in env:
            values[f.name] = _coerce(f.name, env[key], getattr(base, f.name))
    return replace(base, **values).validate()
