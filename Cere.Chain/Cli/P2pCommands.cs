using System.CommandLine;
using System.Globalization;
using System.Text;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;

namespace Cere.Chain.Cli;

/// <summary>
/// <c>cere-node p2p listen|ping</c>: diagnostic commands an operator uses to check libp2p reachability and gossip.
/// </summary>
public static class P2pCommands
{
    /// <summary>The agent version our node reports over identify.</summary>
    public static string AgentVersion => $"cere-node/{NodeCommandLine.Version}";

    /// <summary>Creates the <c>p2p</c> command with its subcommands.</summary>
    public static Command Create()
    {
        Command p2p = new("p2p", "libp2p diagnostics: run a listening peer, or dial and ping one");
        p2p.Subcommands.Add(CreateListen());
        p2p.Subcommands.Add(CreatePing());
        return p2p;
    }

    private static Command CreateListen()
    {
        Option<int> port = new("--port") { Description = "TCP port to listen on (0 = any free port)", DefaultValueFactory = _ => 0 };
        Option<string> host = new("--host") { Description = "IP address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        Option<FileInfo?> key = new("--key") { Description = "identity key file (protobuf PrivateKey, binary or hex); created with a new Ed25519 key if missing" };
        Option<string?> topic = new("--topic") { Description = "gossipsub topic to join; every message received on it is printed" };
        Option<double> every = new("--publish-every") { Description = "publish a numbered message on --topic every SECONDS (0 = never)", DefaultValueFactory = _ => 0 };
        Option<string[]> peers = new("--peer") { Description = "multiaddr of a peer to dial at start (repeatable)", AllowMultipleArgumentsPerToken = false };
        Command listen = new("listen", "listen for libp2p peers (identify, ping, optional gossipsub topic); prints our multiaddr first")
        {
            port, host, key, topic, every, peers,
        };
        listen.SetAction((parse, ct) => RunListenAsync(
            parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(key), parse.GetValue(topic), parse.GetValue(every), parse.GetValue(peers) ?? [], ct));
        return listen;
    }

    private static Command CreatePing()
    {
        Argument<string> address = new("multiaddr") { Description = "the peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…" };
        Option<int> count = new("--count") { Description = "number of pings", DefaultValueFactory = _ => 3 };
        Command ping = new("ping", "dial a peer, print its identify result (agent, protocols) and ping round-trip times") { address, count };
        ping.SetAction((parse, ct) => RunPingAsync(parse.GetValue(address)!, parse.GetValue(count), ct));
        return ping;
    }

    private static async Task<int> RunListenAsync(string ip, int port, FileInfo? keyFile, string? topic, double publishEvery, string[] peers, CancellationToken ct)
    {
        PeerPrivateKey identity;
        Multiaddr listenOn;
        try
        {
            identity = LoadOrCreateKey(keyFile);
            listenOn = Multiaddr.Parse($"/{(ip.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip4")}/{ip}/tcp/{port.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (Exception e) when (e is PeerKeyException or FormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (publishEvery > 0 && string.IsNullOrEmpty(topic))
        {
            await Console.Error.WriteLineAsync("error: --publish-every needs --topic").ConfigureAwait(false);
            return 2;
        }

        await using Host node = new(new HostOptions { Identity = identity, AgentVersion = AgentVersion });
        Multiaddr address = await node.ListenAsync(listenOn, ct).ConfigureAwait(false);
        // The multiaddr goes alone on the first line of stdout so scripts and tests can read it.
        Console.WriteLine(address.ToString());
        node.PeerIdentified += c => Console.Error.WriteLine($"identified {c.RemotePeer} ({c.Identify?.AgentVersion}) at {c.RemoteAddress}");
        node.PeerDisconnected += c => Console.Error.WriteLine($"disconnected {c.RemotePeer}: {c.CloseReason}");

        GossipsubService? gossip = null;
        if (!string.IsNullOrEmpty(topic))
        {
            gossip = new GossipsubService(node);
            gossip.Start();
            gossip.Subscribe(topic, m =>
            {
                string from = m.Author?.ToString() ?? m.ReceivedFrom ?? "?";
                Console.WriteLine($"received {from} {Encoding.UTF8.GetString(m.Data.Span)}");
            });
        }

        foreach (string peer in peers)
        {
            try
            {
                Connection c = await node.DialAsync(Multiaddr.Parse(peer), ct).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"connected to {c.RemotePeer}").ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or IOException or TimeoutException or P2pProtocolException or System.Net.Sockets.SocketException)
            {
                await Console.Error.WriteLineAsync($"could not dial {peer}: {e.Message}").ConfigureAwait(false);
            }
        }

        try
        {
            if (gossip is not null && publishEvery > 0)
            {
                using PeriodicTimer timer = new(TimeSpan.FromSeconds(publishEvery));
                long n = 0;
                while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                {
                    n++;
                    string text = $"message {n} from {node.PeerId}";
                    int sent = gossip.Publish(topic!, Encoding.UTF8.GetBytes(text));
                    await Console.Error.WriteLineAsync($"published '{text}' to {sent} peers").ConfigureAwait(false);
                }
            }
            else
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: a normal stop.
        }
        finally
        {
            if (gossip is not null)
            {
                await gossip.DisposeAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task<int> RunPingAsync(string text, int count, CancellationToken ct)
    {
        if (count < 1)
        {
            await Console.Error.WriteLineAsync("error: --count must be at least 1").ConfigureAwait(false);
            return 2;
        }

        Multiaddr address;
        try
        {
            address = Multiaddr.Parse(text);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        await using Host node = new(new HostOptions { AgentVersion = AgentVersion, Log = _ => { } });
        try
        {
            Connection connection = await node.DialAsync(address, ct).ConfigureAwait(false);
            IdentifyInfo? info = await connection.Identified.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            Console.WriteLine($"peer: {connection.RemotePeer}");
            Console.WriteLine($"agent: {info?.AgentVersion ?? "(identify failed)"}");
            Console.WriteLine($"protocol version: {info?.ProtocolVersion}");
            Console.WriteLine($"protocols: {(info is null ? "" : string.Join(' ', info.Protocols))}");
            IReadOnlyList<TimeSpan> rtts = await node.PingAsync(connection, count, ct).ConfigureAwait(false);
            for (int i = 0; i < rtts.Count; i++)
            {
                Console.WriteLine($"ping {i + 1}: {rtts[i].TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms");
            }

            return 0;
        }
        catch (Exception e) when (e is IOException or TimeoutException or P2pProtocolException or ProtocolNotSupportedException or System.Net.Sockets.SocketException or FormatException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Reads a protobuf PrivateKey (binary, or hex text); a missing file gets a new Ed25519 key written to it.</summary>
    private static PeerPrivateKey LoadOrCreateKey(FileInfo? file)
    {
        if (file is null)
        {
            return PeerPrivateKey.Generate();
        }

        if (!file.Exists)
        {
            PeerPrivateKey created = PeerPrivateKey.Generate();
            File.WriteAllBytes(file.FullName, created.Encode());
            return created;
        }

        byte[] bytes = File.ReadAllBytes(file.FullName);
        string text = Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length > 0 && text.Length % 2 == 0 && IsHex(text))
        {
            bytes = Convert.FromHexString(text);
        }

        return PeerPrivateKey.Decode(bytes);
    }

    private static bool IsHex(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
