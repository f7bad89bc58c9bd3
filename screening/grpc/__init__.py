"""gRPC transport: converters, status mapping, thin servicers and the server."""
