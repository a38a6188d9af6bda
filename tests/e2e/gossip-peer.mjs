// A js-libp2p node with gossipsub (@chainsafe/libp2p-gossipsub) and a raw request/response handler, for the
// gossip interop tests in tests/Cere.P2P.Tests (GossipInterop*).
// Usage: node gossip-peer.mjs [--port N] [--key HEX] [--heartbeat MS]
// stdout: one JSON object per line: first {"event":"listening",...}, then events ("message", "connect",
// "disconnect", "request") and command results {"id":N,"ok":true,...}.
// stdin: one JSON command per line: dial, hangup, subscribe, publish, peers, request, stop.
//
// Request/response wire format (ours, see Cere.P2P/RequestResponse): the requester writes
// varint(len) ‖ request and closes its side; the responder writes status byte ‖ varint(len) ‖ body
// (status 0 = ok; otherwise the body is a UTF-8 error message) and closes.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { announceListening, option, print, serveCommands } from './peer-cli.mjs'


const ECHO_PROTOCOL = '/cere/test/echo/1'
const MAX_REQUEST = 1024 * 1024

const keyHex = option('--key', null)
const node = await createLibp2p({
  ...(keyHex ? { privateKey: privateKeyFromProtobuf(Buffer.from(keyHex, 'hex')) } : {}),
  addresses: { listen: [`/ip4/127.0.0.1/tcp/${option('--port', '0')}`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify({ agentVersion: 'js-libp2p-gossip-peer' }),
    ping: ping(),
    pubsub: gossipsub({
      heartbeatInterval: Number(option('--heartbeat', '500')),
      allowPublishToZeroTopicPeers: true,
      emitSelf: false
    })
  }
})

// --- unsigned varint ---
function varint (n) {
  const out = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return Uint8Array.from(out)
}
function readVarint (buf, offset) {
  let value = 0; let shift = 1; let i = offset
  for (;;) {
    if (i >= buf.length) throw new Error('truncated varint')
    const b = buf[i++]
    value += (b & 0x7f) * shift
    if ((b & 0x80) === 0) return [value, i]
    shift *= 128
    if (shift > 2 ** 49) throw new Error('varint too long')
  }
}
async function readAll (source, limit) {
  const chunks = []; let total = 0
  for await (const chunk of source) {
    const bytes = chunk.subarray()
    total += bytes.length
    if (total > limit) throw new Error(`more than ${limit} bytes`)
    chunks.push(bytes)
  }
  return Buffer.concat(chunks)
}
const concat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)))

// The responder side of our request/response format: answers "echo:" + request, or an error for "fail".
await node.handle(ECHO_PROTOCOL, async ({ stream, connection }) => {
  try {
    const raw = await readAll(stream.source, MAX_REQUEST + 10)
    const [len, start] = readVarint(raw, 0)
    if (raw.length - start !== len) throw new Error(`request announces ${len} bytes, has ${raw.length - start}`)
    const request = raw.subarray(start).toString('utf8')
    print({ event: 'request', from: connection.remotePeer.toString(), request })
    const failed = request === 'fail'
    const body = Buffer.from(failed ? 'asked to fail' : 'echo:' + request, 'utf8')
    await stream.sink([concat([failed ? 2 : 0], varint(body.length), body)])
  } catch (err) {
    print({ event: 'request-error', error: String(err?.message ?? err) })
    stream.abort(err)
  }
})

const pubsub = node.services.pubsub
pubsub.addEventListener('message', (e) => {
  const m = e.detail
  print({
    event: 'message',
    topic: m.topic,
    from: m.type === 'signed' ? m.from.toString() : null,
    data: Buffer.from(m.data).toString('utf8')
  })
})
node.addEventListener('peer:connect', (e) => print({ event: 'connect', peerId: e.detail.toString() }))
node.addEventListener('peer:disconnect', (e) => print({ event: 'disconnect', peerId: e.detail.toString() }))

async function run (c) {
  switch (c.cmd) {
    case 'dial': {
      const conn = await node.dial(multiaddr(c.addr))
      return { remotePeer: conn.remotePeer.toString() }
    }
    case 'hangup':
      await node.hangUp(peerIdFromString(c.peer))
      return {}
    case 'subscribe':
      pubsub.subscribe(c.topic)
      return {}
    case 'publish': {
      const r = await pubsub.publish(c.topic, Buffer.from(c.data, 'utf8'))
      return { recipients: r.recipients.map(String) }
    }
    case 'peers':
      return {
        mesh: pubsub.getMeshPeers(c.topic).map(String),
        subscribers: pubsub.getSubscribers(c.topic).map(String),
        connected: node.getPeers().map(String)
      }
    case 'request': {
      // The requester side of our format, against a handler on our (C#) node.
      const stream = await node.dialProtocol(peerIdFromString(c.peer), c.protocol)
      const body = Buffer.from(c.data, 'utf8')
      await stream.sink([concat(varint(body.length), body)])
      const raw = await readAll(stream.source, MAX_REQUEST + 11)
      if (raw.length < 2) throw new Error(`response of ${raw.length} bytes`)
      const [len, start] = readVarint(raw, 1)
      if (raw.length - start !== len) throw new Error(`response announces ${len} bytes, has ${raw.length - start}`)
      return { status: raw[0], body: raw.subarray(start).toString('utf8') }
    }
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
