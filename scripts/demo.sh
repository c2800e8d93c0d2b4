#!/usr/bin/env bash
# make demo: start the local chain with the demo agents, list them, and read one card back
# through eth_call + `agentindex abi decode`. Stops the chain on exit (Ctrl-C, or at once when
# not on a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/agentindex
info=$(mktemp)
Tests/Devnet/devnet start --port "${DEMO_PORT:-0}" --scenario demo >"$info" &
devnet_pid=$!
trap 'kill $devnet_pid 2>/dev/null || true; wait $devnet_pid 2>/dev/null || true; rm -f "$info"' EXIT
echo "starting the local chain and seeding the demo scenario…"
while [ ! -s "$info" ]; do
  kill -0 $devnet_pid 2>/dev/null || { echo "the devnet failed to start" >&2; exit 1; }
  sleep 0.2
done
field() { Tests/Devnet/.venv/bin/python -c "import json,sys; d=json.load(open('$info')); print(eval(sys.argv[1]))" "$1"; }
rpc=$(field 'd["rpcUrl"]')
echo
echo "chain $(field 'd["chainId"]') at $rpc, head block $(field 'd["headBlock"]') (seeded in $(field 'd["seedSeconds"]') s)"
echo "factory          $(field 'd["contracts"]["factory"]["address"]')  from block $(field 'd["contracts"]["factory"]["startBlock"]')"
echo "open registry    $(field 'd["contracts"]["openRegistry"]["address"]')"
echo "curated registry $(field 'd["contracts"]["curatedRegistry"]["address"]')"
echo "mock USDC        $(field 'd["contracts"]["usdc"]["address"]')"
echo
echo "agents:"
field '"\n".join("  %s  %-10s  %s" % (a["address"], a["source"], a["name"]) for a in d["agents"])'
agent=$(field 'd["agents"][0]["address"]')
selector=$($bin abi selector 'getAgentCard()')
echo
echo "reading the card of $agent with eth_call getAgentCard(), as A2A JSON (agentindex card decode):"
result=$(curl -s -X POST -H 'Content-Type: application/json' \
  --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[{\"to\":\"$agent\",\"data\":\"$selector\"},\"latest\"]}" "$rpc" \
  | Tests/Devnet/.venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["result"])')
$bin card decode "$result" | Tests/Devnet/.venv/bin/python -m json.tool | head -40
echo "…"
echo
if [ -t 0 ]; then
  echo "JSON-RPC is live at $rpc — press Enter (or Ctrl-C) to stop the chain."
  read -r _ || true
fi
