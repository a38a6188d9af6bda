namespace Cere.P2P.RequestResponse;

/// <summary>The responder answered with a status other than <see cref="ResponseStatus.Success"/>, or its answer broke the protocol.</summary>
public sealed class RequestFailedException(string protocol, ResponseStatus status, string reason)
    : Exception($"{protocol}: {status}: {reason}")
{
    /// <summary>The protocol the request was made on.</summary>
    public string Protocol { get; } = protocol;

    /// <summary>The status the responder sent (ServerError also stands for a response that broke the format).</summary>
    public ResponseStatus Status { get; } = status;

    /// <summary>The responder's reason, or ours.</summary>
    public string Reason { get; } = reason;
}
