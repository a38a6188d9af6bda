namespace Cere.P2P.Crypto;

/// <summary>A libp2p key or signature could not be decoded or is of an unsupported type.</summary>
public sealed class PeerKeyException(string message) : Exception(message);
