"""Interop peer for MacaroonsTests: pymacaroons behind a tiny JSON protocol.

stdin: a JSON list of requests, stdout: a JSON list of answers, one per request.
  {"op": "mint", "key_hex", "id_hex", "location", "caveats_hex": [hex of UTF-8], "version": 1|2, "json": bool}
      -> {"token": serialized (base64, or V2 JSON when "json"), "signature_hex"}
  {"op": "attenuate", "token", "caveats_hex": [hex of UTF-8], "json": bool}
      -> {"token": the macaroon with the caveats added, same version and serializer, "signature_hex"}
  {"op": "read", "token", "key_hex", "json": bool}
      -> {"valid": bool, "error": str|null, "location", "id_hex",
          "caveats": [{"id_hex", "vid_hex": hex|null, "location": str|null}], "signature_hex", "version": 1|2}
  {"op": "bench", "token", "key_hex", "seconds"}
      -> {"ops_per_second": deserialize + verify rate over about `seconds`}
"""
import binascii
import json
import sys
import time

try:
    from pymacaroons import Macaroon, Verifier
    from pymacaroons.serializers import BinarySerializer, JsonSerializer
except ImportError:
    sys.stderr.write("pymacaroons is not installed; run `make test-deps` (scripts/install-deps.sh test)\n")
    sys.exit(3)


def mint(req):
    m = Macaroon(location=req["location"], identifier=binascii.unhexlify(req["id_hex"]),
                 key=binascii.unhexlify(req["key_hex"]), version=req["version"])
    for caveat in req["caveats_hex"]:
        m.add_first_party_caveat(binascii.unhexlify(caveat).decode("utf-8"))
    serializer = JsonSerializer() if req.get("json") else BinarySerializer()
    return {"token": m.serialize(serializer), "signature_hex": m.signature}


def attenuate(req):
    serializer = JsonSerializer() if req.get("json") else BinarySerializer()
    m = Macaroon.deserialize(req["token"], serializer)
    for caveat in req["caveats_hex"]:
        m.add_first_party_caveat(binascii.unhexlify(caveat).decode("utf-8"))
    return {"token": m.serialize(serializer), "signature_hex": m.signature}


def read(req):
    serializer = JsonSerializer() if req.get("json") else BinarySerializer()
    m = Macaroon.deserialize(req["token"], serializer)
    verifier = Verifier()
    verifier.satisfy_general(lambda predicate: True)
    error = None
    try:
        valid = verifier.verify(m, binascii.unhexlify(req["key_hex"]))
    except Exception as e:  # pymacaroons raises on a bad signature
        valid, error = False, str(e)
    return {
        "valid": valid, "error": error, "location": m.location,
        "id_hex": binascii.hexlify(m.identifier_bytes).decode(),
        "caveats": [caveat(c) for c in m.caveats],
        "signature_hex": m.signature, "version": m.version,
    }


def bench(req):
    key, token = binascii.unhexlify(req["key_hex"]), req["token"]
    verifier = Verifier()
    verifier.satisfy_general(lambda predicate: True)
    operations, start = 0, time.perf_counter()
    while time.perf_counter() - start < req["seconds"]:
        for _ in range(200):
            if not verifier.verify(Macaroon.deserialize(token), key):
                raise SystemExit("pymacaroons rejected the benchmark token")
        operations += 200
    return {"ops_per_second": operations / (time.perf_counter() - start)}


def caveat(c):
    vid = c.verification_key_id
    return {"id_hex": binascii.hexlify(c.caveat_id_bytes).decode(),
            "vid_hex": None if vid is None else binascii.hexlify(vid).decode(),
            "location": c.location if vid is not None else None}


answers = []
for request in json.load(sys.stdin):
    answers.append({"mint": mint, "attenuate": attenuate, "read": read, "bench": bench}[request["op"]](request))
json.dump(answers, sys.stdout)
