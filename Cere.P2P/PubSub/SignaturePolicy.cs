namespace Cere.P2P.PubSub;

/// <summary>Message signing policy (pubsub/README.md "Signature Policy Options"); only the strict forms are supported.</summary>
public enum SignaturePolicy
{
    /// <summary>Origin-stamp and sign our messages; require a valid signature on every message received.</summary>
    StrictSign,

    /// <summary>Send no from/seqno/signature/key; reject any message that carries one.</summary>
    StrictNoSign,
}
