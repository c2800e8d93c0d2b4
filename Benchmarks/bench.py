"""`make bench`: AgentIndex at scale against this machine's floor (issue 6).

Generates (once, cached in Benchmarks/.cache) a synthetic chain with SyntheticChain/generate.py,
serves it with SyntheticChain/replay.py (a 10,000-result cap, like Infura) and measures:

  1. backfill: `agentindex index --once` from an empty database, under /usr/bin/time -v: wall
     time, logs/s, eth_getLogs calls against the minimum under the cap, peak RSS;
     then checks a sample of decoded cards against the generated ones (fails the run if any differ);
  2. floor: the same logs fetched with curl in the fewest capped requests, plus sqlite3 importing
     the same rows from CSV in one transaction; backfill ÷ floor;
  3. discovery: GET /v1/agents (text, filters, sorts) with wrk, 16 connections, and the same
     queries in-process (`agentindex-bench search`);
  4. snapshot: `agentindex export reputation` of every agent;
  5. live: from a block's arrival at the node to its new agent answering a search;
  6. ERC-8004: a generated chain of ERC-8004 agents (registrations, USDC transfers of which 5 %
     reach agent wallets, feedback) backfilled the same way; what the index holds is checked
     against what the generator says it must (agents, pending files, counted payments, feedback).

Prints a table and writes Benchmarks/results/<date>-<agents>.json. `--smoke` runs a small chain
and only checks correctness (make test). Run with the devnet's venv (eth-abi, eth-utils)."""
import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SYNTHETIC = os.path.join(HERE, "SyntheticChain")
sys.path.insert(0, SYNTHETIC)
from generate import topic  # noqa: E402

CONTRACT_TOPICS = [topic(s) for s in (
    "AgentCreated(address,address,uint256)", "AgentRegistered(address,address)", "AgentUnregistered(address)",
    "AgentApproved(address,address)", "AgentRevoked(address,address)", "AgentCardUpdated(address,bytes)",
    "ActiveChanged(bool)", "OwnershipTransferred(address,address)", "Heartbeat(uint256)",
    "PaymentReceived(address,address,uint256)", "Rated(address,uint8,string)")]
TOKEN_TOPICS = [topic("Transfer(address,address,uint256)"), topic("AuthorizationUsed(address,bytes32)")]
ERC8004_TOPICS = [topic(s) for s in (
    "Transfer(address,address,uint256)", "Registered(uint256,string,address)", "URIUpdated(uint256,string,address)",
    "MetadataSet(uint256,string,string,bytes)", "MetadataUpdate(uint256)", "BatchMetadataUpdate(uint256,uint256)",
    "NewFeedback(uint256,address,uint64,int128,uint8,string,string,string,string,string,bytes32)",
    "FeedbackRevoked(uint256,address,uint64)", "ResponseAppended(uint256,address,uint64,address,string,bytes32)",
    "ValidationRequest(address,uint256,string,bytes32)", "ValidationResponse(address,uint256,bytes32,uint8,string,bytes32,string)")]
