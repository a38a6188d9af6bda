using System.Text.Json;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.Protocols;
using Cere.P2P.Yamux;

namespace Cere.P2P.Tests.Interop;

/// <summary>Our host against a real js-libp2p node (tcp + noise + yamux + identify + ping), both directions.</summary>
[TestFixture]
[NonParallelizable]
public class JsLibp2pInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static List<string> Strings(JsonElement array)
    {
        List<string> list = [];
        foreach (JsonElement e in array.EnumerateArray())
        {
            list.Add(e.GetString()!);
        }

        return list;
    }

    [Test]
    public async Task OurNodeDialsJs_PingsAndBothSidesIdentify()
    {
        await using JsLibp2pPeer js = await JsLibp2pPeer.StartAsync();
        (Host host, Multiaddr ours, _) = await TestHosts.StartAsync();
        await using Host owned = host;

        Connection connection = await host.DialAsync(Multiaddr.Parse(js.Address));
        Assert.That(connection.RemotePeer.ToString(), Is.EqualTo(js.PeerId));

        IdentifyInfo? info = await connection.Identified.WaitAsync(Wait);
        Assert.That(info, Is.Not.Null, "identify of the js node failed");
        Assert.Multiple(() =>
        {
            Assert.That(info!.AgentVersion, Is.EqualTo("js-libp2p-interop-peer"));
            Assert.That(info.Protocols, Does.Contain(PingService.ProtocolId).And.Contain(IdentifyService.ProtocolId));
            Assert.That(info.ListenAddresses.Select(a => a.ToString()), Does.Contain(Multiaddr.Parse(js.Address).WithoutPeerId().ToString()));
            Assert.That(Convert.ToHexStringLower(info.PublicKey!.Encode()), Is.EqualTo(js.PublicKeyHex));
            Assert.That(info.ObservedAddress!.WithoutPeerId(), Is.EqualTo(connection.LocalAddress), "js should report the address it sees us at");
        });

        IReadOnlyList<TimeSpan> rtts = await host.PingAsync(connection, 3);
        Assert.That(rtts, Has.Count.EqualTo(3));

        // js identified us over the same connection.
        JsonElement seen = await js.WaitEventAsync("identify", e => e.GetProperty("peerId").GetString() == host.PeerId.ToString(), Wait);
        Assert.Multiple(() =>
        {
            Assert.That(seen.GetProperty("agentVersion").GetString(), Is.EqualTo("cere-node/test"));
            Assert.That(Strings(seen.GetProperty("protocols")), Is.SupersetOf(host.Protocols));
            Assert.That(Strings(seen.GetProperty("listenAddrs")), Does.Contain(ours.WithoutPeerId().ToString()));
            Assert.That(seen.GetProperty("publicKey").GetString(), Is.EqualTo(Convert.ToHexStringLower(host.Identity.PublicKey.Encode())));
        });

        // And js can ping us back over the connection we opened.
        JsonElement ping = await js.CommandAsync("ping", new { peer = host.PeerId.ToString(), count = 2 });
        Assert.That(ping.GetProperty("rtts").GetArrayLength(), Is.EqualTo(2));
    }

    [Test]
    public async Task IdleConnectionToJsSurvivesOurKeepAlive()
    {
        // js-libp2p's yamux must answer our keepalive pings: with a 200 ms interval and a 1.2 s dead-peer deadline,
        // three idle seconds would drop the connection if it did not (js's own ping service runs far less often).
        await using JsLibp2pPeer js = await JsLibp2pPeer.StartAsync();
        YamuxOptions quick = new() { KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveTimeout = TimeSpan.FromSeconds(1) };
        (Host host, _, _) = await TestHosts.StartAsync(new HostOptions { Yamux = quick });
        await using Host owned = host;
        Connection connection = await host.DialAsync(Multiaddr.Parse(js.Address));
        await connection.Identified.WaitAsync(Wait);

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(connection.IsClosed, Is.False, connection.CloseReason);
        Assert.That(await host.PingAsync(connection, 1), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Secp256k1IdentitiesOnBothSidesInteroperate()
    {
        // js signs its Noise static key with secp256k1 (DER ECDSA over SHA-256) and checks ours, and the reverse.
        Cere.P2P.Crypto.PeerPrivateKey jsKey = Cere.P2P.Crypto.PeerPrivateKey.Generate(Cere.P2P.Crypto.PeerKeyType.Secp256k1);
        await using JsLibp2pPeer js = await JsLibp2pPeer.StartAsync("libp2p-peer.mjs", "--key", Convert.ToHexStringLower(jsKey.Encode()));
        Assert.That(js.PeerId, Is.EqualTo(jsKey.PeerId.ToString()), "js derives the same peer id from the key we generated");
        (Host host, Multiaddr ours, _) = await TestHosts.StartAsync(new HostOptions { Identity = Cere.P2P.Crypto.PeerPrivateKey.Generate(Cere.P2P.Crypto.PeerKeyType.Secp256k1) });
        await using Host owned = host;

        JsonElement dial = await js.CommandAsync("dial", new { addr = ours.ToString() });
        Assert.That(dial.GetProperty("remotePeer").GetString(), Is.EqualTo(host.PeerId.ToString()));
        JsonElement ping = await js.CommandAsync("ping", new { peer = host.PeerId.ToString(), count = 1 });
        Assert.That(ping.GetProperty("rtts").GetArrayLength(), Is.EqualTo(1));

        await using Host other = new(new HostOptions { Identity = Cere.P2P.Crypto.PeerPrivateKey.Generate(Cere.P2P.Crypto.PeerKeyType.Secp256k1), Log = _ => { } });
        Connection c = await other.DialAsync(Multiaddr.Parse(js.Address));
        Assert.That(c.RemotePublicKey, Is.EqualTo(jsKey.PublicKey));
        Assert.That(await other.PingAsync(c, 1), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task JsDialsOurNode_PingsAndBothSidesIdentify()
    {
        await using JsLibp2pPeer js = await JsLibp2pPeer.StartAsync();
        (Host host, Multiaddr ours, _) = await TestHosts.StartAsync();
        await using Host owned = host;
        TaskCompletionSource<Connection> identified = new(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PeerIdentified += c => identified.TrySetResult(c);

        JsonElement dial = await js.CommandAsync("dial", new { addr = ours.ToString() });
        Assert.That(dial.GetProperty("remotePeer").GetString(), Is.EqualTo(host.PeerId.ToString()));

        JsonElement ping = await js.CommandAsync("ping", new { addr = ours.ToString(), count = 3 });
        Assert.That(ping.GetProperty("rtts").GetArrayLength(), Is.EqualTo(3));

        JsonElement id = await js.CommandAsync("identify", new { peer = host.PeerId.ToString() });
        Assert.Multiple(() =>
        {
            Assert.That(id.GetProperty("agentVersion").GetString(), Is.EqualTo("cere-node/test"));
            Assert.That(id.GetProperty("protocolVersion").GetString(), Is.EqualTo("ipfs/0.1.0"));
            Assert.That(Strings(id.GetProperty("protocols")), Is.EquivalentTo(host.Protocols));
            Assert.That(Strings(id.GetProperty("listenAddrs")), Does.Contain(ours.WithoutPeerId().ToString()));
            Assert.That(id.GetProperty("publicKey").GetString(), Is.EqualTo(Convert.ToHexStringLower(host.Identity.PublicKey.Encode())));
        });

        Connection inbound = await identified.Task.WaitAsync(Wait);
        Assert.Multiple(() =>
        {
            Assert.That(inbound.Direction, Is.EqualTo(ConnectionDirection.Inbound));
            Assert.That(inbound.RemotePeer.ToString(), Is.EqualTo(js.PeerId));
            Assert.That(inbound.Identify!.Protocols, Is.SupersetOf(js.Protocols));
            Assert.That(Convert.ToHexStringLower(inbound.Identify.PublicKey!.Encode()), Is.EqualTo(js.PublicKeyHex));
        });

        IReadOnlyList<TimeSpan> back = await host.PingAsync(inbound, 2);
        Assert.That(back, Has.Count.EqualTo(2));
    }
}
