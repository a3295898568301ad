"""Drives `l402 mcp` over stdio with the official Python MCP SDK (PyPI `mcp` 1.x) as the client, and
prints what its tools answered as one JSON object.

    python3 mcp_agent.py <l402 binary> <gateway base> <token dir>
    python3 mcp_agent.py <l402 binary> <gateway base> <token dir> resume <url>

The second form runs `l402 mcp` with --max-sats 0 and fetches <url> once: only a payment an earlier
run left in the token dir can pay for it. The first form expects a gateway that serves /cheap/ (7 sats), /dear/ (100 sats) and /paid/mcp (an MCP tool, search 5 sats).
`l402 mcp` runs with --max-sats 60 --max-sats-per-call 50 --allow-host 127.0.0.1 and the dev wallet.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


def answer(result: types.CallToolResult) -> dict:
    text = " ".join(item.text for item in result.content if isinstance(item, types.TextContent))
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    return {"is_error": bool(result.isError), "value": value}


async def resume(binary: str, gateway: str, token_dir: str, url: str) -> dict:
    server = StdioServerParameters(
        command=binary, args=["mcp", "--wallet", f"dev={gateway}", "--max-sats", "0", "--token-dir", token_dir])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return {
                "fetch": answer(await session.call_tool("fetch", {"url": url})),
                "budget": answer(await session.call_tool("budget", {})),
            }


async def main() -> None:
    binary, gateway, token_dir = sys.argv[1:4]
    if sys.argv[4:5] == ["resume"]:
        print(json.dumps(await resume(binary, gateway, token_dir, sys.argv[5])))
        return
    port = gateway.rsplit(":", 1)[1]
    server = StdioServerParameters(
        command=binary,
        args=["mcp", "--wallet", f"dev={gateway}", "--max-sats", "60", "--max-sats-per-call", "50",
              "--allow-host", "127.0.0.1", "--token-dir", token_dir],
    )
    report = {}
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            report["tools"] = sorted(tool.name for tool in (await session.list_tools()).tools)
            report["fetch"] = answer(await session.call_tool("fetch", {"url": gateway + "/cheap/hello"}))
            report["over_budget"] = answer(await session.call_tool("fetch", {"url": gateway + "/dear/x"}))
            report["over_call_max"] = answer(await session.call_tool("fetch", {"url": gateway + "/cheap/again", "max_sats": 3}))
            report["other_host"] = answer(await session.call_tool("fetch", {"url": f"http://localhost:{port}/cheap/hello"}))
            report["mcp_tool"] = answer(await session.call_tool(
                "call_paid_mcp_tool", {"server_url": gateway + "/paid/mcp", "tool": "search", "arguments": {"query": "agents"}}))
            report["budget"] = answer(await session.call_tool("budget", {}))
            report["tokens"] = answer(await session.call_tool("tokens", {}))
            report["bad_url"] = answer(await session.call_tool("fetch", {"url": "not a url"}))
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
