using System.Buffers.Binary;
using System.Security.Cryptography;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.Proto;
using Google.Protobuf;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Cere.P2P.Noise;

/// <summary>
/// The libp2p Noise XX handshake (libp2p/specs noise/README.md): Noise_XX_25519_ChaChaPoly_SHA256 with an empty
/// prologue; each side's second message carries a NoiseHandshakePayload proving that its identity key signed its
/// Noise static key. Messages are 2-byte big-endian length-prefixed.
/// </summary>
public static class NoiseHandshake
{
    /// <summary>The multistream-select protocol id.</summary>
    public const string ProtocolId = "/noise";

    /// <summary>The prefix signed together with the static key (noise spec "Static Key Authentication").</summary>
    private static readonly byte[] SignaturePrefix = "noise-libp2p-static-key:"u8.ToArray();

    private const int MaxMessage = 65535;
    private const int DhLength = 32;

    /// <summary>The outcome: the encrypted stream and the remote identity.</summary>
    public sealed record Result(Stream SecureStream, PeerPublicKey RemoteKey, PeerId RemotePeer);

    /// <summary>Runs the handshake as the dialer; checks the remote id against <paramref name="expectedPeer"/> if given.</summary>
    public static async Task<Result> InitiateAsync(Stream stream, PeerPrivateKey identity, PeerId? expectedPeer, CancellationToken ct)
    {
        using NoiseSymmetricState state = new();
        state.MixHash([]); // prologue: empty in libp2p
        byte[] e = NewPrivate();
        byte[] ePub = PublicOf(e);
        byte[] s = NewPrivate();
        byte[] sPub = PublicOf(s);
        byte[] buffer = new byte[MaxMessage];

        // -> e
        ePub.CopyTo(buffer, 0);
        state.MixHash(ePub);
        int length = DhLength + state.EncryptAndHash([], buffer.AsSpan(DhLength));
        await WriteMessageAsync(stream, buffer.AsMemory(0, length), ct).ConfigureAwait(false);

        // <- e, ee, s, es (+ responder payload)
        byte[] message = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        if (message.Length < DhLength + DhLength + ChaChaPoly.TagSize)
        {
            throw new NoiseException($"Noise message 2 is too short ({message.Length} bytes)");
        }

        byte[] re = message[..DhLength];
        state.MixHash(re);
        state.MixKey(Dh(e, re));
        byte[] rs = new byte[DhLength];
        state.DecryptAndHash(message.AsSpan(DhLength, DhLength + ChaChaPoly.TagSize), rs);
        state.MixKey(Dh(e, rs));
        byte[] payload = new byte[message.Length];
        int payloadLength = state.DecryptAndHash(message.AsSpan(DhLength + DhLength + ChaChaPoly.TagSize), payload);
        (PeerPublicKey remoteKey, PeerId remotePeer) = VerifyPayload(payload.AsSpan(0, payloadLength), rs, expectedPeer);

        // -> s, se (+ our payload)
        length = state.EncryptAndHash(sPub, buffer);
        state.MixKey(Dh(s, re));
        byte[] ours = BuildPayload(identity, sPub);
        length += state.EncryptAndHash(ours, buffer.AsSpan(length));
        await WriteMessageAsync(stream, buffer.AsMemory(0, length), ct).ConfigureAwait(false);

        (NoiseCipherState first, NoiseCipherState second) = state.Split();
        CryptographicOperations.ZeroMemory(e);
        CryptographicOperations.ZeroMemory(s);
        return new Result(new NoiseSecureStream(stream, send: first, receive: second), remoteKey, remotePeer);
    }

