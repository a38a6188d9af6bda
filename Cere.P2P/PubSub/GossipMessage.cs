namespace Cere.P2P.PubSub;

/// <summary>A validated pubsub message as handed to validators and subscribers.</summary>
/// <param name="Id">Message id (pubsub/README.md "Message Identification").</param>
/// <param name="Topic">Topic it was published on.</param>
/// <param name="Data">Payload.</param>
/// <param name="From">Author's peer id bytes; empty under <see cref="SignaturePolicy.StrictNoSign"/>.</param>
/// <param name="SeqNo">Author's sequence number (8 bytes big-endian); empty under StrictNoSign.</param>
/// <param name="ReceivedFrom">The peer that forwarded it to us, or null for our own messages.</param>
public sealed record GossipMessage(
    MessageId Id,
    string Topic,
    ReadOnlyMemory<byte> Data,
    ReadOnlyMemory<byte> From,
    ReadOnlyMemory<byte> SeqNo,
    string? ReceivedFrom)
{
    /// <summary>The author as a peer id, or null when the message is unsigned or its <c>from</c> is malformed.</summary>
    public Crypto.PeerId? Author
    {
        get
        {
            if (From.IsEmpty)
                return null;
            try
            {
                return Crypto.PeerId.FromBytes(From.Span);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
