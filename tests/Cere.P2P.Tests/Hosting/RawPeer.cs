using System.Net.Sockets;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.Multistream;
using Cere.P2P.Noise;
using Cere.P2P.Transport;

namespace Cere.P2P.Tests.Hosting;

/// <summary>A hand-driven client for abuse tests: raw TCP, or a connection secured by Noise with yamux chosen but not run.</summary>
internal static class RawPeer
{
    public static async Task<(Socket Socket, NetworkStream Stream)> ConnectAsync(Multiaddr address)
    {
        Socket socket = await TcpTransport.ConnectAsync(address, TimeSpan.FromSeconds(5), CancellationToken.None);
        return (socket, new NetworkStream(socket, ownsSocket: true));
    }

    /// <summary>Does the upgrade up to yamux and returns the encrypted stream on which the test writes its own frames.</summary>
    public static async Task<Stream> ConnectSecuredAsync(Multiaddr address)
    {
        (_, NetworkStream raw) = await ConnectAsync(address);
        await MultistreamSelect.SelectAsync(raw, [NoiseHandshake.ProtocolId], CancellationToken.None);
        NoiseHandshake.Result secured = await NoiseHandshake.InitiateAsync(raw, PeerPrivateKey.Generate(), address.PeerId, CancellationToken.None);
        await MultistreamSelect.SelectAsync(secured.SecureStream, [Host.YamuxProtocolId], CancellationToken.None);
        return secured.SecureStream;
    }

    /// <summary>Reads until the remote closes; true if it did within the time (a reset counts as closed).</summary>
    public static async Task<bool> ClosedByRemoteAsync(Stream stream, TimeSpan timeout)
    {
        byte[] sink = new byte[65536];
        using CancellationTokenSource cts = new(timeout);
        try
        {
            while (await stream.ReadAsync(sink, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (NoiseException)
        {
            return true;
        }
    }

    public static byte[] YamuxHeader(byte version, byte type, ushort flags, uint stream, uint length)
    {
        byte[] h = new byte[12];
        h[0] = version;
        h[1] = type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), flags);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), stream);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(8), length);
        return h;
    }
}
