namespace Cere.P2P.Crypto;

/// <summary>The libp2p key types (peer-ids.md "Keys": the <c>KeyType</c> enum values).</summary>
public enum PeerKeyType
{
    /// <summary>RSA (decoding only; we neither create nor verify RSA keys).</summary>
    Rsa = 0,

    /// <summary>Ed25519: 32-byte public key, 64-byte private key (seed then public key).</summary>
    Ed25519 = 1,

    /// <summary>secp256k1: 33-byte compressed public key, 32-byte private key, DER ECDSA over SHA-256.</summary>
    Secp256k1 = 2,

    /// <summary>ECDSA over P-256 etc. (decoding only).</summary>
    Ecdsa = 3,
}
