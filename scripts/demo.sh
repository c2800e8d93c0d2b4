#!/usr/bin/env bash
# make demo: start three local chains — contract agents (factory and registries, chain 31337),
# ERC-8004 agents (Identity, Reputation and Validation registries, chain 31338) and ERC-8004
# agents whose files and A2A cards live off chain (chain 31339, with the devnet's document
# server: HTTPS with a test CA and an IPFS gateway, all on 127.0.0.1) — index them in one
# `agentindex run` that fetches the documents beside the followers, serve the discovery API, then
# print example queries with their answers. Stops everything on exit (Ctrl-C or Enter on a terminal; at once when not on a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/agentindex
py=Tests/Devnet/.venv/bin/python
work=$(mktemp -d)
Tests/Devnet/devnet start --port "${DEMO_PORT:-0}" --scenario demo >"$work/devnet.json" &
devnet_pid=$!
Tests/Devnet/devnet start --port 0 --scenario erc8004 --chain-id 31338 >"$work/erc8004.json" &
erc8004_pid=$!
Tests/Devnet/devnet start --port 0 --scenario documents --chain-id 31339 >"$work/documents.json" &
documents_pid=$!
api_pid=
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  kill $devnet_pid $erc8004_pid $documents_pid 2>/dev/null || true; wait $devnet_pid $erc8004_pid $documents_pid 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "starting three local chains and seeding the demo, erc8004 and documents scenarios…"
for f in devnet erc8004 documents; do
  while [ ! -s "$work/$f.json" ]; do
    kill -0 $devnet_pid 2>/dev/null && kill -0 $erc8004_pid 2>/dev/null && kill -0 $documents_pid 2>/dev/null || { echo "a devnet failed to start" >&2; exit 1; }
    sleep 0.2
  done
done
field() { $py -c "import json,sys; d=json.load(open('$work/$1.json')); print(eval(sys.argv[1]))" "$2"; }
source_at() { echo "$(field "$1" "d['contracts']['$2']['address']")@$(field "$1" "d['contracts']['$2']['startBlock']")"; }
rpc=$(field devnet 'd["rpcUrl"]')
rpc8004=$(field erc8004 'd["rpcUrl"]')
usdc=$(field devnet 'd["contracts"]["usdc"]["address"]')
usdc8004=$(field erc8004 'd["contracts"]["usdc"]["address"]')
rpcdocs=$(field documents 'd["rpcUrl"]')
usdcdocs=$(field documents 'd["contracts"]["usdc"]["address"]')
echo "chain 31337 at $rpc: head block $(field devnet 'd["headBlock"]'), $(field devnet 'len(d["agents"])') contract agents + 3 hostile ones"
echo "chain 31338 at $rpc8004: head block $(field erc8004 'd["headBlock"]'), $(field erc8004 'len(d["erc8004"])') ERC-8004 agents"
echo "chain 31339 at $rpcdocs: head block $(field documents 'd["headBlock"]'), $(field documents 'len(d["erc8004"])') ERC-8004 agents with off-chain files (documents at $(field documents 'd["documents"]["origins"]["https"]'), IPFS gateway $(field documents 'd["documents"]["origins"]["gateway"]'))"
cat >"$work/demo.yaml" <<YAML
database: $work/demo.sqlite
api: {listen: "127.0.0.1:${DEMO_API_PORT:-0}"}
chains:
  - name: contracts
    chainId: 31337
    rpc: $rpc
    factories: [{address: "$(field devnet 'd["contracts"]["factory"]["address"]')", startBlock: $(field devnet 'd["contracts"]["factory"]["startBlock"]')}]
    registries:
      - {address: "$(field devnet 'd["contracts"]["openRegistry"]["address"]')", startBlock: $(field devnet 'd["contracts"]["openRegistry"]["startBlock"]')}
      - {address: "$(field devnet 'd["contracts"]["curatedRegistry"]["address"]')", startBlock: $(field devnet 'd["contracts"]["curatedRegistry"]["startBlock"]')}
    tokens: ["$usdc"]
    dust: {native: 1000000000000, "$usdc": 10000}
  - name: erc8004
    chainId: 31338
    rpc: $rpc8004
    erc8004:
      identity: "$(source_at erc8004 identityRegistry)"
      reputation: "$(source_at erc8004 reputationRegistry)"
      validation: "$(source_at erc8004 validationRegistry)"
    tokens: ["$usdc8004"]
    dust: {"$usdc8004": 10000}
  - name: documents
    chainId: 31339
    rpc: $rpcdocs
    erc8004:
      identity: "$(source_at documents identityRegistry)"
      reputation: "$(source_at documents reputationRegistry)"
    tokens: ["$usdcdocs"]
    pollInterval: 500ms
