namespace Cere.Consensus.Messages;

/// <summary>One precommit signature in a commit certificate: the validator's index in the height's set and its 65-byte signature.</summary>
public readonly struct CommitSignature
{
    private readonly byte[] _signature;

    /// <summary>A signature of the validator at <paramref name="validatorIndex"/>.</summary>
    /// <exception cref="ArgumentException">A negative index or a signature that is not 65 bytes.</exception>
    public CommitSignature(int validatorIndex, ReadOnlySpan<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(validatorIndex);
        if (signature.Length != Vote.SignatureSize)
        {
            throw new ArgumentException($"a precommit signature is {Vote.SignatureSize} bytes, got {signature.Length}", nameof(signature));
        }

        ValidatorIndex = validatorIndex;
        _signature = signature.ToArray();
    }

    /// <summary>The signer's index in the validator set of the certificate's height.</summary>
    public int ValidatorIndex { get; }

    /// <summary>The 65-byte signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;
}
