// JSON-RPC load generator: the same workload against any Ethereum node (ours and the hardhat reference), so the
// figures in benches/results/rpc-load.md compare in one run.
// Usage: node loadgen.mjs <rpc-url> [--txs N] [--concurrency C] [--reads N]   (transfers: one lane per sender, 10 lanes;
// reads: C in flight)
// Prints one JSON line: transfers submitted/s, transfers included/s (first send → last receipt), eth_sendRawTransaction
// latency p50/p99, and eth_getBalance / eth_blockNumber / eth_call throughput and latency.
import { ethers } from 'ethers'
import { rpcClient } from './json-rpc.mjs'

const args = process.argv.slice(2)
const url = args[0]
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback
}
const TXS = option('--txs', 2000)
const CONCURRENCY = option('--concurrency', 16)
const READS = option('--reads', 5000)
const SENDERS = 10
const MNEMONIC = 'test test test test test test test test test test test junk'

const rpc = rpcClient(url)

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

// Runs `count` calls of `call(i)` with at most CONCURRENCY in flight; returns the wall time and sorted latencies.
async function drive (count, call) {
  const latencies = new Array(count)
  let next = 0
  const start = performance.now()
  const worker = async () => {
    while (next < count) {
      const i = next++
      const t = performance.now()
      await call(i)
      latencies[i] = performance.now() - t
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const ms = performance.now() - start
  latencies.sort((a, b) => a - b)
  return { ms, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

const summary = (name, count, r) => ({
  [`${name}PerSec`]: Math.round(count / (r.ms / 1000)),
  [`${name}P50Ms`]: Number(r.p50.toFixed(2)),
  [`${name}P99Ms`]: Number(r.p99.toFixed(2))
})

const chainId = BigInt(await rpc('eth_chainId', []))
const wallets = Array.from({ length: SENDERS }, (_, i) =>
  ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`))
const nonces = await Promise.all(wallets.map((w) => rpc('eth_getTransactionCount', [w.address, 'pending'])))
const block = await rpc('eth_getBlockByNumber', ['latest', false])
const baseFee = BigInt(block.baseFeePerGas ?? '0x0')

// Signing is not part of the measured work: every transfer is signed before the clock starts.
const raw = []
for (let i = 0; i < TXS; i++) {
  const s = i % SENDERS
  const w = wallets[s]
  raw.push(await w.signTransaction({
    type: 2,
    chainId,
    nonce: Number(BigInt(nonces[s])) + Math.floor(i / SENDERS),
    to: '0x000000000000000000000000000000000000bEEF',
    value: 1n,
    gasLimit: 21000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    maxFeePerGas: baseFee * 4n + 1_000_000_000n
  }))
}

// One lane per sender sends its transactions in nonce order (an automining node such as hardhat refuses a nonce gap);
// the lanes run concurrently.
async function sendInLanes () {
  const latencies = []
  const start = performance.now()
  await Promise.all(Array.from({ length: SENDERS }, async (_, s) => {
    for (let i = s; i < TXS; i += SENDERS) {
      const t = performance.now()
      hashes[i] = await rpc('eth_sendRawTransaction', [raw[i]])
      latencies.push(performance.now() - t)
    }
  }))
  const ms = performance.now() - start
  latencies.sort((a, b) => a - b)
  return { ms, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

const sendStart = performance.now()
const hashes = new Array(TXS)
const send = await sendInLanes()
const lastOfSender = hashes.slice(TXS - SENDERS)
for (;;) {
  const receipts = await Promise.all(lastOfSender.map((h) => rpc('eth_getTransactionReceipt', [h])))
  if (receipts.every((r) => r !== null)) break
  await new Promise((resolve) => setTimeout(resolve, 20))
}
const includedMs = performance.now() - sendStart

const balance = await drive(READS, (i) => rpc('eth_getBalance', [wallets[i % SENDERS].address, 'latest']))
const blockNumber = await drive(READS, () => rpc('eth_blockNumber', []))
const call = await drive(READS, (i) => rpc('eth_call', [{ from: wallets[i % SENDERS].address, to: '0x000000000000000000000000000000000000bEEF', data: '0x' }, 'latest']))

console.log(JSON.stringify({
  url,
  chainId: Number(chainId),
  txs: TXS,
  concurrency: CONCURRENCY,
  ...summary('send', TXS, send),
  includedPerSec: Math.round(TXS / (includedMs / 1000)),
  ...summary('getBalance', READS, balance),
  ...summary('blockNumber', READS, blockNumber),
  ...summary('call', READS, call)
}))
