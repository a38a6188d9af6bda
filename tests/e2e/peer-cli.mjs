// The command-line plumbing the js-libp2p peer scripts share (libp2p-peer, gossip-peer, gossip-bench): options,
// one JSON object per stdout line, and a loop that runs one JSON command per stdin line. The C# interop tests
// (tests/Cere.P2P.Tests) drive the scripts through this protocol.
import { createInterface } from 'node:readline'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'

const args = process.argv.slice(2)

/** The value after `--name` on the command line, or `fallback`. */
export const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback
}

/** Lower-case hex of a byte array (null stays null). */
export const hex = (bytes) => (bytes == null ? null : Buffer.from(bytes).toString('hex'))

/** Writes one JSON object as one stdout line. */
export const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

/**
 * Runs `run(command)` for each JSON line on stdin and prints {id, ok: true, ...result} or {id, ok: false, error};
 * when stdin closes, awaits `stop()` and exits.
 */
export function serveCommands (run, stop) {
  const lines = createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    if (line.trim() === '') return
    let c
    try {
      c = JSON.parse(line)
      print({ id: c.id, ok: true, ...(await run(c)) })
    } catch (err) {
      print({ id: c?.id ?? null, ok: false, error: String(err?.message ?? err) })
    }
  })
  lines.on('close', async () => {
    await stop()
    process.exit(0)
  })
}

/** Prints the first line the tests wait for: peer id, public key, listen addresses, protocols. */
export function announceListening (node) {
  print({
    event: 'listening',
    peerId: node.peerId.toString(),
    publicKey: hex(publicKeyToProtobuf(node.peerId.publicKey)),
    addrs: node.getMultiaddrs().map(String),
    protocols: node.getProtocols()
  })
}
