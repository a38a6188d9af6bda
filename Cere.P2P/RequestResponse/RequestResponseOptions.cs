namespace Cere.P2P.RequestResponse;

/// <summary>Limits for one request/response protocol.</summary>
public sealed class RequestResponseOptions
{
    /// <summary>Largest request body, in bytes.</summary>
    public int MaxRequestSize { get; init; } = 1 << 20;

    /// <summary>Largest response body, in bytes.</summary>
    public int MaxResponseSize { get; init; } = 16 << 20;

    /// <summary>Whole-exchange deadline for the requester (open, negotiate, write, read).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline for the responder to read the request and produce its answer.</summary>
    public TimeSpan HandlerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests of this protocol answered at once; beyond it we reply <see cref="ResponseStatus.ResourceUnavailable"/>.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>Throws <see cref="ArgumentException"/> for a non-positive limit.</summary>
    public void Validate()
    {
        if (MaxRequestSize <= 0 || MaxResponseSize <= 0 || MaxConcurrentRequests <= 0)
            throw new ArgumentException("request/response sizes and concurrency must be positive");
        if (RequestTimeout <= TimeSpan.Zero || HandlerTimeout <= TimeSpan.Zero)
            throw new ArgumentException("request/response timeouts must be positive");
    }
}
