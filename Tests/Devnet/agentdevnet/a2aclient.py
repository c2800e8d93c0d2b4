"""A real A2A client (the a2a-sdk from PyPI) asking AgentIndex as an agent: resolves its card,
sends a message in A2A v1.0 (and v0.3 through the SDK's compat transport), reads the task back
(Tests/IntegrationTests/AgentClientsTests)."""
import asyncio
import json
import uuid

import httpx
from google.protobuf.json_format import MessageToDict

from a2a.client import ClientConfig, ClientFactory
from a2a.client.card_resolver import A2ACardResolver
from a2a.types.a2a_pb2 import GetTaskRequest, Message, Part, Role, SendMessageRequest
from google.protobuf import struct_pb2


def message(text=None, data=None):
    parts = []
    if text is not None:
        parts.append(Part(text=text))
    if data is not None:
        value = struct_pb2.Value()
        value.struct_value.update(data)
        parts.append(Part(data=value))
    return SendMessageRequest(message=Message(message_id=str(uuid.uuid4()), role=Role.ROLE_USER, parts=parts))


async def ask(base_url, text, data, version):
    async with httpx.AsyncClient(timeout=30) as http:
        card = await A2ACardResolver(http, base_url).get_agent_card()
        if version == "0.3":   # keep only the v0.3 interface: the SDK then speaks message/send
            keep = [i for i in card.supported_interfaces if i.protocol_version.startswith("0.3")]
            del card.supported_interfaces[:]
            card.supported_interfaces.extend(keep)
        client = ClientFactory(ClientConfig(streaming=False, httpx_client=http)).create(card)
        events = [event async for event in client.send_message(message(text, data))]
        task = events[-1].task
        again = await client.get_task(GetTaskRequest(id=task.id))
        errors = {}
        try:
            await client.get_task(GetTaskRequest(id="no-such-task"))
        except Exception as error:   # the SDK raises the A2A error the code maps to
            errors["unknownTask"] = type(error).__name__
        return {"card": MessageToDict(card), "task": MessageToDict(task), "again": MessageToDict(again), "errors": errors}


def main(base_url, text, data, version):
    print(json.dumps(asyncio.run(ask(base_url, text, json.loads(data) if data else None, version))))
