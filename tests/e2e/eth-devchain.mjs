// Drives a running `cere-node --dev` with ethers.js v6 (a client we did not write).
// Usage: node eth-devchain.mjs <rpc-url> <phase>   phase: "first" (fresh chain) | "restarted" (after a restart)
// Prints one JSON line of facts the NUnit side checks; any failed assertion exits non-zero with a message.
import { ethers } from "ethers";
import assert from "node:assert/strict";
import fs from "node:fs";

const [url, phase, stateFile] = process.argv.slice(2);
const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 100 });
const mnemonic = "test test test test test test test test test test test junk";
const wallet = (i) => ethers.HDNodeWallet.fromPhrase(mnemonic, undefined, `m/44'/60'/0'/0/${i}`).connect(provider);
const recipient = "0x000000000000000000000000000000000000bEEF";
// eth_estimateGas needs eth_call on the EVM, not served yet: transfers give their gas limit (21,000) explicitly.
const gasLimit = 21000n;

const step = (what) => console.error(`step: ${what}`);

async function rpcError(method, params) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = await res.json();
  assert.ok(body.error, `${method} should fail, got ${JSON.stringify(body)}`);
  return body.error;
}

if (phase === "first") {
  const net = await provider.getNetwork();
  assert.equal(net.chainId, 4242n);
  for (let i = 0; i < 10; i++) {
    assert.equal(await provider.getBalance(wallet(i).address), ethers.parseEther("10000"), `account ${i} balance`);
  }

  // EIP-1559 transfer from account 3, legacy (EIP-155) transfer from account 1 (account 0 is the coinbase and earns tips).
  step("1559 transfer");
  const a = wallet(3);
  const tx1559 = await a.sendTransaction({ to: recipient, value: ethers.parseEther("1.5"), gasLimit });
  const r1559 = await tx1559.wait();
  assert.equal(r1559.status, 1);
  assert.equal(r1559.type, 2);
  assert.equal(r1559.gasUsed, 21000n);

  step("legacy transfer");
  const b = wallet(1);
  const feeData = await provider.getFeeData();
  const txLegacy = await b.sendTransaction({ to: recipient, value: ethers.parseEther("2"), type: 0, gasPrice: feeData.gasPrice, gasLimit });
  const rLegacy = await txLegacy.wait();
  assert.equal(rLegacy.status, 1);
  assert.equal(rLegacy.type, 0);

  step("lookups");
  const fetched = await provider.getTransaction(txLegacy.hash);
  assert.equal(fetched.from, b.address);
  assert.equal(fetched.chainId, 4242n);
  const block = await provider.getBlock(rLegacy.blockNumber, true);
  assert.ok(block.transactions.includes(txLegacy.hash));

  assert.equal(await provider.getBalance(recipient), ethers.parseEther("3.5"));
  const aBalance = await provider.getBalance(a.address);
  assert.equal(aBalance, ethers.parseEther("10000") - ethers.parseEther("1.5") - r1559.gasUsed * r1559.gasPrice);

  step("nonce too low");
  // A reused nonce: ethers surfaces the node's "nonce too low" as NONCE_EXPIRED.
  await assert.rejects(a.sendTransaction({ to: recipient, value: 1n, nonce: 0, gasLimit }), (e) => e.code === "NONCE_EXPIRED" || /nonce too low/.test(e.message));

  step("bad input");
  // Garbage and a transaction for another chain: the right errors, nothing changes.
  const garbage = await rpcError("eth_sendRawTransaction", ["0xdeadbeef"]);
  assert.equal(garbage.code, -32000);
  const signed = await wallet(2).signTransaction({ to: recipient, value: 1n, nonce: 0, gasLimit: 21000, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n, chainId: 1, type: 2 });
  const wrongChain = await rpcError("eth_sendRawTransaction", [signed]);
  assert.match(wrongChain.message, /invalid chain id/);
  assert.equal((await rpcError("eth_noSuchMethod", [])).code, -32601);
  assert.equal((await rpcError("eth_getBalance", [123, "latest"])).code, -32602);
  assert.equal(await provider.getTransactionCount(wallet(2).address), 0);
  assert.equal(await provider.getBalance(wallet(2).address), ethers.parseEther("10000"));

  fs.writeFileSync(stateFile, JSON.stringify({ tx1559: tx1559.hash, txLegacy: txLegacy.hash, aBalance: aBalance.toString(), head: await provider.getBlockNumber() }));
  console.log(JSON.stringify({ ok: true, phase, tx1559: tx1559.hash, txLegacy: txLegacy.hash }));
} else if (phase === "restarted") {
  const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
  assert.ok(await provider.getBlockNumber() >= saved.head, "the chain continues from its head");
  assert.equal(await provider.getBalance(recipient), ethers.parseEther("3.5"));
  assert.equal((await provider.getBalance(wallet(3).address)).toString(), saved.aBalance);
  const r = await provider.getTransactionReceipt(saved.tx1559);
  assert.equal(r.status, 1);
  const t = await provider.getTransaction(saved.txLegacy);
  assert.equal(t.to, recipient);
  // The chain still takes transactions after the restart, with the next nonce.
  const again = await wallet(3).sendTransaction({ to: recipient, value: 1n, gasLimit });
  assert.equal(again.nonce, 1);
  assert.equal((await again.wait()).status, 1);
  console.log(JSON.stringify({ ok: true, phase }));
} else {
  console.error(`unknown phase ${phase}`);
  process.exit(2);
}
