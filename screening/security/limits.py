"""Per-client request rate: a token bucket per client id."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """`rate` requests per second on average, bursts up to `burst_s` seconds' worth."""

    def __init__(self, default_rate: float, burst_s: float = 1.0) -> None:
        self.default_rate = default_rate
        self.burst_s = burst_s
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, stamp)
        self._lock = threading.Lock()

    def allow(self, client_id: str, rate: float = 0.0) -> bool:
        rate = rate or self.default_rate
        if rate <= 0:
            return True  # no limit configured
        capacity = max(1.0, rate * self.burst_s)
        now = time.monotonic()
        with self._lock:
            tokens, stamp = self._buckets.get(client_id, (capacity, now))
            tokens = min(capacity, tokens + (now - stamp) * rate)
            if tokens < 1.0:
                self._buckets[client_id] = (tokens, now)
                return False
            self._buckets[client_id] = (tokens - 1.0, now)
            return True
