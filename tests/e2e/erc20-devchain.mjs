// Drives a running `cere-node --dev` with ethers.js v6 and solc-js (clients we did not write) through a standard ERC-20:
// compile and deploy, transfers (EIP-1559 and legacy), balances by eth_call, Transfer logs by eth_getLogs and live over a
// WebSocket `logs` subscription, a revert whose reason ethers decodes, estimateGas, fee-bump replacement, nonce errors.
// Usage: node erc20-devchain.mjs <rpc-url> <phase> <state-file>
//   phase "first": fresh chain, writes what it did to <state-file>; "restarted": the node was restarted on the same
//   datadir, checks that chain, balances and logs are all still there and that it goes on.
// Every check runs and reports on its own (one line "check: NAME ok|FAILED ..."), so a missing method shows exactly
// which assertions it breaks; the script exits non-zero if any check failed.
import { ethers } from "ethers";
import assert from "node:assert/strict";
import fs from "node:fs";
import { compileErc20 } from "./compile-erc20.mjs";

const [url, phase, stateFile] = process.argv.slice(2);
const wsUrl = url.replace(/^http/, "ws");
const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 100 });
const mnemonic = "test test test test test test test test test test test junk";
const wallet = (i) => ethers.HDNodeWallet.fromPhrase(mnemonic, undefined, `m/44'/60'/0'/0/${i}`).connect(provider);
// Account 0 is the coinbase (earns tips), so the token's holders are accounts 4..7.
const deployer = wallet(4);
const alice = wallet(5);
const bob = wallet(6);
const carol = wallet(7);
const SUPPLY = ethers.parseUnits("1000000", 18);
const units = (n) => ethers.parseUnits(String(n), 18);
const REASON = "ERC20: insufficient balance";
const TRANSFER_TOPIC = ethers.id("Transfer(address,address,uint256)");
const GAS = 3_000_000n; // deployment
const TGAS = 100_000n; // a token transfer

// A value an earlier check should have produced; a clear message instead of a TypeError when it did not.
function need(value, what) {
  if (value === undefined || value === null) throw new Error(`skipped: the ${what} check before this one failed`);
  return value;
}

const failures = [];
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    console.error(`check: ${name} ok (${Date.now() - started} ms)`);
  } catch (e) {
    failures.push(name);
    console.error(`check: ${name} FAILED: ${e?.shortMessage ?? e?.message ?? e}`);
    if (e?.info?.error) console.error(`  node said: ${JSON.stringify(e.info.error)}`);
    else if (e?.error) console.error(`  node said: ${JSON.stringify(e.error)}`);
  }
}

async function rpc(method, params) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return res.json();
}

