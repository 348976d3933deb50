# Sourced by bench/aot-train.sh and bench/startup.sh after they set WORK and PG_PORT (and cd to the
# repository): throwaway signing keys in KEYS, a local PostgreSQL in $WORK/pg with database $1,
# the image's MALLOC_ARENA_MAX, and a clean-up at exit that stops the service (SVC_PID, set by
# the caller when it starts one), the cluster, and removes the keys.
mkdir -p "$WORK"
KEYS=$(mktemp -d)
SVC_PID=""
cleanup() {
  set +e
  [ -n "$SVC_PID" ] && kill "$SVC_PID" 2>/dev/null && wait "$SVC_PID" 2>/dev/null
  rm -rf "$KEYS"
  bash src/dev/local-postgres.sh stop "$WORK/pg" >/dev/null 2>&1
}
trap cleanup EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$KEYS/private.pem" 2>/dev/null
openssl pkey -in "$KEYS/private.pem" -pubout -out "$KEYS/public.pem" 2>/dev/null
bash src/dev/local-postgres.sh start "$WORK/pg" "$PG_PORT" "$1" >/dev/null
export MALLOC_ARENA_MAX=$(bash src/main/docker/jvm-flags.sh --env MALLOC_ARENA_MAX)
