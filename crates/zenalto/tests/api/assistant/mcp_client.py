"""A session with Zenalto's MCP server through the official MCP Python SDK (`mcp` on PyPI).

Usage: mcp_client.py <url> <full key> <limited key> <post id> <local time>
Prints one JSON object: what the server answered at each step, for the Rust test to check.
"""

import asyncio
import json
import sys

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client


def texts(result):
    return [block.text for block in result.content if getattr(block, "text", None) is not None]


async def session_with(url, key, steps):
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {key}"}) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                await session.send_ping()
                return await steps(session, init)


async def main():
    url, full_key, limited_key, post_id, local_time = sys.argv[1:6]
    out = {}

    async def as_owner(session, init):
        out["server"] = init.server_info.name
        out["tools"] = [tool.name for tool in (await session.list_tools()).tools]
        accounts = await session.call_tool("list_accounts", {})
        out["accounts"] = {"isError": accounts.is_error, "text": texts(accounts)}
        proposal = await session.call_tool("schedule_post", {"postId": post_id, "localTime": local_time, "timeZone": "Europe/Berlin"})
        out["proposal"] = {"isError": proposal.is_error, "text": texts(proposal)}
        card = json.loads(texts(proposal)[1])
        out["actionId"] = card["actionId"]
        confirmed = await session.call_tool("confirm_action", {"actionId": card["actionId"]})
        out["confirmed"] = {"isError": confirmed.is_error, "text": texts(confirmed)}

    async def as_limited(session, init):
        refused = await session.call_tool("schedule_post", {"postId": post_id, "localTime": local_time})
        out["refused"] = {"isError": refused.is_error, "text": texts(refused)}
        allowed = await session.call_tool("find_posts", {"words": "webinar"})
        out["limitedRead"] = {"isError": allowed.is_error, "text": texts(allowed)}

    await session_with(url, full_key, as_owner)
    await session_with(url, limited_key, as_limited)
    print(json.dumps(out))


asyncio.run(main())