QUERIES = ["q=translate", "q=legal%20contract&sort=score", "tag=finance", "q=invoice&inputMode=text%2Fplain",
           "sort=score&limit=20", "sort=recent", "minScore=0.1&sort=score", "q=weather%20forecast&tag=weather",
           "q=agent%2042", "network=eip155%3A31337&sort=score"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A Python server of SyntheticChain/ in the background, stopped on exit from the `with` block;
    `url` is read from the first JSON line it prints."""

    def __init__(self, command, url_key):
        self.process = subprocess.Popen([sys.executable] + command, cwd=SYNTHETIC, stdout=subprocess.PIPE, text=True)
        self.url = json.loads(self.process.stdout.readline())[url_key]

    def cpu_seconds(self):
        fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait(10)


class Replay(ServerProcess):
    """replay.py in the background; stopped on exit from the `with` block."""

    def __init__(self, chain, max_results, head=None, finality_depth=64):
        command = ["replay.py", "--chain", chain, "--port", "0", "--max-results", str(max_results),
                   "--finality-depth", str(finality_depth)]
        if head is not None:
            command += ["--head", str(head)]
        super().__init__(command, "rpcUrl")

    def get(self, path="/"):
        return json.loads(urllib.request.urlopen(self.url + path, timeout=30).read())


class Background:
    """A command whose first stdout line is JSON (agentindex serve/run); terminated on exit."""

    def __init__(self, command, wait_for):
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{command[0]} exited before {wait_for}")
            if wait_for in line:
                self.line = json.loads(line)
                return
        raise RuntimeError(f"no {wait_for} from {command}")

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def generated(script, name, options, what):
    """The chain `script` (in SyntheticChain) makes with `options`, generated once and cached in
    Benchmarks/.cache as `name`."""
    os.makedirs(os.path.join(HERE, ".cache"), exist_ok=True)
    path = os.path.join(HERE, ".cache", name)
    if not os.path.exists(path):
        log(f"generating {what} → {path}")
        started = time.time()
        subprocess.run([sys.executable, os.path.join(SYNTHETIC, script)] + [str(o) for o in options] + ["--out", path + ".partial"],
                       check=True, stdout=subprocess.DEVNULL)
        os.rename(path + ".partial", path)
        log(f"generated in {time.time() - started:.0f} s")
    return path


def chain_file(args):
    return generated("generate.py", f"chain-{args.agents}-{args.payments}-{args.blocks}-{args.seed}.sqlite",
                     ["--agents", args.agents, "--payments", args.payments, "--blocks", args.blocks, "--seed", args.seed],
                     f"{args.agents} agents, {args.payments} payments over {args.blocks} blocks")


def meta_of(chain):
    db = sqlite3.connect(f"file:{chain}?mode=ro", uri=True)
    meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
    db.close()
    return meta


def source_flags(meta):
    if "identity" in meta:   # an ERC-8004 chain (generate_erc8004.py)
        return ["--chain-id", "31337", "--erc8004-identity", meta["identity"] + "@1", "--erc8004-reputation",
                meta["reputation"] + "@1", "--token", meta["token"]]
    return ["--chain-id", "31337", "--factory", meta["factory"] + "@1", "--registry", meta["registry"] + "@1",
            "--token", meta["token"]]


def erc8004_chain_file(args):
    return generated("generate_erc8004.py",
                     f"erc8004-{args.erc8004_agents}-{args.erc8004_transfers}-{args.blocks}-{args.seed}.sqlite",
                     ["--agents", args.erc8004_agents, "--transfers", args.erc8004_transfers, "--blocks", args.blocks,
                      "--seed", args.seed],
                     f"{args.erc8004_agents} ERC-8004 agents, {args.erc8004_transfers} USDC transfers over {args.blocks} blocks")


def erc8004(args, workdir):
    """The ERC-8004 chain: backfill, and what the index holds against the generator's account of it."""
    chain = erc8004_chain_file(args)
    meta = meta_of(chain)
    db = os.path.join(workdir, "erc8004.sqlite")
    result = backfill(args, chain, meta, db)
    result["chain_logs"] = meta["logs"]
    result["logs_per_s"] = round(meta["logs"] / result["wall_s"])
    result["minimum_getLogs"] = len(capped_requests(chain, meta, args.max_results))
    index = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    found = {"agents": index.execute("SELECT count(*) FROM agent WHERE standard = 'erc8004'").fetchone()[0],
             "pending": index.execute("SELECT count(*) FROM agent WHERE document_status = 'pending'").fetchone()[0],
             "countedPayments": index.execute("SELECT count(*) FROM payment WHERE counted = 1").fetchone()[0]}
    index.close()
    snapshot = os.path.join(workdir, "erc8004.jsonl")
    subprocess.run([args.bin, "export", "reputation", "--db", db, "--format", "jsonl", "--out", snapshot], check=True, capture_output=True)
    rows = [json.loads(line) for line in open(snapshot)]
    found |= {"feedback": sum(r["feedback"] for r in rows), "verifiedFeedback": sum(r["verified_feedback"] for r in rows),
              "revokedFeedback": sum(r["revoked_feedback"] for r in rows)}
    result["expected"], result["found"] = meta["expected"], found
    result["cryo"] = cryo(args, chain, meta)
    if not args.smoke:
        result["floor"] = floor(args, chain, meta, capped_requests(chain, meta, args.max_results), workdir)
    return result


# Documents ------------------------------------------------------------------------------------

class DocumentServer(ServerProcess):
    """SyntheticChain/document_server.py in the background."""

    def __init__(self):
        super().__init__(["document_server.py"], "url")

    def requests(self):
        return json.loads(urllib.request.urlopen(self.url + "/stats", timeout=30).read())["requests"]



def caught_up_seconds(args, command):
    """Runs `agentindex run …` until it reports catching up; its own count of seconds."""
    with Background([args.bin, "run", "--listen", "127.0.0.1:0", "--log-level", "warning"] + command, "caughtUp") as run:
        return run.line["seconds"]


def documents(args, workdir):
    """The document fetcher: `documents` ERC-8004 agents whose files are served by a local HTTP
    server — documents/s and peak RSS of `agentindex documents --fetch`, every file ok — and the
    follower's catch-up with the fetcher running beside it and without."""
    with DocumentServer() as server:
        chain = os.path.join(workdir, "documents-chain.sqlite")
        subprocess.run([sys.executable, os.path.join(SYNTHETIC, "generate_erc8004.py"), "--agents", str(args.documents),
                        "--transfers", str(args.documents * 20), "--blocks", str(args.blocks // 10), "--remote-share", "1",
                        "--remote-origin", server.url, "--seed", str(args.seed), "--out", chain], check=True, stdout=subprocess.DEVNULL)
        meta = meta_of(chain)
        port = server.url.rsplit(":", 1)[1]
        fetch = ["--fetch-allow", f"127.0.0.1:{port}", "--fetch-allow-http"]
        result = {"documents": args.documents}
        with Replay(chain, args.max_results) as replay:
            flags = ["--rpc", replay.url, "--block-range", "100000000"] + source_flags(meta)
            db = os.path.join(workdir, "documents.sqlite")
            subprocess.run([args.bin, "index", "--once", "--db", db, "--log-level", "warning"] + flags, check=True, capture_output=True)
            before, server_cpu = server.requests(), server.cpu_seconds()
            started = time.time()
            run = subprocess.run(["/usr/bin/time", "-v", args.bin, "documents", "--fetch", "--db", db, "--limit", "1"] + fetch,
                                 capture_output=True, text=True)
            wall = time.time() - started
            if run.returncode != 0:
                raise RuntimeError(f"documents --fetch failed: {run.stderr[-2000:]}")
            index = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            statuses = dict(index.execute("SELECT status, count(*) FROM document GROUP BY status").fetchall())
            searchable = index.execute("SELECT count(*) FROM agent WHERE document_status = 'ok'").fetchone()[0]
            index.close()
            cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([0-9.]+)", run.stderr).group(1)) for kind in ("User", "System"))
            result |= {"fetch_wall_s": round(wall, 2), "documents_per_s": round(args.documents / wall),
                       "agentindex_cpu_s": round(cpu, 2), "server_cpu_s": round(server.cpu_seconds() - server_cpu, 2),
                       "http_requests": server.requests() - before, "statuses": statuses, "agents_ok": searchable,
                       "peak_rss_mb": round(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024, 1)}
            # The follower with the fetcher beside it (fetching every file while it indexes), and
            # without: alternated, three times each (the difference is smaller than run-to-run noise).
            without, beside = [], []
            for run_index in range(1 if args.smoke else 3):
                without.append(caught_up_seconds(args, ["--db", os.path.join(workdir, f"nofetch{run_index}.sqlite"), "--no-fetch"] + flags))
                beside.append(caught_up_seconds(args, ["--db", os.path.join(workdir, f"fetch{run_index}.sqlite")] + fetch + flags))
            result["catch_up_without_fetcher_s"] = sorted(without)[len(without) // 2]
            result["catch_up_with_fetcher_s"] = sorted(beside)[len(beside) // 2]
            result["catch_up_runs"] = {"without": without, "with": beside}
            result["chain_logs"] = meta["logs"]
    return result


# 1. Backfill ---------------------------------------------------------------------------------

def backfill(args, chain, meta, db, finality_depth=64):
    with Replay(chain, args.max_results, finality_depth=finality_depth) as replay:
        command = ["/usr/bin/time", "-v", args.bin, "index", "--once", "--db", db, "--rpc", replay.url,
                   "--block-range", "100000000", "--log-format", "json"] + source_flags(meta)
        started = time.time()
        run = subprocess.run(command, capture_output=True, text=True)
        wall = time.time() - started
        if run.returncode != 0:
            raise RuntimeError(f"index failed: {run.stderr[-3000:]}")
        report = next(json.loads(line) for line in reversed(run.stdout.splitlines()) if '"caughtUp"' in line)
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
        cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr))
        served = replay.get("/")
        replay_cpu = replay.cpu_seconds()
    logs = report["logs"]
    return {"wall_s": round(wall, 2), "logs": logs, "logs_per_s": round(logs / wall), "agentindex_cpu_s": round(cpu, 2),
            "replay_cpu_s": round(replay_cpu, 2), "peak_rss_mb": round(rss_kb / 1024, 1),
            "eth_getLogs": served.get("eth_getLogs", 0), "rpc_calls": sum(served.values()), "rpc_by_method": served,
            "range_refusals": report["rangeRefusals"], "ranges": report["ranges"]}


def capped_requests(chain, meta, cap):
    """The fewest eth_getLogs a planner needs for each stream the follower reads, cut at block
    boundaries: [(filter, logs)]."""
    db = sqlite3.connect(f"file:{chain}?mode=ro", uri=True)
    token = ({"address": [meta["token"].lower()], "topics": [TOKEN_TOPICS]}, "address = ? AND topic0 IN (?, ?)",
             [meta["token"].lower()] + TOKEN_TOPICS)
    if "identity" in meta:
        registries = [meta["identity"].lower(), meta["reputation"].lower()]
        streams = [({"address": registries, "topics": [ERC8004_TOPICS]},
                    "address IN (?, ?) AND topic0 IN (%s)" % ",".join("?" * len(ERC8004_TOPICS)), registries + ERC8004_TOPICS), token]
    else:
        streams = [({"topics": [CONTRACT_TOPICS]}, "topic0 IN (%s)" % ",".join("?" * len(CONTRACT_TOPICS)), CONTRACT_TOPICS), token]
    requests = []
    for base, where, params in streams:
        counts = db.execute(f"SELECT block, count(*) FROM logs WHERE {where} GROUP BY block ORDER BY block", params)
        start, held, last = 0, 0, 0
        for block, n in counts:
            if held + n > cap and held:
                requests.append((dict(base, fromBlock=hex(start), toBlock=hex(last)), held))
                start, held = last + 1, 0
            held += n
            last = block
        requests.append((dict(base, fromBlock=hex(start), toBlock=hex(meta["head"])), held))
    db.close()
    return requests


def bulk_vs_live(args, chain, meta, db, workdir, live_blocks):
    """The same chain indexed again with its last `live_blocks` blocks not yet final (followed
    near the head: every header read and linked, each range committed on its own): `export
    state` must equal the bulk backfill's, byte for byte."""
    live = os.path.join(workdir, "live.sqlite")
    result = backfill(args, chain, meta, live, finality_depth=live_blocks)
    exports = [subprocess.run([args.bin, "export", "state", "--db", path], capture_output=True, check=True).stdout for path in (db, live)]
    return {"live_blocks": live_blocks, "equal": exports[0] == exports[1] and len(exports[0]) > 0, "agents": exports[0].count(b"\n"),
            "live_wall_s": result["wall_s"], "live_headers": result["rpc_by_method"].get("eth_getBlockByNumber", 0)}


# 2. Floor ------------------------------------------------------------------------------------

def floor(args, chain, meta, requests, workdir):
    with Replay(chain, args.max_results) as replay:
        bodies = os.path.join(workdir, "floor-bodies")
        started = time.time()
        for i, (criteria, _) in enumerate(requests):
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_getLogs", "params": [criteria]})
            subprocess.run(["curl", "-s", "-o", f"{bodies}-{i % 2}", "-H", "Content-Type: application/json",
                            "--data-binary", body, replay.url], check=True)
        fetch = time.time() - started
    csv_path = os.path.join(workdir, "floor.csv")
    source = sqlite3.connect(f"file:{chain}?mode=ro", uri=True)
    with open(csv_path, "w") as out:
        for block, index, address, t0, t1, t2, text in source.execute("SELECT * FROM logs"):
            data = json.loads(text)["data"]
            out.write(f"{block},{index},{address},{t0},{t1 or ''},{t2 or ''},{data}\n")
    source.close()
    target = os.path.join(workdir, "floor.sqlite")
    if os.path.exists(target):   # the other chain's floor, in the same run
        os.remove(target)
    script = (".mode csv\nCREATE TABLE log (block INTEGER, log_index INTEGER, address TEXT, topic0 TEXT, topic1 TEXT, "
              f"topic2 TEXT, data TEXT, PRIMARY KEY (block, log_index));\nBEGIN;\n.import {csv_path} log\nCOMMIT;\n")
    started = time.time()
    subprocess.run(["sqlite3", target], input=script, text=True, check=True)
    load = time.time() - started
    return {"fetch_s": round(fetch, 2), "import_s": round(load, 2), "total_s": round(fetch + load, 2),
            "requests": len(requests)}


# 2b. cryo, the peer extractor ---------------------------------------------------------------

def cap_sized_span(chain, cap):
    """The widest block span whose aligned windows all hold at most `cap` logs: the
    `inner_request_size` that lets cryo (which does not learn a provider's cap) read the chain."""
    db = sqlite3.connect(f"file:{chain}?mode=ro", uri=True)
    counts = db.execute("SELECT block, count(*) FROM logs GROUP BY block").fetchall()
    db.close()

    def fits(span):
        windows = {}
        for block, n in counts:
            windows[block // span] = windows.get(block // span, 0) + n
            if windows[block // span] > cap:
                return False
        return True

    low, high = 1, max(b for b, _ in counts) + 1
    while low < high:   # aligned windows are not monotone in the span: search, then step down to one that fits
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    while not fits(low):
        low = max(1, int(low * 0.99))
    return low


def cryo(args, chain, meta):
    """cryo (PyPI `cryo`, the Rust extractor) pulling every log of the chain from the same replay
    server, in requests of the widest span the cap allows, to parquet."""
    span = cap_sized_span(chain, args.max_results)
    out = tempfile.mkdtemp(prefix="agentindex-cryo-")
    try:
        with Replay(chain, args.max_results) as replay:
            script = (f"import cryo; cryo.freeze('logs', rpc={replay.url!r}, blocks=['0:{meta['head'] + 1}'], "
                      f"inner_request_size={span}, chunk_size={span * 10}, output_dir={out!r})")
            started = time.time()
            run = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-c", script], capture_output=True, text=True)
            wall = time.time() - started
            if run.returncode != 0:
                raise RuntimeError(f"cryo failed: {run.stderr[-2000:]}")
            served = replay.get("/")
            replay_cpu = replay.cpu_seconds()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    rows = int(re.search(r"rows written: ([\d,]+)", run.stdout).group(1).replace(",", ""))
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr))
    return {"wall_s": round(wall, 2), "rows": rows, "logs_per_s": round(rows / wall), "inner_request_size": span,
            "eth_getLogs": served.get("eth_getLogs", 0), "cryo_cpu_s": round(cpu, 2), "replay_cpu_s": round(replay_cpu, 2),
            "peak_rss_mb": round(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024, 1)}


def sieve_throughput(args):
    """Parse-and-discard of a realistic eth_getLogs answer on one thread (`agentindex-bench sieve`)."""
    bench = os.path.join(os.path.dirname(args.bin), "agentindex-bench")
    run = subprocess.run([bench, "sieve"], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


# Decoded sample -------------------------------------------------------------------------------

def check_sample(chain, db_path, size, seed):
    """A sample of the cards AgentIndex decoded must equal the generated ones, field by field."""
    generated = sqlite3.connect(f"file:{chain}?mode=ro", uri=True)
    indexed = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = generated.execute("SELECT agent, expected FROM cards").fetchall()
    sample = random.Random(seed).sample(rows, min(size, len(rows)))
    mismatches = []
    for agent, expected_text in sample:
        expected = json.loads(expected_text)
        row = indexed.execute("SELECT c.card_json FROM agent a JOIN card_version c ON c.id = a.card_version_id "
                              "WHERE a.address = ?", (agent,)).fetchone()
        if row is None or row[0] is None:
            mismatches.append((agent, "no valid card indexed"))
            continue
        card = json.loads(row[0])
        accepts = [e for e in card.get("capabilities", {}).get("extensions", []) if "x402" in e.get("uri", "")]
        got = {k: card.get(k) for k in ("name", "description", "url", "version", "protocolVersion", "provider")}
        got["skills"] = [{k: s.get(k, []) for k in ("id", "name", "description", "tags", "examples")} for s in card["skills"]]
        got["accepts"] = accepts[0]["params"]["accepts"] if accepts else []
        if got != expected:
            mismatches.append((agent, {k: (expected[k], got.get(k)) for k in expected if expected[k] != got.get(k)}))
    generated.close()
    indexed.close()
    return len(sample), mismatches


# 3. Discovery -------------------------------------------------------------------------------

def wrk_seconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def wrk_run(args, db, script, cache_mb):
    """wrk over the query mix against `agentindex serve` with `cache_mb` of search cache."""
    port = free_port()
    command = [args.bin, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--log-format", "json",
               "--search-cache-mb", str(cache_mb)]
    with Background(command, "listening"):
        base = f"http://127.0.0.1:{port}"
        hits = {q: len(json.loads(urllib.request.urlopen(f"{base}/v1/agents?{q}").read())["agents"]) for q in QUERIES}
        run = subprocess.run(["wrk", "-t2", "-c16", f"-d{args.wrk_seconds}s", "--latency", "-s", script, base + "/"],
                             capture_output=True, text=True, check=True).stdout
    distribution = dict(re.findall(r"^\s+(\d+)%\s+(\S+)", run, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", run)
    return {"search_cache_mb": cache_mb,
            "p50_ms": round(wrk_seconds(distribution["50"]) * 1e3, 3), "p99_ms": round(wrk_seconds(distribution["99"]) * 1e3, 3),
            "per_second": round(float(re.search(r"Requests/sec:\s+([\d.]+)", run).group(1))),
            "non_2xx": int(errors.group(1)) if errors else 0, "hits_per_query": hits}


def discovery(args, db, workdir):
    """The mix over HTTP with the search cache (the default: repeated queries between commits),
    over HTTP without it (every request runs its SQL), and in-process through the store."""
    script = os.path.join(workdir, "queries.lua")
    with open(script, "w") as f:
        f.write("local paths = {%s}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i %% #paths) + 1])\nend\n"
                % ", ".join(json.dumps("/v1/agents?" + q) for q in QUERIES))
    http = wrk_run(args, db, script, 16)
    uncached = wrk_run(args, db, script, 0)
    bench = os.path.join(os.path.dirname(args.bin), "agentindex-bench")
    local = json.loads(subprocess.run([bench, "search", db, str(args.wrk_seconds)] + [urllib.parse.unquote(q) for q in QUERIES],
                                      capture_output=True, text=True, check=True).stdout)
    return {"http": http, "http_uncached": uncached, "in_process": local, "queries": QUERIES,
            "protocols": protocols(args, db)}


def protocols(args, db, requests=200):
    """Search latency through REST, MCP and A2A (protocol_latency.py: the Python SDKs as clients,
    sequential, the search cache on as deployed)."""
    port = free_port()
    with Background([args.bin, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--log-format", "json"], "listening"):
        run = subprocess.run([sys.executable, os.path.join(HERE, "protocol_latency.py"), "--url", f"http://127.0.0.1:{port}",
                              "--requests", str(30 if args.smoke else requests)], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


# 4. Snapshot --------------------------------------------------------------------------------

def snapshot(args, db, workdir):
    out = os.path.join(workdir, "snapshot.csv")
    started = time.time()
    subprocess.run([args.bin, "export", "reputation", "--db", db, "--format", "csv", "--out", out],
                   check=True, capture_output=True)
    wall = time.time() - started
    rows = sum(1 for _ in open(out)) - 1
    return {"wall_s": round(wall, 2), "rows": rows, "rows_per_s": round(rows / wall)}


# 5. Live ------------------------------------------------------------------------------------

def live(args, workdir, rounds=5):
    """A small chain served up to just before a few agent creations; each creation block then
    'arrives' (the replay's head moves) and the time until a search finds the agent is taken."""
    small = argparse.Namespace(agents=1000, payments=10000, blocks=20000, seed=args.seed)
    chain = chain_file(small)
    meta = meta_of(chain)
    db = sqlite3.connect(f"file:{chain}?mode=ro", uri=True)
    created = db.execute("SELECT block, name FROM cards WHERE block BETWEEN 1500 AND 1990 ORDER BY block").fetchall()
    db.close()
    picks = [created[i * len(created) // rounds] for i in range(rounds)]
    latencies = []
    with Replay(chain, args.max_results, head=picks[0][0] - 1) as replay:
        port = free_port()
        command = [args.bin, "run", "--db", os.path.join(workdir, "live.sqlite"), "--rpc", replay.url,
                   "--listen", f"127.0.0.1:{port}", "--confirmations", "0", "--poll-interval", "50ms",
                   "--log-format", "json"] + source_flags(meta)
        with Background(command, "listening"):
            base = f"http://127.0.0.1:{port}"
            wait_until(lambda: ready(base), 120)
            for block, name in picks:
                query = f"{base}/v1/agents?q={urllib.parse.quote(json.dumps(name))}"
                replay.get(f"/advance/{block}")
                arrived = time.time()
                wait_until(lambda: name in urllib.request.urlopen(query).read().decode(), 30)
                latencies.append(time.time() - arrived)
    latencies.sort()
    return {"rounds": rounds, "poll_interval_ms": 50, "median_ms": round(latencies[len(latencies) // 2] * 1e3, 1),
            "max_ms": round(latencies[-1] * 1e3, 1)}


def ready(base):
    try:
        return urllib.request.urlopen(base + "/ready").status == 200
    except Exception:
        return False


def wait_until(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.002)
    raise RuntimeError("timed out")


# Report ---------------------------------------------------------------------------------------

def peer_rows(backfill, peer):
    """cryo's figures and the backfill against them."""
    if not backfill or not peer:
        return []
    return [("cryo: every log to parquet", f"{peer['wall_s']} s, {peer['logs_per_s']:,} logs/s ({peer['rows']:,} rows, "
                                           f"{peer['eth_getLogs']} eth_getLogs of {peer['inner_request_size']:,} blocks, "
                                           f"{peer['cryo_cpu_s']} s CPU, {peer['peak_rss_mb']} MB)"),
            ("backfill ÷ cryo", f"{backfill['wall_s'] / peer['wall_s']:.1f}×")]


def table(results):
    b, f, d, s, l = (results.get(k) for k in ("backfill", "floor", "discovery", "snapshot", "live"))
    rows = [] if not b else [("backfill wall time", f"{b['wall_s']} s  ({b['logs']:,} logs, {b['ranges']} ranges)"),
            ("backfill throughput", f"{b['logs_per_s']:,} logs/s   (target ≥ 25,000)"),
            ("eth_getLogs calls", f"{b['eth_getLogs']} for a minimum of {results['minimum_getLogs']} "
                                  f"= {b['eth_getLogs'] / results['minimum_getLogs']:.2f}×  (target ≤ 1.1×; {b['range_refusals']} refusals)"),
            ("all RPC calls", f"{b['rpc_calls']}  {b['rpc_by_method']}"),
            ("peak RSS", f"{b['peak_rss_mb']} MB   (target ≤ 200 MB)"),
            ("CPU: agentindex / replay", f"{b['agentindex_cpu_s']} s / {b['replay_cpu_s']} s"),
            ("decoded sample", f"{results['sample']['checked']} cards, {results['sample']['mismatches']} mismatches")]
    if f:
        rows += [("floor: curl + sqlite3 import", f"{f['fetch_s']} s + {f['import_s']} s = {f['total_s']} s ({f['requests']} requests)"),
                 ("backfill ÷ floor", f"{b['wall_s'] / f['total_s']:.1f}×   (target ≤ 1.5×)")]
    rows += peer_rows(b, results.get("cryo"))
    bl = results.get("bulk_vs_live")
    if bl:
        rows.append(("bulk vs live: export state", f"{'equal' if bl['equal'] else 'DIFFERENT'} ({bl['agents']:,} agents; the last "
                                                   f"{bl['live_blocks']:,} blocks followed live, {bl['live_headers']:,} headers read)"))
    v = results.get("sieve")
    if v:
        rows += [("parse-and-discard, 1 thread", f"{v['sievedLogsPerSecond']:,} logs/s ({v['megabytesPerSecond']:.0f} MB/s of eth_getLogs JSON, "
                                                 f"{v['kept']} of {v['logs']:,} kept)   (target ≥ 300,000)"),
                 ("  … every log built", f"{v['builtLogsPerSecond']:,} logs/s ({v['bytesPerLog']} bytes per log)")]
        if "wholeBodySievedLogsPerSecond" in v:
            rows += [("  … the body read whole, not as it arrives", f"{v['wholeBodySievedLogsPerSecond']:,} logs/s")]
    if d:
        http, uncached, local = d["http"], d["http_uncached"], d["in_process"]
        rows += [("search over HTTP (wrk, 16 conn)", f"p50 {http['p50_ms']} ms, p99 {http['p99_ms']} ms, "
                                                      f"{http['per_second']:,} req/s   (targets p99 ≤ 10 ms, ≥ 5,000 req/s)"),
                 ("  … without the search cache", f"p50 {uncached['p50_ms']} ms, p99 {uncached['p99_ms']} ms, "
                                                   f"{uncached['per_second']:,} req/s"),
                 ("search in-process (1 thread)", f"p50 {local['p50_ms']} ms, p99 {local['p99_ms']} ms, "
                                                   f"{local['per_second']:,} q/s")]
        rows += [(f"  p50 {query}", f"{ms} ms") for query, ms in local["p50_ms_by_query"].items()]
        for name, figures in d.get("protocols", {}).items():
            rows.append((f"search via {name.upper()} (SDK client, sequential)", f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"))
    if s:
        rows.append(("reputation snapshot", f"{s['wall_s']} s for {s['rows']:,} rows = {s['rows_per_s']:,} rows/s   (target ≤ 2 s)"))
    if l:
        rows.append(("live: block → searchable", f"median {l['median_ms']} ms, max {l['max_ms']} ms "
                                                  f"({l['rounds']} blocks, poll every {l['poll_interval_ms']} ms)"))
    docs = results.get("documents")
    if docs:
        rows += [("documents: fetch", f"{docs['documents']:,} files in {docs['fetch_wall_s']} s = {docs['documents_per_s']:,} documents/s "
                                     f"(target ≥ 500/s); {docs['http_requests']:,} requests; {docs['statuses']}"),
                 ("  CPU: agentindex / server", f"{docs['agentindex_cpu_s']} s / {docs['server_cpu_s']} s"),
                 ("  peak RSS (documents --fetch)", f"{docs['peak_rss_mb']} MB"),
                 ("  follower catch-up (median)", f"{docs['catch_up_without_fetcher_s']} s without the fetcher, "
                                                  f"{docs['catch_up_with_fetcher_s']} s with it ({docs['chain_logs']:,} logs; "
                                                  f"runs {docs['catch_up_runs']})")]
    e = results.get("erc8004")
    if e:
        rows += [("ERC-8004 chain: backfill", f"{e['wall_s']} s, {e['logs_per_s']:,} logs/s read ({e['chain_logs']:,} logs, "
                                              f"{e['agentindex_cpu_s']} s CPU, {e['ranges']} ranges)"),
                 ("  eth_getLogs calls", f"{e['eth_getLogs']} for a minimum of {e['minimum_getLogs']} "
                                        f"= {e['eth_getLogs'] / e['minimum_getLogs']:.2f}×; all RPC {e['rpc_by_method']}"),
                 ("  peak RSS", f"{e['peak_rss_mb']} MB"),
                 ("  index vs generator", "equal" if e["found"] == e["expected"] else f"DIFFERENT {e['found']} ≠ {e['expected']}"),
                 ("  throughput target", f"{e['logs_per_s']:,} logs/s   (target ≥ 100,000)")]
        ef = e.get("floor")
        if ef:
            rows += [("  floor: curl + sqlite3 import", f"{ef['fetch_s']} s + {ef['import_s']} s = {ef['total_s']} s"),
                     ("  backfill ÷ floor", f"{e['wall_s'] / ef['total_s']:.1f}×   (target ≤ 1.5×)")]
        rows += [("  " + name.strip(), value) for name, value in peer_rows(e, e.get("cryo"))]
        rows += [
                 ("  what it holds", ", ".join(f"{k} {v:,}" for k, v in e["found"].items()))]
    width = max(len(name) for name, _ in rows)
    chain = (f"{results['agents']:,} agents, {results['payments']:,} payments, {results['blocks']:,} blocks, "
             if "agents" in results else "")
    print(f"\nAgentIndex benchmark — {chain}cap {results['max_results']:,} ({results['date']}, {os.cpu_count()} cores)")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--blocks", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-results", type=int, default=10_000)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "agentindex"))
    parser.add_argument("--erc8004-agents", type=int, default=100_000)
    parser.add_argument("--erc8004-transfers", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=10_000, help="ERC-8004 agents whose files the document benchmark fetches")
    parser.add_argument("--only", choices=["agents", "erc8004", "documents"], help="run one part of the benchmark")
    parser.add_argument("--smoke", action="store_true", help="1,000 agents, 10,000 payments; correctness only")
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    args = parser.parse_args()
    if args.smoke:
        args.agents, args.payments, args.blocks, args.max_results = 1_000, 10_000, 20_000, 1_000
        args.erc8004_agents, args.erc8004_transfers = 1_000, 10_000
        args.documents = 500
    args.bin = os.path.abspath(args.bin)

    workdir = tempfile.mkdtemp(prefix="agentindex-bench-")
    try:
        db = os.path.join(workdir, "index.sqlite")
        results = {"date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "max_results": args.max_results}
        if args.only in (None, "agents"):   # the 100k chain's size (the other parts state their own)
            results |= {"agents": args.agents, "payments": args.payments, "blocks": args.blocks}
        if args.only in (None, "agents"):
            chain = chain_file(args)
            meta = meta_of(chain)
            log("1/6 backfill")
            results["backfill"] = backfill(args, chain, meta, db)
            requests = capped_requests(chain, meta, args.max_results)
            results["minimum_getLogs"] = len(requests)
            checked, mismatches = check_sample(chain, db, args.sample, args.seed)
            results["sample"] = {"checked": checked, "mismatches": len(mismatches)}
            if mismatches or results["backfill"]["logs"] != meta["logs"]:
                table(results)
                print(f"FAILED: {len(mismatches)} decoded cards differ from the generated ones, "
                      f"{results['backfill']['logs']} of {meta['logs']} logs indexed: {mismatches[:3]}")
                return 1
            if args.smoke:
                results["bulk_vs_live"] = bulk_vs_live(args, chain, meta, db, workdir, args.blocks // 4)
                if not results["bulk_vs_live"]["equal"]:
                    table(results)
                    print("FAILED: the bulk backfill and the live path stored different states")
                    return 1
            log("2/6 cryo")
            results["cryo"] = cryo(args, chain, meta)
            if not args.smoke:
                log("2/6 floor")
                results["floor"] = floor(args, chain, meta, requests, workdir)
                results["sieve"] = sieve_throughput(args)
                log("3/6 discovery")
                results["discovery"] = discovery(args, db, workdir)
                log("4/6 snapshot")
                results["snapshot"] = snapshot(args, db, workdir)
                log("5/6 live")
                results["live"] = live(args, workdir)
        if args.only in (None, "documents"):
            log("documents")
            results["documents"] = documents(args, workdir)
            if results["documents"]["agents_ok"] != args.documents:
                table(results)
                print(f"FAILED: {results['documents']['agents_ok']} of {args.documents} fetched files are ok")
                return 1
        if args.only in (None, "erc8004"):
            log("6/6 ERC-8004 chain")
            results["erc8004"] = erc8004(args, workdir)
            if results["erc8004"]["found"] != results["erc8004"]["expected"]:
                table(results)
                print("FAILED: the ERC-8004 index differs from what the generator made")
                return 1
        table(results)
        if not args.smoke:
            os.makedirs(args.results, exist_ok=True)
            size = args.documents if args.only == "documents" else args.agents
            path = os.path.join(args.results, f"{results['date']}-{size}{'-' + args.only if args.only else ''}.json")
            with open(path, "w") as f:
                json.dump(results, f, indent=2)
            print(f"  results: {os.path.relpath(path, ROOT)}")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
