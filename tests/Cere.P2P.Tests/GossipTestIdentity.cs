using Cere.P2P.Crypto;
using Cere.P2P.PubSub;

namespace Cere.P2P.Tests;

/// <summary>An Ed25519 peer identity from a seeded random source, for deterministic in-memory gossip tests.</summary>
internal sealed class GossipTestIdentity : IPubSubSigner
{
    private readonly PeerKeyPubSubSigner _signer;

    public GossipTestIdentity(Random random)
    {
        var seed = new byte[32];
        random.NextBytes(seed);
        Key = new Ed25519PrivateKey(seed);
        _signer = new PeerKeyPubSubSigner(Key);
        Name = Key.PeerId.ToString();
    }

    public PeerPrivateKey Key { get; }

    public string Name { get; }

    public ReadOnlyMemory<byte> PeerIdBytes => _signer.PeerIdBytes;

    public ReadOnlyMemory<byte> KeyFieldBytes => _signer.KeyFieldBytes;

    public byte[] Sign(ReadOnlySpan<byte> payload) => _signer.Sign(payload);
}
