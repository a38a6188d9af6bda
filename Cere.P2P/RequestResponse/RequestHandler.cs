using Cere.P2P.Crypto;

namespace Cere.P2P.RequestResponse;

/// <summary>An answer: a status and a body (the answer on success, else a short UTF-8 reason).</summary>
public readonly record struct Response(ResponseStatus Status, ReadOnlyMemory<byte> Body)
{
    /// <summary>A successful answer.</summary>
    public static Response Ok(ReadOnlyMemory<byte> body) => new(ResponseStatus.Success, body);

    /// <summary>A failure with a reason the requester will see.</summary>
    public static Response Error(ResponseStatus status, string reason) => new(status, System.Text.Encoding.UTF8.GetBytes(reason));
}

/// <summary>Answers one request from <paramref name="peer"/>; <paramref name="ct"/> fires at the handler deadline or shutdown.</summary>
public delegate Task<Response> RequestHandler(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken ct);
