using System.Text;
using Cere.P2P.Encoding;
using Cere.P2P.Hosting;

namespace Cere.P2P.Multistream;

/// <summary>
/// multistream-select 1.0 (multiformats/multistream-select; libp2p connections/README.md "Protocol Negotiation"):
/// varint-length-prefixed lines ending in <c>\n</c>, the <c>/multistream/1.0.0</c> header, <c>na</c> and <c>ls</c>.
/// Reads never go past the negotiation, so the chosen protocol's bytes stay in the stream.
/// </summary>
public static class MultistreamSelect
{
    /// <summary>The protocol header both sides send first.</summary>
    public const string Header = "/multistream/1.0.0";

    /// <summary>The "not available" answer.</summary>
    public const string NotAvailable = "na";

    /// <summary>The list request.</summary>
    public const string List = "ls";

    /// <summary>Longest line we accept (protocol ids are short; this bounds what garbage can make us buffer).</summary>
    public const int MaxLineLength = 1024;

    /// <summary>Most proposals a dialer may make on one stream before we give up on it.</summary>
    public const int MaxAttempts = 32;

    /// <summary>
    /// Dialer side: proposes each protocol in turn and returns the one the listener accepted; throws
    /// <see cref="ProtocolNotSupportedException"/> if it answered <c>na</c> to all.
    /// </summary>
    public static async Task<string> SelectAsync(Stream stream, IReadOnlyList<string> protocols, CancellationToken ct)
    {
        if (protocols.Count == 0)
        {
            throw new ArgumentException("no protocol to propose", nameof(protocols));
        }

        // The header and the first proposal go in one write: the listener reads them in order, and it saves a round trip.
        await WriteLinesAsync(stream, [Header, protocols[0]], ct).ConfigureAwait(false);
        string header = await ReadLineAsync(stream, ct).ConfigureAwait(false);
        if (header != Header)
        {
            throw new P2pProtocolException($"multistream-select: expected '{Header}', got '{Printable(header)}'");
        }

        for (int i = 0; i < protocols.Count; i++)
        {
            if (i > 0)
            {
                await WriteLinesAsync(stream, [protocols[i]], ct).ConfigureAwait(false);
            }

            string answer = await ReadLineAsync(stream, ct).ConfigureAwait(false);
            if (answer == protocols[i])
            {
                return answer;
            }

            if (answer != NotAvailable)
            {
                throw new P2pProtocolException($"multistream-select: proposed '{protocols[i]}', got '{Printable(answer)}'");
            }
        }

        throw new ProtocolNotSupportedException(protocols);
    }

    /// <summary>
    /// Listener side: answers <c>ls</c> and <c>na</c> until the dialer proposes a protocol <paramref name="supported"/>
    /// accepts, and returns it.
    /// </summary>
    public static async Task<string> ListenAsync(Stream stream, Func<string, bool> supported, Func<IReadOnlyCollection<string>> list, CancellationToken ct)
    {
        string header = await ReadLineAsync(stream, ct).ConfigureAwait(false);
        if (header != Header)
        {
            throw new P2pProtocolException($"multistream-select: expected '{Header}', got '{Printable(header)}'");
        }

        await WriteLinesAsync(stream, [Header], ct).ConfigureAwait(false);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            string proposal = await ReadLineAsync(stream, ct).ConfigureAwait(false);
            if (proposal == List)
            {
                await WriteListAsync(stream, list(), ct).ConfigureAwait(false);
            }
            else if (supported(proposal))
            {
                await WriteLinesAsync(stream, [proposal], ct).ConfigureAwait(false);
                return proposal;
            }
            else
            {
                await WriteLinesAsync(stream, [NotAvailable], ct).ConfigureAwait(false);
            }
        }