    /// <summary>Runs the handshake as the listener.</summary>
    public static async Task<Result> RespondAsync(Stream stream, PeerPrivateKey identity, CancellationToken ct)
    {
        using NoiseSymmetricState state = new();
        state.MixHash([]);
        byte[] e = NewPrivate();
        byte[] ePub = PublicOf(e);
        byte[] s = NewPrivate();
        byte[] sPub = PublicOf(s);
        byte[] buffer = new byte[MaxMessage];

        // -> e
        byte[] message = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        if (message.Length < DhLength)
        {
            throw new NoiseException($"Noise message 1 is too short ({message.Length} bytes)");
        }

        byte[] re = message[..DhLength];
        state.MixHash(re);
        state.DecryptAndHash(message.AsSpan(DhLength), buffer); // libp2p sends no payload here; whatever came is hashed and ignored

        // <- e, ee, s, es (+ our payload)
        ePub.CopyTo(buffer, 0);
        state.MixHash(ePub);
        state.MixKey(Dh(e, re));
        int length = DhLength + state.EncryptAndHash(sPub, buffer.AsSpan(DhLength));
        state.MixKey(Dh(s, re));
        length += state.EncryptAndHash(BuildPayload(identity, sPub), buffer.AsSpan(length));
        await WriteMessageAsync(stream, buffer.AsMemory(0, length), ct).ConfigureAwait(false);

        // -> s, se (+ initiator payload)
        message = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        if (message.Length < DhLength + ChaChaPoly.TagSize + ChaChaPoly.TagSize)
        {
            throw new NoiseException($"Noise message 3 is too short ({message.Length} bytes)");
        }

        byte[] rs = new byte[DhLength];
        state.DecryptAndHash(message.AsSpan(0, DhLength + ChaChaPoly.TagSize), rs);
        state.MixKey(Dh(e, rs));
        byte[] payload = new byte[message.Length];
        int payloadLength = state.DecryptAndHash(message.AsSpan(DhLength + ChaChaPoly.TagSize), payload);
        (PeerPublicKey remoteKey, PeerId remotePeer) = VerifyPayload(payload.AsSpan(0, payloadLength), rs, null);

        (NoiseCipherState first, NoiseCipherState second) = state.Split();
        CryptographicOperations.ZeroMemory(e);
        CryptographicOperations.ZeroMemory(s);
        return new Result(new NoiseSecureStream(stream, send: second, receive: first), remoteKey, remotePeer);
    }

    private static byte[] BuildPayload(PeerPrivateKey identity, byte[] staticPublic)
    {
        byte[] signed = [.. SignaturePrefix, .. staticPublic];
        return new NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(identity.PublicKey.Encode()),
            IdentitySig = ByteString.CopyFrom(identity.Sign(signed)),
        }.ToByteArray();
    }

    private static (PeerPublicKey, PeerId) VerifyPayload(ReadOnlySpan<byte> payload, byte[] remoteStatic, PeerId? expected)
    {
        NoiseHandshakePayload proto;
        try
        {
            proto = NoiseHandshakePayload.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new NoiseException($"malformed Noise handshake payload: {ex.Message}", ex);
        }

        if (!proto.HasIdentityKey || !proto.HasIdentitySig)
        {
            throw new NoiseException("Noise handshake payload lacks the identity key or signature");
        }

        PeerPublicKey key;
        try
        {
            key = PeerPublicKey.Decode(proto.IdentityKey.Span);
        }
        catch (PeerKeyException ex)
        {
            throw new NoiseException($"Noise handshake payload: {ex.Message}", ex);
        }

        byte[] signed = [.. SignaturePrefix, .. remoteStatic];
        if (!key.Verify(signed, proto.IdentitySig.Span))
        {
            throw new NoiseException("Noise handshake payload: the identity signature over the static key does not verify");
        }

        PeerId id = key.ToPeerId();
        if (expected is not null && id != expected)
        {
            throw new PeerIdMismatchException($"dialed {expected} but the remote proved to be {id}");
        }

        return (key, id);
    }

    private static byte[] NewPrivate()
    {
        byte[] k = new byte[X25519.ScalarSize];
        RandomNumberGenerator.Fill(k);
        return k;
    }

    private static byte[] PublicOf(byte[] privateKey)
    {
        byte[] p = new byte[X25519.PointSize];
        X25519.ScalarMultBase(privateKey, 0, p, 0);
        return p;
    }

    private static byte[] Dh(byte[] privateKey, byte[] publicKey)
    {
        byte[] shared = new byte[X25519.PointSize];
        if (!TryDh(privateKey, publicKey, shared))
        {
            // An all-zero secret means a low-order point: the peer is trying to force a known key.
            throw new NoiseException("Noise: the remote sent a low-order X25519 key");
        }

        return shared;
    }

    /// <summary>X25519 (RFC 7748); false when the shared secret is all zeros (a low-order public key).</summary>
    internal static bool TryDh(byte[] privateKey, byte[] publicKey, byte[] shared) =>
        X25519.CalculateAgreement(privateKey, 0, publicKey, 0, shared, 0);

    private static async ValueTask WriteMessageAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        byte[] frame = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.Span.CopyTo(frame.AsSpan(2));
        await stream.WriteAsync(frame, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask<byte[]> ReadMessageAsync(Stream stream, CancellationToken ct)
    {
        byte[] prefix = new byte[2];
        try
        {
            await stream.ReadExactlyAsync(prefix, ct).ConfigureAwait(false);
            byte[] message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await stream.ReadExactlyAsync(message, ct).ConfigureAwait(false);
            return message;
        }
        catch (EndOfStreamException ex)
        {
            throw new NoiseException("connection closed during the Noise handshake", ex);
        }
    }
}
