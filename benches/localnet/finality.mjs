// Finality latency and sustained throughput of a running local net (scripts/localnet up DIR).
//
// Usage: node benches/localnet/finality.mjs <rpc-url>[,<rpc-url>…] [options]
//   --rate N          transfers offered per second (default 1000)
//   --seconds S       how long to offer them (default 30)
//   --senders M       fresh sender accounts (default 64): m/44'/60'/0'/1/i of the test mnemonic, funded first from the
//                     ten accounts genesis/local.json funds (m/44'/60'/0'/0/i), so one sender's in-flight transfers stay
//                     far below the pool's 256-per-sender cap (1,000/s over 64 senders is ~16 per sender per second)
//   --send-to LIST    indices into the URL list to send to (default: all), e.g. 0,1,2,3; sender s sends to the
//                     (s mod n)-th of them, as a wallet uses one endpoint
//   --spread          send each transfer round-robin over the --send-to nodes instead (one sender's nonces over several
//                     pools: tests the transaction gossip's ordering)
//   --watch I         the node whose blocks define "final" (default 0: the first URL)
//   --max-fee-gwei F  the transfers' fee cap (default 10000: far above the base fee, which grows 12.5% per full block)
//   --drain S         seconds to wait for the last transfers after sending stops (default 30)
//   --localnet DIR    the net's directory (scripts/localnet up DIR): also report the CPU time its node processes used
//                     from the first send to the last final transfer, per transfer and in cores (from /proc)
// Needs ethers from benches/loadgen (run `npm ci` there once). Works with any number of URLs (validators and full nodes).
//
// Phases: (1) fund the senders that hold too little (transfers from the ten genesis accounts, waited on until their
// blocks are served); (2) sign every transfer before the clock starts (signing is not what we measure; it runs in
// worker threads); (3) send at a steady rate: every 10 ms the transfers whose time has come, one JSON-RPC batch per
// node; (4) wait for the stragglers. A transfer counts as final when a block containing it is served by the watched
// node: our consensus (BFT) finalises a block when it commits it, with no reorganisation after that, so "block with the
// transfer is served" = "final". The watched node is polled for new blocks every 20 ms, which bounds the timing error.
// Prints one JSON line: offered, sent, final and steady-state transfers/s, latency p50/p90/p99/max (send → final),
// blocks seen and transfers per block, rejected and never-included counts, the most in-flight transfers of one sender,
// and the 1-minute load average at start and end (the machine may be shared).
import { createRequire } from 'node:module'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import os from 'node:os'
import fs from 'node:fs'
import path from 'node:path'
import { rpcCall as rpc } from '../loadgen/json-rpc.mjs'

const require = createRequire(new URL('../loadgen/package.json', import.meta.url))
const { ethers } = require('ethers')

const MNEMONIC = 'test test test test test test test test test test test junk'
const FUNDED_PATH = "m/44'/60'/0'/0" // genesis/local.json funds children 0..9
const FRESH_PATH = "m/44'/60'/0'/1"
const FUNDERS = 10
const RECIPIENT = '0x000000000000000000000000000000000000F1A7'
const TRANSFER_GAS = 21000n
const TIP = 1_000_000_000n // 1 gwei

// ---- transaction encoding (EIP-1559 transfers only; faster than building ethers.Transaction objects) ----

