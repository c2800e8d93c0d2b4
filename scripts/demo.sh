#!/usr/bin/env bash
# make demo: start the local chain with the demo agents, index it and serve the discovery API
# (`agentindex run`), then print example queries with their answers. Stops everything on exit
# (Ctrl-C or Enter on a terminal; at once when not on a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/agentindex
py=Tests/Devnet/.venv/bin/python
work=$(mktemp -d)
Tests/Devnet/devnet start --port "${DEMO_PORT:-0}" --scenario demo >"$work/devnet.json" &
devnet_pid=$!
api_pid=
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  kill $devnet_pid 2>/dev/null || true; wait $devnet_pid 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "starting the local chain and seeding the demo scenario…"
while [ ! -s "$work/devnet.json" ]; do
  kill -0 $devnet_pid 2>/dev/null || { echo "the devnet failed to start" >&2; exit 1; }
  sleep 0.2
done
field() { $py -c "import json,sys; d=json.load(open('$work/devnet.json')); print(eval(sys.argv[1]))" "$1"; }
source_flag() { echo "$(field "d['contracts']['$1']['address']")@$(field "d['contracts']['$1']['startBlock']")"; }
rpc=$(field 'd["rpcUrl"]')
echo "chain $(field 'd["chainId"]') at $rpc: head block $(field 'd["headBlock"]'), $(field 'len(d["agents"])') agents + 3 hostile ones"
echo
echo "agentindex run --rpc $rpc --chain-id 31337 --factory … --registry … --registry … --db $work/demo.sqlite"
$bin run --rpc "$rpc" --chain-id 31337 --factory "$(source_flag factory)" \
  --registry "$(source_flag openRegistry)" --registry "$(source_flag curatedRegistry)" \
  --token "$(field 'd["contracts"]["usdc"]["address"]')" --dust native=1000000000000 \
  --dust "$(field 'd["contracts"]["usdc"]["address"]')=10000" \
  --db "$work/demo.sqlite" --listen "127.0.0.1:${DEMO_API_PORT:-0}" --log-level warning >"$work/run.out" &
api_pid=$!
until grep -q '"listening"' "$work/run.out" 2>/dev/null && grep -q '"caughtUp"' "$work/run.out" 2>/dev/null; do
  kill -0 $api_pid 2>/dev/null || { echo "agentindex run failed" >&2; exit 1; }
  sleep 0.2
done
api=$($py -c "import json,sys; print(next(json.loads(l)['url'] for l in open('$work/run.out') if 'listening' in l))")
cat "$work/run.out"
echo
show() {
  echo "\$ curl -s '$api$1'"
  curl -s -g "$api$1" | $py -c "$2"
  echo
}
names='import json,sys; d=json.load(sys.stdin); [print("  %-16s score=%-9s rank=%-10s %s" % (a["name"], a["score"], a["rank"], a["description"][:52])) for a in d["agents"]]'
usdc=$(field 'd["contracts"]["usdc"]["address"]')
show "/v1/agents?q=legal%20german&limit=3" "$names"
show "/v1/agents?skill=text-to-sql" "$names"
show "/v1/agents?inputMode=application/pdf&asset=$usdc&network=base" "$names"
show "/v1/agents?asset=native" "$names"
show "/v1/agents?tag=security&source=registry" "$names"
show "/v1/agents?q=translation&sort=score&limit=4" "$names"
show "/v1/agents?minScore=0.1&sort=score" "$names"
lex="eip155:31337:$(field 'd["agents"][0]["address"]')"
show "/v1/agents/$lex/reputation" 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2))'
show "/v1/agents/$lex/payments?limit=3" 'import json,sys; [print("  %-6s %-7s payer=%s amount=%s counted=%s %s" % (p["blockNumber"], p["kind"], p["payer"][:10], p["amount"], p["counted"], p["reason"] or "")) for p in json.load(sys.stdin)["payments"]]'
echo "\$ agentindex export reputation --db demo.sqlite --format csv --out reputation.csv"
$bin export reputation --db "$work/demo.sqlite" --format csv --out "$work/reputation.csv"
echo "  $(wc -l < "$work/reputation.csv") lines; the first rows:"
head -4 "$work/reputation.csv" | cut -c1-160 | sed 's/^/  /'
echo "  reputation.csv.manifest.json:"
$py -c "import json; m=json.load(open('$work/reputation.csv.manifest.json')); m['columns']=str(len(m['columns']))+' columns'; print('  '+json.dumps(m))"
echo
show "/v1/agents/eip155:31337:$(field 'd["agents"][0]["address"]')/card" 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2)[:900] + "\n  …")'
show "/status" 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2))'
show "/metrics" 'import sys; [print("  " + l.rstrip()) for l in sys.stdin if l.startswith(("agentindex_indexed_block", "agentindex_lag_blocks", "agentindex_logs_processed_total", "agentindex_reorgs_total", "agentindex_rpc_requests_total{method=\"eth_getLogs\""))]'
$bin status --db "$work/demo.sqlite"
echo
if [ -t 0 ]; then
  echo "The API is live at $api (JSON-RPC at $rpc) — press Enter (or Ctrl-C) to stop."
  read -r _ || true
fi
