"""GENERATED gRPC code for screening.v1 (see scripts/gen_proto.sh). Import only from screening.grpc.convert."""
