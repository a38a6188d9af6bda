using System.Security.Cryptography;
using Cere.P2P.Crypto;
using Cere.P2P.Noise;

namespace Cere.P2P.Tests.Crypto;

/// <summary>
/// The primitives Noise and peer keys use, against Wycheproof (../shared/vectors/p2p-crypto): X25519 and
/// ChaCha20-Poly1305 as the Noise handshake calls them, Ed25519 through our peer key, HKDF as Noise derives keys, HMAC.
/// </summary>
[TestFixture]
public class WycheproofTests
{
    private static IEnumerable<TestCaseData> X25519() => WycheproofVectors.Cases("x25519_test.json");
    private static IEnumerable<TestCaseData> ChaCha() => WycheproofVectors.Cases("chacha20_poly1305_test.json");
    private static IEnumerable<TestCaseData> Ed25519() => WycheproofVectors.Cases("ed25519_test.json");
    private static IEnumerable<TestCaseData> HkdfCases() => WycheproofVectors.Cases("hkdf_sha256_test.json");
    private static IEnumerable<TestCaseData> Hmac() => WycheproofVectors.Cases("hmac_sha256_test.json");

    [TestCase("x25519_test.json")]
    [TestCase("chacha20_poly1305_test.json")]
    [TestCase("ed25519_test.json")]
    [TestCase("hkdf_sha256_test.json")]
    [TestCase("hmac_sha256_test.json")]
    public void EveryDeclaredTestIsEnumerated(string file) =>
        Assert.That(WycheproofVectors.Load(file), Has.Count.EqualTo(WycheproofVectors.DeclaredCount(file)));

    [TestCaseSource(nameof(X25519))]
    public void X25519Agreement(WycheproofCase c)
    {
        byte[] shared = new byte[32];
        bool ok = NoiseHandshake.TryDh(c.Hex("private"), c.Hex("public"), shared);
        byte[] expected = c.Hex("shared");
        bool expectedZero = expected.AsSpan().IndexOfAnyExcept((byte)0) < 0;
        if (expectedZero)
        {
            // Our policy (RFC 7748 §6.1 allows it; Noise needs it): an all-zero secret is refused.
            Assert.That(ok, Is.False, "an all-zero shared secret must be refused");
            return;
        }

        // "acceptable" here covers non-canonical and twist points, whose RFC 7748 result is still defined.
        Assert.That(ok, Is.True);
        Assert.That(Convert.ToHexStringLower(shared), Is.EqualTo(Convert.ToHexStringLower(expected)));
    }

    [TestCaseSource(nameof(ChaCha))]
    public void ChaCha20Poly1305(WycheproofCase c)
    {
        byte[] key = c.Hex("key"), iv = c.Hex("iv"), aad = c.Hex("aad"), msg = c.Hex("msg"), ct = c.Hex("ct"), tag = c.Hex("tag");
        byte[] sealedMessage = [.. ct, .. tag];
        using ChaChaPoly cipher = new(key);
        byte[] plain = new byte[Math.Max(msg.Length, ct.Length)];
        bool opened;
        try
        {
            opened = cipher.TryDecrypt(iv, sealedMessage, aad, plain);
        }
        catch (CryptographicException) when (iv.Length != ChaChaPoly.NonceSize)
        {
            opened = false;
        }

        if (c.Result == "valid")
        {
            Assert.That(opened, Is.True);
            Assert.That(plain.AsSpan(0, msg.Length).ToArray(), Is.EqualTo(msg));
            byte[] produced = new byte[msg.Length + ChaChaPoly.TagSize];
            cipher.Encrypt(iv, msg, aad, produced);
            Assert.That(produced, Is.EqualTo(sealedMessage));
        }
        else
        {
            Assert.That(opened, Is.False, c.Test.GetProperty("comment").GetString());
        }
    }

    [TestCaseSource(nameof(Ed25519))]
    public void Ed25519Verify(WycheproofCase c)
    {
        byte[] pk = Convert.FromHexString(c.Group.GetProperty("publicKey").GetProperty("pk").GetString()!);
        bool verified;
        try
        {
            verified = new Ed25519PublicKey(pk).Verify(c.Hex("msg"), c.Hex("sig"));
        }
        catch (PeerKeyException)
        {
            verified = false;
        }

        Assert.That(verified, Is.EqualTo(c.Result == "valid"), c.Test.GetProperty("comment").GetString());
    }

    [TestCaseSource(nameof(HkdfCases))]
    public void HkdfSha256(WycheproofCase c)
    {
        int size = c.Test.GetProperty("size").GetInt32();
        byte[] output = new byte[size];
        if (c.Result == "invalid")
        {
            Assert.That(() => Hkdf.DeriveKey(c.Hex("ikm"), c.Hex("salt"), c.Hex("info"), output), Throws.ArgumentException);
            return;
        }

        Hkdf.DeriveKey(c.Hex("ikm"), c.Hex("salt"), c.Hex("info"), output);
        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(Convert.ToHexStringLower(c.Hex("okm"))));
    }

    [TestCaseSource(nameof(Hmac))]
    public void HmacSha256(WycheproofCase c)
    {
        byte[] tag = c.Hex("tag");
        byte[] full = HMACSHA256.HashData(c.Hex("key"), c.Hex("msg"));
        // Wycheproof truncates tags in some groups (tagSize bits); compare that prefix.
        bool equal = tag.Length <= full.Length && CryptographicOperations.FixedTimeEquals(full.AsSpan(0, tag.Length), tag);
        Assert.That(equal, Is.EqualTo(c.Result == "valid"), c.Test.GetProperty("comment").GetString());
    }
}
