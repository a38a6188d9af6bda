// Compiles tests/e2e/contracts/Erc20.sol with solc-js (pinned in package.json; cancun, optimizer 200 runs) and
// prints {compiler, abi, bytecode, deployedBytecode} as one JSON line. Used by erc20-devchain.mjs and by the Nethereum e2e test.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

/** Compiles the ERC-20; throws with solc's messages on any compile error. */
export function compileErc20() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const source = fs.readFileSync(path.join(here, "contracts", "Erc20.sol"), "utf8");
  const input = {
    language: "Solidity",
    sources: { "Erc20.sol": { content: source } },
    settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  }
  const c = out.contracts["Erc20.sol"].Erc20;
  return { compiler: `solc-js ${solc.version()}`, abi: c.abi, bytecode: "0x" + c.evm.bytecode.object, deployedBytecode: "0x" + c.evm.deployedBytecode.object };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(compileErc20()));
}
