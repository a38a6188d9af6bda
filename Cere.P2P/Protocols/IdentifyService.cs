using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Encoding;
using Cere.P2P.Hosting;
using Google.Protobuf;

namespace Cere.P2P.Protocols;

/// <summary>
/// identify and identify/push (libp2p/specs identify/README.md): on request we send one length-prefixed Identify
/// message and close; on push the remote sends one to us. We ask every new connection to identify itself.
/// </summary>
internal sealed class IdentifyService(Host host)
{
    public const string ProtocolId = "/ipfs/id/1.0.0";
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";

    /// <summary>Largest identify message we accept (js-libp2p caps it at 8 KiB; protocol lists can be long, so a bit more).</summary>
    public const int MaxMessageSize = 64 * 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Answers an identify request with our Identify message.</summary>
    public async Task HandleRequestAsync(P2pStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            byte[] message = BuildMessage(stream.Connection).ToByteArray();
            await LengthPrefixed.WriteAsync(stream, message, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Takes an identify push from the remote and updates the connection's view of it.</summary>
    public async Task HandlePushAsync(P2pStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            Connection connection = stream.Connection;
            using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(Timeout);
            byte[]? message = await LengthPrefixed.ReadAsync(stream, MaxMessageSize, cts.Token).ConfigureAwait(false)
                ?? throw new P2pProtocolException("identify push: stream closed without a message");
            IdentifyInfo info = Parse(message, connection, connection.Identify);
            connection.SetIdentify(info);
            host.RaiseIdentified(connection);
        }
    }

    /// <summary>Runs identify on a fresh connection; failures are logged and leave <see cref="Connection.Identify"/> null.</summary>
    public async Task IdentifyOnConnectAsync(Connection connection)
    {
        try
        {
            IdentifyInfo info = await RequestAsync(connection, CancellationToken.None).ConfigureAwait(false);
            _ = info;
        }
        catch (Exception e) when (e is IOException or P2pProtocolException or OperationCanceledException or ProtocolNotSupportedException or EndOfStreamException or InvalidDataException)
        {
            if (!connection.IsClosed)
            {
                host.Log($"p2p: identify with {connection.RemotePeer} failed: {e.Message}");
            }

            connection.SetIdentify(null);
        }
    }

    /// <summary>Asks the remote to identify itself.</summary>
    public async Task<IdentifyInfo> RequestAsync(Connection connection, CancellationToken ct)
    {
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Timeout);
        P2pStream stream = await connection.OpenStreamAsync(ProtocolId, cts.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] message;
            try
            {
                message = await LengthPrefixed.ReadAsync(stream, MaxMessageSize, cts.Token).ConfigureAwait(false)
                    ?? throw new P2pProtocolException("identify: the remote closed the stream without a message");
            }
            catch (InvalidDataException e)
            {
                throw new P2pProtocolException($"identify: {e.Message}", e);
            }

            IdentifyInfo info = Parse(message, connection, null);
            connection.SetIdentify(info);
            host.RaiseIdentified(connection);
            return info;
        }
    }

    /// <summary>Pushes our current identify message to every connected peer that speaks identify/push.</summary>
    public void PushToAll()
    {
        foreach (Connection c in host.Connections)
        {
            if (c.Identify is { } remote && Contains(remote.Protocols, PushProtocolId))
            {
                _ = PushAsync(c);
            }
        }
    }

    private async Task PushAsync(Connection connection)
    {
        try
        {
            using CancellationTokenSource cts = new(Timeout);
            P2pStream stream = await connection.OpenStreamAsync(PushProtocolId, cts.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await LengthPrefixed.WriteAsync(stream, BuildMessage(connection).ToByteArray(), cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or P2pProtocolException or OperationCanceledException or ProtocolNotSupportedException or EndOfStreamException)
        {
            host.Log($"p2p: identify push to {connection.RemotePeer} failed: {e.Message}");
        }
    }

    private Proto.Identify BuildMessage(Connection connection)
    {
        Proto.Identify message = new()
        {
            ProtocolVersion = host.Options.ProtocolVersion,
            AgentVersion = host.Options.AgentVersion,
            PublicKey = ByteString.CopyFrom(host.Identity.PublicKey.Encode()),
            ObservedAddr = ByteString.CopyFrom(connection.RemoteAddress.ToBytes()),
        };
        foreach (Multiaddr a in AdvertisedAddresses(host.ListenAddresses))
        {
            message.ListenAddrs.Add(ByteString.CopyFrom(a.ToBytes()));
        }

        foreach (string p in host.Protocols)
        {
            message.Protocols.Add(p);
        }

        return message;
    }

    /// <summary>Listen addresses as peers can dial them: a wildcard bind is replaced by this machine's interface addresses.</summary>
    internal static List<Multiaddr> AdvertisedAddresses(IReadOnlyList<Multiaddr> listen)
    {
        List<Multiaddr> result = [];
        foreach (Multiaddr a in listen)
        {
            (string h, int port, AddressFamily family) = a.ToTcpTarget();
            IPAddress ip = IPAddress.Parse(h);
            if (!ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
            {
                result.Add(a);
                continue;
            }

            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up)
                {
                    continue;
                }

                foreach (UnicastIPAddressInformation u in nic.GetIPProperties().UnicastAddresses)
                {
                    if (u.Address.AddressFamily == family && !u.Address.IsIPv6LinkLocal)
                    {
                        result.Add(Multiaddr.FromEndPoint(new IPEndPoint(u.Address, port)));
                    }
                }
            }
        }

        return result;
    }

    private static IdentifyInfo Parse(byte[] message, Connection connection, IdentifyInfo? previous)
    {
        Proto.Identify proto;
        try
        {
            proto = Proto.Identify.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new P2pProtocolException($"identify: malformed message from {connection.RemotePeer}: {e.Message}", e);
        }

        PeerPublicKey? key = previous?.PublicKey;
        if (proto.HasPublicKey)
        {
            try
            {
                key = PeerPublicKey.Decode(proto.PublicKey.Span);
            }
            catch (PeerKeyException e)
            {
                throw new P2pProtocolException($"identify: {connection.RemotePeer} sent an unusable public key: {e.Message}", e);
            }

            // identify spec: the key must be the one the connection authenticated.
            if (!key.Equals(connection.RemotePublicKey))
            {
                throw new P2pProtocolException($"identify: {connection.RemotePeer} reported a public key that is not its own");
            }
        }

        List<Multiaddr> listen = [];
        foreach (ByteString b in proto.ListenAddrs)
        {
            try
            {
                listen.Add(Multiaddr.FromBytes(b.Span));
            }
            catch (FormatException)
            {
                // Addresses of transports we do not know (quic, webrtc…) are skipped, not fatal.
            }
        }

        Multiaddr? observed = null;
        if (proto.HasObservedAddr)
        {
            try
            {
                observed = Multiaddr.FromBytes(proto.ObservedAddr.Span);
            }
            catch (FormatException)
            {
                observed = null;
            }
        }

        List<string> protocols = [.. proto.Protocols];
        return new IdentifyInfo(
            proto.HasProtocolVersion ? proto.ProtocolVersion : previous?.ProtocolVersion,
            proto.HasAgentVersion ? proto.AgentVersion : previous?.AgentVersion,
            key,
            listen.Count > 0 || previous is null ? listen : previous.ListenAddresses,
            observed ?? previous?.ObservedAddress,
            protocols.Count > 0 || previous is null ? protocols : previous.Protocols);
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (string s in list)
        {
            if (s == value)
            {
                return true;
            }
        }

        return false;
    }
}
