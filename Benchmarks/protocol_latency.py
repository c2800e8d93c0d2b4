"""Search latency through each front door of a running AgentIndex: REST (GET /v1/agents), MCP
(tools/call search_agents over Streamable HTTP, the Python mcp SDK) and A2A (SendMessage through
the a2a-sdk). The same queries in rotation, one client each, sequential; p50 and p99 in ms.

    python Benchmarks/protocol_latency.py --url http://127.0.0.1:8080 [--requests 200]
"""
import argparse
import asyncio
import json
import statistics
import time
import uuid

import httpx
from a2a.client import ClientConfig, ClientFactory
from a2a.client.card_resolver import A2ACardResolver
from a2a.types.a2a_pb2 import Message, Part, Role, SendMessageRequest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

QUERIES = ["translate", "legal contract", "invoice", "weather forecast", "agent 42", "data analysis", "german", "security audit"]


def summary(samples):
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"requests": len(samples), "p50_ms": round(pick(0.50) * 1e3, 2), "p99_ms": round(pick(0.99) * 1e3, 2),
            "mean_ms": round(statistics.fmean(samples) * 1e3, 2)}


async def rest(url, n):
    samples = []
    async with httpx.AsyncClient(timeout=30) as client:
        for i in range(n):
            started = time.perf_counter()
            answer = await client.get(f"{url}/v1/agents", params={"q": QUERIES[i % len(QUERIES)], "limit": 10})
            answer.raise_for_status()
            samples.append(time.perf_counter() - started)
    return summary(samples)


async def mcp(url, n):
    samples = []
    async with streamable_http_client(f"{url}/mcp") as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            for i in range(n):
                started = time.perf_counter()
                result = await session.call_tool("search_agents", {"q": QUERIES[i % len(QUERIES)], "limit": 10})
                assert not result.is_error, result
                samples.append(time.perf_counter() - started)
    return summary(samples)


async def a2a(url, n):
    samples = []
    async with httpx.AsyncClient(timeout=30) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        client = ClientFactory(ClientConfig(streaming=False, httpx_client=http)).create(card)
        for i in range(n):
            request = SendMessageRequest(message=Message(message_id=str(uuid.uuid4()), role=Role.ROLE_USER,
                                                         parts=[Part(text=QUERIES[i % len(QUERIES)])]))
            started = time.perf_counter()
            events = [event async for event in client.send_message(request)]
            assert events and events[-1].task.id
            samples.append(time.perf_counter() - started)
    return summary(samples)


async def measure(url, n):
    return {"rest": await rest(url, n), "mcp": await mcp(url, n), "a2a": await a2a(url, n)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.url.rstrip("/"), args.requests))))


if __name__ == "__main__":
    main()
