"""Interop peer for the Payment-scheme tests: pympp (PyPI) behind a tiny JSON protocol.

Ops mode (default) - stdin: a JSON list of requests, stdout: a JSON list of answers.
  {"op": "parse_challenge", "header", "secret" or "secret_hex", "realm"}
      -> pympp's reading of a WWW-Authenticate value: {"id", "realm", "method", "intent",
         "request" (decoded JSON), "request_b64", "expires", "digest", "bound": pympp's own
         HMAC check of the id under the secret, "canonical_request_b64": pympp's JCS of "request"}
      "secret_hex" is a binary secret (a gateway's 32 random bytes), see RawSecret.
  {"op": "challenge_id", "secret", "realm", "method", "intent", "request", "expires", "digest", "header"}
      -> {"id": pympp's generate_challenge_id (with its credential-header slot when "header" is set)}
  {"op": "credential", "challenge_header", "preimage"}
      -> {"authorization": pympp's Credential serializer for that challenge and payload {"preimage"}}
  {"op": "parse_credential", "authorization"}
      -> {"challenge": {echoed fields}, "payload", "source"}
  {"op": "parse_receipt", "header"}
      -> {"status", "method", "reference", "timestamp" (ISO 8601 as pympp reads it)}
  Errors become {"error": "<type>: <message>"}.

Serve mode - `pympp_peer.py serve SECRET REALM SETUP_FILE`: reads {"price_sats", "invoices":
[{"invoice", "payment_hash", "network"}]} from SETUP_FILE, serves on 127.0.0.1 (port printed as
"listening on http://127.0.0.1:PORT") a route whose 402 is pympp's, with a Lightning charge
method registered through pympp's ServerMethod plugin interface (pympp ships none): each
challenge offers the next invoice; a credential is verified by SHA-256(preimage) == paymentHash.
"""
import asyncio
import hashlib
import json
import os
import signal
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import mpp
    from mpp import Credential, Receipt, generate_challenge_id
    from mpp._parsing import parse_authorization, parse_payment_receipt, parse_www_authenticate
    from mpp.errors import VerificationFailedError
    from mpp.methods import Method
    from mpp.server import Mpp, Request
    from mpp.server.method import ServerMethod
    from pydantic import BaseModel, ConfigDict
    import rfc8785
    import base64
except ImportError as error:
    sys.stderr.write(f"pympp is not installed ({error}); run `make test-deps` (scripts/install-deps.sh test)\n")
    sys.exit(3)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class RawSecret(str):
    """A binary HMAC key for pympp, which takes its secret as text and keys the HMAC with
    `secret_key.encode("utf-8")`: this str's encoding is the raw bytes, so pympp's own binding code
    runs unchanged on a secret that is not UTF-8."""

    def __new__(cls, raw: bytes):
        text = super().__new__(cls, raw.hex())
        text.raw = raw
        return text

    def encode(self, encoding="utf-8", errors="strict"):
        return self.raw


def secret_of(req):
    return RawSecret(bytes.fromhex(req["secret_hex"])) if "secret_hex" in req else req["secret"]


def parse_challenge(req):
    challenge = parse_www_authenticate(req["header"])
    return {
        "id": challenge.id, "realm": challenge.realm, "method": challenge.method, "intent": challenge.intent,
        "request": challenge.request, "request_b64": challenge.request_b64, "expires": challenge.expires,
        "digest": challenge.digest, "bound": challenge.verify(secret_of(req), req["realm"]),
        "canonical_request_b64": b64url(rfc8785.dumps(challenge.request)),
    }


def challenge_id(req):
    return {"id": generate_challenge_id(
        secret_key=req["secret"], realm=req["realm"], method=req["method"], intent=req["intent"],
        request=req["request"], expires=req.get("expires"), digest=req.get("digest"), header=req.get("header"))}


def credential(req):
    challenge = parse_www_authenticate(req["challenge_header"])
    return {"authorization": Credential(challenge=challenge.to_echo(), payload={"preimage": req["preimage"]}).to_authorization()}


def parse_credential(req):
    parsed = parse_authorization(req["authorization"])
    echo = parsed.challenge
    return {
        "challenge": {"id": echo.id, "realm": echo.realm, "method": echo.method, "intent": echo.intent,
                      "request": echo.request, "expires": echo.expires, "digest": echo.digest},
        "payload": parsed.payload, "source": parsed.source,
    }


def parse_receipt(req):
    receipt = parse_payment_receipt(req["header"])
    return {"status": receipt.status, "method": receipt.method, "reference": receipt.reference,
            "timestamp": receipt.timestamp.isoformat()}


OPS = {"parse_challenge": parse_challenge, "challenge_id": challenge_id, "credential": credential,
       "parse_credential": parse_credential, "parse_receipt": parse_receipt}


def run_ops():
    answers = []
    for req in json.load(sys.stdin):
        try:
            answers.append(OPS[req["op"]](req))
        except Exception as error:  # the test reads the refusal
            answers.append({"error": f"{type(error).__name__}: {error}"})
    json.dump(answers, sys.stdout)


# --- serve mode: a Lightning charge method on pympp's plugin interface ---

class MethodDetails(BaseModel):
    model_config = ConfigDict(extra="forbid")
    invoice: str
    paymentHash: str
    network: str


class ChargeRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # pympp adds its own route scope member
    amount: str
    currency: str
    description: str | None = None
    methodDetails: MethodDetails


class ChargePayload(BaseModel):
    preimage: str


def serve(secret, realm, setup_path):
    with open(setup_path) as setup_file:
        setup = json.load(setup_file)
    invoices = list(setup["invoices"])
    lock = threading.Lock()

    def resolve_request(context):
        if context.credential is not None:
            # Answering a challenge: the route input is what that (HMAC-bound) challenge offered.
            echoed = json.loads(base64.urlsafe_b64decode(context.credential.challenge.request + "=="))
            echoed.pop("_mppx_scope", None)
            return echoed
        with lock:
            offer = invoices.pop(0)
        return {"amount": str(setup["price_sats"]), "currency": "sat", "description": "pympp peer",
                "methodDetails": {"invoice": offer["invoice"], "paymentHash": offer["payment_hash"],
                                  "network": offer["network"]}}

    async def verify(context):
        payload = context.credential.payload
        preimage = payload.preimage if hasattr(payload, "preimage") else payload["preimage"]
        expected = context.challenge.request["methodDetails"]["paymentHash"]
        if len(preimage) != 64 or hashlib.sha256(bytes.fromhex(preimage)).hexdigest() != expected:
            raise VerificationFailedError("preimage does not hash to the payment hash")
        return Receipt.success(reference=expected, method="lightning")

    method = ServerMethod(
        method=Method(name="lightning", intent="charge", request_model=ChargeRequest, payload_model=ChargePayload),
        verify=verify, resolve_request=resolve_request)
    server = Mpp(methods=method, realm=realm, secret_key=secret)
    handler = server["lightning/charge"](expires_in=timedelta(minutes=5))
    loop = asyncio.new_event_loop()
    loop_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            request = Request("GET", f"http://127.0.0.1:{self.server.server_port}{self.path}", dict(self.headers.items()))
            with loop_lock:
                result = loop.run_until_complete(handler(request))
            if result.status == 200:
                response = result.with_receipt(mpp.server.Response(200, {"Content-Type": "text/plain"}, f"pympp served {self.path}"))
            else:
                response = result.challenge
            body = response.body or b""
            self.send_response(response.status)
            for name, value in response.headers.multi_items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    # The test runner may start us with SIGTERM blocked or ignored: make it end the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"listening on http://127.0.0.1:{httpd.server_port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        run_ops()
