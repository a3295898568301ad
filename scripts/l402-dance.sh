#!/usr/bin/env bash
# The L402 dance with nothing but curl, against a gateway running the dev Lightning node
# (`make run`): ask → 402 with an invoice → pay it (dev node) → ask again with the credential → 200.
#   scripts/l402-dance.sh [BASE_URL] [PATH]      default http://127.0.0.1:8402 /echo/hello?from=curl
# Exits non-zero, saying where, if any step does not answer as the L402 protocol says.
set -euo pipefail
base=${1:-http://127.0.0.1:8402}
path=${2:-/echo/hello?from=curl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "l402-dance: $*" >&2; exit 1; }
# The first string member named $1 of a compact JSON object (the 402's top-level L402 fields come
# before its nested "payment" offer, which has an "invoice" of its own).
field() { grep -o "\"$1\":\"[^\"]*\"" "$2" | head -n 1 | sed 's/^"[^"]*":"\(.*\)"$/\1/' || true; }

echo "1. GET $path without credentials"
status=$(curl -sS -D "$work/headers" -o "$work/challenge" -w '%{http_code}' "$base$path")
[ "$status" = 402 ] || fail "expected 402, got $status: $(cat "$work/challenge")"
grep -i '^www-authenticate: LSAT macaroon=' "$work/headers" >/dev/null || fail "no LSAT WWW-Authenticate header"
grep -i '^www-authenticate: L402 macaroon=' "$work/headers" >/dev/null || fail "no L402 WWW-Authenticate header"
macaroon=$(field macaroon "$work/challenge")
invoice=$(field invoice "$work/challenge")
[ -n "$macaroon" ] && [ -n "$invoice" ] || fail "the 402 body lacks macaroon or invoice: $(cat "$work/challenge")"
echo "   402 Payment Required: invoice ${invoice:0:40}…"

echo "2. pay the invoice (dev node: POST /_l402/dev/pay)"
status=$(curl -sS -o "$work/paid" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d "{\"invoice\":\"$invoice\"}" "$base/_l402/dev/pay")
[ "$status" = 200 ] || fail "dev pay answered $status: $(cat "$work/paid")"
preimage=$(field preimage "$work/paid")
[ ${#preimage} = 64 ] || fail "no 32-byte preimage in $(cat "$work/paid")"
echo "   preimage ${preimage:0:16}…"

echo "3. GET $path with Authorization: L402 <macaroon>:<preimage>"
status=$(curl -sS -o "$work/answer" -w '%{http_code}' -H "Authorization: L402 $macaroon:$preimage" "$base$path")
[ "$status" = 200 ] || fail "expected 200, got $status: $(cat "$work/answer")"
echo "   200 OK: $(tr -d '\n' < "$work/answer" | cut -c1-120)"

echo "4. the same one-call credential again"
status=$(curl -sS -o "$work/again" -w '%{http_code}' -H "Authorization: L402 $macaroon:$preimage" "$base$path")
[ "$status" = 402 ] || fail "expected 402 for a spent token, got $status"
[ "$(field error "$work/again")" = token_spent ] || fail "expected error token_spent: $(cat "$work/again")"
echo "   402 token_spent, with a fresh invoice"
echo "l402-dance: OK"
