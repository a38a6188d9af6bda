using System.Security.Cryptography;
using System.Text.Json;
using Cere.Core.Crypto;
using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>
/// Plain ECDSA verification (<see cref="Secp256k1Ecdsa"/>) against Wycheproof's secp256k1/SHA-256 vectors: DER,
/// IEEE P1363 (raw r ‖ s) and the Bitcoin variant (DER, high s rejected). One test case per tcId.
/// <c>ecdh_secp256k1_test.json</c> is not run: it tests ECDH key agreement, which this code does not implement.
/// </summary>
public class SecpWycheproofTests
{
    private const string Folder = "secp256k1";

    /// <summary>How a file's signatures are encoded and judged.</summary>
    public enum Encoding
    {
        /// <summary>DER, either s accepted.</summary>
        Der,

        /// <summary>Raw r ‖ s, either s accepted.</summary>
        P1363,

        /// <summary>DER, high s rejected (Bitcoin / EIP-2 rule).</summary>
        DerLowS,
    }

    /// <summary>One Wycheproof test: the group's public key plus the test's message, signature and verdict.</summary>
    public sealed record WycheproofCase(string File, int TcId, Encoding Encoding, byte[] PublicKey, byte[] Message, byte[] Signature, string Result, string Comment, string Flags);

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach ((string file, Encoding encoding) in new[]
                 {
                     ("ecdsa_secp256k1_sha256_test.json", Encoding.Der),
                     ("ecdsa_secp256k1_sha256_p1363_test.json", Encoding.P1363),
                     ("ecdsa_secp256k1_sha256_bitcoin_test.json", Encoding.DerLowS),
                 })
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(Folder, file)));
            string stem = Path.GetFileNameWithoutExtension(file);
            foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
            {
                Assert.That(group.GetProperty("sha").GetString(), Is.EqualTo("SHA-256"), file);
                byte[] publicKey = Convert.FromHexString(group.GetProperty("publicKey").GetProperty("uncompressed").GetString()!);
                foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
                {
                    int tcId = test.GetProperty("tcId").GetInt32();
                    var c = new WycheproofCase(
                        file,
                        tcId,
                        encoding,
                        publicKey,
                        Convert.FromHexString(test.GetProperty("msg").GetString()!),
                        Convert.FromHexString(test.GetProperty("sig").GetString()!),
                        test.GetProperty("result").GetString()!,
                        test.GetProperty("comment").GetString()!,
                        string.Join(",", test.GetProperty("flags").EnumerateArray().Select(f => f.GetString())));
                    yield return new TestCaseData(c).SetName($"{stem}:tc{tcId:D3}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Verify(WycheproofCase c)
    {
        byte[] hash = SHA256.HashData(c.Message);
        bool uncompressed = Run(c, c.PublicKey, hash);

        // The same key in its 33-byte compressed form (as libp2p peer keys carry it) must give the same verdict.
        bool compressed = Run(c, Compress(c.PublicKey), hash);
        Assert.That(compressed, Is.EqualTo(uncompressed), "compressed and uncompressed keys disagree");

        string because = $"{c.Result}: {c.Comment} [{c.Flags}]";
        switch (c.Result)
        {
            case "valid":
                Assert.That(uncompressed, Is.True, because);
                break;
            case "invalid":
                Assert.That(uncompressed, Is.False, because);
                break;
            case "acceptable":
                // Either verdict is allowed; reaching here means the call did not throw.
                break;
            default:
                Assert.Fail($"unknown Wycheproof result '{c.Result}'");
                break;
        }
    }

    [Test]
    public void AllThreeFilesAreFullyEnumerated()
    {
        // Guards the TestCaseSource: a parsing slip that dropped tests would otherwise pass silently.
        var counts = Cases().Select(t => (WycheproofCase)t.Arguments[0]!).GroupBy(c => c.File).ToDictionary(g => g.Key, g => g.Count());
        foreach ((string file, int count) in counts)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(Folder, file)));
            Assert.That(count, Is.EqualTo(doc.RootElement.GetProperty("numberOfTests").GetInt32()), file);
        }

        Assert.That(counts, Has.Count.EqualTo(3));
    }

    private static bool Run(WycheproofCase c, byte[] publicKey, byte[] hash) => c.Encoding switch
    {
        Encoding.Der => Secp256k1Ecdsa.VerifyDer(publicKey, hash, c.Signature, requireLowS: false),
        Encoding.P1363 => Secp256k1Ecdsa.VerifyCompact(publicKey, hash, c.Signature, requireLowS: false),
        Encoding.DerLowS => Secp256k1Ecdsa.VerifyDer(publicKey, hash, c.Signature, requireLowS: true),
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    private static byte[] Compress(byte[] uncompressed65)
    {
        Assert.That(uncompressed65, Has.Length.EqualTo(65));
        Assert.That(uncompressed65[0], Is.EqualTo(0x04));
        byte[] compressed = new byte[33];
        compressed[0] = (byte)(0x02 | (uncompressed65[64] & 1));
        uncompressed65.AsSpan(1, 32).CopyTo(compressed.AsSpan(1));
        return compressed;
    }
}
