"""A FastMCP server (the official Python MCP SDK, PyPI `mcp` 1.x) for the gateway's MCP tests.

    python3 mcp_upstream.py [--json]

Serves Streamable HTTP at http://127.0.0.1:<port>/mcp and prints `listening <port>` once bound.
Answers come as SSE streams, or as plain JSON with --json. Tools:
  search(query)     -> "results for <query>"         (priced 5 by the gateway)
  summarize(text)   -> "summary: <first words>"      (priced 40)
  echo(text)        -> text                          (free)
  fail()            -> raises: an `isError: true` result (priced at the tool's default price)
  wait_for_release  -> reports progress, then waits until `release` is called (proves the answer streams)
  release()         -> lets wait_for_release finish  (free)
"""

import asyncio
import signal
import socket
import sys

import uvicorn
from mcp.server.fastmcp import Context, FastMCP

json_response = "--json" in sys.argv[1:]
server = FastMCP("paid-tools", json_response=json_response)
released = asyncio.Event()


@server.tool()
def search(query: str) -> str:
    return f"results for {query}"


@server.tool()
def summarize(text: str) -> str:
    return "summary: " + " ".join(text.split()[:3])


@server.tool()
def echo(text: str) -> str:
    return text


@server.tool()
def fail() -> str:
    raise RuntimeError("the tool failed on purpose")


@server.tool()
async def wait_for_release(ctx: Context) -> str:
    await ctx.report_progress(1, 2, "waiting for release")
    try:
        await asyncio.wait_for(released.wait(), timeout=120)
    except asyncio.TimeoutError:
        raise RuntimeError("nobody called release: the progress notification never reached the client")
    return "released"


@server.tool()
def release() -> str:
    released.set()
    return "ok"


def main() -> None:
    # The test process may start us with SIGTERM blocked (an inherited signal mask): unblock it so
    # the test can stop this server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    print(f"listening {port}", flush=True)
    # Open event streams would hold a graceful shutdown back: SIGTERM ends the test server at once.
    config = uvicorn.Config(server.streamable_http_app(), log_level="warning", timeout_graceful_shutdown=1)
    asyncio.run(uvicorn.Server(config).serve(sockets=[listener]))


if __name__ == "__main__":
    main()