function bigBytes (v) {
  if (v === 0n) return new Uint8Array(0)
  let hex = v.toString(16)
  if (hex.length % 2) hex = '0' + hex
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

function rlpItem (bytes) {
  if (bytes.length === 1 && bytes[0] < 0x80) return bytes
  return concat([rlpLength(bytes.length, 0x80), bytes])
}

function rlpList (items) {
  const body = concat(items)
  return concat([rlpLength(body.length, 0xc0), body])
}

function rlpLength (len, offset) {
  if (len < 56) return Uint8Array.of(offset + len)
  const l = bigBytes(BigInt(len))
  return concat([Uint8Array.of(offset + 55 + l.length), l])
}

function concat (parts) {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

// Signs an EIP-1559 transfer; returns { raw, hash } as 0x-hex.
function signTransfer (secp, keccak, key, chainId, nonce, to, value, maxFee) {
  const fields = [chainId, BigInt(nonce), TIP, maxFee, TRANSFER_GAS].map(v => rlpItem(bigBytes(v)))
  fields.push(rlpItem(to), rlpItem(bigBytes(value)), rlpItem(new Uint8Array(0)), rlpList([]))
  const unsigned = concat([Uint8Array.of(2), rlpList(fields)])
  const sig = secp.sign(keccak(unsigned), key, { lowS: true })
  const signed = concat([Uint8Array.of(2), rlpList([...fields, rlpItem(bigBytes(BigInt(sig.recovery))), rlpItem(bigBytes(sig.r)), rlpItem(bigBytes(sig.s))])])
  return { raw: '0x' + Buffer.from(signed).toString('hex'), hash: '0x' + Buffer.from(keccak(signed)).toString('hex') }
}

function cryptoLibs () {
  const { secp256k1 } = require('@noble/curves/secp256k1')
  const { keccak_256: keccak } = require('@noble/hashes/sha3')
  return { secp: secp256k1, keccak }
}

// Worker: signs the jobs it is given ({ key, nonce, to, value } per transfer) and posts back { raw, hash } per job.
if (!isMainThread) {
  const { secp, keccak } = cryptoLibs()
  secp.utils.precompute(8)
  const { jobs, chainId, maxFee } = workerData
  const out = jobs.map(j => signTransfer(secp, keccak, Uint8Array.from(Buffer.from(j.key, 'hex')), chainId, j.nonce, Uint8Array.from(Buffer.from(j.to.slice(2), 'hex')), j.value, maxFee))
  parentPort.postMessage(out)
} else {
  await main()
}

// Signs all jobs in worker threads (one per core), order preserved.
async function signAll (jobs, chainId, maxFee) {
  const workers = Math.max(1, Math.min(os.availableParallelism(), Math.ceil(jobs.length / 500)))
  const chunk = Math.ceil(jobs.length / workers)
  const parts = await Promise.all(Array.from({ length: workers }, (_, w) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { jobs: jobs.slice(w * chunk, (w + 1) * chunk), chainId, maxFee } })
    worker.once('message', resolve)
    worker.once('error', reject)
  })))
  return parts.flat()
}

