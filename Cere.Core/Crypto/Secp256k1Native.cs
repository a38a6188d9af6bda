using Secp256k1Net;

namespace Cere.Core.Crypto;

/// <summary>The one libsecp256k1 context of the process (the C library shipped inside the Secp256k1.Net package).</summary>
/// <remarks>
/// Creating a context builds its signing tables, which costs far more than a signature, so it is made once.
/// libsecp256k1 documents every function that takes a <c>const secp256k1_context*</c> (parse, serialize, sign,
/// verify, recover) as safe to call from many threads on one context; nothing here randomizes or destroys it.
/// </remarks>
internal static class Secp256k1Native
{
    /// <summary>Size of libsecp256k1's opaque in-memory public key.</summary>
    public const int PublicKeySize = 64;

    /// <summary>Size of libsecp256k1's opaque in-memory plain signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>Size of libsecp256k1's opaque in-memory recoverable signature.</summary>
    public const int RecoverableSignatureSize = 65;

    /// <summary>The shared context (process lifetime; never disposed).</summary>
    public static readonly Secp256k1 Context = new();

    /// <summary>Serializes an opaque public key as 64 bytes X‖Y (SEC1 uncompressed without its 0x04 prefix).</summary>
    public static bool TrySerializeXY(ReadOnlySpan<byte> nativePublicKey, Span<byte> publicKey64)
    {
        Span<byte> uncompressed = stackalloc byte[65];
        nuint length = 65;
        if (!Context.EcPubkeySerialize(uncompressed, ref length, nativePublicKey, Secp256k1EcFlags.Uncompressed) || length != 65)
        {
            return false;
        }

        uncompressed[1..].CopyTo(publicKey64);
        return true;
    }
}
