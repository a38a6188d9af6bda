using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Cere.Chain.Blocks;
using Cere.Chain.Logs;
using Cere.Chain.Node;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.Db;

namespace Cere.Benchmarks;

/// <summary>
/// eth_getLogs' search over a 2,000-block dev chain (one log-emitting transaction per block, topics drawn from 256
/// values): through the per-block log index, through header blooms only (a database without the index), and the
/// reference every indexer avoids: decode every block's receipts and test every log.
/// </summary>
[MemoryDiagnoser]
public class LogSearchBenchmarks
{
    private const int Blocks = 2000;
    private Blockchain _indexed = null!;
    private Blockchain _bloomOnly = null!;
    private DevNode _nodeA = null!;
    private DevNode _nodeB = null!;
    private LogFilter _rareTopic = null!;
    private LogFilter _oneAddress = null!;

    /// <summary>Which filter the search runs.</summary>
    [Params("rare-topic", "all-of-one-address")]
    public string Filter { get; set; } = "rare-topic";

    [GlobalSetup]
    public void Setup()
    {
        (_nodeA, Address emitter) = Build();
        (_nodeB, _) = Build();
        _indexed = _nodeA.Chain;
        _bloomOnly = _nodeB.Chain;
        Span<byte> key = stackalloc byte[9];
        key[0] = (byte)'l';
        for (ulong n = 0; n <= _bloomOnly.Head.Number; n++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], n);
            _bloomOnly.Db.Delete(DbColumn.Indexes, key);
        }

        _rareTopic = new LogFilter([], [null, [Topic(7)]]);
        _oneAddress = new LogFilter([emitter], []);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nodeA.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _nodeB.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private LogFilter Current => Filter == "rare-topic" ? _rareTopic : _oneAddress;

    [Benchmark(Description = "log index")]
    public int Indexed()
    {
        List<MatchedLog> found = [];
        new LogSearch(_indexed).Find(Current, 0, _indexed.Head.Number, int.MaxValue, found);
        return found.Count;
    }

    [Benchmark(Description = "header blooms only")]
    public int BloomOnly()
    {
        List<MatchedLog> found = [];
        new LogSearch(_bloomOnly).Find(Current, 0, _bloomOnly.Head.Number, int.MaxValue, found);
        return found.Count;
    }

    [Benchmark(Baseline = true, Description = "reference: every block's receipts")]
    public int ScanAllReceipts()
    {
        List<MatchedLog> found = [];
        LogFilter filter = Current;
        for (ulong n = 0; n <= _indexed.Head.Number; n++)
        {
            Hash256 hash = _indexed.Blocks.ReadCanonicalHash(n)!.Value;
            Core.Blocks.Block block = _indexed.Blocks.ReadBlock(hash)!;
            Receipt[] receipts = _indexed.Blocks.ReadReceipts(hash)!;
            LogSearch.Collect(filter, block, receipts, found);
        }

        return found.Count;
    }

    private static Hash256 Topic(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    // Deterministic chain: an emitter of LOG2 (topics from calldata), then one call per block.
    private static (DevNode Node, Address Emitter) Build()
    {
        DevNode node = DevNode.Create(new NodeOptions { DataDir = "unused", RpcPort = 0, DevPeriodSeconds = 3600 }, new MemoryStore(), TextWriter.Null);
        PrivateKey key = Chain.Dev.DevAccounts.Derive(Chain.Dev.DevAccounts.TestMnemonic)[0];
        byte[] runtime = [0x60, 0x40, 0x36, 0x03, 0x60, 0x40, 0x60, 0x00, 0x37, 0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x60, 0x40, 0x36, 0x03, 0x60, 0x00, 0xa2, 0x00];
        byte[] init = [0x60, (byte)runtime.Length, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, (byte)runtime.Length, 0x60, 0x00, 0xf3, .. runtime];
        Address emitter = ContractAddress.From(key.Address, 0);
        Submit(node, key, 0, null, init);
        node.SealOnce();
        Random rng = new(1);
        for (ulong n = 1; n < Blocks; n++)
        {
            byte[] data = new byte[64 + 32];
            Topic(rng.Next(4)).CopyTo(data);          // topic 0: one of four "event signatures"
            Topic(rng.Next(256)).CopyTo(data.AsSpan(32)); // topic 1: one of 256 values (topic 7 is rare)
            Submit(node, key, n, emitter, data);
            node.SealOnce();
        }

        return (node, emitter);
    }

    private static void Submit(DevNode node, PrivateKey key, ulong nonce, Address? to, byte[] data)
    {
        Transaction tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = node.Chain.Spec.ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(1_000_000_000UL),
            MaxFeePerGas = new UInt256(10_000_000_000UL),
            GasPrice = new UInt256(10_000_000_000UL),
            GasLimit = 200_000,
            To = to,
            Data = data,
        }, key);
        node.Pool.Add(tx, node.Chain.OpenState(node.Chain.Head.StateRoot));
    }
}
