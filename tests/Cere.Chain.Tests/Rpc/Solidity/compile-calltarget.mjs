// Compiles CallTarget.sol with solc-js (cancun, optimizer 200 runs) and writes CallTarget.json beside it: the creation
// bytecode, the ABI, and the revert payloads ethers encodes independently of our node (for Cere.Chain.Tests.Rpc).
// Run: node tests/Cere.Chain.Tests/Rpc/Solidity/compile-calltarget.mjs (uses tests/e2e/node_modules).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', '..', 'e2e', 'package.json'));
const solc = require('solc');
const { Interface } = require('ethers');

const source = fs.readFileSync(path.join(here, 'CallTarget.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'CallTarget.sol': { content: source } },
  settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
for (const e of out.errors ?? []) if (e.severity === 'error') { console.error(e.formattedMessage); process.exit(1); }
const c = out.contracts['CallTarget.sol'].CallTarget;
const iface = new Interface(c.abi);
const result = {
  compiler: `solc-js ${solc.version()}`,
  settings: 'evmVersion cancun, optimizer 200 runs',
  abi: c.abi,
  bytecode: '0x' + c.evm.bytecode.object,
  runtime: '0x' + c.evm.deployedBytecode.object,
  revertData: {
    boom: iface.encodeErrorResult('Error', ['boom']),
    notEnoughGas: iface.encodeErrorResult('Error', ['not enough gas']),
    divisionByZero: iface.encodeErrorResult('Panic', [0x12]),
    custom7: iface.encodeErrorResult('Custom', [7]),
  },
};
fs.writeFileSync(path.join(here, 'CallTarget.json'), JSON.stringify(result, null, 1) + '\n');
console.log(`wrote CallTarget.json: bytecode ${c.evm.bytecode.object.length / 2} bytes, ${result.compiler}`);
