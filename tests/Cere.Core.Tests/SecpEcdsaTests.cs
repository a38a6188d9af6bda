using Cere.Core.Crypto;

namespace Cere.Core.Tests;

/// <summary>
/// Plain ECDSA (<see cref="Secp256k1Ecdsa"/>), strict DER (<see cref="EcdsaDer"/>) and <see cref="PrivateKey"/>
/// input checks: the cases Wycheproof does not spell out for our API.
/// </summary>
public class SecpEcdsaTests
{
    private static readonly byte[] Hash = Keccak256.Compute("libp2p"u8).ToArray();

    [Test]
    public void SignDerVerifiesWithBothKeyForms()
    {
        var rng = new Random(1);
        for (int i = 0; i < 20; i++)
        {
            PrivateKey key = SecpSignRecoverTests.RandomKey(rng);
            byte[] hash = SecpSignRecoverTests.RandomDigest(rng).ToArray();
            byte[] der = Secp256k1Ecdsa.SignDer(key, hash);
            Assert.That(Secp256k1Ecdsa.VerifyDer(key.CompressedPublicKey, hash, der, requireLowS: true), Is.True);
            Assert.That(Secp256k1Ecdsa.VerifyDer(Uncompressed(key), hash, der, requireLowS: true), Is.True);

            byte[] rs = new byte[64];
            Assert.That(EcdsaDer.TryDecode(der, rs), Is.True);
            Assert.That(EcdsaDer.Encode(rs), Is.EqualTo(der));
            Assert.That(Secp256k1Ecdsa.VerifyCompact(key.CompressedPublicKey, hash, rs, requireLowS: true), Is.True);

            // The recoverable signer uses the same RFC 6979 nonce: same r and s.
            EcdsaSignature recoverable = key.Sign(hash);
            byte[] expected = new byte[64];
            recoverable.WriteRs(expected);
            Assert.That(rs, Is.EqualTo(expected));

            hash[0] ^= 1;
            Assert.That(Secp256k1Ecdsa.VerifyDer(key.CompressedPublicKey, hash, der, requireLowS: false), Is.False);
        }
    }

    [Test]
    public void HighSIsAcceptedOnlyWhenAllowed()
    {
        PrivateKey key = SecpSignRecoverTests.RandomKey(new Random(2));
        EcdsaSignature low = key.Sign(Hash);
        byte[] rs = new byte[64];
        new EcdsaSignature(low.R, Secp256k1Curve.NegateModOrder(low.S), 0).WriteRs(rs);
        byte[] der = EcdsaDer.Encode(rs);

        Assert.That(Secp256k1Ecdsa.VerifyCompact(key.CompressedPublicKey, Hash, rs, requireLowS: false), Is.True);
        Assert.That(Secp256k1Ecdsa.VerifyCompact(key.CompressedPublicKey, Hash, rs, requireLowS: true), Is.False);
        Assert.That(Secp256k1Ecdsa.VerifyDer(key.CompressedPublicKey, Hash, der, requireLowS: false), Is.True);
        Assert.That(Secp256k1Ecdsa.VerifyDer(key.CompressedPublicKey, Hash, der, requireLowS: true), Is.False);
    }

    [Test]
    public void MalformedPublicKeysAreRejected()
    {
        PrivateKey key = SecpSignRecoverTests.RandomKey(new Random(3));
        byte[] der = Secp256k1Ecdsa.SignDer(key, Hash);
        byte[] uncompressed = Uncompressed(key);

        // SEC1 hybrid form (0x06/0x07 ‖ X ‖ Y): libsecp256k1 would parse it, libp2p and Wycheproof do not use it.
        byte[] hybrid = (byte[])uncompressed.Clone();
        hybrid[0] = (byte)(0x06 | (uncompressed[64] & 1));
        Assert.That(Secp256k1Ecdsa.VerifyDer(hybrid, Hash, der, requireLowS: false), Is.False);

        byte[] offCurve = (byte[])uncompressed.Clone();
        offCurve[64] ^= 1;
        Assert.That(Secp256k1Ecdsa.VerifyDer(offCurve, Hash, der, requireLowS: false), Is.False);

        byte[] wrongPrefix = key.CompressedPublicKey;
        wrongPrefix[0] = 0x04;
        Assert.That(Secp256k1Ecdsa.VerifyDer(wrongPrefix, Hash, der, requireLowS: false), Is.False);
        Assert.That(Secp256k1Ecdsa.VerifyDer(key.PublicKey.ToArray(), Hash, der, requireLowS: false), Is.False, "64 bytes without prefix is not SEC1");
        Assert.That(Secp256k1Ecdsa.VerifyDer([], Hash, der, requireLowS: false), Is.False);
    }

