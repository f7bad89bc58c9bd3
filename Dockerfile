# Runs `screening serve` on a data folder mounted at /data, over TLS (beyond loopback the
# server refuses to start without it): put server.pem, server.key and ca.pem in data/tls
# (`screening certs --out data/tls --host <name>` makes throwaway ones) and issue client
# credentials with `screening credentials issue ... --data data`.
#   docker build -t screening .
#   docker run -v $PWD/data:/data -p 50051:50051 screening
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NUMBA_CACHE_DIR=/tmp/numba-cache \
    SCREENING_DATA_DIR=/data \
    SCREENING_HOST=0.0.0.0 \
    SCREENING_PORT=50051 \
    SCREENING_TLS_CERT=/data/tls/server.pem \
    SCREENING_TLS_KEY=/data/tls/server.key

WORKDIR /app
COPY pyproject.toml README.md ./
COPY proto ./proto
COPY indexes ./indexes
COPY screening ./screening
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 screening \
    && mkdir -p /data /tmp/numba-cache && chown screening /data /tmp/numba-cache

USER screening
VOLUME ["/data"]
EXPOSE 50051
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import grpc,sys; from grpc_health.v1 import health_pb2 as h, health_pb2_grpc as g; s=g.HealthStub(grpc.secure_channel('localhost:50051', grpc.ssl_channel_credentials(open('/data/tls/ca.pem','rb').read()))).Check(h.HealthCheckRequest(), timeout=3); sys.exit(0 if s.status == h.HealthCheckResponse.SERVING else 1)"
ENTRYPOINT ["screening"]
CMD ["serve"]
