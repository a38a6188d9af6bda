// Finality latency and sustained throughput of a running local net (scripts/localnet up DIR).
// Usage: node benches/localnet/finality.mjs <rpc-url>[,<rpc-url>…] [--rate TX_PER_S] [--seconds S] [--senders N]
// Needs ethers from benches/loadgen (run `npm ci` there once).
//
// All transfers are signed before the clock starts (signing is not what we measure), then sent at a steady rate,
// over the funded test accounts (sender s always to node s mod nodes, one JSON-RPC batch per node every 10 ms) (m/44'/60'/0'/0/i of the test mnemonic). A transfer
// counts as final when a block containing it is served by the first node: our consensus finalises a block when it is
// committed (no reorganisation after that), so "block with the transaction is served" = "receipt of a final block is
// available". The first node is polled for new blocks every 20 ms, which bounds the timing error.
// Prints one JSON line: offered and sustained transfers/s, latency p50/p90/p99/max (send → final), blocks and the
// mean block interval seen, and how many transfers were rejected by the nodes or never included.
import { createRequire } from 'node:module'

const require = createRequire(new URL('../loadgen/package.json', import.meta.url))
const { ethers } = require('ethers')

const args = process.argv.slice(2)
if (args.length === 0 || args[0].startsWith('--')) {
  console.error('usage: node benches/localnet/finality.mjs <rpc-url>[,<rpc-url>…] [--rate N] [--seconds S] [--senders N]')
  process.exit(2)
}
const urls = args[0].split(',')
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback
}
const RATE = option('--rate', 200)
const SECONDS = option('--seconds', 20)
const SENDERS = option('--senders', 10) // genesis/local.json funds the first ten test accounts
const DRAIN_MS = 30_000 // how long to wait for the last transfers after sending stops
const MNEMONIC = 'test test test test test test test test test test test junk'
const RECIPIENT = '0x000000000000000000000000000000000000F1A7'

let nextId = 1
async function rpc (url, method, params) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params })
  })
  const body = await res.json()
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

const percentile = (sorted, p) => sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

const chainId = BigInt(await rpc(urls[0], 'eth_chainId', []))
const root = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0")
const wallets = Array.from({ length: SENDERS }, (_, i) => root.deriveChild(i))
const nonces = await Promise.all(wallets.map(w => rpc(urls[0], 'eth_getTransactionCount', [w.address, 'pending']).then(Number)))
const block = await rpc(urls[0], 'eth_getBlockByNumber', ['latest', false])
// A fee cap well above the base fee (it may rise by 1/8 per full block) and a 1 gwei tip.
const maxFee = BigInt(block.baseFeePerGas) * 4n + 2_000_000_000n

const total = Math.round(RATE * SECONDS)
const raws = new Array(total)
const hashes = new Array(total)
const signStart = performance.now()
for (let i = 0; i < total; i++) {
  const s = i % SENDERS
  const tx = ethers.Transaction.from({
    type: 2,
    chainId,
    nonce: nonces[s]++,
    to: RECIPIENT,
    value: 1n,
    gasLimit: 21000n,
    maxFeePerGas: maxFee,
    maxPriorityFeePerGas: 1_000_000_000n
  })
  tx.signature = wallets[s].signingKey.sign(tx.unsignedHash)
  raws[i] = tx.serialized
  hashes[i] = tx.hash
}
const signMs = performance.now() - signStart

const index = new Map(hashes.map((h, i) => [h, i]))
const sentAt = new Array(total).fill(0)
const finalAt = new Array(total).fill(0)
let rejected = 0
let firstRejection = null
let finalCount = 0
const blockTimes = []

// Watches the first node's head and stamps every transfer of each new block.
let watching = true
let seen = BigInt(await rpc(urls[0], 'eth_blockNumber', []))
async function watch () {
  while (watching) {
    const head = BigInt(await rpc(urls[0], 'eth_blockNumber', []))
    while (seen < head) {
      seen++
      const b = await rpc(urls[0], 'eth_getBlockByNumber', ['0x' + seen.toString(16), false])
      const now = performance.now()
      blockTimes.push(now)
      for (const h of b.transactions) {
        const i = index.get(h)
        if (i !== undefined && finalAt[i] === 0) {
          finalAt[i] = now
          finalCount++
        }
      }
    }
    await sleep(20)
  }
}
const watcher = watch()

// Sends one JSON-RPC batch of eth_sendRawTransaction (indices `batch`) to `url`; a failed entry counts as rejected.
async function sendBatch (url, batch) {
  const fail = (i, message) => { rejected++; firstRejection ??= message; sentAt[i] = -1 }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch.map(i => ({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raws[i]] })))
    })
    const body = await res.json()
    if (!Array.isArray(body)) throw new Error(JSON.stringify(body).slice(0, 200))
    for (const r of body) if (r.error) fail(r.id, `eth_sendRawTransaction: ${r.error.message}`)
  } catch (e) {
    for (const i of batch) fail(i, e.message)
  }
}

// Sends at a steady rate: every 10 ms, the transfers whose scheduled time has come, as one batch per node, so that the
// client is not limited by one HTTP request per transfer. Each sender always uses the same node (as a wallet uses one
// RPC endpoint): spreading one sender's nonces over several nodes would make every node wait for the others' gossip.
const start = performance.now()
const inflight = new Set()
let next = 0
while (next < total) {
  const due = Math.min(total, Math.floor((performance.now() - start) / 1000 * RATE) + 1)
  const batches = urls.map(() => [])
  const now = performance.now()
  for (; next < due; next++) {
    sentAt[next] = now
    batches[(next % SENDERS) % urls.length].push(next)
  }
  batches.forEach((batch, n) => {
    if (batch.length === 0) return
    const p = sendBatch(urls[n], batch).finally(() => inflight.delete(p))
    inflight.add(p)
  })
  await sleep(10)
}
const sendMs = performance.now() - start
await Promise.all(inflight)
const accepted = total - rejected
const drainUntil = performance.now() + DRAIN_MS
while (finalCount < accepted && performance.now() < drainUntil) await sleep(50)
watching = false
await watcher

const latencies = []
let lastFinal = 0
for (let i = 0; i < total; i++) {
  if (sentAt[i] > 0 && finalAt[i] > 0) {
    latencies.push(finalAt[i] - sentAt[i])
    lastFinal = Math.max(lastFinal, finalAt[i])
  }
}
latencies.sort((a, b) => a - b)
const round = x => x === null ? null : Math.round(x)
const intervals = blockTimes.slice(1).map((t, i) => t - blockTimes[i])
console.log(JSON.stringify({
  nodes: urls.length,
  senders: SENDERS,
  offeredPerSec: RATE,
  seconds: SECONDS,
  signedInMs: Math.round(signMs),
  sentPerSec: Math.round(total / (sendMs / 1000)),
  finalPerSec: latencies.length === 0 ? 0 : Math.round(latencies.length / ((lastFinal - start) / 1000)),
  final: latencies.length,
  rejected,
  neverIncluded: accepted - finalCount,
  latencyP50Ms: round(percentile(latencies, 0.5)),
  latencyP90Ms: round(percentile(latencies, 0.9)),
  latencyP99Ms: round(percentile(latencies, 0.99)),
  latencyMaxMs: round(latencies.at(-1) ?? null),
  blocks: blockTimes.length,
  meanBlockIntervalMs: intervals.length === 0 ? null : Math.round(intervals.reduce((a, b) => a + b, 0) / intervals.length),
  firstRejection
}))
