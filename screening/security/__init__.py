"""Who may ask what: TLS material, client credentials, roles, limits and the gRPC
interceptor that enforces them before any servicer runs."""
