"""`python -m agentdevnet start|stop|abi|abi-vectors` (see ../devnet)."""
import argparse
import json
import os
import signal
import sys
import time

from . import contracts


def cmd_start(args):
    from .chain import DevChain
    from .rpc import make_server
    from .scenarios import SCENARIOS, Deployment

    if args.scenario not in SCENARIOS:
        sys.exit(f"error: unknown scenario {args.scenario!r} (known: {', '.join(SCENARIOS)})")
    chain = DevChain(chain_id=args.chain_id, finality_depth=args.finality_depth)
    server = make_server(chain, args.port)
    started = time.time()
    deployment = Deployment(chain, contracts.compile_all())
    cleanup = None
    if args.documents or args.scenario in ("documents", "slowdocs"):
        import shutil
        import tempfile
        from .docserver import DocServer
        folder = args.documents_dir
        if folder is None:   # a folder of our own (the CA file) goes when the devnet stops
            folder = tempfile.mkdtemp(prefix="agentdevnet-docs-")
            cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)  # noqa: E731
        deployment.docs = DocServer(folder)
        deployment.docs.start()
    with chain.lock:
        extra = SCENARIOS[args.scenario](deployment)
    server.methods.deployment = deployment
    info = {
        "chainId": args.chain_id,
        "rpcUrl": f"http://127.0.0.1:{server.server_address[1]}",
        "pid": os.getpid(),
        "scenario": args.scenario,
        "headBlock": chain.head_number(),
        "seedSeconds": round(time.time() - started, 2),
    } | deployment.summary() | extra | ({"documents": deployment.docs.info()} if deployment.docs else {})
    serve(server, info, args.pid_file, cleanup)


def cmd_proxy(args):
    from .faultproxy import make_proxy
    server = make_proxy(args)
    serve(server, {"rpcUrl": f"http://127.0.0.1:{server.server_address[1]}", "pid": os.getpid(),
                   "upstream": args.upstream}, args.pid_file)


def serve(server, info, pid_file, cleanup=None):
    """Writes the PID file, prints `info` as one JSON line, serves until SIGTERM or Ctrl-C, then
    runs `cleanup`."""
    def stop(*_):
        server.server_close()
        if cleanup:
            cleanup()
        os._exit(0)

    if pid_file:
        with open(pid_file, "w") as f:
            f.write(str(os.getpid()))
    print(json.dumps(info), flush=True)
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        stop()


def cmd_stop(args):
    pid = args.pid
    if pid is None and args.pid_file:
        with open(args.pid_file) as f:
            pid = int(f.read().strip())
    if pid is None:
        sys.exit("error: give a PID or --pid-file")
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def cmd_abi(args):
    compiled = contracts.compile_all()
    if args.contract:
        print(json.dumps(compiled[args.contract]["abi"]))
    else:
        os.makedirs(args.out, exist_ok=True)
        for name in contracts.NAMES:
            c = compiled[name]
            with open(os.path.join(args.out, f"{name}.json"), "w") as f:
                json.dump(c["abi"], f, indent=2)
                f.write("\n")


def cmd_abi_vectors(args):
    from .vectors import generate
    for line in generate(args.count, args.seed):
        print(json.dumps(line))


def cmd_validate_api(args):
    from . import validate
    errors = validate.check(args.spec, args.responses, partial=args.partial)
    for error in errors:
        print(error)
    sys.exit(1 if errors else 0)


def cmd_validate_cards(args):
    from . import validate
    errors = validate.check_cards(args.schema, args.cards)
    for error in errors:
        print(error)
    sys.exit(1 if errors else 0)


def cmd_verify_answer(args):
    from . import signatures
    print(json.dumps(signatures.check_answer(args.url)))


def cmd_verify_manifest(args):
    from . import signatures
    print(json.dumps(signatures.check_manifest(args.manifest)))


def cmd_a2a_ask(args):
    from . import a2aclient
    a2aclient.main(args.url, args.text, args.data, args.version)


def cmd_mcp_call(args):
    from . import mcpclient
    mcpclient.main(args.url, args.command, args.calls)


def cmd_read_csv(args):
    """Loads a CSV the way a researcher would, `pandas.read_csv(path)` with no options, and prints
    what pandas made of it as one JSON line."""
    import pandas
    frame = pandas.read_csv(args.file)
    print(json.dumps({
        "rows": len(frame),
        "columns": list(frame.columns),
        "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
        "records": json.loads(frame.to_json(orient="records")),
    }))


