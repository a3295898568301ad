#!/usr/bin/env python3
"""Writes the seed corpus Fuzz/corpus/<Target>/: a few valid inputs (the shapes the tests use) and
invalid ones beside them. Macaroons come from pymacaroons (the peer the interop tests use); invoices are
the BOLT-11 specification's examples, copied into Tests/Bolt11Tests/SpecInvoices.swift. Re-run to refresh:
    python3 Fuzz/corpus/make-seeds.py
"""
import base64, os, re
from pymacaroons import Macaroon
from pymacaroons.serializers import BinarySerializer, JsonSerializer

root = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(root))

def unb64(text):
    text = text.decode() if isinstance(text, bytes) else text
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

def write(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# An L402 identifier: version 0, payment hash, token id.
identifier = bytes(2) + bytes(range(32)) + bytes(range(32, 64))
m = Macaroon(location="gateway", identifier=identifier, key="fuzz seed root key", version=2)
for caveat in ["tool=weather", "amount_sats=10", "calls=3", "expires_at=1900000000", "path_prefix=/v1"]:
    m.add_first_party_caveat(caveat)
m.add_third_party_caveat("http://auth/", "third party key", "third party id")
v2 = unb64(m.serialize(BinarySerializer()))
m1 = Macaroon(location="gateway", identifier=identifier, key="fuzz seed root key", version=1)
m1.add_first_party_caveat("tool=weather")
m1.add_third_party_caveat("http://auth/", "third party key", "third party id")
v1 = unb64(m1.serialize(BinarySerializer()))
js = m.serialize(JsonSerializer()).encode()

write("MacaroonV2", "valid", v2); write("MacaroonV2", "truncated", v2[: len(v2) // 2]); write("MacaroonV2", "empty-caveats", bytes([2, 2, 1, 0x69, 0, 2, 0, 0, 2, 0, 0, 0, 6, 32]) + bytes(32))
write("MacaroonV1", "valid", v1); write("MacaroonV1", "bad-length", b"zzzz" + v1[4:])
write("MacaroonJSON", "valid", js); write("MacaroonJSON", "unknown-member", b'{"v":2,"x":1,"s64":"AA"}')

preimage = bytes(range(32)).hex()
std = base64.b64encode(v2).decode()
write("Credential", "valid", f"L402 {std}:{preimage}")
write("Credential", "lsat-url-two", f"LSAT {base64.urlsafe_b64encode(v2).decode().rstrip('=')},{std}:{preimage.upper()}")
write("Credential", "v1", f"L402 {base64.b64encode(v1).decode()}:{preimage}")
write("Credential", "json", f"L402 {base64.b64encode(js).decode()}:{preimage}")
write("Credential", "no-preimage", f"L402 {std}")

spec = open(os.path.join(repo, "Tests/Bolt11Tests/SpecInvoices.swift")).read()
invoices = re.findall(r'"(ln[a-z0-9]+)"', spec)
for i, invoice in enumerate(invoices[:6]):
    write("Bolt11", f"spec-{i}", invoice)
write("Bolt11", "bad-checksum", invoices[0][:-1] + ("q" if invoices[0][-1] != "q" else "p"))

write("ByteEncoding", "base64", std); write("ByteEncoding", "base64url", base64.urlsafe_b64encode(v2).decode().rstrip("="))
write("ByteEncoding", "hex", preimage); write("ByteEncoding", "bad", "zz==")

invoice = invoices[1]
write("Challenge", "lsat-and-l402", f'LSAT macaroon="{std}", invoice="{invoice}", L402 macaroon="{std}", invoice="{invoice}"')
write("Challenge", "2026-form", f'L402 version="0", token="{std}", invoice="{invoice}"\nPayment id="x", realm="r", method="lightning"')
write("Challenge", "body-only", b"Basic realm=x\x00" + f'{{"macaroon":"{std}","invoice":"{invoice}","amount_sats":250}}'.encode())
write("Challenge", "unterminated", 'L402 macaroon="abc')

write("Configuration", "full", """listen: 127.0.0.1:9000
data_dir: /var/lib/l402
invoice_expiry: 300
upstream_timeout: 20
upstream_connect_timeout: 2
max_body_bytes: 1048576
admin_token: 0123456789abcdef0123456789abcdef-admin
allow_dev_on_public: false
lightning:
  backend: lnd
  rest_url: https://127.0.0.1:8080
  macaroon: /secrets/invoice.macaroon
challenge_rate_limit: {per_minute: 60, burst: 10}
trusted_proxies: [10.0.0.1, "::1"]
tools:
  - slug: weather
    upstream: http://127.0.0.1:7000/api
    price_sats: 10
    calls: 5
    valid_for: 3600
    description: Weather forecasts
""")
write("Configuration", "bad-price", "tools:\n  - slug: weather\n    upstream: http://127.0.0.1:9\n    price_sats: lots\n")
write("Configuration", "postgres", "database: postgres://l402:secret@127.0.0.1:5432/l402?pool_size=5\n")

write("AdminTool", "tool", '{"slug":"weather","upstream":"http://127.0.0.1:7000","price_sats":10,"calls":5,"description":"Forecasts","enabled":true}')
write("AdminTool", "prices", '{"slug":"maps","upstream":"http://127.0.0.1:7001","price_sats":3,"prices":[{"method":"POST","path_prefix":"/v1/","price_sats":7}]}')
write("AdminTool", "bad", '{"slug":"Bad Slug!","price_sats":-1}')

write("LNDWire", "add-invoice", '{"r_hash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","payment_request":"%s","add_index":"1"}' % invoice)
write("LNDWire", "invoice", '{"state":"SETTLED","creation_date":"1700000000","expiry":"600","r_preimage":"AA=="}')
write("LNDWire", "getinfo", '{"identity_pubkey":"02aa","alias":"alice","chains":[{"chain":"bitcoin","network":"regtest"}]}')
write("LNDWire", "stream", '{"result":{"payment_hash":"00","status":"IN_FLIGHT"}}\n{"result":{"payment_hash":"00","payment_preimage":"11","status":"SUCCEEDED","fee_msat":"1000"}}\n')
write("LNDWire", "error", '{"code":2,"message":"invoice expired","details":[]}')

for name, path in [("root", "/"), ("plain", "/weather/paris"), ("encoded-unreserved", "/%62ulk"), ("slashes", "//bulk//x/"),
                   ("dotdot-params", "/a/..;/b"), ("dot-params", "/a/.;x/b"), ("encoded-dots", "/a/%2e%2E/b"),
                   ("encoded-slash", "/a%2Fb"), ("backslash", "/a\\b"), ("utf8", "/caf%C3%A9/caf\u00e9"),
                   ("params", "/x;y=1/z"), ("nul", "/%00"), ("relative", "bulk")]:
    write("RequestPath", name, path)
