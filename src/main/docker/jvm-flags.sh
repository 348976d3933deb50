#!/usr/bin/env bash
# Prints the JVM flags the JVM image ships (ENV JAVA_OPTS_APPEND of src/main/docker/Dockerfile.jvm,
# the one place they are written), so that the benchmark (bench/run.sh), the ops checks
# (ops/lib.sh) and the packaged-jar tests run the jar exactly as the image does.
#
#   jvm-flags.sh [APP_DIR]    the JVM flags, one line; /deployments/ (the image's application
#                             directory) is replaced by APP_DIR (default target/quarkus-app), and
#                             -XX:AOTCache=... is left out when that file does not exist there
#                             (a build without -Paot has no cache; the JVM would refuse to start)
#                             With JVM_FLAGS_JAVA=/path/to/java, a flag that JVM does not accept
#                             (a JDK 25 flag on JDK 17) is left out, with a warning on stderr.
#   jvm-flags.sh --env NAME   the value of another ENV of the image (e.g. MALLOC_ARENA_MAX)
#
# -Dquarkus.http.host=0.0.0.0 is the image's and is not printed: local runs stay on loopback.
set -euo pipefail
DOCKERFILE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/Dockerfile.jvm

env_value() { # NAME -> value of `ENV NAME="value"` or `ENV NAME=value`
  sed -n "s/^ENV $1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$DOCKERFILE" | tail -n 1
}

if [ "${1:-}" = --env ]; then
  env_value "$2"
  exit 0
fi

app=${1:-target/quarkus-app}
out=()
for flag in $(env_value JAVA_OPTS_APPEND); do
  case "$flag" in
    -Dquarkus.http.host=*) continue ;;
  esac
  flag=${flag//\/deployments\//$app/}
  if [[ "$flag" == -XX:AOTCache=* ]] && [ ! -f "${flag#-XX:AOTCache=}" ]; then
    continue
  fi
  out+=("$flag")
done
java=${JVM_FLAGS_JAVA:-}
if [ -n "$java" ] && ! "$java" "${out[@]}" -version >/dev/null 2>&1; then
  kept=()
  for flag in "${out[@]}"; do
    if "$java" "$flag" -version >/dev/null 2>&1; then kept+=("$flag"); else echo "jvm-flags.sh: $java does not accept $flag; left out" >&2; fi
  done
  out=("${kept[@]}")
fi
echo "${out[*]}"
