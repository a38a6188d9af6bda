using Cere.P2P.Crypto;

namespace Cere.P2P.Tests.Identity;

/// <summary>
/// The key test vectors of libp2p/specs peer-ids/peer-ids.md ("Test vectors", commit 7740c07, l. 188 on): hex of the
/// protobuf PrivateKey/PublicKey. "Implementations SHOULD check that they can produce the provided public key from the
/// private key." The hex strings below are that table's, unchanged.
/// </summary>
[TestFixture]
public class PeerKeyVectorTests
{
    internal const string Ed25519Private = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    internal const string Ed25519Public = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    internal const string Secp256k1Private = "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";
    internal const string Secp256k1Public = "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
    internal const string EcdsaPublic = "0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004de3d300fa36ae0e8f5d530899d83abab44abf3161f162a4bc901d8e6ecda020e8b6d5f8da30525e71d6851510c098e5c47c646a597fb4dcec034e9f77c409e62";

    [TestCase(Ed25519Private, Ed25519Public, PeerKeyType.Ed25519)]
    [TestCase(Secp256k1Private, Secp256k1Public, PeerKeyType.Secp256k1)]
    public void PrivateKeyVectorProducesThePublicKeyVector(string privateHex, string publicHex, PeerKeyType type)
    {
        PeerPrivateKey key = PeerPrivateKey.Decode(Convert.FromHexString(privateHex));
        Assert.Multiple(() =>
        {
            Assert.That(key.Type, Is.EqualTo(type));
            Assert.That(Convert.ToHexStringLower(key.PublicKey.Encode()), Is.EqualTo(publicHex.ToLowerInvariant()));
            Assert.That(Convert.ToHexStringLower(key.Encode()), Is.EqualTo(privateHex.ToLowerInvariant()), "private key re-encodes byte for byte");
            Assert.That(PeerPublicKey.Decode(Convert.FromHexString(publicHex)), Is.EqualTo(key.PublicKey));
        });
    }

    [TestCase(Ed25519Private)]
    [TestCase(Secp256k1Private)]
    public void SignaturesVerifyOnlyForTheSignedMessage(string privateHex)
    {
        PeerPrivateKey key = PeerPrivateKey.Decode(Convert.FromHexString(privateHex));
        byte[] message = "noise-libp2p-static-key:abc"u8.ToArray();
        byte[] signature = key.Sign(message);
        Assert.That(key.PublicKey.Verify(message, signature), Is.True);
        message[^1] ^= 1;
        Assert.That(key.PublicKey.Verify(message, signature), Is.False);
        Assert.That(key.PublicKey.Verify(message, signature.AsSpan(0, signature.Length - 1)), Is.False, "a truncated signature is rejected, not thrown on");
    }

    [Test]
    public void UnsupportedKeyTypesGetAClearError()
    {
        Assert.That(() => PeerPublicKey.Decode(Convert.FromHexString(EcdsaPublic)),
            Throws.TypeOf<PeerKeyException>().With.Message.Contains("unsupported"));
    }

    [TestCase("")]
    [TestCase("08")]
    [TestCase("0801")]
    [TestCase("080112021ed1")]
    [TestCase("ffffffff")]
    public void MalformedPublicKeysThrowPeerKeyException(string hex) =>
        Assert.That(() => PeerPublicKey.Decode(Convert.FromHexString(hex)), Throws.TypeOf<PeerKeyException>());

    [Test]
    public void Ed25519PrivateKeyWithForeignPublicHalfIsRejected()
    {
        byte[] bytes = Convert.FromHexString(Ed25519Private);
        bytes[^1] ^= 1;
        Assert.That(() => PeerPrivateKey.Decode(bytes), Throws.TypeOf<PeerKeyException>().With.Message.Contains("does not match"));
    }
}
