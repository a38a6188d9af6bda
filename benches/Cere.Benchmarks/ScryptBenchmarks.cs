using BenchmarkDotNet.Attributes;
using Cere.Chain.ValidatorKeys;

namespace Cere.Benchmarks;

/// <summary>
/// Keystore key derivation: our scrypt (Cere.Chain.ValidatorKeys.Scrypt) against BouncyCastle's SCrypt, the reference,
/// at geth's light cost (N=4096, r=8, p=6, as <c>key generate --light</c>) and at N=2^14, r=8, p=1 (16 MiB).
/// Not a hot path: a node derives once per start; this checks that owning the code costs nothing against the library.
/// </summary>
[MemoryDiagnoser]
public class ScryptBenchmarks
{
    private readonly byte[] _password = "correct horse battery staple"u8.ToArray();
    private readonly byte[] _salt = new byte[32];

    /// <summary>N, r, p.</summary>
    [Params("4096-8-6", "16384-8-1")]
    public string Cost { get; set; } = "4096-8-6";

    private (int N, int R, int P) Parsed
    {
        get
        {
            string[] parts = Cost.Split('-');
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Ours.</summary>
    [Benchmark]
    public byte[] Ours()
    {
        (int n, int r, int p) = Parsed;
        return Scrypt.DeriveKey(_password, _salt, n, r, p, 32);
    }

    /// <summary>BouncyCastle 2.7.0.</summary>
    [Benchmark(Baseline = true)]
    public byte[] BouncyCastle()
    {
        (int n, int r, int p) = Parsed;
        return Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(_password, _salt, n, r, p, 32);
    }
}
