using System.Net;
using System.Net.Sockets;
using System.Text;
using Cere.P2P.Crypto;
using Cere.P2P.Encoding;

namespace Cere.P2P.Addressing;

/// <summary>
/// A multiaddr (multiformats/multiaddr; libp2p addressing/README.md): a sequence of (protocol, value) components,
/// printed as <c>/ip4/127.0.0.1/tcp/4001/p2p/12D3…</c> and encoded as varint protocol codes followed by values.
/// </summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    private readonly MultiaddrComponent[] _components;

    private Multiaddr(MultiaddrComponent[] components) => _components = components;

    /// <summary>The components in order.</summary>
    public IReadOnlyList<MultiaddrComponent> Components => _components;

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] != '/')
        {
            throw new FormatException($"multiaddr '{text}' must start with '/'");
        }

        string[] parts = text.Split('/');
        List<MultiaddrComponent> list = [];
        int i = 1;
        while (i < parts.Length)
        {
            if (parts[i].Length == 0 && i == parts.Length - 1)
            {
                break; // a trailing slash
            }

            MultiaddrProtocol protocol = MultiaddrProtocol.ByName(parts[i])
                ?? throw new FormatException($"multiaddr '{text}': unknown protocol '{parts[i]}'");
            i++;
            if (protocol.Size == 0)
            {
                list.Add(new MultiaddrComponent(protocol, ReadOnlyMemory<byte>.Empty));
                continue;
            }

            if (i >= parts.Length || parts[i].Length == 0)
            {
                throw new FormatException($"multiaddr '{text}': /{protocol.Name} needs a value");
            }

            list.Add(new MultiaddrComponent(protocol, protocol.ValueFromText(parts[i])));
            i++;
        }

        if (list.Count == 0)
        {
            throw new FormatException($"multiaddr '{text}' has no components");
        }

        return new Multiaddr([.. list]);
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string text, out Multiaddr? address)
    {
        try
        {
            address = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            address = null;
            return false;
        }
    }

    /// <summary>Decodes the binary form; throws <see cref="FormatException"/> for unknown codes or truncated values.</summary>
    public static Multiaddr FromBytes(ReadOnlySpan<byte> bytes)
    {
        List<MultiaddrComponent> list = [];
        while (!bytes.IsEmpty)
        {
            ulong code = Varint.Read(bytes, out int n);
            bytes = bytes[n..];
            MultiaddrProtocol protocol = MultiaddrProtocol.ByCode(code)
                ?? throw new FormatException($"multiaddr bytes: unknown protocol code 0x{code:x}");
            int size = protocol.Size;
            if (size < 0)
            {
                ulong length = Varint.Read(bytes, out n);
                bytes = bytes[n..];
                if (length > (ulong)bytes.Length)
                {
                    throw new FormatException($"multiaddr bytes: /{protocol.Name} value of {length} bytes is truncated");
                }

                size = (int)length;
            }
            else if (size > bytes.Length)
            {
                throw new FormatException($"multiaddr bytes: /{protocol.Name} needs {size} bytes, {bytes.Length} left");
            }

            byte[] value = bytes[..size].ToArray();
            protocol.Validate(value);
            list.Add(new MultiaddrComponent(protocol, value));
            bytes = bytes[size..];
        }

        if (list.Count == 0)
        {
            throw new FormatException("multiaddr bytes are empty");
        }

        return new Multiaddr([.. list]);
    }

    /// <summary>The binary form.</summary>
    public byte[] ToBytes()
    {
        using MemoryStream ms = new();
        Span<byte> v = stackalloc byte[Varint.MaxLength];
        foreach (MultiaddrComponent c in _components)
        {
            ms.Write(v[..Varint.Write(c.Protocol.Code, v)]);
            if (c.Protocol.Size < 0)
            {
                ms.Write(v[..Varint.Write((ulong)c.Value.Length, v)]);
            }

            ms.Write(c.Value.Span);
        }

        return ms.ToArray();
    }

    /// <summary>The text form.</summary>
    public override string ToString()
    {
        StringBuilder sb = new();
        foreach (MultiaddrComponent c in _components)
        {
            sb.Append('/').Append(c.Protocol.Name);
            if (c.Protocol.Size != 0)
            {
                sb.Append('/').Append(c.Protocol.ValueToText(c.Value.Span));
            }
        }

        return sb.ToString();
    }

    /// <summary>The value of the first component of the given protocol, or null.</summary>
    public ReadOnlyMemory<byte>? ValueOf(MultiaddrProtocol protocol)
    {
        foreach (MultiaddrComponent c in _components)
        {
            if (c.Protocol.Code == protocol.Code)
            {
                return c.Value;
            }
        }

        return null;
    }

    /// <summary>The peer id of the trailing <c>/p2p/</c> component, or null.</summary>
    public PeerId? PeerId => ValueOf(MultiaddrProtocol.P2p) is { } v ? Crypto.PeerId.FromBytes(v.Span) : null;

    /// <summary>This address with <c>/p2p/&lt;id&gt;</c> appended (replacing any present).</summary>
    public Multiaddr WithPeerId(PeerId id) =>
        new([.. WithoutPeerId()._components, new MultiaddrComponent(MultiaddrProtocol.P2p, id.ToBytes())]);

    /// <summary>This address without its <c>/p2p/</c> component.</summary>
    public Multiaddr WithoutPeerId()
    {
        List<MultiaddrComponent> list = [];
        foreach (MultiaddrComponent c in _components)
        {
            if (c.Protocol.Code != MultiaddrProtocol.P2p.Code)
            {
                list.Add(c);
            }
        }

        return new Multiaddr([.. list]);
    }

    /// <summary>
    /// The host and TCP port of an <c>/ip4|ip6|dns|dns4|dns6/…/tcp/…</c> address; throws <see cref="FormatException"/>
    /// if the address is not a TCP address.
    /// </summary>
    public (string Host, int Port, AddressFamily Family) ToTcpTarget()
    {
        if (_components.Length < 2 || _components[1].Protocol.Code != MultiaddrProtocol.Tcp.Code)
        {
            throw new FormatException($"'{this}' is not a TCP multiaddr (/ip4|/ip6|/dns4|/dns6/<host>/tcp/<port>)");
        }

        MultiaddrComponent host = _components[0];
        int port = MultiaddrProtocol.ReadPort(_components[1].Value.Span);
        AddressFamily family = host.Protocol.Code switch
        {
            4 or 54 => AddressFamily.InterNetwork,
            41 or 55 => AddressFamily.InterNetworkV6,
            53 => AddressFamily.Unspecified,
            _ => throw new FormatException($"'{this}' does not start with an IP or DNS component"),
        };
        return (host.Protocol.ValueToText(host.Value.Span), port, family);
    }

    /// <summary>The <c>/ip4|ip6/…/tcp/…</c> address of an IP endpoint.</summary>
    public static Multiaddr FromEndPoint(IPEndPoint endPoint)
    {
        IPAddress ip = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        MultiaddrProtocol p = ip.AddressFamily == AddressFamily.InterNetworkV6 ? MultiaddrProtocol.Ip6 : MultiaddrProtocol.Ip4;
        byte[] port = new byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)endPoint.Port);
        return new Multiaddr([new MultiaddrComponent(p, ip.GetAddressBytes()), new MultiaddrComponent(MultiaddrProtocol.Tcp, port)]);
    }

    /// <inheritdoc />
    public bool Equals(Multiaddr? other) => other is not null && other.ToBytes().AsSpan().SequenceEqual(ToBytes());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}

/// <summary>One (protocol, value) pair of a multiaddr; the value is in binary form.</summary>
public readonly record struct MultiaddrComponent(MultiaddrProtocol Protocol, ReadOnlyMemory<byte> Value);
