namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>The fixture runner's rejection-reason check accepts the named rule and refuses any other.</summary>
public sealed class RejectionReasonsTests
{
    [TestCase("BlockException.INVALID_STATE_ROOT", "state root mismatch: header 0x1, executed 0x2")]
    [TestCase("BlockException.RLP_STRUCTURES_ENCODING|BlockException.RLP_WITHDRAWALS_NOT_READ", "missing withdrawals list")]
    [TestCase("TransactionException.INTRINSIC_GAS_TOO_LOW", "transaction 0 (0xab): intrinsic gas too low")]
    [TestCase("TransactionException.NONCE_MISMATCH_TOO_LOW", "transactions root mismatch: header 0x1, body 0x2")]
    public void NamedRuleIsAccepted(string expected, string message) => Assert.That(RejectionReasons.Check(expected, message), Is.Null);

    [TestCase("BlockException.INVALID_STATE_ROOT", "logs bloom mismatch")]
    [TestCase("BlockException.IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS", "timestamp 5 not after the parent's 6")]
    [TestCase("TransactionException.INTRINSIC_GAS_TOO_LOW", "state root mismatch: header 0x1, executed 0x2")]
    [TestCase("BlockException.SOMETHING_NEW", "state root mismatch: header 0x1, executed 0x2")]
    [TestCase("SomeOtherException.X", "transaction 0 (0xab): nonce too low")]
    public void AnyOtherRejectionIsRefused(string expected, string message) => Assert.That(RejectionReasons.Check(expected, message), Is.Not.Null);
}
