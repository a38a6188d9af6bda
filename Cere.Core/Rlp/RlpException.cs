namespace Cere.Core.Rlp;

/// <summary>Malformed or non-canonical RLP: says what was wrong (<see cref="Error"/>) and where (<see cref="Offset"/>).</summary>
public sealed class RlpException : FormatException
{
    /// <summary>Creates the exception; the message reads "RLP &lt;error&gt; at offset N: detail".</summary>
    public RlpException(RlpError error, int offset, string detail)
        : base($"RLP {error} at offset {offset}: {detail}")
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>What was wrong.</summary>
    public RlpError Error { get; }

    /// <summary>The offset in the input of the item (or size byte) that was wrong.</summary>
    public int Offset { get; }
}
