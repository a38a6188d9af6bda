using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cere.Core;
using Cere.Core.Rlp;
using Nethereum.RLP;
using NethereumRlp = Nethereum.RLP.RLP;

namespace Cere.Benchmarks;

/// <summary>
/// Raw RLP reader/writer speed on a list of 200 legacy-transaction-shaped items
/// [nonce, gasPrice, gasLimit, to, value, data (100 bytes), v, r, s], against Nethereum.RLP.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RlpBenchmarks
{
    private const int Count = 200;

    private LegacyTxShape[] _txs = [];
    private byte[] _encoded = [];

    /// <summary>Builds the items (deterministic) and their encoding.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Random rng = new(42);
        _txs = new LegacyTxShape[Count];
        for (int i = 0; i < Count; i++)
        {
            byte[] to = new byte[20];
            byte[] data = new byte[100];
            byte[] r = new byte[32];
            byte[] s = new byte[32];
            rng.NextBytes(to);
            rng.NextBytes(data);
            rng.NextBytes(r);
            rng.NextBytes(s);
            r[0] |= 1;
            s[0] |= 1;
            _txs[i] = new LegacyTxShape(
                Nonce: (ulong)i * 7,
                GasPrice: new UInt256(20_000_000_000UL + (ulong)rng.Next()),
                GasLimit: 21_000UL + (ulong)rng.Next(1_000_000),
                To: new Address(to),
                Value: new UInt256((ulong)rng.NextInt64(), (ulong)rng.Next(1000)),
                Data: data,
                V: 37 + (ulong)(i & 1),
                R: new UInt256(r),
                S: new UInt256(s));
        }

        _encoded = EncodeCere();
        if (!_encoded.AsSpan().SequenceEqual(EncodeNethereum()))
        {
            throw new InvalidOperationException("Cere and Nethereum encodings differ; the comparison would be meaningless");
        }

        if (DecodeCere() != DecodeNethereum())
        {
            throw new InvalidOperationException("Cere and Nethereum decodings differ");
        }
    }

    /// <summary>Cere: lengths first, one exact allocation, one pass of RlpWriter.</summary>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public byte[] EncodeCere()
    {
        int payload = 0;
        foreach (LegacyTxShape tx in _txs)
        {
            payload += Rlp.LengthOfList(tx.PayloadLength());
        }

        byte[] result = new byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        foreach (LegacyTxShape tx in _txs)
        {
            w.WriteListHeader(tx.PayloadLength());
            w.WriteUInt64(tx.Nonce);
            w.WriteUInt256(tx.GasPrice);
            w.WriteUInt64(tx.GasLimit);
            w.WriteOptionalAddress(tx.To);
            w.WriteUInt256(tx.Value);
            w.WriteBytes(tx.Data);
            w.WriteUInt64(tx.V);
            w.WriteUInt256(tx.R);
            w.WriteUInt256(tx.S);
        }

        return result;
    }

    /// <summary>Nethereum: the same fields through its number conversions and EncodeElement/EncodeList.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public byte[] EncodeNethereum()
    {
        byte[][] items = new byte[Count][];
        for (int i = 0; i < items.Length; i++)
        {
            LegacyTxShape tx = _txs[i];
            items[i] = NethereumRlp.EncodeList(
                NethereumRlp.EncodeElement(new BigInteger(tx.Nonce).ToBytesForRLPEncoding()),
                NethereumRlp.EncodeElement(tx.GasPrice.ToBigInteger().ToBytesForRLPEncoding()),
                NethereumRlp.EncodeElement(new BigInteger(tx.GasLimit).ToBytesForRLPEncoding()),
                NethereumRlp.EncodeElement(tx.To!.Value.ToArray()),
                NethereumRlp.EncodeElement(tx.Value.ToBigInteger().ToBytesForRLPEncoding()),
                NethereumRlp.EncodeElement(tx.Data),
                NethereumRlp.EncodeElement(new BigInteger(tx.V).ToBytesForRLPEncoding()),
                NethereumRlp.EncodeElement(tx.R.ToBigInteger().ToBytesForRLPEncoding()),
                NethereumRlp.EncodeElement(tx.S.ToBigInteger().ToBytesForRLPEncoding()));
        }

        return NethereumRlp.EncodeList(items);
    }

    /// <summary>Cere: strict typed decode of every field (data stays a view of the input); returns a checksum.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public ulong DecodeCere()
    {
        ulong checksum = 0;
        RlpReader r = new(_encoded);
        int end = r.ReadListHeader();
        while (r.HasItemsBefore(end))
        {
            int txEnd = r.ReadListHeader();
            checksum += r.ReadUInt64();
            checksum += r.ReadUInt256().U0;
            checksum += r.ReadUInt64();
            checksum += (ulong)r.ReadOptionalAddress()!.Value.Bytes[0];
            checksum += r.ReadUInt256().U0;
            checksum += (ulong)r.ReadBytes().Length;
            checksum += r.ReadUInt64();
            checksum += r.ReadUInt256().U0;
            checksum += r.ReadUInt256().U0;
            r.EnsureAt(txEnd);
        }

        r.EnsureAt(end);
        r.EnsureFinished();
        return checksum;
    }

    /// <summary>Nethereum: generic decode to its element tree, then the same field conversions.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public ulong DecodeNethereum()
    {
        ulong checksum = 0;
        RLPCollection outer = (RLPCollection)NethereumRlp.Decode(_encoded);
        foreach (IRLPElement element in outer)
        {
            RLPCollection tx = (RLPCollection)element;
            checksum += (ulong)tx[0].RLPData.ToBigIntegerFromRLPDecoded();
            checksum += (ulong)(tx[1].RLPData.ToBigIntegerFromRLPDecoded() & ulong.MaxValue);
            checksum += (ulong)tx[2].RLPData.ToBigIntegerFromRLPDecoded();
            checksum += (ulong)new Address(tx[3].RLPData).Bytes[0];
            checksum += (ulong)(tx[4].RLPData.ToBigIntegerFromRLPDecoded() & ulong.MaxValue);
            checksum += (ulong)tx[5].RLPData.Length;
            checksum += (ulong)tx[6].RLPData.ToBigIntegerFromRLPDecoded();
            checksum += (ulong)(tx[7].RLPData.ToBigIntegerFromRLPDecoded() & ulong.MaxValue);
            checksum += (ulong)(tx[8].RLPData.ToBigIntegerFromRLPDecoded() & ulong.MaxValue);
        }

        return checksum;
    }

    /// <summary>The fields of a legacy transaction, as values.</summary>
    private sealed record LegacyTxShape(
        ulong Nonce, UInt256 GasPrice, ulong GasLimit, Address? To, UInt256 Value, byte[] Data, ulong V, UInt256 R, UInt256 S)
    {
        public int PayloadLength() =>
            Rlp.LengthOf(Nonce) + Rlp.LengthOf(GasPrice) + Rlp.LengthOf(GasLimit) + Rlp.LengthOfOptionalAddress(To)
            + Rlp.LengthOf(Value) + Rlp.LengthOfBytes(Data) + Rlp.LengthOf(V) + Rlp.LengthOf(R) + Rlp.LengthOf(S);
    }
}