async function main () {
  const args = process.argv.slice(2)
  if (args.length === 0 || args[0].startsWith('--')) {
    console.error('usage: node benches/localnet/finality.mjs <rpc-url>[,<rpc-url>…] [--rate N] [--seconds S] [--senders M] [--send-to 0,1,…] [--spread] [--watch I] [--max-fee-gwei F] [--drain S]')
    process.exit(2)
  }
  const urls = args[0].split(',').filter(u => u.length > 0)
  const option = (name, fallback) => {
    const i = args.indexOf(name)
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback
  }
  const RATE = Number(option('--rate', 1000))
  const SECONDS = Number(option('--seconds', 30))
  const SENDERS = Number(option('--senders', 64))
  const WATCH = Number(option('--watch', 0))
  const MAX_FEE = BigInt(option('--max-fee-gwei', 10000)) * 1_000_000_000n
  const DRAIN_MS = Number(option('--drain', 30)) * 1000
  const SPREAD = args.includes('--spread')
  const sendTo = option('--send-to', null)?.split(',').map(Number) ?? urls.map((_, i) => i)
  for (const n of [...sendTo, WATCH]) {
    if (!Number.isInteger(n) || n < 0 || n >= urls.length) throw new Error(`node index ${n} is not in 0..${urls.length - 1}`)
  }
  if (!(RATE > 0 && SECONDS > 0 && SENDERS > 0)) throw new Error('--rate, --seconds and --senders must be positive')
  const watchUrl = urls[WATCH]
  const LOCALNET = option('--localnet', null)
  // CPU seconds (user + system) used so far by the node processes of LOCALNET (DIR/node-*/node.pid), or null.
  const CLOCK_TICKS = 100 // USER_HZ, 100 on Linux
  const nodeCpu = () => {
    if (LOCALNET === null) return null
    let ticks = 0
    for (const d of fs.readdirSync(LOCALNET)) {
      const pidFile = path.join(LOCALNET, d, 'node.pid')
      if (!d.startsWith('node-') || !fs.existsSync(pidFile)) continue
      const stat = fs.readFileSync(`/proc/${fs.readFileSync(pidFile, 'utf8').trim()}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields from the 3rd (state) on
      ticks += Number(fields[11]) + Number(fields[12]) // utime, stime (14th, 15th)
    }
    return ticks / CLOCK_TICKS
  }
  const loadStart = os.loadavg()[0]

  // One JSON-RPC batch; returns the results in order (an error entry becomes an Error object).
  async function rpcBatch (url, calls) {
    if (calls.length === 0) return []
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: i, method, params })))
    })
    const body = await res.json()
    if (!Array.isArray(body)) throw new Error(JSON.stringify(body).slice(0, 200))
    const out = new Array(calls.length)
    for (const r of body) out[r.id] = r.error ? new Error(r.error.message) : r.result
    return out
  }
  const percentile = (sorted, p) => sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
  const log = msg => console.error(`finality: ${msg}`)

  const chainId = BigInt(await rpc(watchUrl, 'eth_chainId', []))
  const funded = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, FUNDED_PATH)
  const fresh = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, FRESH_PATH)
  const funders = Array.from({ length: FUNDERS }, (_, i) => funded.deriveChild(i))
  const senders = Array.from({ length: SENDERS }, (_, i) => fresh.deriveChild(i))
  const keyHex = w => w.privateKey.slice(2)

  // ---- (1) funding: every sender must cover a full pool queue (256) at the fee cap; what it really pays is the base fee
  // (≤ 100 gwei in these runs: ~0.002 ETH a transfer), so a top-up to twice that lasts many runs ----
  const total = Math.round(RATE * SECONDS)
  const need = 300n * TRANSFER_GAS * MAX_FEE
  const balances = (await rpcBatch(watchUrl, senders.map(w => ['eth_getBalance', [w.address, 'latest']]))).map(BigInt)
  const poor = senders.map((w, i) => i).filter(i => balances[i] < need)
  if (poor.length > 0) {
    const funderNonces = (await rpcBatch(watchUrl, funders.map(w => ['eth_getTransactionCount', [w.address, 'pending']]))).map(Number)
    const jobs = poor.map((s, k) => {
      const f = k % FUNDERS
      return { key: keyHex(funders[f]), nonce: funderNonces[f]++, to: senders[s].address, value: need * 2n }
    })
    const signed = await signAll(jobs, chainId, MAX_FEE)
    const results = await rpcBatch(watchUrl, signed.map(t => ['eth_sendRawTransaction', [t.raw]]))
    const failed = results.find(r => r instanceof Error)
    if (failed) throw new Error(`funding transfer refused: ${failed.message}`)
    const deadline = performance.now() + 120_000
    for (;;) {
      const now = (await rpcBatch(watchUrl, poor.map(s => ['eth_getBalance', [senders[s].address, 'latest']]))).map(BigInt)
      if (now.every(b => b >= need)) break
      if (performance.now() > deadline) throw new Error('funding transfers not final within 120 s')
      await sleep(200)
    }
    log(`funded ${poor.length} senders with ${ethers.formatEther(need * 2n)} ETH each`)
  }

  // ---- (2) sign the transfers: transfer i is sender i mod M's next nonce ----
  const nonces = (await rpcBatch(watchUrl, senders.map(w => ['eth_getTransactionCount', [w.address, 'pending']]))).map(Number)
  const recipient = RECIPIENT
  const jobs = new Array(total)
  for (let i = 0; i < total; i++) {
    const s = i % SENDERS
    jobs[i] = { key: keyHex(senders[s]), nonce: nonces[s]++, to: recipient, value: 1n }
  }
  const signStart = performance.now()
  const signed = await signAll(jobs, chainId, MAX_FEE)
  const signMs = performance.now() - signStart
  const raws = signed.map(t => t.raw)
  const index = new Map(signed.map((t, i) => [t.hash, i]))
  log(`signed ${total} transfers in ${Math.round(signMs)} ms; sending ${RATE}/s for ${SECONDS} s from ${SENDERS} senders to nodes ${sendTo.join(',')}${SPREAD ? ' (spread)' : ''}`)

  const sentAt = new Float64Array(total)
  const finalAt = new Float64Array(total)
  const inflight = new Int32Array(SENDERS)
  let maxInflight = 0
  let rejected = 0
  let firstRejection = null
  let finalCount = 0
  const blocks = [] // { at, ours, all }

  // ---- (3) watch the head of the watched node; stamp every transfer of each new block ----
  let watching = true
  let seen = BigInt(await rpc(watchUrl, 'eth_blockNumber', []))
  async function watch () {
    while (watching) {
      const head = BigInt(await rpc(watchUrl, 'eth_blockNumber', []))
      while (seen < head) {
        seen++
        const b = await rpc(watchUrl, 'eth_getBlockByNumber', ['0x' + seen.toString(16), false])
        const now = performance.now()
        let ours = 0
        for (const h of b.transactions) {
          const i = index.get(h)
          if (i !== undefined && finalAt[i] === 0) {
            finalAt[i] = now
            finalCount++
            ours++
            if (sentAt[i] > 0) inflight[i % SENDERS]--
          }
        }
        blocks.push({ at: now, ours, all: b.transactions.length })
      }
      await sleep(20)
    }
  }
  const watcher = watch()

  async function sendBatch (url, batch) {
    const fail = (i, message) => {
      rejected++
      firstRejection ??= message
      if (sentAt[i] > 0 && finalAt[i] === 0) inflight[i % SENDERS]--
      sentAt[i] = -1
    }
    try {
      const results = await rpcBatch(url, batch.map(i => ['eth_sendRawTransaction', [raws[i]]]))
      results.forEach((r, k) => { if (r instanceof Error) fail(batch[k], `eth_sendRawTransaction: ${r.message}`) })
    } catch (e) {
      for (const i of batch) fail(i, e.message)
    }
  }

  const cpuStart = nodeCpu()
  const start = performance.now()
  const pendingSends = new Set()
  let next = 0
  while (next < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / 1000 * RATE) + 1)
    const batches = urls.map(() => [])
    const now = performance.now()
    for (; next < due; next++) {
      const s = next % SENDERS
      sentAt[next] = now
      if (++inflight[s] > maxInflight) maxInflight = inflight[s]
      batches[sendTo[(SPREAD ? next : s) % sendTo.length]].push(next)
    }
    batches.forEach((batch, n) => {
      if (batch.length === 0) return
      const p = sendBatch(urls[n], batch).finally(() => pendingSends.delete(p))
      pendingSends.add(p)
    })
    await sleep(10)
  }
  const sendEnd = performance.now()
  await Promise.all(pendingSends)

  // ---- (4) drain ----
  const accepted = total - rejected
  const drainUntil = performance.now() + DRAIN_MS
  while (finalCount < accepted && performance.now() < drainUntil) await sleep(50)
  watching = false
  const cpuEnd = nodeCpu()
  const cpuWall = (performance.now() - start) / 1000
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
  // Steady state: blocks served from 5 s after the start (past the ramp-up) to the end of sending.
  const steadyFrom = start + Math.min(5000, (sendEnd - start) / 4)
  const steady = blocks.filter(b => b.at >= steadyFrom && b.at <= sendEnd)
  const steadyOurs = steady.reduce((a, b) => a + b.ours, 0)
  const runBlocks = blocks.filter(b => b.at >= start && b.at <= (lastFinal || sendEnd))
  const intervals = runBlocks.slice(1).map((b, i) => b.at - runBlocks[i].at)
  const round = x => x === null ? null : Math.round(x)
  console.log(JSON.stringify({
    nodes: urls.length,
    sendTo: sendTo.join(','),
    spread: SPREAD,
    senders: SENDERS,
    offeredPerSec: RATE,
    seconds: SECONDS,
    signedInMs: Math.round(signMs),
    sentPerSec: Math.round(total / ((sendEnd - start) / 1000)),
    finalPerSec: latencies.length === 0 ? 0 : Math.round(latencies.length / ((lastFinal - start) / 1000)),
    steadyFinalPerSec: steady.length === 0 ? null : Math.round(steadyOurs / ((sendEnd - steadyFrom) / 1000)),
    final: latencies.length,
    rejected,
    neverIncluded: sentAt.reduce((n, t, i) => t > 0 && finalAt[i] === 0 ? n + 1 : n, 0),
    latencyP50Ms: round(percentile(latencies, 0.5)),
    latencyP90Ms: round(percentile(latencies, 0.9)),
    latencyP99Ms: round(percentile(latencies, 0.99)),
    latencyMaxMs: round(latencies.at(-1) ?? null),
    blocks: runBlocks.length,
    meanBlockIntervalMs: intervals.length === 0 ? null : Math.round(intervals.reduce((a, b) => a + b, 0) / intervals.length),
    txsPerBlockMean: runBlocks.length === 0 ? null : Math.round(runBlocks.reduce((a, b) => a + b.all, 0) / runBlocks.length),
    txsPerBlockMax: runBlocks.reduce((a, b) => Math.max(a, b.all), 0),
    emptyBlocks: runBlocks.filter(b => b.all === 0).length,
    maxInflightPerSender: maxInflight,
    nodeCpuMsPerTx: cpuStart === null || latencies.length === 0 ? null : Math.round((cpuEnd - cpuStart) * 1000 / latencies.length * 100) / 100,
    nodeCpuCores: cpuStart === null ? null : Math.round((cpuEnd - cpuStart) / cpuWall * 100) / 100,
    load1Start: Math.round(loadStart * 10) / 10,
    load1End: Math.round(os.loadavg()[0] * 10) / 10,
    firstRejection
  }))
}
