"""The gRPC server interceptor: authenticate, authorise, rate-limit, then hand over to the
per-RPC policy (what the caller may see, what is audited). Runs before any servicer, so a
servicer never sees an unauthenticated or unauthorised call."""

from __future__ import annotations

from collections.abc import Callable

import grpc

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


class TrustInterceptor(grpc.ServerInterceptor):
    def __init__(self, credentials: CredentialStore, limiter: RateLimiter,
                 policy: Policy) -> None:
        self.credentials = credentials
        self.limiter = limiter
        self.policy = policy

    def intercept_service(self, continuation: Callable, details: grpc.HandlerCallDetails):
        handler = continuation(details)
        method = details.method
        if handler is None or method.startswith(OPEN_PREFIXES):
            return handler
        # The token is checked here, from the call's metadata; a client certificate (mutual
        # TLS) only once the call runs, where its authentication context is visible.
        identity = self.credentials.verify(_token(details.invocation_metadata))
        return self._wrap(handler, method, identity)

    def _admit(self, method: str, identity: Identity | None,
               context: grpc.ServicerContext) -> AuthedContext:
        if identity is None:
            identity = self._from_certificate(context)
        if identity is None:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "a valid client credential is required")
        if not allowed(method, identity.role):
            # a known caller reaching beyond its role is worth a line in the trail
            self.policy.refused(identity, method)
            context.abort(grpc.StatusCode.PERMISSION_DENIED,
                          f"role {identity.role} may not call {method.rsplit('/', 1)[-1]}")
        if not self.limiter.allow(identity.client_id, identity.rate_per_s):
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                          "request rate limit exceeded for this client; retry later")
        remaining = context.time_remaining()
        if remaining is not None and remaining <= 0:
            context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline passed before start")
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
        rule = self.policy.rule(method)
        kwargs = {"request_deserializer": handler.request_deserializer,
                  "response_serializer": handler.response_serializer}
        if handler.unary_unary:
            inner = handler.unary_unary

            def unary_unary(request, context):
                ctx = self._admit(method, identity, context)
                return rule(request, ctx, inner)
            return grpc.unary_unary_rpc_method_handler(unary_unary, **kwargs)
        if handler.unary_stream:
            inner = handler.unary_stream

            def unary_stream(request, context):
                ctx = self._admit(method, identity, context)
                yield from rule(request, ctx, inner)
            return grpc.unary_stream_rpc_method_handler(unary_stream, **kwargs)
        if handler.stream_unary:
            inner = handler.stream_unary

            def stream_unary(requests, context):
                ctx = self._admit(method, identity, context)
                return rule(requests, ctx, inner)
            return grpc.stream_unary_rpc_method_handler(stream_unary, **kwargs)
        inner = handler.stream_stream

        def stream_stream(requests, context):
            ctx = self._admit(method, identity, context)
            yield from rule(requests, ctx, inner)
        return grpc.stream_stream_rpc_method_handler(stream_stream, **kwargs)
