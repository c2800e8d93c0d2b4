"""Checks recorded API responses against schemas/openapi.yaml (and the card schemas it refers to).

Input: JSON lines {"method", "path" (the OpenAPI template), "status", "body"}. Every body must
validate against the schema the spec gives for that operation and status; an operation or
status the spec does not list is an error; so is an operation of the spec never exercised,
unless `partial` (a test that covers some operations, while another covers them all).
"""
import json
import os

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

BASE = "https://agentindex.example/schemas/"


def check(spec_path, responses_path, partial=False):
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    resources = [(BASE + "openapi.yaml", Resource(contents=spec, specification=DRAFT202012))]
    for name in ("agent-card.schema.json", "agent-card-v1.schema.json"):   # the card schemas the spec refers to
        with open(os.path.join(os.path.dirname(spec_path), name)) as f:
            resources.append((BASE + name, Resource(contents=json.load(f), specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    errors = []
    exercised = set()
    with open(responses_path) as f:
        for number, line in enumerate(f, 1):
            r = json.loads(line)
            operation = spec["paths"].get(r["path"], {}).get(r["method"])
            if operation is None:
                errors.append(f"line {number}: {r['method'].upper()} {r['path']} is not in the spec")
                continue
            exercised.add((r["path"], r["method"]))
            response = operation["responses"].get(str(r["status"]))
            if response is None:
                errors.append(f"line {number}: {r['path']} answered {r['status']}, which the spec does not list")
                continue
            if "application/json" not in response["content"]:
                continue   # a CSV or JSON Lines body: checked by its own schema, not here
            schema = response["content"]["application/json"]["schema"]
            validator = Draft202012Validator({"$id": BASE + "openapi.yaml#response", **schema} if "$ref" not in schema
                                             else {"$ref": BASE + "openapi.yaml" + schema["$ref"]}, registry=registry)
            for error in validator.iter_errors(r["body"]):
                errors.append(f"line {number}: {r['path']} {r['status']}: {error.message} at {list(error.absolute_path)}")
    for path, methods in spec["paths"].items():
        for method in methods:
            if not partial and (path, method) not in exercised:
                errors.append(f"{method.upper()} {path} was never exercised")
    return errors


def check_cards(schema_path, cards_path):
    """Every line of `cards_path` (JSON: cards, snapshot rows) against a draft-07 schema."""
    from jsonschema import Draft7Validator
    with open(schema_path) as f:
        validator = Draft7Validator(json.load(f))
    errors = []
    with open(cards_path) as f:
        for number, line in enumerate(f, 1):
            for error in validator.iter_errors(json.loads(line)):
                errors.append(f"line {number}: {error.message} at {list(error.absolute_path)}")
    return errors
