namespace Cere.Chain.ValidatorKeys;

/// <summary>The scrypt cost parameters of a new keystore (N = CPU/memory cost, r = block size, p = parallelism).</summary>
/// <remarks>Memory is 128 × N × r bytes; time grows with N × r × p.</remarks>
public readonly record struct ScryptParameters(int N, int R, int P)
{
    /// <summary>geth's StandardScryptN/P (N = 2^18, r = 8, p = 1): 256 MiB and about a second per derivation.</summary>
    public static ScryptParameters Standard => new(1 << 18, 8, 1);

    /// <summary>geth's LightScryptN/P (N = 2^12, r = 8, p = 6), for <c>--light</c>: 4 MiB, a few milliseconds.</summary>
    public static ScryptParameters Light => new(1 << 12, 8, 6);
}
