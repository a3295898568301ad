"""Drives a paid MCP tool behind the gateway with the official Python MCP SDK (PyPI `mcp` 1.x) as
the client, and prints what happened as one JSON object.

    python3 mcp_client.py http <mcp url> <gateway base>   # pays HTTP 402s in its HTTP transport
    python3 mcp_client.py mcp  <mcp url> <gateway base>   # declares the payment capability, pays -32042s

Invoices are paid with the gateway's dev node (POST <gateway>/_l402/dev/pay), as a wallet would.
"""

import asyncio
import json
import sys

import httpx
from mcp import ClientSession, types
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError

CREDENTIAL_KEY = "org.l402/credential"
RECEIPT_KEY = "org.l402/receipt"


async def pay(gateway: str, invoice: str) -> str:
    async with httpx.AsyncClient() as client:
        answer = await client.post(gateway + "/_l402/dev/pay", json={"invoice": invoice})
        answer.raise_for_status()
        return answer.json()["preimage"]


class L402Auth(httpx.Auth):
    """An HTTP transport that handles L402: on a 402 it pays the invoice and retries the same request."""

    requires_response_body = False  # the body of a paid answer is an SSE stream: never read it here

    def __init__(self, gateway: str):
        self.gateway = gateway
        self.payments = []  # {"amount_sats", "tool"} of each 402 paid
        self.credentials = []  # every credential sent, in order

    async def async_auth_flow(self, request):
        response = yield request
        if response.status_code != 402:
            return
        await response.aread()
        offer = response.json()
        preimage = await pay(self.gateway, offer["invoice"])
        self.payments.append({"amount_sats": offer["amount_sats"], "tool": offer["tool"]})
        credential = f"L402 {offer['macaroon']}:{preimage}"
        self.credentials.append(credential)
        request.headers["Authorization"] = credential
        yield request


def text_of(result: types.CallToolResult) -> str:
    return " ".join(item.text for item in result.content if isinstance(item, types.TextContent))


async def raw_call(url: str, session_id: str, name: str, authorization: str | None = None, meta: dict | None = None):
    """One tools/call POSTed by hand (to replay a credential): (HTTP status, JSON-RPC message)."""
    params = {"name": name, "arguments": {"query": "again"} if name == "search" else {}}
    if meta:
        params["_meta"] = meta
    headers = {"Accept": "application/json, text/event-stream", "Mcp-Session-Id": session_id, "MCP-Protocol-Version": "2025-06-18"}
    if authorization:
        headers["Authorization"] = authorization
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.post(url, json={"jsonrpc": "2.0", "id": 99, "method": "tools/call", "params": params}, headers=headers)
    body = answer.text
    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in body.splitlines() if line.startswith("data:")]
        body = data[-1] if data else "{}"
    return answer.status_code, json.loads(body)


async def http_scenario(url: str, gateway: str) -> dict:
    auth = L402Auth(gateway)
    report = {}
    async with streamablehttp_client(url, auth=auth) as (read, write, session_id):
        async with ClientSession(read, write) as session:
            await session.initialize()
            report["tools"] = sorted(tool.name for tool in (await session.list_tools()).tools)
            report["payments_after_list"] = len(auth.payments)
            report["search"] = text_of(await session.call_tool("search", {"query": "lightning"}))
            search_credential = auth.credentials[-1]
            report["summarize"] = text_of(await session.call_tool("summarize", {"text": "one two three four five"}))
            summarize_credential = auth.credentials[-1]
            report["echo"] = text_of(await session.call_tool("echo", {"text": "free"}))
            failed = await session.call_tool("fail", {})
            report["fail"] = {"is_error": failed.isError, "text": text_of(failed)}
            fail_credential = auth.credentials[-1]
            report["payments"] = list(auth.payments)

            # Streaming: the tool waits until `release` is called, which happens only once its progress
            # notification reached this client through the gateway, before the answer ends.
            progress = []

            async def on_progress(done, total, message):
                progress.append(done)
                asyncio.get_running_loop().create_task(session.call_tool("release", {}))

            streamed = await session.call_tool("wait_for_release", {}, progress_callback=on_progress)
            report["streamed"] = {"text": text_of(streamed), "progress": progress}

            sid = session_id()
            status, message = await raw_call(url, sid, "search", authorization=search_credential)
            report["replay"] = {"status": status, "body": message}
            status, message = await raw_call(url, sid, "fail", authorization=fail_credential)
            report["failed_credential_again"] = {"status": status, "body": message}
            status, message = await raw_call(url, sid, "search", authorization=summarize_credential)
            report["other_tool"] = {"status": status, "body": message}
    report["payments_total"] = len(auth.payments)
    return report


class PayingSession(ClientSession):
    """A client session whose `initialize` declares `capabilities.experimental.payment` (the SDK's own leaves it out)."""

    async def initialize(self) -> types.InitializeResult:
        result = await self.send_request(
            types.ClientRequest(
                types.InitializeRequest(
                    params=types.InitializeRequestParams(
                        protocolVersion=types.LATEST_PROTOCOL_VERSION,
                        capabilities=types.ClientCapabilities(
                            experimental={"payment": {"methods": {"lightning": {"intents": ["charge"]}}}}),
                        clientInfo=types.Implementation(name="l402-test", version="1"),
                    )
                )
            ),
            types.InitializeResult,
        )
        await self.send_notification(types.ClientNotification(types.InitializedNotification()))
        return result


async def call_paying(session: ClientSession, gateway: str, name: str, arguments: dict, payments: list):
    """Calls a tool; on -32042 pays the L402 offer from the error's data and calls again with the credential in _meta."""
    try:
        return await session.call_tool(name, arguments), None
    except McpError as error:
        if error.error.code != -32042:
            raise
        offer = error.error.data["l402"]
        preimage = await pay(gateway, offer["invoice"])
        payments.append({"amount_sats": offer["amount_sats"], "tool": offer["tool"]})
        credential = f"L402 {offer['macaroon']}:{preimage}"
        return await session.call_tool(name, arguments, meta={CREDENTIAL_KEY: credential}), credential


async def mcp_scenario(url: str, gateway: str) -> dict:
    report = {}
    payments = []
    async with streamablehttp_client(url) as (read, write, session_id):
        async with PayingSession(read, write) as session:
            initialized = await session.initialize()
            report["server_payment_capability"] = (initialized.capabilities.experimental or {}).get("payment")
            result, credential = await call_paying(session, gateway, "search", {"query": "mcp"}, payments)
            report["search"] = text_of(result)
            report["receipt"] = (result.meta or {}).get(RECEIPT_KEY)
            try:
                await session.call_tool("search", {"query": "replay"}, meta={CREDENTIAL_KEY: credential})
                report["replay"] = "accepted"
            except McpError as error:
                report["replay"] = {"code": error.error.code, "error": error.error.data["l402"].get("error")}
            mac = credential.split(" ", 1)[1].split(":")[0]
            try:
                await session.call_tool("search", {"query": "forged"}, meta={CREDENTIAL_KEY: f"L402 {mac}:{'00' * 32}"})
                report["forged"] = "accepted"
            except McpError as error:
                report["forged"] = {"code": error.error.code, "error": error.error.data.get("error")}
            report["echo"] = text_of(await session.call_tool("echo", {"text": "free"}))
    report["payments"] = payments
    return report


def main() -> None:
    mode, url, gateway = sys.argv[1], sys.argv[2], sys.argv[3]
    scenario = http_scenario if mode == "http" else mcp_scenario
    print(json.dumps(asyncio.run(scenario(url, gateway))))


if __name__ == "__main__":
    main()
