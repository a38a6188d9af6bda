// Independent reference for the peer-id and multiaddr unit tests: js-libp2p's own encoders.
// Reads one JSON object on stdin: {"publicKeys": [hex protobuf...], "multiaddrs": [text...], "peerIds": [text...]}.
// Prints {"peerIds": [{"base58","cid"}...], "multiaddrs": [{"hex","text"}...], "parsed": [base58...]}.
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'

let input = ''
for await (const chunk of process.stdin) input += chunk
const request = JSON.parse(input)

const peerIds = (request.publicKeys ?? []).map((hex) => {
  const id = peerIdFromPublicKey(publicKeyFromProtobuf(Buffer.from(hex, 'hex')))
  return { base58: id.toString(), cid: id.toCID().toString() }
})
const multiaddrs = (request.multiaddrs ?? []).map((text) => {
  const ma = multiaddr(text)
  return { hex: Buffer.from(ma.bytes).toString('hex'), text: ma.toString() }
})
const parsed = (request.peerIds ?? []).map((text) => peerIdFromString(text).toString())
process.stdout.write(JSON.stringify({ peerIds, multiaddrs, parsed }) + '\n')
