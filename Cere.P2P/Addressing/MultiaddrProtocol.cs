using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cere.P2P.Crypto;

namespace Cere.P2P.Addressing;

/// <summary>A multiaddr protocol from the multiformats table (code, name, value size; -1 = varint-length-prefixed).</summary>
public sealed class MultiaddrProtocol
{
    private MultiaddrProtocol(ulong code, string name, int size)
    {
        Code = code;
        Name = name;
        Size = size;
    }

    /// <summary>The multicodec code.</summary>
    public ulong Code { get; }

    /// <summary>The text name.</summary>
    public string Name { get; }

    /// <summary>Fixed value size in bytes, 0 for none, -1 for length-prefixed.</summary>
    public int Size { get; }

    /// <summary><c>/ip4</c> (code 4, 4 bytes).</summary>
    public static readonly MultiaddrProtocol Ip4 = new(4, "ip4", 4);

    /// <summary><c>/tcp</c> (code 6, 2-byte big-endian port).</summary>
    public static readonly MultiaddrProtocol Tcp = new(6, "tcp", 2);

    /// <summary><c>/ip6</c> (code 41, 16 bytes).</summary>
    public static readonly MultiaddrProtocol Ip6 = new(41, "ip6", 16);

    /// <summary><c>/dns</c> (code 53).</summary>
    public static readonly MultiaddrProtocol Dns = new(53, "dns", -1);

    /// <summary><c>/dns4</c> (code 54).</summary>
    public static readonly MultiaddrProtocol Dns4 = new(54, "dns4", -1);

    /// <summary><c>/dns6</c> (code 55).</summary>
    public static readonly MultiaddrProtocol Dns6 = new(55, "dns6", -1);

    /// <summary><c>/udp</c> (code 273, 2-byte port).</summary>
    public static readonly MultiaddrProtocol Udp = new(273, "udp", 2);

    /// <summary><c>/p2p</c> (code 421, length-prefixed peer id multihash); <c>/ipfs</c> is its old name.</summary>
    public static readonly MultiaddrProtocol P2p = new(421, "p2p", -1);

    private static readonly MultiaddrProtocol[] All = [Ip4, Tcp, Ip6, Dns, Dns4, Dns6, Udp, P2p];

    /// <summary>The protocol with this name (or <c>ipfs</c> for p2p), or null.</summary>
    public static MultiaddrProtocol? ByName(string name)
    {
        if (name == "ipfs")
        {
            return P2p;
        }

        foreach (MultiaddrProtocol p in All)
        {
            if (p.Name == name)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>The protocol with this code, or null.</summary>
    public static MultiaddrProtocol? ByCode(ulong code)
    {
        foreach (MultiaddrProtocol p in All)
        {
            if (p.Code == code)
            {
                return p;
            }
        }

        return null;
    }

    internal byte[] ValueFromText(string text)
    {
        switch (Code)
        {
            case 4:
            case 41:
                // IPAddress also takes legacy forms ("1.2.3" or "0x7f.1"); an ip4 value must be the plain dotted quad.
                if (!IPAddress.TryParse(text, out IPAddress? ip) ||
                    ip.AddressFamily != (Code == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6) ||
                    (Code == 4 && ip.ToString() != text))
                {
                    throw new FormatException($"/{Name}/{text}: not an {Name} address");
                }

                return ip.GetAddressBytes();
            case 6:
            case 273:
                if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
                {
                    throw new FormatException($"/{Name}/{text}: port must be 0–65535");
                }

                byte[] b = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(b, port);
                return b;
            case 421:
                return PeerId.Parse(text).ToBytes();
            default:
                return System.Text.Encoding.UTF8.GetBytes(text);
        }
    }

    internal string ValueToText(ReadOnlySpan<byte> value) => Code switch
    {
        4 or 41 => new IPAddress(value).ToString(),
        6 or 273 => ReadPort(value).ToString(CultureInfo.InvariantCulture),
        421 => PeerId.FromBytes(value).ToString(),
        _ => System.Text.Encoding.UTF8.GetString(value),
    };

    internal void Validate(ReadOnlySpan<byte> value)
    {
        if (Code == 421)
        {
            PeerId.FromBytes(value);
        }
    }

    internal static int ReadPort(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt16BigEndian(value);
}
