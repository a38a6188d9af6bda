using System.Diagnostics;
using System.Security.Cryptography;
using Cere.P2P.Hosting;

namespace Cere.P2P.Protocols;

/// <summary>libp2p ping (libp2p/specs ping/ping.md): the dialer sends 32 random bytes, the listener echoes them, repeatedly on one stream.</summary>
public static class PingService
{
    /// <summary>The protocol id.</summary>
    public const string ProtocolId = "/ipfs/ping/1.0.0";

    /// <summary>The payload size fixed by the spec.</summary>
    public const int PayloadSize = 32;

    /// <summary>Listener: echoes every 32-byte payload until the dialer closes its side.</summary>
    public static async Task HandleAsync(P2pStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = new byte[PayloadSize];
            while (true)
            {
                int read = 0;
                while (read < PayloadSize)
                {
                    int n = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return; // ping.md: the dialer ends the session by closing its side
                    }

                    read += n;
                }

                await stream.WriteAsync(buffer, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Dialer: <paramref name="count"/> pings on one stream; throws <see cref="P2pProtocolException"/> on a wrong echo.</summary>
    public static async Task<IReadOnlyList<TimeSpan>> PingAsync(Connection connection, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        P2pStream stream = await connection.OpenStreamAsync(ProtocolId, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            List<TimeSpan> times = new(count);
            byte[] payload = new byte[PayloadSize];
            byte[] echo = new byte[PayloadSize];
            for (int i = 0; i < count; i++)
            {
                RandomNumberGenerator.Fill(payload);
                long start = Stopwatch.GetTimestamp();
                await stream.WriteAsync(payload, ct).ConfigureAwait(false);
                try
                {
                    await stream.ReadExactlyAsync(echo, ct).ConfigureAwait(false);
                }
                catch (EndOfStreamException e)
                {
                    throw new P2pProtocolException($"ping: {connection.RemotePeer} closed the stream before echoing", e);
                }

                times.Add(Stopwatch.GetElapsedTime(start));
                if (!echo.AsSpan().SequenceEqual(payload))
                {
                    throw new P2pProtocolException($"ping: {connection.RemotePeer} echoed different bytes");
                }
            }

            return times;
        }
    }
}