    [TestCase("3006020101020101", true, TestName = "DER: minimal r = s = 1")]
    [TestCase("300702020001020101", false, TestName = "DER: r padded with a needless zero")]
    [TestCase("3006020181020101", false, TestName = "DER: negative r")]
    [TestCase("3006020002020101", false, TestName = "DER: empty r")]
    [TestCase("308106020101020101", false, TestName = "DER: long-form sequence length")]
    [TestCase("300702810101020101", false, TestName = "DER: long-form integer length")]
    [TestCase("300702010102010100", false, TestName = "DER: sequence length covers a trailing byte")]
    [TestCase("300602010102010100", false, TestName = "DER: byte after the sequence")]
    [TestCase("3106020101020101", false, TestName = "DER: SET instead of SEQUENCE")]
    [TestCase("3006030101020101", false, TestName = "DER: BIT STRING instead of INTEGER")]
    [TestCase("3003020101", false, TestName = "DER: s missing")]
    [TestCase("3080020101020101" + "0000", false, TestName = "DER: indefinite length")]
    [TestCase("", false, TestName = "DER: empty input")]
    public void DerDecodingIsStrict(string hex, bool accepted)
    {
        Assert.That(EcdsaDer.TryDecode(Convert.FromHexString(hex), new byte[64]), Is.EqualTo(accepted));
    }

    [Test]
    public void DerAcceptsThirtyThreeByteIntegersOnlyWithTheSignZero()
    {
        byte[] rs = new byte[64];
        rs[0] = 0x80;
        rs[63] = 1;
        byte[] der = EcdsaDer.Encode(rs);
        Assert.That(der[3], Is.EqualTo(33), "r with its top bit set gets a leading zero");
        byte[] back = new byte[64];
        Assert.That(EcdsaDer.TryDecode(der, back), Is.True);
        Assert.That(back, Is.EqualTo(rs));

        // 33 magnitude bytes (a value ≥ 2^256) cannot be r.
        byte[] tooBig = Convert.FromHexString("3026022101" + new string('0', 64) + "020101");
        tooBig[1] = (byte)(tooBig.Length - 2);
        Assert.That(EcdsaDer.TryDecode(tooBig, back), Is.False);
    }

    [Test]
    public void RandomBytesNeverThrowAndNeverVerify()
    {
        var rng = new Random(17);
        PrivateKey key = SecpSignRecoverTests.RandomKey(rng);
        byte[] valid = Secp256k1Ecdsa.SignDer(key, Hash);
        for (int i = 0; i < 3000; i++)
        {
            byte[] garbage;
            if (i % 2 == 0)
            {
                garbage = new byte[rng.Next(0, 80)];
                rng.NextBytes(garbage);
            }
            else
            {
                // A valid signature with one byte changed: exercises every branch of the parser.
                garbage = (byte[])valid.Clone();
                garbage[rng.Next(garbage.Length)] ^= (byte)rng.Next(1, 256);
            }

            bool ok = true;
            Assert.DoesNotThrow(() => ok = Secp256k1Ecdsa.VerifyDer(key.CompressedPublicKey, Hash, garbage, requireLowS: false));
            Assert.That(ok, Is.False);
            Assert.DoesNotThrow(() => Secp256k1Ecdsa.VerifyCompact(garbage, Hash, garbage, requireLowS: false));
        }
    }

    [Test]
    public void DerDecoderAgreesWithLibsecp256k1OnMutatedSignatures()
    {
        // Differential check against libsecp256k1's own strict parser (secp256k1_ecdsa_signature_parse_der), which
        // accepts out-of-range and negative integers as r or s = 0 instead of failing; compared at the level that
        // matters: "a signature with 1 ≤ r, s < n" and its value.
        using var library = new Secp256k1Net.Secp256k1();
        var rng = new Random(66);
        byte[] valid = Secp256k1Ecdsa.SignDer(SecpSignRecoverTests.RandomKey(rng), Hash);
        byte[] ours = new byte[64];
        byte[] native = new byte[64];
        byte[] theirs = new byte[64];
        int agreedValid = 0;
        for (int i = 0; i < 10000; i++)
        {
            byte[] der = Mutate(valid, rng);
            bool ourValid = EcdsaDer.TryDecode(der, ours)
                && Secp256k1Curve.IsValidScalar(new UInt256(ours.AsSpan(0, 32)))
                && Secp256k1Curve.IsValidScalar(new UInt256(ours.AsSpan(32)));
            bool theirValid = library.EcdsaSignatureParseDer(native, der)
                && library.EcdsaSignatureSerializeCompact(theirs, native)
                && theirs.AsSpan(0, 32).ContainsAnyExcept((byte)0)
                && theirs.AsSpan(32).ContainsAnyExcept((byte)0);
            // Plain ifs, not Assert.That per iteration: NUnit's constraint machinery would dominate the run time.
            if (ourValid != theirValid)
            {
                Assert.Fail($"DER decoders disagree on {Convert.ToHexString(der)}: ours {ourValid}, libsecp256k1 {theirValid}");
            }

            if (ourValid)
            {
                if (!ours.AsSpan().SequenceEqual(theirs))
                {
                    Assert.Fail($"different r, s from {Convert.ToHexString(der)}");
                }

                agreedValid++;
            }
        }

        Assert.That(agreedValid, Is.GreaterThan(100), "the mutations should leave some signatures valid");
    }

