// Reference for benches/Cere.Benchmarks/GossipMeshBenchmarks.cs: five js-libp2p nodes with
// @chainsafe/libp2p-gossipsub in this one process (as our five hosts share one process), fully connected
// over loopback TCP + Noise + yamux, all subscribed to one topic.
// stdout: {"event":"ready"} once the mesh has formed, then one result line per command.
// stdin: {"id":N,"cmd":"burst","count":C,"size":S} — node 0 publishes C messages of S bytes; the result
// {"id":N,"ok":true,"ms":T} comes when each of the other four has received all C.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { print, serveCommands } from './peer-cli.mjs'

const TOPIC = 'bench'
const NODES = 5

const nodes = []
for (let i = 0; i < NODES; i++) {
  nodes.push(await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ heartbeatInterval: 1000, allowPublishToZeroTopicPeers: true, emitSelf: false })
    }
  }))
}

let received = new Array(NODES).fill(0)
let waiting = null
nodes.forEach((n, i) => {
  n.services.pubsub.subscribe(TOPIC)
  n.services.pubsub.addEventListener('message', () => {
    received[i]++
    if (waiting && received.slice(1).every((r) => r >= waiting.count)) {
      const w = waiting
      waiting = null
      w.resolve()
    }
  })
})

for (let i = 0; i < NODES; i++) {
  for (let j = i + 1; j < NODES; j++) await nodes[i].dial(nodes[j].getMultiaddrs()[0])
}

const meshed = () => nodes.every((n) => n.services.pubsub.getMeshPeers(TOPIC).length >= NODES - 1)
while (!meshed()) await new Promise((resolve) => setTimeout(resolve, 100))
print({ event: 'ready' })

let seq = 0
async function burst (count, size) {
  received = new Array(NODES).fill(0)
  const done = new Promise((resolve) => { waiting = { count, resolve } })
  const start = process.hrtime.bigint()
  const payload = new Uint8Array(size)
  for (let k = 0; k < count; k++) {
    // Distinct data per message (message ids are from ‖ seqno, so this is only for realism).
    new DataView(payload.buffer).setUint32(0, seq++)
    await nodes[0].services.pubsub.publish(TOPIC, payload.slice())
  }
  await done
  return Number(process.hrtime.bigint() - start) / 1e6
}

serveCommands(async (c) => {
  if (c.cmd !== 'burst') throw new Error(`unknown command ${c.cmd}`)
  return { ms: await burst(c.count, c.size) }
}, async () => {
  for (const n of nodes) await n.stop()
})