// Resolves with the first `count` items pushed to `sink`, or rejects after `ms`.
function waitFor(sink, count, ms, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (sink.length >= count) return resolve(sink.slice(0, count));
      if (Date.now() - started > ms) return reject(new Error(`${what}: got ${sink.length} of ${count} within ${ms} ms`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

const sameLog = (a, b) => a.transactionHash === b.transactionHash && a.index === b.index && a.blockHash === b.blockHash;

const { abi, bytecode, deployedBytecode, compiler } = compileErc20();
const iface = new ethers.Interface(abi);
// ethers starts eth_subscribe without awaiting it, so a refused subscription is an unhandled rejection; solc-js's
// emscripten runtime rethrows those (killing the run). Record them instead: the WebSocket checks report them.
const unhandled = [];
process.removeAllListeners("unhandledRejection");
process.on("unhandledRejection", (e) => {
  unhandled.push(e?.shortMessage ? `${e.shortMessage}: ${JSON.stringify(e.info?.error ?? {})}` : String(e?.message ?? e));
  console.error(`unhandled rejection: ${unhandled[unhandled.length - 1]}`);
});
const noUnhandled = () => assert.deepEqual(unhandled, [], "rejections outside any call (e.g. a refused eth_subscribe)");

if (phase === "first") {
  const state = { compiler };
  let deployed; // ethers.Contract bound to the deployer
  const tokenOf = () => need(deployed, "deployment");
  const transfers = []; // { hash, from, to, value } in the order sent
  const wsEvents = []; // Transfer events received over the WebSocket subscription
  const wsBlocks = [];
  const httpEvents = []; // the same, through an HTTP filter (eth_newFilter / eth_getFilterChanges)
  const wsProvider = new ethers.WebSocketProvider(wsUrl, undefined, { staticNetwork: true });

  await check("chain id over HTTP and WebSocket", async () => {
    assert.equal((await provider.getNetwork()).chainId, 4242n);
    assert.equal(BigInt(await wsProvider.send("eth_chainId", [])), 4242n);
  });

  await check("estimateGas of a plain transfer is 21000", async () => {
    assert.equal(await provider.estimateGas({ from: deployer.address, to: bob.address, value: 1n }), 21000n);
  });

  await check("deploy the solc-js ERC-20", async () => {
    const factory = new ethers.ContractFactory(abi, bytecode, deployer);
    const nonce = await provider.getTransactionCount(deployer.address, "pending");
    // Gas limits are explicit here so that each check shows one method; estimateGas has checks of its own.
    const contract = await factory.deploy("Cere Test Token", "CTT", SUPPLY, { gasLimit: GAS });
    await contract.waitForDeployment();
    const receipt = await contract.deploymentTransaction().wait();
    assert.equal(receipt.status, 1);
    assert.equal(receipt.type, 2, "ethers sends EIP-1559 by default");
    assert.equal(receipt.contractAddress, ethers.getCreateAddress({ from: deployer.address, nonce }));
    assert.ok(receipt.gasUsed > 100000n, `deployment gas ${receipt.gasUsed} looks too small`);
    assert.equal(await provider.getCode(receipt.contractAddress), deployedBytecode, "the runtime code solc produced is stored");
    // The constructor's mint is the first Transfer log, from the zero address.
    assert.equal(receipt.logs.length, 1);
    const mint = iface.parseLog(receipt.logs[0]);
    assert.equal(mint.name, "Transfer");
    assert.equal(mint.args.from, ethers.ZeroAddress);
    assert.equal(mint.args.to, deployer.address);
    assert.equal(mint.args.value, SUPPLY);
    deployed = contract;
    state.token = receipt.contractAddress;
    state.deployBlock = receipt.blockNumber;
    state.deployHash = receipt.hash;
    state.deployGas = receipt.gasUsed.toString();
  });

  await check("estimateGas of the deployment covers what it used", async () => {
    const deployTx = await new ethers.ContractFactory(abi, bytecode, deployer).getDeployTransaction("Cere Test Token", "CTT", SUPPLY);
    const estimate = await provider.estimateGas({ ...deployTx, from: deployer.address });
    const used = BigInt(need(state.deployGas, "deployment"));
    assert.ok(estimate >= used && estimate - used < 50000n, `deployment used ${used}, estimated ${estimate}`);
  });

  await check("eth_call reads name, symbol, decimals, supply, balances", async () => {
    assert.equal(await tokenOf().name(), "Cere Test Token");
    assert.equal(await tokenOf().symbol(), "CTT");
    assert.equal(await tokenOf().decimals(), 18n);
    assert.equal(await tokenOf().totalSupply(), SUPPLY);
    assert.equal(await tokenOf().balanceOf(deployer.address), SUPPLY);
    assert.equal(await tokenOf().balanceOf(alice.address), 0n);
  });

  await check("WebSocket logs subscription (contract.on Transfer) and newHeads", async () => {
    const live = new ethers.Contract(state.token, abi, wsProvider);
    await live.on("Transfer", (from, to, value, ev) => wsEvents.push({ from, to, value, log: ev.log }));
    await wsProvider.on("block", (n) => wsBlocks.push(n));
    // Over HTTP ethers installs an eth_newFilter and polls eth_getFilterChanges on each new block.
    const polled = new ethers.Contract(state.token, abi, provider);
    await polled.on("Transfer", (from, to, value, ev) => httpEvents.push({ from, to, value, log: ev.log }));
    // eth_subscribe went out before this call on the same socket, and the node answers one socket in order.
    await wsProvider.send("eth_blockNumber", []);
    await new Promise((r) => setTimeout(r, 100)); // let a refusal's rejection surface
    noUnhandled();
  });

  await check("EIP-1559 (type 2) token transfer", async () => {
    const tx = await tokenOf().transfer(alice.address, units(1000), { gasLimit: TGAS });
    assert.equal(tx.type, 2);
    const r = await tx.wait();
    assert.equal(r.status, 1);
    assert.equal(r.type, 2);
    const block = await provider.getBlock(r.blockNumber);
    // EIP-1559: effective price = base fee + min(tip, fee cap - base fee).
    const tip = tx.maxPriorityFeePerGas < tx.maxFeePerGas - block.baseFeePerGas ? tx.maxPriorityFeePerGas : tx.maxFeePerGas - block.baseFeePerGas;
    assert.equal(r.gasPrice, block.baseFeePerGas + tip);
    const ev = iface.parseLog(r.logs[0]);
    assert.deepEqual([ev.name, ev.args.from, ev.args.to, ev.args.value], ["Transfer", deployer.address, alice.address, units(1000)]);
    transfers.push({ hash: r.hash, from: deployer.address, to: alice.address, value: units(1000) });
  });

  await check("legacy (type 0) token transfer", async () => {
    const { gasPrice } = await provider.getFeeData();
    const tx = await tokenOf().transfer(bob.address, units(250), { type: 0, gasPrice, gasLimit: TGAS });
    assert.equal(tx.type, 0);
    const r = await tx.wait();
    assert.equal(r.status, 1);
    assert.equal(r.type, 0);
    assert.equal(r.gasPrice, gasPrice, "a legacy transaction pays its gas price");
    const fetched = await provider.getTransaction(r.hash);
    assert.equal(fetched.type, 0);
    assert.equal(fetched.chainId, 4242n, "EIP-155 signature");
    transfers.push({ hash: r.hash, from: deployer.address, to: bob.address, value: units(250) });
  });

  await check("estimateGas of a token transfer is enough and close", async () => {
    const asAlice = tokenOf().connect(alice);
    const estimate = await asAlice.transfer.estimateGas(bob.address, units(100));
    assert.ok(estimate > 21000n && estimate < 100000n, `estimate ${estimate}`);
    const r = await (await asAlice.transfer(bob.address, units(100), { gasLimit: estimate })).wait();
    assert.equal(r.status, 1, "the estimate is enough gas");
    assert.ok(r.gasUsed <= estimate && estimate - r.gasUsed < 5000n, `used ${r.gasUsed}, estimated ${estimate}`);
    transfers.push({ hash: r.hash, from: alice.address, to: bob.address, value: units(100) });
  });

  await check("balances after the transfers (eth_call, latest and at a past block)", async () => {
    assert.equal(await tokenOf().balanceOf(deployer.address), SUPPLY - units(1250));
    assert.equal(await tokenOf().balanceOf(alice.address), units(900));
    assert.equal(await tokenOf().balanceOf(bob.address), units(350));
    assert.equal(await tokenOf().totalSupply(), SUPPLY);
    assert.equal(await tokenOf().balanceOf(alice.address, { blockTag: state.deployBlock }), 0n, "state at the deployment block");
  });

  await check("reverting eth_call: ethers decodes the reason", async () => {
    const asBob = tokenOf().connect(bob);
    await assert.rejects(asBob.transfer.staticCall(alice.address, units(1_000_000)), (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      assert.equal(e.reason, REASON);
      assert.equal(e.revert?.name, "Error");
      return true;
    });
    // The wire format geth uses: code 3, "execution reverted: <reason>", data = Error(string) ABI encoding.
    const data = iface.encodeFunctionData("transfer", [alice.address, units(1_000_000)]);
    const raw = await rpc("eth_call", [{ from: bob.address, to: state.token, data }, "latest"]);
    assert.ok(raw.error, `eth_call should fail: ${JSON.stringify(raw)}`);
    assert.equal(raw.error.code, 3);
    assert.equal(raw.error.message, `execution reverted: ${REASON}`);
    assert.equal(raw.error.data, ethers.AbiCoder.defaultAbiCoder().encode(["string"], [REASON]).replace(/^0x/, "0x08c379a0"));
  });

  await check("reverting estimateGas: ethers decodes the reason", async () => {
    await assert.rejects(tokenOf().connect(bob).transfer.estimateGas(alice.address, units(1_000_000)), (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      assert.equal(e.reason, REASON);
      return true;
    });
  });

  await check("a mined reverting transaction: status 0, gas paid, tokens unchanged", async () => {
    const asBob = tokenOf().connect(bob);
    const nonce = await provider.getTransactionCount(bob.address);
    const tx = await asBob.transfer(alice.address, units(1_000_000), { gasLimit: TGAS });
    await assert.rejects(tx.wait(), (e) => e.code === "CALL_EXCEPTION" && e.receipt?.status === 0);
    const r = await provider.getTransactionReceipt(tx.hash);
    assert.equal(r.status, 0);
    assert.equal(r.logs.length, 0);
    assert.ok(r.gasUsed > 21000n && r.gasUsed < 100000n, `gas used ${r.gasUsed}`);
    assert.equal(await provider.getTransactionCount(bob.address), nonce + 1);
    assert.equal(await tokenOf().balanceOf(bob.address), units(350));
    assert.equal(await tokenOf().balanceOf(alice.address), units(900));
    state.revertedHash = tx.hash;
  });

  await check("eth_getLogs (queryFilter) finds every Transfer, filtered by topics too", async () => {
    const all = await tokenOf().queryFilter(tokenOf().filters.Transfer(), state.deployBlock, "latest");
    assert.equal(all.length, 1 + transfers.length);
    assert.equal(all[0].transactionHash, state.deployHash);
    assert.equal(all[0].args.from, ethers.ZeroAddress);
    for (let i = 0; i < transfers.length; i++) {
      const ev = all[i + 1];
      assert.equal(ev.transactionHash, transfers[i].hash);
      assert.deepEqual([ev.args.from, ev.args.to, ev.args.value], [transfers[i].from, transfers[i].to, transfers[i].value]);
      assert.equal(ev.removed, false);
      const receipt = await provider.getTransactionReceipt(ev.transactionHash);
      assert.equal(ev.blockHash, receipt.blockHash);
      assert.equal(ev.index, receipt.logs[0].index);
    }
    const fromDeployer = await tokenOf().queryFilter(tokenOf().filters.Transfer(deployer.address), state.deployBlock);
    assert.deepEqual(fromDeployer.map((e) => e.transactionHash), [transfers[0].hash, transfers[1].hash]);
    const toBob = await tokenOf().queryFilter(tokenOf().filters.Transfer(null, bob.address));
    assert.deepEqual(toBob.map((e) => e.transactionHash), [transfers[1].hash, transfers[2].hash]);
    // By block hash, and a range before the deployment holds none.
    const byHash = await provider.getLogs({ blockHash: all[1].blockHash, address: state.token });
    assert.ok(byHash.some((l) => l.transactionHash === transfers[0].hash));
    assert.equal((await provider.getLogs({ address: state.token, fromBlock: 0, toBlock: state.deployBlock - 1 })).length, 0);
    assert.equal((await provider.getLogs({ address: state.token, topics: [ethers.id("Approval(address,address,uint256)")], fromBlock: 0 })).length, 0);
  });

  await check("two transfers in one block: block-wide log indexes, cumulative gas, logs blooms", async () => {
    // Nonce n+1 first (queued behind the gap), then n: both become pending together and are sealed in one block.
    const n = await provider.getTransactionCount(alice.address, "pending");
    const asAlice = tokenOf().connect(alice);
    const second = await asAlice.transfer(carol.address, units(2), { nonce: n + 1, gasLimit: TGAS });
    const first = await asAlice.transfer(carol.address, units(1), { nonce: n, gasLimit: TGAS });
    const [r1, r2] = [await first.wait(), await second.wait()];
    assert.equal(r1.blockHash, r2.blockHash, "both in one block");
    assert.equal(r2.index, r1.index + 1);
    assert.equal(r2.cumulativeGasUsed, r1.cumulativeGasUsed + r2.gasUsed);
    assert.equal(r2.logs[0].index, r1.logs[0].index + 1, "log indexes run across the block, not per transaction");
    const logs = await provider.getLogs({ blockHash: r1.blockHash, address: state.token });
    assert.deepEqual(logs.map((l) => [l.transactionHash, l.index, l.transactionIndex]), [[r1.hash, r1.logs[0].index, r1.index], [r2.hash, r2.logs[0].index, r2.index]]);
    // The 2048-bit bloom (yellow paper 4.3.1): 3 bits from keccak of the address and of each topic.
    const inBloom = (bloom, item) => {
      const h = ethers.getBytes(ethers.keccak256(item));
      const b = ethers.getBytes(bloom);
      return [0, 2, 4].every((i) => { const bit = ((h[i] << 8) | h[i + 1]) & 2047; return (b[255 - (bit >> 3)] & (1 << (bit & 7))) !== 0; });
    };
    const block = await provider.send("eth_getBlockByHash", [r1.blockHash, false]);
    for (const bloom of [r1.logsBloom, block.logsBloom]) {
      for (const item of [state.token, TRANSFER_TOPIC, ethers.zeroPadValue(alice.address, 32), ethers.zeroPadValue(carol.address, 32)]) {
        assert.ok(inBloom(bloom, item), `${item} in bloom`);
      }
    }
    transfers.push({ hash: r1.hash, from: alice.address, to: carol.address, value: units(1) }, { hash: r2.hash, from: alice.address, to: carol.address, value: units(2) });
    state.sharedBlock = { hash: r1.blockHash, number: r1.blockNumber, txs: [r1.hash, r2.hash] };
  });

  await check("eth_getBlockReceipts by block hash, number and EIP-1898 object", async () => {
    const { hash, number, txs } = need(state.sharedBlock, "two-transfers-in-one-block");
    // execution-apis: the parameter is BlockNumberOrTagOrHash, so a plain 32-byte hash is valid.
    for (const param of [ethers.toQuantity(number), { blockHash: hash }, hash]) {
      const res = await rpc("eth_getBlockReceipts", [param]);
      assert.ok(Array.isArray(res.result), `eth_getBlockReceipts(${JSON.stringify(param)}): ${JSON.stringify(res.error ?? res.result)}`);
      assert.deepEqual(res.result.map((r) => r.transactionHash), txs);
    }
  });

  await check("the WebSocket subscription delivered each Transfer live, in order", async () => {
    noUnhandled();
    const got = await waitFor(wsEvents, transfers.length, 15000, "Transfer events over WebSocket");
    for (let i = 0; i < transfers.length; i++) {
      assert.equal(got[i].log.transactionHash, transfers[i].hash);
      assert.deepEqual([got[i].from, got[i].to, got[i].value], [transfers[i].from, transfers[i].to, transfers[i].value]);
      assert.equal(got[i].log.topics[0], TRANSFER_TOPIC);
    }
    assert.ok(wsBlocks.length > 0, "newHeads delivered blocks");
  });

  await check("the HTTP filter (eth_newFilter, eth_getFilterChanges) delivered each Transfer, in order", async () => {
    noUnhandled();
    const got = await waitFor(httpEvents, transfers.length, 15000, "Transfer events through eth_getFilterChanges");
    assert.deepEqual(got.map((e) => e.log.transactionHash), transfers.map((t) => t.hash));
    assert.deepEqual(got.map((e) => [e.from, e.to, e.value]), transfers.map((t) => [t.from, t.to, t.value]));
    await provider.removeAllListeners();
  });

  await check("replacement: +10% fees accepted, less refused as underpriced, the replacement is mined", async () => {
    // A queued transaction (nonce gap) stays in the pool whatever the block period, so replacement is deterministic.
    const n = await provider.getTransactionCount(carol.address, "pending");
    const base = (await provider.getBlock("latest")).baseFeePerGas;
    const tip = 1_000_000_000n;
    const cap = (base * 2n + tip) * 100n; // a multiple of 100: +10% is exact
    const send = (maxFeePerGas, maxPriorityFeePerGas, value) =>
      carol.sendTransaction({ to: bob.address, value, nonce: n + 1, gasLimit: 21000n, maxFeePerGas, maxPriorityFeePerGas, type: 2 });
    const original = await send(cap, tip, 1n);
    await assert.rejects(send((cap * 105n) / 100n, (tip * 105n) / 100n, 2n), (e) => e.code === "REPLACEMENT_UNDERPRICED" && /replacement transaction underpriced/.test(JSON.stringify(e.info?.error)));
    await assert.rejects(send((cap * 110n) / 100n, tip, 2n), (e) => e.code === "REPLACEMENT_UNDERPRICED", "the tip must be bumped too");
    const replacement = await send((cap * 110n) / 100n, (tip * 110n) / 100n, 3n);
    // Legacy replacement follows the same rule on the gas price.
    const gasPrice = base * 2n * 100n + 100n * tip;
    const legacy = (price, value) => carol.sendTransaction({ to: bob.address, value, nonce: n + 2, gasLimit: 21000n, gasPrice: price, type: 0 });
    await legacy(gasPrice, 1n);
    await assert.rejects(legacy((gasPrice * 109n) / 100n, 2n), (e) => e.code === "REPLACEMENT_UNDERPRICED");
    const legacyReplacement = await legacy((gasPrice * 110n) / 100n, 3n);
    // Fill the gap: all three are mined, the replacements and not the originals.
    const filler = await carol.sendTransaction({ to: bob.address, value: 1n, nonce: n, gasLimit: 21000n });
    assert.equal((await filler.wait()).status, 1);
    assert.equal((await replacement.wait()).status, 1);
    assert.equal((await legacyReplacement.wait()).status, 1);
    assert.equal(await provider.getTransaction(original.hash), null, "the replaced transaction is gone");
    assert.equal(await provider.getTransactionReceipt(original.hash), null);
    assert.equal(await provider.getTransactionCount(carol.address), n + 3);
  });

  await check("the pool refuses transactions that together overdraw the sender (geth: overdraft)", async () => {
    // A fresh account with 1 ether; two queued transfers of 0.6 ether each are affordable one by one, not together.
    const poor = ethers.Wallet.createRandom().connect(provider);
    const fund = await wallet(8).sendTransaction({ to: poor.address, value: ethers.parseEther("1"), gasLimit: 21000n });
    assert.equal((await fund.wait()).status, 1);
    const { maxFeePerGas, maxPriorityFeePerGas } = await provider.getFeeData();
    const send = (nonce, value, bump = 100n) => poor.sendTransaction({ to: bob.address, value, nonce, gasLimit: 21000n, type: 2,
      maxFeePerGas: (maxFeePerGas * bump) / 100n, maxPriorityFeePerGas: (maxPriorityFeePerGas * bump) / 100n });
    const first = await send(1, ethers.parseEther("0.6"));
    await assert.rejects(send(2, ethers.parseEther("0.6")), (e) => /overdraft|insufficient funds/.test(JSON.stringify(e.info?.error ?? e.message)));
    // Replacing the first one with higher fees counts its new cost instead of adding to it: still affordable.
    const replacement = await send(1, ethers.parseEther("0.6"), 120n);
    const gap = await send(0, 1n);
    assert.equal((await gap.wait()).status, 1);
    assert.equal((await replacement.wait()).status, 1);
    assert.equal(await provider.getTransactionReceipt(first.hash), null);
    assert.equal(await provider.getTransactionCount(poor.address, "pending"), 2, "the overdrawing transaction never entered the pool");
  });

  await check("nonce too low, already known, insufficient funds", async () => {
    await assert.rejects(tokenOf().transfer(alice.address, 1n, { nonce: 0, gasLimit: TGAS }), (e) => e.code === "NONCE_EXPIRED");
    await assert.rejects(deployer.sendTransaction({ to: bob.address, value: 1n, nonce: 0, gasLimit: 21000n }), (e) => e.code === "NONCE_EXPIRED" && /nonce too low/.test(JSON.stringify(e.info?.error)));
    // A mined transaction sent again is nonce too low; the same pending one twice is already known.
    const mined = await provider.getTransaction(transfers[0].hash);
    const again = await rpc("eth_sendRawTransaction", [ethers.Transaction.from(mined).serialized]);
    assert.match(again.error?.message ?? "", /nonce too low/);
    const n = await provider.getTransactionCount(carol.address, "pending");
    const queued = await carol.signTransaction({ to: bob.address, value: 1n, nonce: n + 5, gasLimit: 21000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 10n ** 9n, chainId: 4242n, type: 2 });
    assert.ok((await rpc("eth_sendRawTransaction", [queued])).result);
    assert.match((await rpc("eth_sendRawTransaction", [queued])).error?.message ?? "", /already known/);
    const empty = ethers.Wallet.createRandom().connect(provider);
    await assert.rejects(empty.sendTransaction({ to: bob.address, value: 1n, gasLimit: 21000n }), (e) => e.code === "INSUFFICIENT_FUNDS");
  });

  await check("state handed to the restarted phase", async () => {
    state.head = await provider.getBlockNumber();
    state.balances = {};
    for (const w of [deployer, alice, bob, carol]) state.balances[w.address] = (await tokenOf().balanceOf(w.address)).toString();
    state.bobEth = (await provider.getBalance(bob.address, state.head)).toString();
    state.transfers = transfers.map((t) => ({ ...t, value: t.value.toString() }));
    const all = await tokenOf().queryFilter(tokenOf().filters.Transfer(), state.deployBlock, state.head);
    assert.equal(all.length, 1 + transfers.length);
    state.logs = all.map((e) => ({ transactionHash: e.transactionHash, index: e.index, blockHash: e.blockHash, blockNumber: e.blockNumber, data: e.data, topics: e.topics }));
  });
  fs.writeFileSync(stateFile, JSON.stringify(state));
  await wsProvider.destroy();
} else if (phase === "restarted") {
  const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
  assert.ok(saved.token, "the first phase deployed no token: nothing to check after the restart");
  const token = new ethers.Contract(saved.token, abi, deployer);

  await check("the chain continues from its head, code is there", async () => {
    assert.ok(await provider.getBlockNumber() >= saved.head, "head went back");
    assert.equal(await provider.getCode(saved.token), deployedBytecode);
    assert.equal((await provider.getTransactionReceipt(saved.deployHash)).contractAddress, saved.token);
  });

  await check("token and ether balances survived the restart", async () => {
    for (const [who, balance] of Object.entries(saved.balances)) {
      assert.equal((await token.balanceOf(who)).toString(), balance, `balance of ${who}`);
    }
    assert.equal(await token.totalSupply(), SUPPLY);
    assert.ok((await provider.getBalance(bob.address, saved.head)).toString() === saved.bobEth, "ether balance at the old head");
    assert.equal((await provider.getTransactionReceipt(saved.revertedHash)).status, 0);
  });

  await check("the Transfer logs survived the restart (eth_getLogs)", async () => {
    const all = await token.queryFilter(token.filters.Transfer(), saved.deployBlock, saved.head);
    assert.equal(all.length, saved.logs.length);
    for (let i = 0; i < all.length; i++) {
      assert.ok(sameLog(all[i], saved.logs[i]), `log ${i}: ${all[i].transactionHash}/${all[i].index} vs ${saved.logs[i].transactionHash}/${saved.logs[i].index}`);
      assert.equal(all[i].data, saved.logs[i].data);
      assert.deepEqual([...all[i].topics], saved.logs[i].topics);
    }
  });

  await check("after the restart: a new transfer, seen by eth_getLogs and a new WebSocket subscription", async () => {
    const wsProvider = new ethers.WebSocketProvider(wsUrl, undefined, { staticNetwork: true });
    try {
      const events = [];
      const live = new ethers.Contract(saved.token, abi, wsProvider);
      await live.on("Transfer", (from, to, value, ev) => events.push({ from, to, value, log: ev.log }));
      await wsProvider.send("eth_blockNumber", []);
      await new Promise((r) => setTimeout(r, 100));
      noUnhandled();
      const nonce = await provider.getTransactionCount(deployer.address);
      const tx = await token.transfer(carol.address, units(7), { gasLimit: TGAS });
      assert.equal(tx.nonce, nonce);
      const r = await tx.wait();
      assert.equal(r.status, 1);
      assert.equal(await token.balanceOf(carol.address), BigInt(saved.balances[carol.address]) + units(7));
      const [ev] = await waitFor(events, 1, 15000, "Transfer over WebSocket after the restart");
      assert.equal(ev.log.transactionHash, r.hash);
      assert.deepEqual([ev.from, ev.to, ev.value], [deployer.address, carol.address, units(7)]);
      const logs = await token.queryFilter(token.filters.Transfer(null, carol.address), saved.head + 1);
      assert.deepEqual(logs.map((e) => e.transactionHash), [r.hash]);
    } finally {
      await wsProvider.destroy();
    }
  });
} else {
  console.error(`unknown phase ${phase}`);
  process.exit(2);
}

console.log(JSON.stringify({ ok: failures.length === 0, phase, failed: failures }));
process.exit(failures.length === 0 ? 0 : 1);
