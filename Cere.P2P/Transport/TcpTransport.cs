using System.Net;
using System.Net.Sockets;
using Cere.P2P.Addressing;

namespace Cere.P2P.Transport;

/// <summary>TCP for libp2p: binds <c>/ip4|ip6/…/tcp/…</c> addresses and dials TCP multiaddrs with a timeout.</summary>
public static class TcpTransport
{
    /// <summary>Binds a listener; port 0 picks a free port. Returns the socket and the address actually bound.</summary>
    public static (Socket Listener, Multiaddr Bound) Listen(Multiaddr address, int backlog = 512)
    {
        (string host, int port, AddressFamily family) = address.ToTcpTarget();
        if (!IPAddress.TryParse(host, out IPAddress? ip))
        {
            throw new FormatException($"cannot listen on '{address}': a listen address needs an IP, not a DNS name");
        }

        Socket socket = new(family == AddressFamily.InterNetworkV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(ip, port));
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return (socket, Multiaddr.FromEndPoint((IPEndPoint)socket.LocalEndPoint!));
    }

    /// <summary>Connects to a TCP multiaddr (IP or DNS); throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task<Socket> ConnectAsync(Multiaddr address, TimeSpan timeout, CancellationToken ct)
    {
        (string host, int port, AddressFamily family) = address.ToTcpTarget();
        Socket socket = family == AddressFamily.Unspecified
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            if (IPAddress.TryParse(host, out IPAddress? ip))
            {
                await socket.ConnectAsync(new IPEndPoint(ip, port), cts.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            }

            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"dialing {address} timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
