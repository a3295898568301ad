"""Drives a paywalled app with the third-party client l402-requests (PyPI), unchanged.

usage: l402_requests_peer.py BASE_URL PATH...
Pays through the app's dev node (POST BASE_URL/_l402/dev/pay), the one wallet a local test has.
Prints one JSON line per path: {"path", "status", "body", "paid_sats"}.
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


def main() -> None:
    base, paths = sys.argv[1], sys.argv[2:]
    client = L402Client(wallet=DevNodeWallet(base), budget=BudgetController(max_sats_per_request=100))
    for path in paths:
        before = client.spending_log.total_spent()
        response = client.get(base + path, timeout=30)
        paid = client.spending_log.total_spent() - before
        print(json.dumps({"path": path, "status": response.status_code, "body": response.text, "paid_sats": paid}), flush=True)


if __name__ == "__main__":
    main()
