using System.Text;
using System.Text.Json;
using Cere.Core.Crypto;
using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>
/// ethereum/tests <c>BasicTests/keyaddrtest.json</c>: seed → key (brain wallet: key = Keccak-256(seed)) → address.
/// </summary>
/// <remarks>
/// The entries' <c>sig_of_emptystring</c> (decimal r, s; v = 27/28) is not checked: over Keccak-256(""), SHA-256(""),
/// double SHA-256, SHA3-256, zero and the Bitcoin/Ethereum signed-message digests it recovers some other address,
/// for either recovery id; other clients skip it too (Nethermind marks it "test values seem wrong"). Ethereum
/// signatures are proved instead by the transaction vectors, the Nethereum cross-check and Wycheproof.
/// </remarks>
public class KeyAddrTests
{
    public static IEnumerable<TestCaseData> Entries()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("basic", "keyaddrtest.json")));
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
        {
            string seed = e.GetProperty("seed").GetString()!;
            yield return new TestCaseData(seed, e.GetProperty("key").GetString()!, e.GetProperty("addr").GetString()!)
                .SetName($"keyaddrtest:{seed}");
        }
    }

    [TestCaseSource(nameof(Entries))]
    public void KeyGivesAddress(string seed, string key, string addr)
    {
        var privateKey = new PrivateKey(Convert.FromHexString(key));
        Assert.That(privateKey.Address, Is.EqualTo(Address.Parse(addr)));
    }

    [TestCaseSource(nameof(Entries))]
    public void KeyIsKeccakOfSeed(string seed, string key, string addr)
    {
        Assert.That(Keccak256.Compute(Encoding.UTF8.GetBytes(seed)).ToArray(), Is.EqualTo(Convert.FromHexString(key)));
    }

    [TestCaseSource(nameof(Entries))]
    public void SignatureFromTheKeyRecoversTheAddress(string seed, string key, string addr)
    {
        var privateKey = new PrivateKey(Convert.FromHexString(key));
        Hash256 digest = Keccak256.Compute([]);
        Assert.That(EcRecover.TryRecoverAddress(digest, privateKey.Sign(digest), out Address recovered), Is.True);
        Assert.That(recovered, Is.EqualTo(Address.Parse(addr)));
    }
}