# The fetcher's SSRF guard refuses loopback: the devnet's document hosts are let through by port,
# its test CA is trusted, and its IPFS gateway replaces the public ones.
fetch:
  allow: $(field documents 'json.dumps(d["documents"]["allow"])')
  caFile: $(field documents 'd["documents"]["caFile"]')
  gateways: ["$(field documents 'd["documents"]["origins"]["gateway"]')"]
  timeout: 3s
YAML
echo
echo "agentindex run --config demo.yaml   # three chains, one process, a cursor each, and the document fetcher:"
sed -n '/^chains:/,$p' "$work/demo.yaml" | sed 's/^/  /'
$bin run --config "$work/demo.yaml" --log-level warning >"$work/run.out" &
api_pid=$!
until grep -q '"listening"' "$work/run.out" 2>/dev/null && [ "$(grep -c '"caughtUp"' "$work/run.out" 2>/dev/null)" -ge 3 ]; do
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
names='import json,sys; d=json.load(sys.stdin); [print("  %-16s %-15s score=%-9s rank=%-10s %s" % (a["name"], a["standard"], a["score"], a["rank"], (a["description"] or "")[:46])) for a in d["agents"]]'
echo "=== Contract agents (chain 31337) ==="
show "/v1/agents?q=legal%20german&limit=3" "$names"
show "/v1/agents?skill=text-to-sql" "$names"
show "/v1/agents?inputMode=application/pdf&asset=$usdc&network=base" "$names"
show "/v1/agents?tag=security&source=registry" "$names"
show "/v1/agents?q=translation&sort=score&limit=4" "$names"
lex="eip155:31337:$(field devnet 'd["agents"][0]["address"]')"
show "/v1/agents/$lex/reputation" 'import json,sys; r=json.load(sys.stdin); print("  formula %s score %s components %s\n  metrics %s" % (r["formula"], r["score"], r["components"], {k: v for k, v in r["metrics"].items() if k in ("payments", "uniquePayers", "recurringPayers", "ratings", "verifiedRatings")}))'
show "/v1/agents/$lex/card" 'import json,sys; c=json.load(sys.stdin); print("  A2A v1.0 card: %s, supportedInterfaces %s, skills %s" % (c["name"], c["supportedInterfaces"], [s["id"] for s in c["skills"]]))'
show "/v1/agents/$lex/card?a2aVersion=0.3" 'import json,sys; c=json.load(sys.stdin); print("  the same card as v0.3: url %s, protocolVersion %s" % (c["url"], c["protocolVersion"]))'

echo "=== ERC-8004 agents (chain 31338) ==="
identity=$(field erc8004 'd["contracts"]["identityRegistry"]["address"]')
quill="eip155:31338/erc721:$identity/0"
show "/v1/agents?q=contracts%20german" "$names"
show "/v1/agents?standard=erc8004&service=mcp" "$names"
show "/v1/agents?chainId=31338&x402=true&sort=score&limit=4" "$names"
show "/v1/agents?standard=erc8004&limit=100&active=any" 'import json,sys; d=json.load(sys.stdin)["agents"]; from collections import Counter; print("  %d agents, registration files: %s" % (len(d), dict(Counter(a["documentStatus"] for a in d))))'
show "/v1/agents/$quill" 'import json,sys; r=json.load(sys.stdin); print("  " + json.dumps({k: r[k] for k in ("id", "standard", "registry", "tokenId", "owner", "agentWallet", "documentStatus", "registrationMismatch", "x402Support")}, indent=2).replace("\n", "\n  ")); print("  services:", [s["name"] for s in r["services"]], " metadata:", {k: v["text"] for k, v in r["metadata"].items()})'
show "/v1/agents/$quill/feedback?limit=5" 'import json,sys; [print("  %-12s value=%-6s tags=%-16s verified=%-5s revoked=%-5s responses=%d" % (f["client"][:12], f["value"], (f["tag1"] + " " + f["tag2"]).strip(), f["verified"], f["revoked"], f["responseCount"])) for f in json.load(sys.stdin)["feedback"]]'
show "/v1/agents/$quill/reputation" 'import json,sys; r=json.load(sys.stdin); m=r["metrics"]; print("  formula %s score %s rating component %s" % (r["formula"], r["score"], r["components"]["rating"])); print("  payments %s from %s payers (%s not counted); feedback %s (verified %s, revoked %s), verified rating mean %s" % (m["payments"], m["uniquePayers"], m["uncountedPayments"], m["feedback"], m["verifiedFeedback"], m["revokedFeedback"], m["verifiedFeedbackRatingMean"])); print("  tags", json.dumps(m["tags"]))'
show "/v1/agents/$quill/payments" 'import json,sys; [print("  %-6s %-8s payer=%s amount=%-8s counted=%-5s %s" % (p["blockNumber"], p["kind"], p["payer"][:10], p["amount"], p["counted"], p["reason"] or "")) for p in json.load(sys.stdin)["payments"]]'
show "/v1/agents/$quill/validations" 'import json,sys; [print("  request %s… response %s (%d answers)" % (v["requestHash"][:14], v["response"]["response"] if v["response"] else None, v["responseCount"])) for v in json.load(sys.stdin)["validations"]]'

