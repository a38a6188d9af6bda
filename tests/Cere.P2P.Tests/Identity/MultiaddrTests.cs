using System.Text.Json;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Tests.Interop;

namespace Cere.P2P.Tests.Identity;

/// <summary>Multiaddr text and binary forms: the multiformats/multiaddr example and js's @multiformats/multiaddr as reference.</summary>
[TestFixture]
public class MultiaddrTests
{
    [Test]
    public void SpecExampleRoundTrips()
    {
        // multiformats/multiaddr test/multiaddr.feature, "Simple string form" / "Simple packed form".
        Multiaddr a = Multiaddr.Parse("/ip4/192.0.2.42/tcp/443");
        Assert.That(Convert.ToHexStringLower(a.ToBytes()), Is.EqualTo("04c000022a0601bb"));
        Assert.That(Multiaddr.FromBytes(Convert.FromHexString("04c000022a0601bb")).ToString(), Is.EqualTo("/ip4/192.0.2.42/tcp/443"));
    }

    [Test]
    public async Task BytesMatchJsMultiaddr()
    {
        PeerId ed = PeerPrivateKey.Generate(PeerKeyType.Ed25519).PeerId;
        PeerId secp = PeerPrivateKey.Generate(PeerKeyType.Secp256k1).PeerId;
        PeerId hashed = PeerId.FromEncodedPublicKey(Convert.FromHexString(PeerKeyVectorTests.EcdsaPublic));
        string[] texts =
        [
            "/ip4/127.0.0.1/tcp/4001",
            "/ip4/0.0.0.0/tcp/0",
            "/ip4/255.255.255.255/tcp/65535",
            "/ip6/::1/tcp/4001",
            "/ip6/2001:db8::ff00:42:8329/tcp/30303",
            "/dns4/example.com/tcp/443",
            "/dns6/localhost/tcp/80",
            "/dns/node.cere.network/tcp/30333",
            "/ip4/10.0.0.1/udp/9000",
            $"/ip4/127.0.0.1/tcp/4001/p2p/{ed}",
            $"/ip4/127.0.0.1/tcp/4001/p2p/{secp}",
            $"/dns4/a.b/tcp/1/p2p/{hashed}",
            $"/p2p/{ed}",
        ];
        JsonElement js = await JsLibp2pPeer.RunScriptAsync("keys-check.mjs", new { multiaddrs = texts });
        for (int i = 0; i < texts.Length; i++)
        {
            string hex = js.GetProperty("multiaddrs")[i].GetProperty("hex").GetString()!;
            string text = js.GetProperty("multiaddrs")[i].GetProperty("text").GetString()!;
            Multiaddr ours = Multiaddr.Parse(texts[i]);
            Assert.Multiple(() =>
            {
                Assert.That(Convert.ToHexStringLower(ours.ToBytes()), Is.EqualTo(hex), texts[i]);
                Assert.That(Multiaddr.FromBytes(Convert.FromHexString(hex)).ToString(), Is.EqualTo(text), texts[i]);
            });
        }
    }

    [Test]
    public void PeerIdAndTcpTargetAreExtracted()
    {
        PeerId id = PeerPrivateKey.Generate().PeerId;
        Multiaddr a = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/4001/p2p/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(a.PeerId, Is.EqualTo(id));
            Assert.That(a.WithoutPeerId().ToString(), Is.EqualTo("/ip4/127.0.0.1/tcp/4001"));
            Assert.That(a.ToTcpTarget().Host, Is.EqualTo("127.0.0.1"));
            Assert.That(a.ToTcpTarget().Port, Is.EqualTo(4001));
            Assert.That(Multiaddr.Parse($"/ip4/1.2.3.4/tcp/5/ipfs/{id}").PeerId, Is.EqualTo(id), "the old /ipfs name still parses");
        });
    }

    [TestCase("")]
    [TestCase("ip4/1.2.3.4")]
    [TestCase("/ip4/1.2.3")]
    [TestCase("/ip4/1.2.3.4/tcp/65536")]
    [TestCase("/ip4/1.2.3.4/tcp/-1")]
    [TestCase("/ip4/1.2.3.4/tcp")]
    [TestCase("/ip6/1.2.3.4/tcp/1")]
    [TestCase("/foo/1")]
    [TestCase("/p2p/notapeerid")]
    public void BadTextIsAFormatException(string text) =>
        Assert.That(() => Multiaddr.Parse(text), Throws.TypeOf<FormatException>());

    [TestCase("")]
    [TestCase("04c00002")] // ip4 truncated
    [TestCase("0601")] // tcp truncated
    [TestCase("a503221220")] // p2p length past the end
    [TestCase("ff7f")] // unknown code
    [TestCase("80808080808080808080ff")] // varint too long
    public void BadBytesAreAFormatException(string hex) =>
        Assert.That(() => Multiaddr.FromBytes(Convert.FromHexString(hex)), Throws.TypeOf<FormatException>());
}