        throw new P2pProtocolException($"multistream-select: no agreement after {MaxAttempts} proposals");
    }

    /// <summary>Dialer side of <c>ls</c>: sends the header and <c>ls</c>, returns the listener's protocols.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(Stream stream, CancellationToken ct)
    {
        await WriteLinesAsync(stream, [Header, List], ct).ConfigureAwait(false);
        string header = await ReadLineAsync(stream, ct).ConfigureAwait(false);
        if (header != Header)
        {
            throw new P2pProtocolException($"multistream-select: expected '{Header}', got '{Printable(header)}'");
        }

        byte[] body = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        List<string> result = [];
        int at = 0;
        // The list is one message: varint-prefixed protocol lines, then a final "\n" (as go-multistream writes it).
        while (at < body.Length && !(at == body.Length - 1 && body[at] == '\n'))
        {
            ulong length = Varint.Read(body.AsSpan(at), out int n);
            at += n;
            if (length == 0 || (ulong)(body.Length - at) < length || body[at + (int)length - 1] != '\n')
            {
                throw new P2pProtocolException("multistream-select: malformed ls response");
            }

            result.Add(System.Text.Encoding.UTF8.GetString(body, at, (int)length - 1));
            at += (int)length;
        }

        return result;
    }

    private static async ValueTask WriteListAsync(Stream stream, IReadOnlyCollection<string> protocols, CancellationToken ct)
    {
        using MemoryStream body = new();
        byte[] varint = new byte[Varint.MaxLength];
        foreach (string p in protocols)
        {
            byte[] line = System.Text.Encoding.UTF8.GetBytes(p + "\n");
            body.Write(varint, 0, Varint.Write((ulong)line.Length, varint));
            body.Write(line);
        }

        body.WriteByte((byte)'\n');
        byte[] content = body.ToArray();
        byte[] message = new byte[Varint.SizeOf((ulong)content.Length) + content.Length];
        int prefix = Varint.Write((ulong)content.Length, message);
        content.CopyTo(message, prefix);
        await stream.WriteAsync(message, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes lines, each as varint(length) ‖ text ‖ <c>\n</c>, in one write.</summary>
    public static async ValueTask WriteLinesAsync(Stream stream, IReadOnlyList<string> lines, CancellationToken ct)
    {
        using MemoryStream ms = new();
        byte[] varint = new byte[Varint.MaxLength];
        foreach (string line in lines)
        {
            byte[] text = System.Text.Encoding.UTF8.GetBytes(line);
            ms.Write(varint, 0, Varint.Write((ulong)text.Length + 1, varint));
            ms.Write(text);
            ms.WriteByte((byte)'\n');
        }

        await stream.WriteAsync(ms.GetBuffer().AsMemory(0, (int)ms.Length), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Reads one line (without its <c>\n</c>); throws <see cref="P2pProtocolException"/> for an oversized or unterminated line.</summary>
    public static async ValueTask<string> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        byte[] message = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        if (message.Length == 0 || message[^1] != '\n')
        {
            throw new P2pProtocolException("multistream-select: message does not end with a newline");
        }

        return System.Text.Encoding.UTF8.GetString(message, 0, message.Length - 1);
    }

    private static async ValueTask<byte[]> ReadMessageAsync(Stream stream, CancellationToken ct)
    {
        ulong? length;
        try
        {
            length = await Varint.ReadAsync(stream, ct).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new P2pProtocolException($"multistream-select: bad length prefix ({e.Message})", e);
        }

        if (length is null)
        {
            throw new EndOfStreamException("multistream-select: the remote closed the stream during negotiation");
        }

        if (length > MaxLineLength)
        {
            throw new P2pProtocolException($"multistream-select: message of {length} bytes is over the limit of {MaxLineLength}");
        }

        byte[] message = new byte[(int)length];
        await stream.ReadExactlyAsync(message, ct).ConfigureAwait(false);
        return message;
    }

    private static string Printable(string s)
    {
        StringBuilder sb = new(Math.Min(s.Length, 64));
        foreach (char c in s)
        {
            if (sb.Length >= 64)
            {
                sb.Append('…');
                break;
            }

            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.ToString();
    }
}
