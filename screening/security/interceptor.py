"""The gRPC server interceptor: authenticate, authorise, rate-limit, then hand over to the
per-RPC policy (what the caller may see, what is audited). Runs before any servicer, so a
servicer never sees an unauthenticated or unauthorised call."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from screening.grpc import wrapping
from screening.grpc.wrapping import Refused
from screening.security.credentials import CredentialStore, Identity
from screening.security.limits import RateLimiter
from screening.security.policy import Policy
from screening.security.roles import OPEN_PREFIXES, allowed

BEARER = "bearer "


class AuthedContext:
    """The servicer context plus the caller's identity (`context.identity`)."""

    def __init__(self, context: grpc.ServicerContext, identity: Identity) -> None:
        self._context = context
        self.identity = identity

    def __getattr__(self, name: str):
        return getattr(self._context, name)


def _token(metadata) -> str:
    for key, value in metadata or ():
        if key == "authorization" and isinstance(value, str) and value.lower().startswith(BEARER):
            return value[len(BEARER):].strip()
    return ""


class TrustInterceptor(grpc.aio.ServerInterceptor):
    """For the asyncio server (screening.grpc.server): a coroutine handler (CheckPassenger) is
    admitted on the event loop, a plain one on the thread pool (screening.grpc.wrapping)."""

    def __init__(self, credentials: CredentialStore, limiter: RateLimiter,
                 policy: Policy) -> None:
        self.credentials = credentials
        self.limiter = limiter
        self.policy = policy

    async def intercept_service(self, continuation: Callable, details: grpc.HandlerCallDetails):
        handler = await continuation(details)
        method = details.method
        if handler is None or method.startswith(OPEN_PREFIXES):
            return handler
        # The token is checked here, from the call's metadata; a client certificate (mutual
        # TLS) only once the call runs, where its authentication context is visible.
        identity = self.credentials.verify(_token(details.invocation_metadata))
        return self._wrap(handler, method, identity)

    def _admit(self, method: str, identity: Identity | None,
               context: grpc.ServicerContext) -> AuthedContext:
        """The caller's context with its identity; raises Refused when it may not call."""
        if identity is None:
            identity = self._from_certificate(context)
        if identity is None:
            raise Refused(grpc.StatusCode.UNAUTHENTICATED, "a valid client credential is required")
        if not allowed(method, identity.role):
            # a known caller reaching beyond its role is worth a line in the trail
            self.policy.refused(identity, method)
            raise Refused(grpc.StatusCode.PERMISSION_DENIED,
                           f"role {identity.role} may not call {method.rsplit('/', 1)[-1]}")
        if not self.limiter.allow(identity.client_id, identity.rate_per_s):
            raise Refused(grpc.StatusCode.RESOURCE_EXHAUSTED,
                           "request rate limit exceeded for this client; retry later")
        remaining = context.time_remaining()
        if remaining is not None and remaining <= 0:
            raise Refused(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline passed before start")
        return AuthedContext(context, identity)

    def _from_certificate(self, context: grpc.ServicerContext) -> Identity | None:
        """Mutual TLS: the server verified the certificate against its client CA; its
        common name must be a client whose credential allows certificate login."""
        try:
            names = context.auth_context().get("x509_common_name") or []
        except Exception:  # noqa: BLE001 - plaintext calls have no auth context
            return None
        return self.credentials.by_certificate(names[0].decode()) if names else None

    def _wrap(self, handler: grpc.RpcMethodHandler, method: str, identity: Identity | None):
        return wrapping.wrap(handler, lambda _request, context: self._admit(method, identity,
                                                                            context),
                             self.policy.rule(method))
