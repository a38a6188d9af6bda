// The one JSON-RPC helper of the bench scripts (loadgen.mjs, evm-calls.mjs, ../localnet/finality.mjs): a POST per
// call, the result returned, an error answer thrown with the method's name.
let nextId = 1

export async function rpcCall (url, method, params) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params })
  })
  const body = await res.json()
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

// rpcCall bound to one node's URL.
export const rpcClient = (url) => (method, params) => rpcCall(url, method, params)
