using System.Text;
using Cere.Chain.ValidatorKeys;
using Cere.Core;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary>Our scrypt against RFC 7914 §12's test vectors and, for many parameter sets, against BouncyCastle's implementation.</summary>
public class ScryptTests
{
    private static IEnumerable<TestCaseData> RfcVectors()
    {
        yield return new TestCaseData("", "", 16, 1, 1,
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
            .SetName("rfc7914_empty_N16_r1_p1");
        yield return new TestCaseData("password", "NaCl", 1024, 8, 16,
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
            .SetName("rfc7914_password_N1024_r8_p16");
        yield return new TestCaseData("pleaseletmein", "SodiumChloride", 16384, 8, 1,
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
            .SetName("rfc7914_pleaseletmein_N16384_r8_p1");
        yield return new TestCaseData("pleaseletmein", "SodiumChloride", 1048576, 8, 1,
            "2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa478e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4")
            .SetName("rfc7914_pleaseletmein_N1048576_r8_p1").SetCategory("Heavy");
    }

    [TestCaseSource(nameof(RfcVectors))]
    public void MatchesRfc7914(string password, string salt, int n, int r, int p, string expected)
    {
        byte[] dk = Scrypt.DeriveKey(Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), n, r, p, 64);
        Assert.That(Hex.Encode(dk, prefix: false), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Parameters()
    {
        foreach ((int n, int r, int p, int dkLen) in new[] { (2, 1, 1, 32), (4, 2, 3, 32), (256, 1, 2, 48), (1024, 3, 1, 32), (4096, 8, 6, 32), (8, 16, 1, 100) })
        {
            yield return new TestCaseData(n, r, p, dkLen).SetName($"N{n}_r{r}_p{p}_dk{dkLen}");
        }
    }

    [TestCaseSource(nameof(Parameters))]
    public void AgreesWithBouncyCastle(int n, int r, int p, int dkLen)
    {
        Random random = new(n * 31 + r * 7 + p);
        byte[] password = new byte[random.Next(0, 40)];
        byte[] salt = new byte[random.Next(1, 40)];
        random.NextBytes(password);
        random.NextBytes(salt);
        byte[] reference = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, dkLen);
        Assert.That(Scrypt.DeriveKey(password, salt, n, r, p, dkLen), Is.EqualTo(reference));
    }

    [TestCase(1, 1, 1, TestName = "n_one")]
    [TestCase(1000, 1, 1, TestName = "n_not_power_of_two")]
    [TestCase(16, 0, 1, TestName = "r_zero")]
    [TestCase(16, 1, 0, TestName = "p_zero")]
    public void InvalidParametersAreRejected(int n, int r, int p) =>
        Assert.Throws<ArgumentException>(() => Scrypt.DeriveKey([], [], n, r, p, 32));
}
