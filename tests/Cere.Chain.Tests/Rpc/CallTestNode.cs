using System.Text;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Dev;
using Cere.Chain.Execution;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// A dev chain with the EVM, its pool and sealer, and the eth_* modules behind the JSON-RPC processor, plus the
/// solc-compiled CallTarget contract (Rpc/Solidity/CallTarget.json) and helpers to deploy it and mine transactions.
/// </summary>
internal sealed class CallTestNode
{
    private readonly JsonRpcProcessor _rpc;
    private readonly DevSealer _sealer;

    public CallTestNode()
    {
        Chain = DevChainFixture.Open();
        Pool = new TransactionPool(4242);
        RpcMethodRegistry methods = new();
        ChainReader reader = new(Chain);
        NetModule.Register(methods, 4242);
        EthFeeModule.Register(methods, reader);
        EthStateModule.Register(methods, reader, Pool);
        EthBlockModule.Register(methods, reader, Pool);
        EthSendModule.Register(methods, Chain, Pool);
        EthCallModule.Register(methods, reader);
        EthProofModule.Register(methods, reader);
        _rpc = new JsonRpcProcessor(methods, new RpcLimits());
        _sealer = new DevSealer(Chain, Pool, new BlockBuilder(Chain, new EvmExecutor()), TimeSpan.FromSeconds(1), Coinbase, TextWriter.Null);
    }

    /// <summary>The sealer's fee recipient.</summary>
    public static readonly Address Coinbase = Address.Parse("0x00000000000000000000000000000000c0ffee00");

    /// <summary>The funded test key used to send transactions.</summary>
    public static PrivateKey Key => DevChainFixture.Keys[0];

    public Blockchain Chain { get; }

    public TransactionPool Pool { get; }

    /// <summary>CallTarget.json as committed.</summary>
    public static JsonElement Artefact { get; } = LoadArtefact();

    /// <summary>Sends a request and returns the whole response object.</summary>
    public JsonElement Call(string method, string paramsJson)
    {
        string body = $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        byte[] response = _rpc.Process(Encoding.UTF8.GetBytes(body), RpcCallContext.Http)!;
        return JsonDocument.Parse(response).RootElement.Clone();
    }

    /// <summary>The result member (fails the test on an error).</summary>
    public JsonElement Result(string method, string paramsJson)
    {
        JsonElement r = Call(method, paramsJson);
        Assert.That(r.TryGetProperty("error", out JsonElement e), Is.False, () => $"{method} failed: {e}");
        return r.GetProperty("result");
    }

    /// <summary>The error member (fails the test when the call succeeded).</summary>
    public JsonElement Error(string method, string paramsJson)
    {
        JsonElement r = Call(method, paramsJson);
        Assert.That(r.TryGetProperty("error", out JsonElement e), Is.True, () => $"{method} succeeded: {r}");
        return e;
    }

    /// <summary>Signs an EIP-1559 transaction from <see cref="Key"/> with the next nonce.</summary>
    public Transaction Sign(Address? to, byte[] data, ulong gas, UInt256 value = default, AccessListEntry[]? accessList = null)
    {
        ulong nonce = Pool.PendingNonce(Key.Address, Chain.OpenState(Chain.Head.StateRoot).GetNonce(Key.Address));
        return TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = 4242,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(1_000_000_000UL),
            MaxFeePerGas = new UInt256(10_000_000_000UL),
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
            AccessList = accessList ?? [],
        }, Key);
    }

    /// <summary>Adds <paramref name="tx"/> to the pool, seals a block and returns the receipt JSON.</summary>
    public JsonElement Mine(Transaction tx)
    {
        Pool.Add(tx, Chain.OpenState(Chain.Head.StateRoot));
        _sealer.SealOnce();
        return Result("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]");
    }

    /// <summary>Deploys CallTarget and returns its address.</summary>
    public Address Deploy()
    {
        JsonElement receipt = Mine(Sign(null, Hex.Decode(Artefact.GetProperty("bytecode").GetString()!), 1_000_000));
        Assert.That(receipt.GetProperty("status").GetString(), Is.EqualTo("0x1"));
        return Address.Parse(receipt.GetProperty("contractAddress").GetString()!);
    }

    /// <summary>A call object as JSON.</summary>
    public static string CallObject(Address? to, byte[] data, string extra = "", Address? from = null) =>
        "{" + (to is Address t ? $"\"to\":\"{t}\"," : "") + $"\"from\":\"{from ?? Key.Address}\",\"input\":\"{Hex.Encode(data)}\"" + (extra.Length > 0 ? "," + extra : "") + "}";

    private static JsonElement LoadArtefact()
    {
        string path = VectorFiles.RepositoryFile("tests", "Cere.Chain.Tests", "Rpc", "Solidity", "CallTarget.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    }
}

/// <summary>ABI call data, with selectors hashed by Nethereum's Keccak (independent of ours).</summary>
internal static class Abi
{
    /// <summary>selector(signature) followed by the 32-byte words.</summary>
    public static byte[] Call(string signature, params UInt256[] words)
    {
        byte[] data = new byte[4 + (32 * words.Length)];
        Selector(signature).CopyTo(data, 0);
        for (int i = 0; i < words.Length; i++)
        {
            words[i].WriteBigEndian(data.AsSpan(4 + (32 * i), 32));
        }

        return data;
    }

    /// <summary>An address as a word.</summary>
    public static UInt256 Word(Address a) => new(a.Bytes);

    /// <summary>selector(signature) with one dynamic string argument.</summary>
    public static byte[] CallWithString(string signature, string s)
    {
        byte[] text = Encoding.UTF8.GetBytes(s);
        int padded = (text.Length + 31) / 32 * 32;
        byte[] data = new byte[4 + 64 + padded];
        Selector(signature).CopyTo(data, 0);
        new UInt256(32).WriteBigEndian(data.AsSpan(4, 32));
        new UInt256((ulong)text.Length).WriteBigEndian(data.AsSpan(36, 32));
        text.CopyTo(data, 68);
        return data;
    }

    public static byte[] Selector(string signature) =>
        Nethereum.Util.Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(signature))[..4];

    /// <summary>The storage slot of mapping slot <paramref name="mappingSlot"/> at <paramref name="key"/>: keccak(key . slot).</summary>
    public static UInt256 MappingSlot(UInt256 key, ulong mappingSlot)
    {
        byte[] preimage = new byte[64];
        key.WriteBigEndian(preimage.AsSpan(0, 32));
        new UInt256(mappingSlot).WriteBigEndian(preimage.AsSpan(32, 32));
        return new UInt256(Nethereum.Util.Sha3Keccack.Current.CalculateHash(preimage));
    }

    /// <summary>32-byte hex of a word.</summary>
    public static string Hex32(UInt256 v)
    {
        byte[] b = new byte[32];
        v.WriteBigEndian(b);
        return Hex.Encode(b);
    }
}
