using Cere.Core.Crypto;

namespace Cere.Core.Tests;

/// <summary>Address parsing and EIP-55 checksums (the examples of EIP-55 itself).</summary>
public class AddressTests
{
    [TestCase("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [TestCase("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [TestCase("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [TestCase("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void ChecksumMatchesEip55(string text)
    {
        Address a = Address.Parse(text.ToLowerInvariant());
        Assert.That(a.ToChecksumString(), Is.EqualTo(text));
        Assert.That(Address.Parse(text), Is.EqualTo(a));
    }

    [Test]
    public void WrongChecksumIsRejected()
    {
        bool ok = Address.TryParse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", out _, out string? error);
        Assert.That(ok, Is.False);
        Assert.That(error, Does.Contain("checksum"));
    }

    [Test]
    public void KeccakOfEmptyIsTheEmptyCodeHash()
    {
        Assert.That(Keccak256.Compute([]), Is.EqualTo(Hash256.EmptyKeccak));
        Assert.That(Keccak256.Compute([0x80]), Is.EqualTo(Hash256.EmptyTrieRoot));
        Assert.That(Keccak256.Compute([0xc0]), Is.EqualTo(Hash256.EmptyListHash));
    }
}
