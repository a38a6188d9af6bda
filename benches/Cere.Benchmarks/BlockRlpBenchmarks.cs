using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Crypto;
using Cere.Core.Transactions;

namespace Cere.Benchmarks;

/// <summary>
/// RLP encode and decode of a whole block of 200 signed transactions (a mix of legacy, EIP-2930 and EIP-1559,
/// 100-byte call data), against Nethereum's generic RLP decoder on the same bytes as the named reference.
/// </summary>
[MemoryDiagnoser]
public class BlockRlpBenchmarks
{
    private Block _block = null!;
    private byte[] _encoded = null!;

    /// <summary>Signs 200 transactions from 10 keys and builds the block once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Random rng = new(42);
        PrivateKey[] keys = new PrivateKey[10];
        for (int i = 0; i < keys.Length; i++)
        {
            byte[] k = new byte[32];
            rng.NextBytes(k);
            k[0] = 1;
            keys[i] = new PrivateKey(k);
        }

        Transaction[] txs = new Transaction[200];
        for (int i = 0; i < txs.Length; i++)
        {
            byte[] data = new byte[100];
            rng.NextBytes(data);
            byte[] to = new byte[20];
            rng.NextBytes(to);
            TxType type = (TxType)(i % 3);
            Transaction unsigned = new()
            {
                Type = type,
                ChainId = 4242,
                Nonce = (ulong)(i / 10),
                GasPrice = 2_000_000_000UL,
                MaxPriorityFeePerGas = type == TxType.DynamicFee ? 1_000_000_000UL : 2_000_000_000UL,
                MaxFeePerGas = 2_000_000_000UL,
                GasLimit = 60_000,
                To = new Address(to),
                Value = (ulong)rng.NextInt64(),
                Data = data,
                AccessList = type == TxType.Legacy ? [] : [new AccessListEntry(new Address(to), [Keccak256.Compute(data)])],
            };
            txs[i] = TransactionSigner.Sign(unsigned, keys[i % keys.Length]);
        }

        BlockHeader header = new()
        {
            Number = 1_000_000,
            GasLimit = 30_000_000,
            GasUsed = 12_000_000,
            Timestamp = 1_700_000_000,
            BaseFeePerGas = 1_000_000_000UL,
            WithdrawalsRoot = Hash256.EmptyTrieRoot,
            BlobGasUsed = 0,
            ExcessBlobGas = 0,
            ParentBeaconBlockRoot = Hash256.Zero,
        };
        _block = new Block(header, txs, [], []);
        _encoded = BlockCodec.Encode(_block);
    }

    /// <summary>Encodes the block (header, 200 transactions, empty ommers and withdrawals).</summary>
    [Benchmark]
    public byte[] Encode() => BlockCodec.Encode(_block);

    /// <summary>Decodes the block into typed objects (strict decoding; hashes of header and transactions computed from the input).</summary>
    [Benchmark]
    public Block Decode() => BlockCodec.Decode(_encoded);

    /// <summary>Reference: Nethereum's generic RLP decode of the same bytes into its element tree (no typing, no hashing).</summary>
    [Benchmark(Baseline = true)]
    public object NethereumGenericDecode() => Nethereum.RLP.RLP.Decode(_encoded);
}
