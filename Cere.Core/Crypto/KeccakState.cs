using System.Runtime.CompilerServices;

namespace Cere.Core.Crypto;

/// <summary>The 1600-bit Keccak state: 25 lanes of 64 bits, lane (x, y) at index x + 5y (FIPS 202, section 3.1.2).</summary>
[InlineArray(Lanes)]
internal struct KeccakState
{
    /// <summary>The number of 64-bit lanes.</summary>
    internal const int Lanes = 25;

    private ulong _lane0;
}

/// <summary>Room for one partially filled rate block of the incremental hasher.</summary>
[InlineArray(KeccakSponge.Rate)]
internal struct KeccakBlockBuffer
{
    private byte _byte0;
}
