using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cere.Core;

namespace Cere.Benchmarks;

/// <summary>
/// UInt256 against System.Numerics.BigInteger (the reference, reduced mod 2^256 where the EVM wraps), each category
/// over the same 256 pseudo-random operand pairs; figures are per operation.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class UInt256Benchmarks
{
    private const int N = 256;

    private static readonly BigInteger Two256 = BigInteger.One << 256;
    private static readonly BigInteger Mask256 = Two256 - 1;

    private readonly UInt256[] _a = new UInt256[N];
    private readonly UInt256[] _b = new UInt256[N];
    private readonly UInt256[] _half = new UInt256[N];
    private readonly UInt256[] _word = new UInt256[N];
    private readonly UInt256[] _m = new UInt256[N];
    private readonly UInt256[] _e = new UInt256[N];
    private readonly BigInteger[] _ba = new BigInteger[N];
    private readonly BigInteger[] _bb = new BigInteger[N];
    private readonly BigInteger[] _bhalf = new BigInteger[N];
    private readonly BigInteger[] _bword = new BigInteger[N];
    private readonly BigInteger[] _bm = new BigInteger[N];
    private readonly BigInteger[] _be = new BigInteger[N];

    /// <summary>Full-width operands, 128-bit-ish divisors, one-word divisors, moduli with the top bit set, 64-bit exponents.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Random random = new(42);
        for (int i = 0; i < N; i++)
        {
            _a[i] = Next(random);
            _b[i] = Next(random);
            _half[i] = Next(random) >> (64 + random.Next(96));
            _word[i] = new UInt256((ulong)random.NextInt64() | 1);
            _m[i] = Next(random) | new UInt256(0, 0, 0, 1UL << 63);
            _e[i] = new UInt256((ulong)random.NextInt64());
            _ba[i] = _a[i].ToBigInteger();
            _bb[i] = _b[i].ToBigInteger();
            _bhalf[i] = _half[i].ToBigInteger();
            _bword[i] = _word[i].ToBigInteger();
            _bm[i] = _m[i].ToBigInteger();
            _be[i] = _e[i].ToBigInteger();
        }
    }

    private static UInt256 Next(Random random) =>
        new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());

    /// <summary>BigInteger a + b mod 2^256.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("Add")]
    public BigInteger Add_BigInteger()
    {
        BigInteger acc = default;
        for (int i = 0; i < N; i++)
        {
            acc = (_ba[i] + _bb[i]) & Mask256;
        }

        return acc;
    }

    /// <summary>UInt256.Add.</summary>
    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("Add")]
    public UInt256 Add_UInt256()
    {
        UInt256 acc = default;
        for (int i = 0; i < N; i++)
        {
            UInt256.Add(_a[i], _b[i], out UInt256 r);
            acc ^= r;
        }

        return acc;
    }

    /// <summary>BigInteger a · b mod 2^256.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("Multiply")]
    public BigInteger Multiply_BigInteger()
    {
        BigInteger acc = default;
        for (int i = 0; i < N; i++)
        {
            acc = (_ba[i] * _bb[i]) & Mask256;
        }

        return acc;
    }

    /// <summary>UInt256.Multiply.</summary>
    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("Multiply")]
    public UInt256 Multiply_UInt256()
    {
        UInt256 acc = default;
        for (int i = 0; i < N; i++)
        {
            UInt256.Multiply(_a[i], _b[i], out UInt256 r);
            acc ^= r;
        }

        return acc;
    }

    /// <summary>BigInteger 256-bit / 65..160-bit.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("Divide256")]
    public BigInteger Divide256_BigInteger()
    {
        BigInteger acc = default;
        for (int i = 0; i < N; i++)
        {
            acc = _ba[i] / _bhalf[i];
        }

        return acc;
    }

    /// <summary>UInt256.Divide, multi-word divisor.</summary>
    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("Divide256")]
    public UInt256 Divide256_UInt256()
    {
        UInt256 acc = default;
        for (int i = 0; i < N; i++)
        {
            UInt256.Divide(_a[i], _half[i], out UInt256 r);
            acc ^= r;
        }

        return acc;
    }

    /// <summary>BigInteger 256-bit / 64-bit.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("Divide64")]
    public BigInteger Divide64_BigInteger()
    {
        BigInteger acc = default;
        for (int i = 0; i < N; i++)
        {
            acc = _ba[i] / _bword[i];
        }

        return acc;
    }

    /// <summary>UInt256.Divide, one-word divisor.</summary>
    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("Divide64")]
    public UInt256 Divide64_UInt256()
    {
        UInt256 acc = default;
        for (int i = 0; i < N; i++)
        {
            UInt256.Divide(_a[i], _word[i], out UInt256 r);
            acc ^= r;
        }

        return acc;
    }

    /// <summary>BigInteger a · b mod m.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("MulMod")]
    public BigInteger MulMod_BigInteger()
    {
        BigInteger acc = default;
        for (int i = 0; i < N; i++)
        {
            acc = _ba[i] * _bb[i] % _bm[i];
        }

        return acc;
    }

    /// <summary>UInt256.MulMod (512-bit intermediate).</summary>
    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("MulMod")]
    public UInt256 MulMod_UInt256()
    {
        UInt256 acc = default;
        for (int i = 0; i < N; i++)
        {
            UInt256.MulMod(_a[i], _b[i], _m[i], out UInt256 r);
            acc ^= r;
        }

        return acc;
    }

    /// <summary>BigInteger.ModPow(b, e, 2^256), 64-bit exponents.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("Exp")]
    public BigInteger Exp_BigInteger()
    {
        BigInteger acc = default;
        for (int i = 0; i < N; i++)
        {
            acc = BigInteger.ModPow(_ba[i], _be[i], Two256);
        }

        return acc;
    }

    /// <summary>UInt256.Exp, 64-bit exponents.</summary>
    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("Exp")]
    public UInt256 Exp_UInt256()
    {
        UInt256 acc = default;
        for (int i = 0; i < N; i++)
        {
            UInt256.Exp(_a[i], _e[i], out UInt256 r);
            acc ^= r;
        }

        return acc;
    }
}
