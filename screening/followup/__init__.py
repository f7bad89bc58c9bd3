"""The follow-up queue: every HIT and POSSIBLE_MATCH becomes an item operators work."""

from screening.followup.model import (
    ALLOWED_TRANSITIONS,
    FollowUpItem,
    NewHit,
    Recipient,
    StatusChange,
    idempotency_key,
)
from screening.followup.store import HitStore, open_store

__all__ = [
    "ALLOWED_TRANSITIONS", "FollowUpItem", "HitStore", "NewHit", "Recipient", "StatusChange",
    "idempotency_key", "open_store",
]
