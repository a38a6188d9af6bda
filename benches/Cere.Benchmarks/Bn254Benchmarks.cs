using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;

namespace Cere.Benchmarks;

/// <summary>
/// The alt_bn128 precompiles 0x06 (ECADD), 0x07 (ECMUL) and 0x08 (ECPAIRING, two pairs = geth's "jeff1" shape):
/// ours (Montgomery 4×64 limbs) against the former BigInteger implementation (the baseline, kept in tests as the
/// differential-test reference). Each op is one precompile call on byte input, decoding and checks included.
/// </summary>
/// <remarks>Setup checks that both implementations give the same output for every input.</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Bn254Benchmarks
{
    private static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");

    private byte[] _add = [];
    private byte[] _mul = [];
    private byte[] _pairing = [];

    /// <summary>Builds the inputs from fixed scalars and cross-checks the two implementations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        byte[] g1 = [.. Be32(1), .. Be32(2)];
        BigInteger a = BigInteger.Parse("8821089427812471276237451287531982734189273891723981273891273891237");
        BigInteger b = BigInteger.Parse("3919827391827391827319827391827391823712983719283712983712983719281");
        BigInteger k = BigInteger.Parse("115792089237316195423570985008687907853269984665640564039457584007913129639935") / 3;
        byte[] aG = AltBn128.Mul([.. g1, .. Be32(a)])!;
        byte[] bG = AltBn128.Mul([.. g1, .. Be32(b)])!;
        byte[] minusAbG = AltBn128.Mul([.. g1, .. Be32(R - (a * b % R))])!;
        _add = [.. aG, .. bG];
        _mul = [.. aG, .. Be32(k)];

        if (!G2Affine.TryRead(G2Generator(), out G2Affine g2))
        {
            throw new InvalidOperationException("G2 generator rejected");
        }

        _pairing = [.. aG, .. G2Bytes(G2Jacobian.Multiply(g2, G2Limbs(b)).ToAffine()), .. minusAbG, .. G2Generator()];

        Check(AltBn128.Add(_add), Bn254Reference.Add(_add), "add");
        Check(AltBn128.Mul(_mul), Bn254Reference.Mul(_mul), "mul");
        Check(AltBn128.Pairing(_pairing), Bn254Reference.Pairing(_pairing), "pairing");
        if (AltBn128.Pairing(_pairing)![31] != 1)
        {
            throw new InvalidOperationException("the pairing input should check out");
        }
    }

    /// <summary>ECADD, ours.</summary>
    [Benchmark]
    [BenchmarkCategory("ecadd")]
    public byte[]? AddMontgomery() => AltBn128.Add(_add);

    /// <summary>ECADD, BigInteger baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ecadd")]
    public byte[]? AddBigInteger() => Bn254Reference.Add(_add);

    /// <summary>ECMUL by a full-width scalar, ours.</summary>
    [Benchmark]
    [BenchmarkCategory("ecmul")]
    public byte[]? MulMontgomery() => AltBn128.Mul(_mul);

    /// <summary>ECMUL, BigInteger baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ecmul")]
    public byte[]? MulBigInteger() => Bn254Reference.Mul(_mul);

    /// <summary>ECPAIRING over two pairs, ours.</summary>
    [Benchmark]
    [BenchmarkCategory("ecpairing-2")]
    public byte[]? PairingMontgomery() => AltBn128.Pairing(_pairing);

    /// <summary>ECPAIRING over two pairs, BigInteger baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ecpairing-2")]
    public byte[]? PairingBigInteger() => Bn254Reference.Pairing(_pairing);

    /// <summary>1,000 dependent base-field multiplications (Montgomery), to relate the precompile figures to Fp cost.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    [BenchmarkCategory("fp-mul")]
    public int FpMul()
    {
        Fp x = _x, y = _y;
        for (int i = 0; i < 1000; i++)
        {
            x = Fp.Mul(x, y);
        }

        return x.GetHashCode();
    }

    /// <summary>100 dependent base-field inversions (every affine conversion, e.g. each ECADD and ECMUL result, does one).</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    [BenchmarkCategory("fp-inverse")]
    public int FpInverse()
    {
        Fp x = _x;
        for (int i = 0; i < 100; i++)
        {
            x = Fp.Inverse(x) + _y;
        }

        return x.GetHashCode();
    }

    private Fp _x = Fp.FromUInt64(123456789), _y = Fp.FromUInt64(987654321);

    private static void Check(byte[]? ours, byte[]? reference, string what)
    {
        if (ours is null || reference is null || !ours.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException($"{what}: the implementations disagree");
        }
    }

    private static byte[] Be32(BigInteger v)
    {
        byte[] be = new byte[32];
        v.TryWriteBytes(be.AsSpan(32 - v.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        return be;
    }

    private static ulong[] G2Limbs(BigInteger v) => Bn254Constants.Limbs(v % R);

    private static byte[] G2Bytes(G2Affine q)
    {
        byte[] o = new byte[128];
        q.X.B.Write(o.AsSpan(0, 32));
        q.X.A.Write(o.AsSpan(32, 32));
        q.Y.B.Write(o.AsSpan(64, 32));
        q.Y.A.Write(o.AsSpan(96, 32));
        return o;
    }

    // The G2 generator of EIP-197 (x_im ‖ x_re ‖ y_im ‖ y_re).
    private static byte[] G2Generator() =>
    [
        .. Be32(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
        .. Be32(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
        .. Be32(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")),
        .. Be32(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
    ];
}
