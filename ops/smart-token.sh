#!/usr/bin/env bash
# A system client's side of SMART Backend Services, with openssl only (docs/bulk-export.md):
#
#   bash ops/smart-token.sh keygen ec|rsa KEY.pem          a private key (EC P-384 for ES384, RSA 3072 for RS384)
#   bash ops/smart-token.sh jwks KEY.pem KID               the public JWK Set to register the client with
#   bash ops/smart-token.sh assertion CLIENT_ID KEY.pem KID
#                                                          a signed client assertion (RFC 7523), valid 4 minutes
#   bash ops/smart-token.sh token CLIENT_ID KEY.pem KID [SCOPE]
#                                                          posts a fresh assertion and prints the token response
#
# Where: B (the service, default http://localhost:8080). The token endpoint's URL is read from
# $B/fhir/.well-known/smart-configuration unless TOKEN_URL is set; the assertion's aud is that URL
# unless AUDIENCE is set (when the service is reached through another address than its public one).
# The private key never leaves this machine; nothing secret is printed but the token asked for.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "smart-token: $*" >&2; exit 1; }
command -v openssl >/dev/null || die "openssl is needed"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
hex2bin() { perl -e 'print pack("H*", $ARGV[0])' "$1"; }
is_ec() { openssl pkey -in "$1" -noout -text 2>/dev/null | grep -q 'secp384r1\|P-384'; }
json_str() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# An INTEGER of a DER ECDSA signature as exactly 48 bytes (hex), as JWS wants R and S (RFC 7518 3.4).
pad48() {
  local h=${1#:}
  h=$(printf '%s' "$h" | sed 's/^\(00\)*//')
  while [ ${#h} -lt 96 ]; do h="0$h"; done
  printf '%s' "$h"
}

sign() { # KEY ALG INPUT -> base64url signature
  local key=$1 alg=$2 input=$3
  if [ "$alg" = ES384 ]; then
    local der ints
    der=$(printf '%s' "$input" | openssl dgst -sha384 -sign "$key" -binary | openssl base64 -A)
    ints=$(printf '%s' "$der" | openssl base64 -d -A | openssl asn1parse -inform DER 2>/dev/null | awk '/INTEGER/ {print $NF}')
    [ "$(printf '%s\n' "$ints" | wc -l)" -eq 2 ] || die "could not read the ECDSA signature"
    { hex2bin "$(pad48 "$(printf '%s\n' "$ints" | sed -n 1p)")"; hex2bin "$(pad48 "$(printf '%s\n' "$ints" | sed -n 2p)")"; } | b64url
  else
    printf '%s' "$input" | openssl dgst -sha384 -sign "$key" -binary | b64url
  fi
}

jwks() { # KEY KID
  local key=$1 kid
  kid=$(json_str "$2")
  [ -r "$key" ] || die "cannot read $key"
  if is_ec "$key"; then
    local point x y
    # The public key's DER ends with the uncompressed point 04 || X || Y (48 bytes each).
    point=$(openssl pkey -in "$key" -pubout -outform DER | tail -c 96 | openssl base64 -A)
    x=$(printf '%s' "$point" | openssl base64 -d -A | head -c 48 | b64url)
    y=$(printf '%s' "$point" | openssl base64 -d -A | tail -c 48 | b64url)
    printf '{"keys":[{"kty":"EC","crv":"P-384","x":"%s","y":"%s","kid":"%s","alg":"ES384","use":"sig"}]}\n' "$x" "$y" "$kid"
  else
    local n e
    n=$(openssl rsa -in "$key" -noout -modulus 2>/dev/null | sed 's/^Modulus=//')
    [ -n "$n" ] || die "$key is neither an EC P-384 nor an RSA private key"
    e=$(openssl rsa -in "$key" -noout -text 2>/dev/null | sed -n 's/^publicExponent: [0-9]* (0x\([0-9a-fA-F]*\))/\1/p')
    [ $(( ${#e} % 2 )) -eq 0 ] || e="0$e"
    printf '{"keys":[{"kty":"RSA","n":"%s","e":"%s","kid":"%s","alg":"RS384","use":"sig"}]}\n' \
      "$(hex2bin "$n" | b64url)" "$(hex2bin "$e" | b64url)" "$kid"
  fi
}

token_url() {
  if [ -n "${TOKEN_URL:-}" ]; then printf '%s' "$TOKEN_URL"; return; fi
  command -v curl >/dev/null || die "curl is needed"
  curl -sf "${B:-http://localhost:8080}/fhir/.well-known/smart-configuration" \
    | sed -n 's/.*"token_endpoint" *: *"\([^"]*\)".*/\1/p' | grep . || die "no token_endpoint at ${B:-http://localhost:8080}"
}

assertion() { # CLIENT_ID KEY KID
  local client key=$2 kid alg aud now header payload input
  client=$(json_str "$1"); kid=$(json_str "$3")
  [ -r "$key" ] || die "cannot read $key"
  if is_ec "$key"; then alg=ES384; else alg=RS384; fi
  aud=$(json_str "${AUDIENCE:-$(token_url)}")
  now=$(date +%s)
  header=$(printf '{"alg":"%s","typ":"JWT","kid":"%s"}' "$alg" "$kid" | b64url)
  payload=$(printf '{"iss":"%s","sub":"%s","aud":"%s","iat":%d,"exp":%d,"jti":"%s"}' \
    "$client" "$client" "$aud" "$now" $((now + 240)) "$(openssl rand -hex 16)" | b64url)
  input="$header.$payload"
  printf '%s.%s\n' "$input" "$(sign "$key" "$alg" "$input")"
}

case "${1:-}" in
  keygen)
    [ $# -eq 3 ] || usage
    case "$2" in
      ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$3" ;;
      rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$3" 2>/dev/null ;;
      *) usage ;;
    esac
    chmod 600 "$3" ;;
  jwks)
    [ $# -eq 3 ] || usage
    jwks "$2" "$3" ;;
  assertion)
    [ $# -eq 4 ] || usage
    assertion "$2" "$3" "$4" ;;
  token)
    [ $# -ge 4 ] && [ $# -le 5 ] || usage
    command -v curl >/dev/null || die "curl is needed"
    url=${TOKEN_URL:-$(token_url)}
    signed=$(TOKEN_URL=$url assertion "$2" "$3" "$4")
    curl -s -w '\n' -X POST "$url" \
      --data-urlencode grant_type=client_credentials \
      --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
      --data-urlencode "client_assertion=$signed" \
      --data-urlencode "scope=${5:-system/*.rs}" ;;
  *) usage ;;
esac
