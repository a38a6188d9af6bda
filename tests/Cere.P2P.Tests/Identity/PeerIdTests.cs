using System.Text.Json;
using Cere.P2P.Crypto;
using Cere.P2P.Tests.Interop;

namespace Cere.P2P.Tests.Identity;

/// <summary>Peer ids (peer-ids.md "Peer Ids"): derivation, base58btc and CIDv1 forms, checked against js-libp2p's encoders.</summary>
[TestFixture]
public class PeerIdTests
{
    // The spec's Ed25519 and secp256k1 public keys (peer-ids.md "Test vectors"); js-libp2p 2.x cannot parse the
    // spec's ECDSA key, so the hashed form is checked against SHA-256 directly below.
    private static readonly string[] SpecPublicKeys =
    [
        PeerKeyVectorTests.Ed25519Public,
        PeerKeyVectorTests.Secp256k1Public,
    ];

    [Test]
    public async Task DerivationAndTextFormsMatchJsLibp2p()
    {
        List<string> keys = [.. SpecPublicKeys];
        for (int i = 0; i < 4; i++)
        {
            keys.Add(Convert.ToHexStringLower(PeerPrivateKey.Generate(i % 2 == 0 ? PeerKeyType.Ed25519 : PeerKeyType.Secp256k1).PublicKey.Encode()));
        }

        JsonElement js = await JsLibp2pPeer.RunScriptAsync("keys-check.mjs", new { publicKeys = keys });
        JsonElement ids = js.GetProperty("peerIds");
        Assert.That(ids.GetArrayLength(), Is.EqualTo(keys.Count));
        for (int i = 0; i < keys.Count; i++)
        {
            PeerId id = PeerId.FromEncodedPublicKey(Convert.FromHexString(keys[i]));
            string base58 = ids[i].GetProperty("base58").GetString()!;
            string cid = ids[i].GetProperty("cid").GetString()!;
            Assert.Multiple(() =>
            {
                Assert.That(id.ToString(), Is.EqualTo(base58), $"base58 of key {i}");
                Assert.That(id.ToCidString(), Is.EqualTo(cid), $"CID of key {i}");
                Assert.That(PeerId.Parse(base58), Is.EqualTo(id));
                Assert.That(PeerId.Parse(cid), Is.EqualTo(id));
            });
        }
    }

    [Test]
    public void SmallKeysAreInlinedAndLargeOnesHashed()
    {
        PeerId ed = PeerId.FromEncodedPublicKey(Convert.FromHexString(PeerKeyVectorTests.Ed25519Public));
        PeerId ecdsa = PeerId.FromEncodedPublicKey(Convert.FromHexString(PeerKeyVectorTests.EcdsaPublic));
        Assert.Multiple(() =>
        {
            Assert.That(ed.Bytes[0], Is.EqualTo(PeerId.IdentityCode));
            Assert.That(ed.ToString(), Does.StartWith("12D3KooW"));
            Assert.That(ed.TryGetPublicKey(), Is.EqualTo(PeerPublicKey.Decode(Convert.FromHexString(PeerKeyVectorTests.Ed25519Public))));
            Assert.That(ecdsa.Bytes[0], Is.EqualTo(PeerId.Sha256Code));
            Assert.That(ecdsa.ToString(), Does.StartWith("Qm"));
            Assert.That(ecdsa.TryGetPublicKey(), Is.Null);
            Assert.That(ecdsa.Bytes[1], Is.EqualTo(32));
            Assert.That(ecdsa.Bytes[2..].ToArray(), Is.EqualTo(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(PeerKeyVectorTests.EcdsaPublic))));
        });
    }

    [TestCase("")]
    [TestCase("x")]
    [TestCase("QmNotBase58!!")]
    [TestCase("12D3KooW")]
    [TestCase("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")] // a CIDv1 with the dag-pb codec, not libp2p-key
    [TestCase("mZm9v")]
    public void BadTextIsAFormatException(string text) =>
        Assert.That(() => PeerId.Parse(text), Throws.TypeOf<FormatException>());

    [Test]
    public void BadMultihashBytesAreAFormatException()
    {
        Assert.That(() => PeerId.FromBytes([0x12, 0x20, 1, 2, 3]), Throws.TypeOf<FormatException>(), "sha2-256 with a short digest");
        Assert.That(() => PeerId.FromBytes([0x11, 0x01, 1]), Throws.TypeOf<FormatException>(), "sha1 is not a peer id hash");
        Assert.That(() => PeerId.FromBytes([0x00]), Throws.TypeOf<FormatException>(), "truncated");
    }
}
