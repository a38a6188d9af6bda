// Independent reference for the keystore tests: ethers.js v6's own Web3 Secret Storage code.
// Reads one JSON object on stdin:
//   {"decrypt": [{json, password}...], "encrypt": [{privateKey, password, scrypt?: {N, r, p}}...],
//    "derive": [{mnemonic, path}...]}
// Prints {"decrypted": [{ok, address, privateKey} | {ok: false, error}...], "encrypted": [json...], "derived": [address...]}.
// encrypt without `scrypt` uses ethers' defaults (Wallet.encrypt: N = 2^17, r = 8, p = 1); passwords are NFKD-normalised by ethers.
import { Wallet, HDNodeWallet, Mnemonic, encryptKeystoreJson } from 'ethers'

let input = ''
for await (const chunk of process.stdin) input += chunk
const request = JSON.parse(input)

const decrypted = []
for (const { json, password } of request.decrypt ?? []) {
  try {
    const w = await Wallet.fromEncryptedJson(json, password)
    decrypted.push({ ok: true, address: w.address, privateKey: w.privateKey })
  } catch (err) {
    decrypted.push({ ok: false, error: String(err?.message ?? err) })
  }
}

const encrypted = []
for (const { privateKey, password, scrypt } of request.encrypt ?? []) {
  const w = new Wallet(privateKey)
  encrypted.push(scrypt == null
    ? await w.encrypt(password)
    : await encryptKeystoreJson({ address: w.address, privateKey: w.privateKey }, password, { scrypt }))
}

const derived = (request.derive ?? []).map(({ mnemonic, path }) =>
  HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), path).address)

process.stdout.write(JSON.stringify({ decrypted, encrypted, derived }) + '\n')
