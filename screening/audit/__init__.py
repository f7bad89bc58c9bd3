"""The audit trail: an append-only, hash-chained log of every check, manifest, hit update
and watchlist change, queryable with SQL."""

from screening.audit.log import AuditLog, asked_digest, open_audit, verify

__all__ = ["AuditLog", "asked_digest", "open_audit", "verify"]
