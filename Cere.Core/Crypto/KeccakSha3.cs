namespace Cere.Core.Crypto;

/// <summary>
/// SHA3-256 (FIPS 202): the Keccak-256 sponge with the 0x06 padding. The node never uses it; it exists so that
/// the tests can check the shared sponge and permutation against the XKCP KAT and against OpenSSL.
/// </summary>
internal static class KeccakSha3
{
    /// <summary>SHA3-256 of <paramref name="input"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    internal static void Hash256(ReadOnlySpan<byte> input, Span<byte> output) =>
        KeccakSponge.Hash(input, output, KeccakSponge.Sha3Padding);
}
