namespace Cere.P2P.RequestResponse;

/// <summary>The first byte of every response: success, or why there is no answer (the body is then a UTF-8 reason).</summary>
public enum ResponseStatus : byte
{
    /// <summary>The body is the answer.</summary>
    Success = 0,

    /// <summary>The request was malformed or too large.</summary>
    InvalidRequest = 1,

    /// <summary>The responder failed while answering.</summary>
    ServerError = 2,

    /// <summary>The responder cannot answer now (busy, or it does not have what was asked for).</summary>
    ResourceUnavailable = 3,
}