echo "=== Off-chain documents (chain 31339): files and A2A cards fetched through the SSRF guard, then verified ==="
identitydocs=$(field documents 'd["contracts"]["identityRegistry"]["address"]')
scribe="eip155:31339/erc721:$identitydocs/$(field documents 'd["erc8004"]["scribe"]')"
atlas="eip155:31339/erc721:$identitydocs/$(field documents 'd["erc8004"]["atlas"]')"
for _ in $(seq 300); do   # the fetcher works beside the followers; Scribe's and Atlas's cards come within a second or two
  [ "$(curl -s "$api/v1/agents?chainId=31339&cardSignature=valid" | $py -c 'import json,sys; print(len(json.load(sys.stdin)["agents"]))')" = 2 ] && break
  sleep 0.2
done
for _ in $(seq 100); do   # the card's x402 payTo joins Scribe's payees: its follower re-reads that address's transfers at its next poll
  [ "$(curl -s "$api/v1/agents/$scribe/reputation" | $py -c 'import json,sys; print(json.load(sys.stdin)["metrics"]["payments"])')" -ge 3 ] && break
  sleep 0.2
done
verified='import json,sys; d=json.load(sys.stdin); [print("  %-8s file=%-5s cardSignature=%-6s domainVerified=%-5s skills=%s" % (a["name"], a["documentStatus"], a["cardSignature"], a["domainVerified"], [s["id"] for s in a["skills"]])) for a in d["agents"]]'
show "/v1/agents?q=legal%20memo" "$verified"
show "/v1/agents?skill=route" "$verified"
show "/v1/agents?chainId=31339&cardSignature=valid&domainVerified=true" "$verified"
documents='import json,sys; r=json.load(sys.stdin); c=r["card"]; print("  %s: %s (A2A %s) — skills %s, modes in %s out %s" % (c["name"], c["description"], c["protocolVersion"], [s["name"] for s in c["skills"]], c["defaultInputModes"], c["defaultOutputModes"])); x=[t for e in c.get("capabilities", {}).get("extensions", []) for t in (e.get("params") or {}).get("accepts", [])]; x and print("  x402 terms:", [(t["network"], t["amount"], t["payTo"][:10] + "…") for t in x]); print("  cardSignature=%s domainVerified=%s" % (r["cardSignature"], r["domainVerified"])); [print("    %-13s %-4s sha256=%s… contentVerified=%-5s %s" % (d["kind"], d["status"], (d["sha256"] or "")[:12], d["contentVerified"], d["uri"][:64])) for d in r["documents"]]'
show "/v1/agents/$scribe" "$documents"
show "/v1/agents/$atlas" "$documents"
show "/v1/agents/$scribe/reputation" 'import json,sys; m=json.load(sys.stdin)["metrics"]; print("  payments %s from %s payers (to its wallet, and by plain transfer and x402 to the payTo its card names); feedback %s, verified %s" % (m["payments"], m["uniquePayers"], m["feedback"], m["verifiedFeedback"]))'
show "/v1/agents?chainId=31339&active=any&limit=100" 'import json,sys; from collections import Counter; d=json.load(sys.stdin)["agents"]; print("  %d agents by registration file status: %s (and %d invalid, hidden from search)" % (len(d), dict(Counter(a["documentStatus"] for a in d)), 22 - len(d)))'
echo "\$ agentindex documents --db demo.sqlite --status refused   # what the guard stopped, and why"
$bin documents --db "$work/demo.sqlite" --status refused | $py -c 'import json,sys; d=[json.loads(l) for l in sys.stdin]; s=[x for x in d if "special-use" in (x["lastError"] or "")]; [print("  %-13s %s\n  %13s %s" % (x["kind"], x["uri"][:70], "", x["lastError"])) for x in d if x not in s]; print("  … and %d URIs of chain 31338 at .example hosts, e.g. %s: %s" % (len(s), s[0]["uri"], s[0]["lastError"]))'
echo
echo "=== Agents as clients: MCP tools, AgentIndex as an A2A agent, signed answers, the change feed ==="
echo "\$ MCP (Python mcp SDK, Streamable HTTP at $api/mcp): tools/list, then search_agents {q: \"legal\", sort: \"score\"}"
Tests/Devnet/devnet mcp-call --url "$api/mcp" --calls '[{"tool":"search_agents","arguments":{"q":"legal","sort":"score","limit":3}}]' \
  | $py -c 'import json,sys; d=json.load(sys.stdin); print("  tools:", [t["name"] for t in d["tools"]]); print("  search_agents →", [(a["name"], a["score"]) for a in d["results"]["search_agents"][0]["structured"]["agents"]])'
