// A js-libp2p peer (tcp + noise + yamux + identify + ping) for the interop tests in tests/Cere.P2P.Tests.
// Usage: node libp2p-peer.mjs [--port N] [--key HEX] [--agent NAME]
// Prints one JSON object per line on stdout: first {"event":"listening",...}, then events and command results.
// Reads one JSON command per line on stdin: {"id":1,"cmd":"dial"|"ping"|"identify"|"protocols"|"send"|"stop", ...}.
// Serves /cere/bench/sink/1.0.0 (drains a stream, then closes it) for the throughput benchmark.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { announceListening, hex, option, print, serveCommands } from './peer-cli.mjs'


const keyHex = option('--key', null)
const node = await createLibp2p({
  ...(keyHex ? { privateKey: privateKeyFromProtobuf(Buffer.from(keyHex, 'hex')) } : {}),
  addresses: { listen: [`/ip4/127.0.0.1/tcp/${option('--port', '0')}`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify({ agentVersion: option('--agent', 'js-libp2p-interop-peer') }),
    ping: ping()
  }
})

const describe = (r) => ({
  peerId: r.peerId.toString(),
  agentVersion: r.agentVersion ?? null,
  protocolVersion: r.protocolVersion ?? null,
  protocols: r.protocols,
  listenAddrs: r.listenAddrs.map(String),
  observedAddr: r.observedAddr ? r.observedAddr.toString() : null,
  publicKey: hex(r.publicKey)
})

node.addEventListener('peer:identify', (e) => print({ event: 'identify', ...describe(e.detail) }))
node.addEventListener('peer:connect', (e) => print({ event: 'connect', peerId: e.detail.toString() }))
node.addEventListener('peer:disconnect', (e) => print({ event: 'disconnect', peerId: e.detail.toString() }))

const SINK = '/cere/bench/sink/1.0.0'
await node.handle(SINK, async ({ stream }) => {
  let total = 0
  for await (const chunk of stream.source) total += chunk.byteLength
  // One byte back tells the sender everything arrived; then close our side.
  await stream.sink([Uint8Array.of(1)])
}, { maxInboundStreams: 64 })

// Sends `bytes` on one new stream to the peer's sink and waits until it has drained them and closed.
async function send (addr, bytes) {
  const chunk = new Uint8Array(64 * 1024).fill(7)
  const start = process.hrtime.bigint()
  // Our own signal: js otherwise bounds the (lazy) protocol negotiation, which completes only with the first
  // answer, by a short default timeout that a long transfer on a loaded machine exceeds.
  const stream = await node.dialProtocol(multiaddr(addr), SINK, { signal: AbortSignal.timeout(600_000) })
  // Write and read at once: the sink's one-byte answer (and its close) ends the transfer.
  const [, answered] = await Promise.all([
    stream.sink((async function * () {
      for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
        yield sent + chunk.byteLength <= bytes ? chunk : chunk.subarray(0, bytes - sent)
      }
    })()),
    (async () => {
      let n = 0
      for await (const c of stream.source) n += c.byteLength
      return n
    })()
  ])
  if (answered !== 1) throw new Error(`sink answered ${answered} bytes, expected 1`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

const target = (c) => (c.addr ? multiaddr(c.addr) : peerIdFromString(c.peer))

async function run (c) {
  switch (c.cmd) {
    case 'dial': {
      const conn = await node.dial(multiaddr(c.addr))
      return { remotePeer: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() }
    }
    case 'ping': {
      const rtts = []
      for (let i = 0; i < (c.count ?? 1); i++) rtts.push(await node.services.ping.ping(target(c)))
      return { rtts }
    }
    case 'identify': {
      const conns = node.getConnections(peerIdFromString(c.peer))
      if (conns.length === 0) throw new Error(`not connected to ${c.peer}`)
      return describe(await node.services.identify.identify(conns[0]))
    }
    case 'send':
      return { ms: await send(c.addr, c.bytes) }
    case 'protocols':
      return { protocols: node.getProtocols() }
    case 'stop':
      await node.stop()
      print({ id: c.id, ok: true })
      process.exit(0)
      break
    default:
      throw new Error(`unknown command ${c.cmd}`)
  }
}

serveCommands(run, () => node.stop())
announceListening(node)
