"""A real local EVM (py-evm through eth-tester) behind a standard Ethereum JSON-RPC server."""