def main():
    # A parent may hand down a signal mask that blocks SIGTERM (Foundation's Process does, from
    # a test runner's worker thread); `devnet stop` and test teardown depend on it arriving.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    parser = argparse.ArgumentParser(prog="devnet", description="The AgentIndex local EVM.")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("start", help="start a chain, seed a scenario, print one JSON line, serve JSON-RPC")
    s.add_argument("--port", type=int, default=0, help="0 picks a free port")
    s.add_argument("--scenario", default="demo")
    s.add_argument("--chain-id", type=int, default=31337)
    s.add_argument("--finality-depth", type=int, default=64, help="'finalized' and 'safe' are this far below the head")
    s.add_argument("--pid-file")
    s.add_argument("--documents", action="store_true", help="serve the off-chain document world (HTTPS hosts, IPFS gateways, hostile endpoints)")
    s.add_argument("--documents-dir", help="where the document server writes its CA certificate (default: a temporary folder)")
    s.set_defaults(fn=cmd_start)
    p = sub.add_parser("proxy", help="a fault-injecting JSON-RPC proxy in front of a node (see faultproxy.py)")
    p.add_argument("--upstream", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered with a fault")
    p.add_argument("--faults", default="", help="comma-separated subset of " + ",".join(("http500", "http503", "http429", "delay", "truncate", "garbage", "reset")))
    p.add_argument("--delay", type=float, default=2.0, help="seconds a 'delay' fault waits (past the client's time-out)")
    p.add_argument("--retry-after", type=int, default=1)
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every request (a slow provider)")
    p.add_argument("--max-results", type=int, default=0, help="refuse eth_getLogs above this many logs (suggesting a range)")
    p.add_argument("--max-block-range", type=int, default=0, help="refuse eth_getLogs spanning more blocks")
    p.add_argument("--lag-rate", type=float, default=0.0, help="share of eth_blockNumber answers behind, and of newest-block eth_getLogs emptied")
    p.add_argument("--lag-blocks", type=int, default=3)
    p.add_argument("--pid-file")
    p.set_defaults(fn=cmd_proxy)
    t = sub.add_parser("stop", help="stop a devnet by PID")
    t.add_argument("pid", type=int, nargs="?")
    t.add_argument("--pid-file")
    t.set_defaults(fn=cmd_stop)
    va = sub.add_parser("validate-api", help="check recorded API responses (JSON lines) against the OpenAPI spec")
    va.add_argument("--spec", required=True)
    va.add_argument("--responses", required=True)
    va.add_argument("--partial", action="store_true", help="do not require every operation of the spec to be exercised")
    va.set_defaults(fn=cmd_validate_api)
    vc = sub.add_parser("validate-cards", help="check JSON lines (served cards, snapshot rows) against a draft-07 JSON Schema")
    vc.add_argument("--schema", required=True)
    vc.add_argument("--cards", required=True)
    vc.set_defaults(fn=cmd_validate_cards)
    van = sub.add_parser("verify-answer", help="GET a URL of the API and recover the signer of its answer with eth_account (JSON)")
    van.add_argument("url")
    van.set_defaults(fn=cmd_verify_answer)
    vm = sub.add_parser("verify-manifest", help="recover the signer of a snapshot manifest from FILE.sig with eth_account (JSON)")
    vm.add_argument("manifest")
    vm.set_defaults(fn=cmd_verify_manifest)
    aa = sub.add_parser("a2a-ask", help="ask an A2A agent through the a2a-sdk (resolve its card, send, get the task) and print JSON")
    aa.add_argument("url")
    aa.add_argument("--text")
    aa.add_argument("--data", help="a JSON object sent as a data part")
    aa.add_argument("--version", default="1.0", choices=["1.0", "0.3"])
    aa.set_defaults(fn=cmd_a2a_ask)
    mc = sub.add_parser("mcp-call", help="list an MCP server's tools and call them with the mcp SDK (HTTP --url or stdio -- COMMAND…); print JSON")
    mc.add_argument("--url")
    mc.add_argument("--calls", required=True, help='a JSON list of {"tool": NAME, "arguments": {…}}')
    mc.add_argument("command", nargs="*")
    mc.set_defaults(fn=cmd_mcp_call)
    rc = sub.add_parser("read-csv", help="load a CSV with pandas.read_csv (no options) and print it as JSON")
    rc.add_argument("file")
    rc.set_defaults(fn=cmd_read_csv)
    a = sub.add_parser("abi", help="print a compiled contract's ABI, or write all to --out")
    a.add_argument("--contract")
    a.add_argument("--out", default="abi")
    a.set_defaults(fn=cmd_abi)
    v = sub.add_parser("abi-vectors", help="random ABI values encoded by eth-abi, as JSON lines")
    v.add_argument("--count", type=int, default=200)
    v.add_argument("--seed", type=int, default=1)
    v.set_defaults(fn=cmd_abi_vectors)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
