using Cere.P2P.Hosting;

namespace Cere.P2P.Noise;

/// <summary>The Noise handshake or a transport message failed (bad length, failed decryption, bad identity payload).</summary>
public sealed class NoiseException(string message, Exception? inner = null) : P2pProtocolException(message, inner);
