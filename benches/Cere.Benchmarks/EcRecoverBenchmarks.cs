using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Core.Crypto;
using NBitcoin.Secp256k1;

namespace Cere.Benchmarks;

/// <summary>
/// ecrecover over the same 1,000 pre-signed (digest, signature) pairs: ours (<see cref="EcRecover"/>, libsecp256k1
/// shipped in the Secp256k1.Net package) against Debian's libsecp256k1 called directly (the baseline), and
/// NBitcoin.Secp256k1 (the managed port used before) for the record. Each benchmark op is one recovery.
/// </summary>
/// <remarks>Setup checks that all three recover the same 64-byte public key for every pair, so the figures compare equal work.</remarks>
[MemoryDiagnoser]
public class EcRecoverBenchmarks
{
    private const int Pairs = 1000;

    private readonly byte[] _output = new byte[65];
    private Hash256[] _digests = [];
    private EcdsaSignature[] _signatures = [];
    private byte[][] _rs = [];
    private LibSecp256k1Reference _reference = null!;

    /// <summary>Signs 1,000 random digests with 1,000 random keys (fixed seed) and cross-checks the three recoverers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _reference = new LibSecp256k1Reference();
        Console.WriteLine($"// reference: {_reference.Path}");
        var rng = new Random(1000);
        _digests = new Hash256[Pairs];
        _signatures = new EcdsaSignature[Pairs];
        _rs = new byte[Pairs][];
        byte[] buffer = new byte[32];
        for (int i = 0; i < Pairs; i++)
        {
            PrivateKey key;
            do
            {
                rng.NextBytes(buffer);
            }
            while (!Secp256k1Curve.IsValidScalar(new UInt256(buffer)));
            key = new PrivateKey(buffer);
            rng.NextBytes(buffer);
            _digests[i] = new Hash256(buffer);
            _signatures[i] = key.Sign(_digests[i]);
            _rs[i] = new byte[64];
            _signatures[i].WriteRs(_rs[i]);

            byte[] ours = new byte[64];
            byte[] reference = new byte[65];
            byte[] nbitcoin = new byte[65];
            if (!EcRecover.TryRecoverPublicKey(_digests[i].Bytes, _signatures[i], ours)
                || !_reference.TryRecover(_digests[i].Bytes, _rs[i], _signatures[i].RecoveryId, reference)
                || !RecoverNBitcoin(i, nbitcoin)
                || !ours.AsSpan().SequenceEqual(key.PublicKey)
                || !reference.AsSpan(1).SequenceEqual(ours)
                || !nbitcoin.AsSpan(1).SequenceEqual(ours))
            {
                throw new InvalidOperationException($"recoverers disagree on pair {i}");
            }
        }
    }

    /// <summary>Debian's libsecp256k1: parse + recover + serialize.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public int LibSecp256k1_C()
    {
        int ok = 0;
        for (int i = 0; i < Pairs; i++)
        {
            ok += _reference.TryRecover(_digests[i].Bytes, _rs[i], _signatures[i].RecoveryId, _output) ? 1 : 0;
        }

        return ok;
    }

    /// <summary>Ours: <see cref="EcRecover.TryRecoverPublicKey(ReadOnlySpan{byte}, in EcdsaSignature, Span{byte})"/>.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int Cere_EcRecover()
    {
        int ok = 0;
        Span<byte> publicKey = _output.AsSpan(0, 64);
        for (int i = 0; i < Pairs; i++)
        {
            ok += EcRecover.TryRecoverPublicKey(_digests[i].Bytes, _signatures[i], publicKey) ? 1 : 0;
        }

        return ok;
    }

    /// <summary>Ours, to the address (recovery + Keccak-256), as transaction sender recovery runs.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int Cere_EcRecoverAddress()
    {
        int ok = 0;
        for (int i = 0; i < Pairs; i++)
        {
            ok += EcRecover.TryRecoverAddress(_digests[i], _signatures[i], out _) ? 1 : 0;
        }

        return ok;
    }

    /// <summary>NBitcoin.Secp256k1 (managed port) with its shared precomputed context: option (a) at its best.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int NBitcoin_TryRecover()
    {
        int ok = 0;
        for (int i = 0; i < Pairs; i++)
        {
            ok += RecoverNBitcoin(i, _output) ? 1 : 0;
        }

        return ok;
    }

    private bool RecoverNBitcoin(int i, Span<byte> publicKey65)
    {
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(_rs[i], _signatures[i].RecoveryId, out SecpRecoverableECDSASignature? signature)
            || !ECPubKey.TryRecover(Context.Instance, signature, _digests[i].Bytes, out ECPubKey? publicKey))
        {
            return false;
        }

        publicKey.WriteToSpan(false, publicKey65, out _);
        return true;
    }
}
