"""Drives a paywalled app with the third-party client l402-requests (PyPI), unchanged.

usage: l402_requests_peer.py BASE_URL [-H 'Name: value']... PATH...
Pays through the app's dev node (POST BASE_URL/_l402/dev/pay), the one wallet a local test has.
Every request carries the -H headers (e.g. `Accept-Payment: lightning/charge`, to be offered only
the `Payment` scheme). Prints one JSON line per path: {"path", "status", "body", "paid_sats",
"receipt"}, where "receipt" is l402-requests' reading of the answer's `Payment-Receipt`
({"status", "method", "reference", "challenge_id"}) or null.
"""
import json
import sys
import urllib.request

from l402_requests import BudgetController, L402Client, WalletBase


class DevNodeWallet(WalletBase):
    """Pays an invoice the app's embedded dev node issued, the way a real wallet would over Lightning."""

    def __init__(self, base: str):
        self.base = base

    async def pay_invoice(self, bolt11: str) -> str:
        request = urllib.request.Request(
            self.base + "/_l402/dev/pay", data=json.dumps({"invoice": bolt11}).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)["preimage"]


def receipt_of(response):
    receipt = getattr(response, "payment_receipt", None)
    if receipt is None:
        return None
    return {"status": receipt.status, "method": receipt.method, "reference": receipt.reference,
            "challenge_id": receipt.challenge_id}


def main() -> None:
    base, rest = sys.argv[1], sys.argv[2:]
    headers, paths = {}, []
    while rest:
        argument = rest.pop(0)
        if argument == "-H":
            name, value = rest.pop(0).split(":", 1)
            headers[name.strip()] = value.strip()
        else:
            paths.append(argument)
    client = L402Client(wallet=DevNodeWallet(base), budget=BudgetController(max_sats_per_request=100))
    for path in paths:
        before = client.spending_log.total_spent()
        response = client.get(base + path, headers=headers, timeout=30)
        paid = client.spending_log.total_spent() - before
        print(json.dumps({"path": path, "status": response.status_code, "body": response.text, "paid_sats": paid,
                          "receipt": receipt_of(response)}), flush=True)


if __name__ == "__main__":
    main()
