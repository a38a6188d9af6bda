namespace Cere.Core.Crypto;

/// <summary>
/// Incremental Keccak-256: feed a message in pieces with <see cref="Update"/>, then take the digest with
/// <see cref="Finish()"/>. A mutable struct (pass it by <c>ref</c>); <c>default</c> is a fresh hasher.
/// </summary>
/// <remarks>
/// Whole rate blocks are absorbed straight from the caller's span; only a partial block is kept, so hashing
/// an RLP item or a trie node written in parts costs no concatenation.
/// </remarks>
public struct KeccakHasher
{
    private KeccakState _state;
    private KeccakBlockBuffer _buffer;
    private int _buffered;

    // False for Keccak-256 so that default(KeccakHasher) is a valid Keccak-256 hasher.
    private bool _sha3;

    /// <summary>A fresh Keccak-256 hasher (the same as <c>default</c>).</summary>
    public KeccakHasher()
    {
    }

    /// <summary>A fresh SHA3-256 hasher (padding 0x06); for the tests, which check the shared sponge with it.</summary>
    internal static KeccakHasher CreateSha3() => new() { _sha3 = true };

    /// <summary>Absorbs the next piece of the message.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        if (_buffered > 0)
        {
            Span<byte> buffer = _buffer;
            int take = Math.Min(KeccakSponge.Rate - _buffered, data.Length);
            data[..take].CopyTo(buffer[_buffered..]);
            _buffered += take;
            data = data[take..];
            if (_buffered < KeccakSponge.Rate)
            {
                return;
            }

            KeccakSponge.AbsorbBlock(ref _state, buffer);
            KeccakF1600.Permute(ref _state);
            _buffered = 0;
        }

        while (data.Length >= KeccakSponge.Rate)
        {
            KeccakSponge.AbsorbBlock(ref _state, data);
            KeccakF1600.Permute(ref _state);
            data = data[KeccakSponge.Rate..];
        }

        if (!data.IsEmpty)
        {
            data.CopyTo(_buffer);
            _buffered = data.Length;
        }
    }

    /// <summary>Writes the digest of everything absorbed to the first 32 bytes of <paramref name="output"/>, then resets.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than 32 bytes (the hasher is left unchanged).</exception>
    public void Finish(Span<byte> output)
    {
        if (output.Length < KeccakSponge.DigestSize)
        {
            throw new ArgumentException($"output must hold {KeccakSponge.DigestSize} bytes, got {output.Length}", nameof(output));
        }

        ReadOnlySpan<byte> buffer = _buffer;
        KeccakSponge.AbsorbLast(ref _state, buffer[.._buffered], _sha3 ? KeccakSponge.Sha3Padding : KeccakSponge.KeccakPadding);
        KeccakF1600.Permute(ref _state);
        KeccakSponge.Squeeze(ref _state, output);
        Reset();
    }

    /// <summary>The digest of everything absorbed; the hasher is reset afterwards.</summary>
    public Hash256 Finish()
    {
        Span<byte> h = stackalloc byte[KeccakSponge.DigestSize];
        Finish(h);
        return new Hash256(h);
    }

    /// <summary>Forgets everything absorbed, ready for a new message (of the same kind: Keccak-256 or SHA3-256).</summary>
    public void Reset()
    {
        _state = default;
        _buffered = 0;
    }
}
