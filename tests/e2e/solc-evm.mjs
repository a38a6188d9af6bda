// Compiles tests/Cere.Vm.Tests/Solidity/Bench.sol with solc-js (0.8.37, cancun, optimizer 200 runs) and writes
// Bench.json beside it: the creation bytecode, calldata for a set of calls, and reference results computed here
// independently of our VM (BigInt arithmetic and ethers' keccak256), for Cere.Vm.Tests.SolidityContractTests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { Interface, keccak256, solidityPacked, zeroPadValue, toBeHex } from 'ethers';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '..', 'Cere.Vm.Tests', 'Solidity');
const source = fs.readFileSync(path.join(dir, 'Bench.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'Bench.sol': { content: source } },
  settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
for (const e of out.errors ?? []) if (e.severity === 'error') { console.error(e.formattedMessage); process.exit(1); }
const c = out.contracts['Bench.sol'].Bench;
const iface = new Interface(c.abi);
const M = (1n << 256n) - 1n;

function arith(n) { let x = 1n; for (let i = 0n; i < n; i++) { x = (x * 6364136223846793005n + 1442695040888963407n) & M; x ^= x >> 7n; } return x; }
function hash(n) { let h = zeroPadValue('0x', 32); for (let i = 0n; i < n; i++) h = keccak256(solidityPacked(['bytes32', 'uint256'], [h, i])); return BigInt(h); }
function mem(n) { let s = 0n; for (let i = 0n; i < n; i++) s += i * i; return s; }

const calls = [];
for (const n of [0n, 1n, 2n, 10n, 100n, 1000n]) {
  calls.push({ fn: 'arith', n: Number(n), data: iface.encodeFunctionData('arith', [n]), expected: toBeHex(arith(n), 32) });
  calls.push({ fn: 'hash', n: Number(n), data: iface.encodeFunctionData('hash', [n]), expected: toBeHex(hash(n), 32) });
  calls.push({ fn: 'mem', n: Number(n), data: iface.encodeFunctionData('mem', [n]), expected: toBeHex(mem(n), 32) });
}
const result = {
  compiler: `solc-js ${solc.version()}`, settings: 'evmVersion cancun, optimizer 200 runs',
  bytecode: '0x' + c.evm.bytecode.object,
  calls,
  store: { data: iface.encodeFunctionData('store', [42n]), zero: iface.encodeFunctionData('store', [0n]), storedOf: iface.getFunction('stored').selector,
           topic: iface.getEvent('Stored').topicHash, revertReason: iface.encodeErrorResult('Error', ['zero']) },
};
fs.writeFileSync(path.join(dir, 'Bench.json'), JSON.stringify(result, null, 1) + '\n');
console.log(`wrote Bench.json: ${calls.length} calls, bytecode ${c.evm.bytecode.object.length / 2} bytes, ${result.compiler}`);
