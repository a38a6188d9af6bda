// Issue 4's compute calls through JSON-RPC: deploys tests/Cere.Vm.Tests/Solidity/Bench.json on any Ethereum node and
// times eth_call of arith(60000), hash(20000) and mem(60000), one call at a time, so our node and the hardhat reference
// (whose published figures the issue quotes: 145 / 156 / 5,552 ms) are measured by the same client in one run.
// Usage: node evm-calls.mjs <rpc-url> [--runs N]   (N timed calls per function after 3 warm-up calls; default 5: hardhat
// node 2.29.1 grows by about a gigabyte per traced arith call and was killed for memory at 24 GiB with N = 15)
// Prints one JSON line: per call the median and minimum latency in ms and the returned word, so two nodes' outputs
// can be compared.
import { readFileSync } from 'node:fs'
import { ethers } from 'ethers'
import { rpcClient } from './json-rpc.mjs'

const args = process.argv.slice(2)
const url = args[0]
const runsAt = args.indexOf('--runs')
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5
const WARMUP = 3
const MNEMONIC = 'test test test test test test test test test test test junk'
// mem(60000) uses 37.7 M gas; both nodes allow eth_call up to their cap (ours 50 M, hardhat's block gas limit).
const CALL_GAS = '0x2aea540' // 45,000,000

const calls = [
  { name: 'arith(60000)', selector: '0x921f6d4c', n: 60000 },
  { name: 'hash(20000)', selector: '0xb189fd4c', n: 20000 },
  { name: 'mem(60000)', selector: '0x907fc6ba', n: 60000 }
]

const rpc = rpcClient(url)

const artefact = JSON.parse(readFileSync(new URL('../../tests/Cere.Vm.Tests/Solidity/Bench.json', import.meta.url), 'utf8'))
const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1 })
const deployer = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/0").connect(provider)
const sent = await deployer.sendTransaction({ data: artefact.bytecode, gasLimit: 1_000_000n })
const receipt = await sent.wait()
if (receipt.status !== 1) throw new Error('Bench deployment failed')
const bench = receipt.contractAddress

const result = { url, runs: RUNS }
for (const c of calls) {
  const data = c.selector + c.n.toString(16).padStart(64, '0')
  const request = [{ from: deployer.address, to: bench, data, gas: CALL_GAS }, 'latest']
  let output
  for (let i = 0; i < WARMUP; i++) output = await rpc('eth_call', request)
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    const again = await rpc('eth_call', request)
    times.push(performance.now() - t)
    if (again !== output) throw new Error(`${c.name} returned ${again}, earlier ${output}`)
  }
  times.sort((a, b) => a - b)
  result[c.name] = {
    medianMs: Number(times[Math.floor(times.length / 2)].toFixed(2)),
    minMs: Number(times[0].toFixed(2)),
    output
  }
}
console.log(JSON.stringify(result))
