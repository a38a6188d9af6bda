namespace Cere.Core.Crypto;

/// <summary>Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06).</summary>
public static class Keccak256
{
    /// <summary>The digest length in bytes.</summary>
    public const int HashSize = KeccakSponge.DigestSize;

    /// <summary>Hashes <paramref name="input"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output) =>
        KeccakSponge.Hash(input, output, KeccakSponge.KeccakPadding);

    /// <summary>Keccak-256 of <paramref name="input"/>.</summary>
    public static Hash256 Compute(ReadOnlySpan<byte> input)
    {
        Span<byte> h = stackalloc byte[HashSize];
        KeccakSponge.Hash(input, h, KeccakSponge.KeccakPadding);
        return new Hash256(h);
    }
}
