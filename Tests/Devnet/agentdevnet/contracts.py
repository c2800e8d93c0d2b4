"""Compiles the Vyper contracts in ../contracts, with an on-disk cache keyed by source hash."""
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACTS_DIR = os.path.join(os.path.dirname(HERE), "contracts")
CACHE_DIR = os.path.join(os.path.dirname(HERE), ".cache")
NAMES = ("Agent", "AgentFactory", "AgentRegistry", "MockUSDC")
# Test fixtures: compiled for scenarios, never exported to abi/.
FIXTURES = ("HostileAgent", "LaxRegistry")
# The ERC-8004 registries of the devnet: abi/erc8004/ holds the reference ABIs they are checked
# against (Tests/IntegrationTests), so they are never exported either.
ERC8004 = ("IdentityRegistry", "ReputationRegistry", "ValidationRegistry")


def _sources_digest():
    digest = hashlib.sha256()
    for name in sorted(os.listdir(CONTRACTS_DIR)):
        if name.endswith(".vy"):
            with open(os.path.join(CONTRACTS_DIR, name), "rb") as f:
                digest.update(name.encode() + b"\0" + f.read())
    return digest.hexdigest()[:16]


def _compile_one(name):
    vyper = os.path.join(os.path.dirname(sys.executable), "vyper")
    out = subprocess.run(
        [vyper, "-f", "abi,bytecode,blueprint_bytecode", f"{name}.vy"],
        cwd=CONTRACTS_DIR, check=True, capture_output=True, text=True,
    ).stdout.strip().split("\n")
    return {"abi": json.loads(out[0]), "bytecode": out[1], "blueprint": out[2]}


def compile_all():
    """Returns {name: {abi, bytecode, blueprint}} for every contract."""
    os.makedirs(CACHE_DIR, exist_ok=True)
    path = os.path.join(CACHE_DIR, f"compiled-{_sources_digest()}.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    compiled = {name: _compile_one(name) for name in NAMES + FIXTURES + ERC8004}
    tmp = path + f".{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(compiled, f)
    os.replace(tmp, path)
    return compiled
