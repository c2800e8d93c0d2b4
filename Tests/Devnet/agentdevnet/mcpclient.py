"""A real MCP client (the `mcp` SDK from PyPI) using AgentIndex's tools over Streamable HTTP or
stdio: lists the tools and calls each (Tests/IntegrationTests/AgentClientsTests)."""
import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


async def exercise(session, calls):
    await session.initialize()
    tools = await session.list_tools()
    results = {}
    for name, arguments in calls:
        result = await session.call_tool(name, arguments)
        results.setdefault(name, []).append({"isError": bool(result.is_error), "structured": result.structured_content,
                                             "text": [c.text for c in result.content if getattr(c, "type", "") == "text"]})
    return {"tools": [{"name": t.name, "inputSchema": t.input_schema, "outputSchema": t.output_schema} for t in tools.tools],
            "results": results}


async def over_http(url, calls):
    async with streamable_http_client(url) as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(read, write) as session:
            return await exercise(session, calls)


async def over_stdio(command, calls):
    params = StdioServerParameters(command=command[0], args=command[1:])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            return await exercise(session, calls)


def main(url, command, calls):
    calls = [(c["tool"], c.get("arguments", {})) for c in json.loads(calls)]
    result = asyncio.run(over_http(url, calls) if url else over_stdio(command, calls))
    print(json.dumps(result))