echo
echo "\$ A2A (Python a2a-sdk): resolve $api/.well-known/agent-card.json, SendMessage \"translation german\""
Tests/Devnet/devnet a2a-ask "$api" --text "translation german" \
  | $py -c 'import json,sys; d=json.load(sys.stdin); t=d["task"]; print("  card: %s, skills %s" % (d["card"]["name"], [s["id"] for s in d["card"]["skills"]])); print("  task %s: %s" % (t["status"]["state"], t["status"]["message"]["parts"][0]["text"]))'
echo
signer=$(curl -s "$api/status" | $py -c 'import json,sys; print(json.load(sys.stdin)["signer"])')
echo "\$ verify the signature of GET /v1/agents?q=legal with eth_account (the indexer's address in /status: $signer)"
Tests/Devnet/devnet verify-answer "$api/v1/agents?q=legal" \
  | $py -c 'import json,sys; d=json.load(sys.stdin); print("  AgentIndex-Block: %s\n  recovered %s — %s; with one byte of the body changed: %s" % (d["block"], d["recovered"], "matches the signer" if d["recovered"] == sys.argv[1] else "DOES NOT MATCH", d["bodyChanged"]))' "$signer"
echo
show "/v1/changes?since=0&limit=4" 'import json,sys; d=json.load(sys.stdin); [print("  #%(seq)s %(kind)-18s %(agentId)s (chain %(chainId)s, block %(blockNumber)s)" % c) for c in d["changes"]]; print("  … %s changes in all; GET /v1/changes/stream follows them live (Server-Sent Events)" % d["lastSeq"])'
echo "\$ agentindex export reputation --db demo.sqlite --chain-id 31338 --format csv --out reputation.csv"
$bin export reputation --db "$work/demo.sqlite" --chain-id 31338 --format csv --out "$work/reputation.csv"
echo "  $(wc -l < "$work/reputation.csv") lines; the first rows (first and last columns):"
head -3 "$work/reputation.csv" | $py -c "import sys; [print('  ' + ','.join(l.rstrip().split(',')[:7]) + ',…,' + ','.join(l.rstrip().split(',')[-10:])) for l in sys.stdin]"
echo
show "/status" 'import json,sys; s=json.load(sys.stdin); [print("  %(name)s (chain %(chainId)s): block %(indexedBlock)s, %(agents)s agents (ERC-8004: %(erc8004Agents)s, pending files: %(pendingDocuments)s), %(searchable)s searchable, %(invalidCards)s invalid" % c) for c in s["chains"]]; print("  documents: %s pending; by kind %s" % (s["documents"]["pending"], json.dumps(s["documents"]["byKind"])))'
show "/metrics" 'import sys; [print("  " + l.rstrip()) for l in sys.stdin if l.startswith(("agentindex_indexed_block", "agentindex_logs_processed_total", "agentindex_reorgs_total", "agentindex_rpc_requests_total{method=\"eth_getLogs\"", "agentindex_document_fetches_total{kind=\"a2a-card\""))]'
$bin status --db "$work/demo.sqlite"
echo
if [ -t 0 ]; then
  echo "The API is live at $api (JSON-RPC at $rpc, $rpc8004 and $rpcdocs) — press Enter (or Ctrl-C) to stop."
  read -r _ || true
fi
