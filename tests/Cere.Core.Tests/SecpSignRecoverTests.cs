using System.Numerics;
using Cere.Core.Crypto;
using Nethereum.Signer;

namespace Cere.Core.Tests;

/// <summary>
/// Recoverable signatures: sign → recover round trips, low s, RFC 6979 determinism checked against an independent
/// implementation (Nethereum, BouncyCastle's deterministic ECDSA), and the rejection rules of <see cref="EcRecover"/>.
/// </summary>
public class SecpSignRecoverTests
{
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void CurveConstantsAreSec2()
    {
        Assert.That(Secp256k1Curve.Order.ToBigInteger(), Is.EqualTo(N));
        Assert.That(Secp256k1Curve.HalfOrder.ToBigInteger(), Is.EqualTo(N / 2));
        Assert.That(Secp256k1Curve.NegateModOrder(UInt256.One).ToBigInteger(), Is.EqualTo(N - 1));
        var rng = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            UInt256 s = RandomScalar(rng);
            Assert.That(Secp256k1Curve.NegateModOrder(s).ToBigInteger(), Is.EqualTo(N - s.ToBigInteger()));
        }
    }

    [Test]
    public void SignThenRecoverGivesTheSignerForRandomKeysAndDigests()
    {
        var rng = new Random(20261125);
        Span<byte> recovered = stackalloc byte[64];
        Span<byte> rs = stackalloc byte[64];
        for (int i = 0; i < 200; i++)
        {
            PrivateKey key = RandomKey(rng);
            Hash256 digest = RandomDigest(rng);
            EcdsaSignature sig = key.Sign(digest);

            Assert.That(sig.IsLowS, Is.True, "EIP-2: s must be in the low half");
            Assert.That(sig.HasValidRange, Is.True);
            Assert.That(sig.RecoveryId, Is.LessThanOrEqualTo(1));

            Assert.That(EcRecover.TryRecoverAddress(digest, sig, out Address address), Is.True);
            Assert.That(address, Is.EqualTo(key.Address));
            Assert.That(EcRecover.TryRecoverPublicKey(digest.Bytes, sig, recovered), Is.True);
            Assert.That(recovered.SequenceEqual(key.PublicKey), Is.True);

            sig.WriteRs(rs);
            recovered.Clear();
            Assert.That(EcRecover.TryRecoverPublicKey(digest.Bytes, rs, sig.RecoveryId, recovered), Is.True);
            Assert.That(recovered.SequenceEqual(key.PublicKey), Is.True);
        }
    }

    [Test]
    public void SignaturesMatchNethereumsRfc6979Signer()
    {
        // Nethereum signs with BouncyCastle's ECDSA and an HMAC-SHA256 (RFC 6979) nonce, then makes s low: an
        // implementation independent of libsecp256k1. Same key and digest must give the same r, s and v.
        var rng = new Random(6979);
        for (int i = 0; i < 16; i++)
        {
            byte[] keyBytes = RandomKey(rng).ToArray();
            Hash256 digest = RandomDigest(rng);
            var theirKey = new EthECKey(keyBytes, true);
            EthECDSASignature theirs = theirKey.SignAndCalculateV(digest.ToArray());

            EcdsaSignature ours = new PrivateKey(keyBytes).Sign(digest);
            Assert.That(ours.R, Is.EqualTo(Unsigned(theirs.R)), $"r, case {i}");
            Assert.That(ours.S, Is.EqualTo(Unsigned(theirs.S)), $"s, case {i}");
            Assert.That(ours.RecoveryId + 27, Is.EqualTo(theirs.V[0]), $"v, case {i}");
            Assert.That(new PrivateKey(keyBytes).Address, Is.EqualTo(Address.Parse(theirKey.GetPublicAddress())));
        }
    }

    [Test]
    public void SigningIsDeterministic()
    {
        var rng = new Random(3);
        PrivateKey key = RandomKey(rng);
        Hash256 digest = RandomDigest(rng);
        EcdsaSignature first = key.Sign(digest);
        Assert.That(key.Sign(digest), Is.EqualTo(first));
        Assert.That(new PrivateKey(key.ToArray()).Sign(digest), Is.EqualTo(first));
        Assert.That(key.Sign(RandomDigest(rng)).R, Is.Not.EqualTo(first.R));
    }

    [Test]
    public void HighSTwinRecoversTheSameSigner()
    {
        // The ECRECOVER precompile does not apply EIP-2, so (r, n − s, v ^ 1) must recover the same key.
        var rng = new Random(11);
        for (int i = 0; i < 20; i++)
        {
            PrivateKey key = RandomKey(rng);
            Hash256 digest = RandomDigest(rng);
            EcdsaSignature low = key.Sign(digest);
            var high = new EcdsaSignature(low.R, Secp256k1Curve.NegateModOrder(low.S), (byte)(low.RecoveryId ^ 1));
            Assert.That(high.IsLowS, Is.False);
            Assert.That(high.ToLowS(), Is.EqualTo(low));
            Assert.That(EcRecover.TryRecoverAddress(digest, high, out Address address), Is.True);
            Assert.That(address, Is.EqualTo(key.Address));
        }
    }

    [Test]
    public void TamperedSignatureOrDigestDoesNotRecoverTheSigner()
    {
        var rng = new Random(99);
        for (int i = 0; i < 50; i++)
        {
            PrivateKey key = RandomKey(rng);
            Hash256 digest = RandomDigest(rng);
            byte[] compact = key.Sign(digest).ToCompact();
            int bit = rng.Next(64 * 8);

            byte[] tampered = (byte[])compact.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            AssertNotSigner(digest, EcdsaSignature.FromCompact(tampered), key.Address);

            byte[] otherDigest = digest.ToArray();
            otherDigest[rng.Next(32)] ^= (byte)(1 << rng.Next(8));
            AssertNotSigner(new Hash256(otherDigest), EcdsaSignature.FromCompact(compact), key.Address);

            tampered = (byte[])compact.Clone();
            tampered[64] ^= 1;
            AssertNotSigner(digest, EcdsaSignature.FromCompact(tampered), key.Address);
        }
    }

    [TestCase("0", "1", TestName = "r = 0")]
    [TestCase("1", "0", TestName = "s = 0")]
    [TestCase("n", "1", TestName = "r = n")]
    [TestCase("1", "n", TestName = "s = n")]
    [TestCase("n+1", "1", TestName = "r = n + 1")]
    [TestCase("1", "max", TestName = "s = 2^256 - 1")]
    [TestCase("max", "max", TestName = "r = s = 2^256 - 1")]
    public void OutOfRangeRAndSAreRejected(string r, string s)
    {
        var sig = new EcdsaSignature(Value(r), Value(s), 0);
        Assert.That(sig.HasValidRange, Is.False);
        Hash256 digest = Keccak256.Compute([1, 2, 3]);
        for (byte v = 0; v < 2; v++)
        {
            Assert.That(EcRecover.TryRecoverAddress(digest, new EcdsaSignature(sig.R, sig.S, v), out Address address), Is.False);
            Assert.That(address, Is.EqualTo(Address.Zero));
        }

        byte[] rs = new byte[64];
        sig.WriteRs(rs);
        Assert.That(EcRecover.TryRecoverPublicKey(digest.Bytes, rs, 0, new byte[64]), Is.False);
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(27)]
    [TestCase(28)]
    [TestCase(255)]
    public void RecoveryIdsOtherThanZeroAndOneAreRejected(int recoveryId)
    {
        var rng = new Random(recoveryId);
        PrivateKey key = RandomKey(rng);
        Hash256 digest = RandomDigest(rng);
        EcdsaSignature sig = key.Sign(digest);
        var bad = new EcdsaSignature(sig.R, sig.S, (byte)recoveryId);
        Assert.That(EcRecover.TryRecoverAddress(digest, bad, out _), Is.False);
        byte[] rs = new byte[64];
        sig.WriteRs(rs);
        Assert.That(EcRecover.TryRecoverPublicKey(digest.Bytes, rs, recoveryId, new byte[64]), Is.False);
        Assert.That(EcRecover.TryRecoverPublicKey(digest.Bytes, rs, -1, new byte[64]), Is.False);
    }

    [Test]
    public void RNotAnXCoordinateOnTheCurveIsRejected()
    {
        // x = 5 has no point on y² = x³ + 7 (12 is not a quadratic residue mod p), so no recovery id can work.
        var sig = new EcdsaSignature(new UInt256(5), new UInt256(1), 0);
        Assert.That(EcRecover.TryRecoverAddress(Keccak256.Compute([]), sig, out _), Is.False);
        Assert.That(EcRecover.TryRecoverAddress(Keccak256.Compute([]), new EcdsaSignature(sig.R, sig.S, 1), out _), Is.False);
    }

    [Test]
    public void RecoveryThatLandsOnThePointAtInfinityIsRejected()
    {
        // state/stTransactionTest/PointAtInfinityECRecover.json: r = x(G), recovery id 0 (R = G, whose y is even),
        // s = z. Then Q = r⁻¹(s·R − z·G) = r⁻¹(z·G − z·G) is the point at infinity: no public key, no address.
        UInt256 gx = new(Convert.FromHexString("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"));
        byte[] z = Convert.FromHexString("6b8d2c81b11b2d699528dde488dbdf2f94293d0d33c32e347f255fa4a6c1f0a9");
        Assert.That(EcRecover.TryRecoverAddress(new Hash256(z), new EcdsaSignature(gx, new UInt256(z), 0), out _), Is.False);

        // The same shape for random digests; with recovery id 1 (R = −G) the sum is −2z·G, an ordinary point.
        var rng = new Random(0);
        for (int i = 0; i < 20; i++)
        {
            Hash256 digest = RandomDigest(rng);
            var s = new UInt256(digest.Bytes);
            if (!Secp256k1Curve.IsValidScalar(s))
            {
                continue;
            }

            Assert.That(EcRecover.TryRecoverAddress(digest, new EcdsaSignature(gx, s, 0), out _), Is.False);
            Assert.That(EcRecover.TryRecoverAddress(digest, new EcdsaSignature(gx, s, 1), out _), Is.True);
        }
    }

    [Test]
    public void GarbageNeverThrows()
    {
        var rng = new Random(404);
        byte[] blob = new byte[65];
        byte[] publicKey = new byte[64];
        for (int i = 0; i < 2000; i++)
        {
            rng.NextBytes(blob);

            // Half of the cases get small values so that the range checks pass and the curve code sees garbage.
            if (i % 2 == 0)
            {
                blob[0] &= 0x7f;
                blob[32] &= 0x7f;
            }

            blob[64] = (byte)(i % 3 == 0 ? rng.Next(256) : rng.Next(2));
            var sig = EcdsaSignature.FromCompact(blob);
            Hash256 digest = RandomDigest(rng);
            Assert.DoesNotThrow(() => EcRecover.TryRecoverAddress(digest, sig, out _));
            Assert.DoesNotThrow(() => EcRecover.TryRecoverPublicKey(digest.Bytes, blob.AsSpan(0, 64), blob[64], publicKey));
        }
    }

    [Test]
    public void RecoveryIsThreadSafe()
    {
        var rng = new Random(5);
        var cases = new (PrivateKey Key, Hash256 Digest, EcdsaSignature Sig)[64];
        for (int i = 0; i < cases.Length; i++)
        {
            PrivateKey key = RandomKey(rng);
            Hash256 digest = RandomDigest(rng);
            cases[i] = (key, digest, key.Sign(digest));
        }

        int wrong = 0;
        Parallel.For(0, 1024, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var c = cases[i % cases.Length];
            if (!EcRecover.TryRecoverAddress(c.Digest, c.Sig, out Address a) || a != c.Key.Address || c.Key.Sign(c.Digest) != c.Sig)
            {
                Interlocked.Increment(ref wrong);
            }
        });
        Assert.That(wrong, Is.Zero);
    }

    [Test]
    public void CompactFormRoundTripsAndChecksItsLength()
    {
        var rng = new Random(8);
        EcdsaSignature sig = RandomKey(rng).Sign(RandomDigest(rng));
        byte[] compact = sig.ToCompact();
        Assert.That(compact, Has.Length.EqualTo(65));
        Assert.That(EcdsaSignature.FromCompact(compact), Is.EqualTo(sig));
        Assert.That(sig.ToString(), Is.EqualTo(Hex.Encode(compact)));
        Assert.Throws<ArgumentException>(() => EcdsaSignature.FromCompact(new byte[64]));
        Assert.Throws<ArgumentException>(() => sig.WriteCompact(new byte[64]));
    }

    [Test]
    public void LowSBoundaryIsHalfTheOrder()
    {
        UInt256 half = Secp256k1Curve.HalfOrder;
        Assert.That(new EcdsaSignature(UInt256.One, half, 0).IsLowS, Is.True);
        Assert.That(new EcdsaSignature(UInt256.One, UInt256.FromBigInteger(N / 2 + 1), 0).IsLowS, Is.False);
    }

    [Test]
    public void WrongBufferLengthsAreCallerErrors()
    {
        var rng = new Random(9);
        EcdsaSignature sig = RandomKey(rng).Sign(RandomDigest(rng));
        Assert.Throws<ArgumentException>(() => EcRecover.TryRecoverPublicKey(new byte[31], sig, new byte[64]));
        Assert.Throws<ArgumentException>(() => EcRecover.TryRecoverPublicKey(new byte[32], sig, new byte[65]));
        Assert.Throws<ArgumentException>(() => EcRecover.TryRecoverPublicKey(new byte[32], new byte[63], 0, new byte[64]));
    }

    internal static PrivateKey RandomKey(Random rng)
    {
        byte[] bytes = new byte[32];
        while (true)
        {
            rng.NextBytes(bytes);
            if (Secp256k1Curve.IsValidScalar(new UInt256(bytes)))
            {
                return new PrivateKey(bytes);
            }
        }
    }

    internal static Hash256 RandomDigest(Random rng)
    {
        byte[] bytes = new byte[32];
        rng.NextBytes(bytes);
        return new Hash256(bytes);
    }

    private static UInt256 RandomScalar(Random rng)
    {
        byte[] bytes = new byte[32];
        do
        {
            rng.NextBytes(bytes);
        }
        while (!Secp256k1Curve.IsValidScalar(new UInt256(bytes)));
        return new UInt256(bytes);
    }

    private static void AssertNotSigner(Hash256 digest, EcdsaSignature sig, Address signer)
    {
        bool ok = EcRecover.TryRecoverAddress(digest, sig, out Address recovered);
        Assert.That(!ok || recovered != signer, Is.True, $"a tampered input still recovered the signer ({sig})");
    }

    private static UInt256 Value(string name) => name switch
    {
        "n" => Secp256k1Curve.Order,
        "n+1" => UInt256.FromBigInteger(N + 1),
        "max" => UInt256.MaxValue,
        _ => UInt256.FromBigInteger(BigInteger.Parse(name, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static UInt256 Unsigned(byte[] bigEndian)
    {
        int start = 0;
        while (bigEndian.Length - start > 32 && bigEndian[start] == 0)
        {
            start++;
        }

        return new UInt256(bigEndian.AsSpan(start));
    }
}