    private static byte[] Mutate(byte[] valid, Random rng)
    {
        var bytes = new List<byte>(valid);
        int edits = rng.Next(0, 3);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(bytes.Count);
            switch (rng.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: bytes[at] = (byte)rng.Next(256); break;
                case 2: bytes.Insert(at, (byte)rng.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                case 4: bytes.Insert(at, 0); break;
                default: bytes[at] = (byte)(bytes[at] + (rng.Next(2) == 0 ? 1 : -1)); break;
            }

            if (bytes.Count == 0)
            {
                break;
            }
        }

        return [.. bytes];
    }

    [Test]
    public void WrongHashLengthIsACallerError()
    {
        PrivateKey key = SecpSignRecoverTests.RandomKey(new Random(4));
        byte[] der = Secp256k1Ecdsa.SignDer(key, Hash);
        Assert.Throws<ArgumentException>(() => Secp256k1Ecdsa.VerifyDer(key.CompressedPublicKey, new byte[31], der, false));
        Assert.Throws<ArgumentException>(() => Secp256k1Ecdsa.SignDer(key, new byte[33]));
        Assert.Throws<ArgumentException>(() => key.Sign(new byte[20]));
    }

    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", TestName = "PrivateKey: zero")]
    [TestCase("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", TestName = "PrivateKey: n")]
    [TestCase("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142", TestName = "PrivateKey: n + 1")]
    [TestCase("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", TestName = "PrivateKey: 2^256 - 1")]
    [TestCase("01", TestName = "PrivateKey: one byte")]
    [TestCase("000000000000000000000000000000000000000000000000000000000000000001", TestName = "PrivateKey: 33 bytes")]
    public void OutOfRangePrivateKeysAreRejected(string hex)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new PrivateKey(Convert.FromHexString(hex)));
        Assert.That(e!.ParamName, Is.EqualTo("key32"));
    }

    [Test]
    public void PrivateKeyEdgesOfTheRangeWork()
    {
        // k = 1 gives the generator G (SEC 2 §2.4.1); k = n − 1 gives −G (same x, y negated).
        var one = new PrivateKey(Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001"));
        var minusOne = new PrivateKey(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"));
        Assert.That(Convert.ToHexString(one.CompressedPublicKey), Is.EqualTo("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
        Assert.That(Convert.ToHexString(one.PublicKey[32..]), Is.EqualTo("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"));
        Assert.That(Convert.ToHexString(minusOne.CompressedPublicKey), Is.EqualTo("0379BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
        Assert.That(EcRecover.TryRecoverAddress(new Hash256(Hash), minusOne.Sign(new Hash256(Hash)), out Address a), Is.True);
        Assert.That(a, Is.EqualTo(minusOne.Address));
    }

    [Test]
    public void GeneratedKeysAreValidAndDistinct()
    {
        PrivateKey a = PrivateKey.Generate();
        PrivateKey b = PrivateKey.Generate();
        Assert.That(a.ToArray(), Is.Not.EqualTo(b.ToArray()));
        Assert.That(new PrivateKey(a.ToArray()).Address, Is.EqualTo(a.Address));
        Assert.That(a.ToString(), Does.Not.Contain(Convert.ToHexString(a.ToArray()).ToLowerInvariant()));
    }

    [Test]
    public void CompressedKeyIsParityAndX()
    {
        PrivateKey key = SecpSignRecoverTests.RandomKey(new Random(6));
        byte[] compressed = key.CompressedPublicKey;
        Assert.That(compressed[0], Is.EqualTo(0x02 | (key.PublicKey[63] & 1)));
        Assert.That(compressed.AsSpan(1).SequenceEqual(key.PublicKey[..32]), Is.True);
        compressed[1] ^= 0xff;
        Assert.That(key.CompressedPublicKey[1], Is.Not.EqualTo(compressed[1]), "the property hands out copies");
    }

    private static byte[] Uncompressed(PrivateKey key) => [0x04, .. key.PublicKey];
}
