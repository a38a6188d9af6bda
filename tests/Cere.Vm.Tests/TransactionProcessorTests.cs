using Cere.Core;

namespace Cere.Vm.Tests;

/// <summary>Transaction rejections: the error a user sees (geth's wording) and an unchanged state.</summary>
[TestFixture]
public sealed class TransactionProcessorTests
{
    private static readonly Address Recipient = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");

    [TestCase(TxRejection.NonceTooLow, "nonce too low")]
    [TestCase(TxRejection.NonceTooHigh, "nonce too high")]
    [TestCase(TxRejection.InsufficientFunds, "insufficient funds for gas * price + value")]
    [TestCase(TxRejection.FeeCapTooLow, "max fee per gas less than block base fee")]
    [TestCase(TxRejection.IntrinsicGasTooLow, "intrinsic gas too low")]
    [TestCase(TxRejection.GasLimitReached, "gas limit reached")]
    public void RejectionHasGethMessageAndLeavesStateUnchanged(TxRejection reason, string message)
    {
        using TestChain chain = new();
        chain.Run(chain.Sign(Recipient, [], gas: 21_000, value: 1)); // nonce 0 → 1
        Hash256 before = chain.State.ComputeStateRoot();
        Core.Transactions.Transaction tx = reason switch
        {
            TxRejection.NonceTooLow => chain.Sign(Recipient, [], gas: 21_000, nonce: 0),
            TxRejection.NonceTooHigh => chain.Sign(Recipient, [], gas: 21_000, nonce: 5),
            TxRejection.InsufficientFunds => chain.Sign(Recipient, [], gas: 21_000, value: UInt256.Parse("1000000000000000000000")),
            TxRejection.FeeCapTooLow => chain.Sign(Recipient, [], gas: 21_000, maxFee: 6),
            TxRejection.IntrinsicGasTooLow => chain.Sign(Recipient, [1, 2, 3], gas: 21_000),
            _ => chain.Sign(Recipient, [], gas: 40_000_000),
        };

        TxRejectedException e = Assert.Throws<TxRejectedException>(() => chain.Run(tx))!;
        Assert.That(e.Reason, Is.EqualTo(reason));
        Assert.That(e.Message, Does.StartWith(message));
        Assert.That(chain.State.ComputeStateRoot(), Is.EqualTo(before));
    }

    /// <summary>EIP-1559 accounting on a plain transfer: the tip goes to the coinbase, the base fee is burnt.</summary>
    [Test]
    public void TransferPaysTipToCoinbaseAndBurnsBaseFee()
    {
        using TestChain chain = new();
        UInt256 before = chain.State.GetBalance(chain.Key.Address);
        TransactionResult r = chain.Run(chain.Sign(Recipient, [], gas: 50_000, value: 1000));
        Assert.That(r.GasUsed, Is.EqualTo(21_000));
        Assert.That(chain.State.GetBalance(Recipient), Is.EqualTo(new UInt256(1000)));
        Assert.That(chain.State.GetBalance(chain.Block.Coinbase), Is.EqualTo(new UInt256(21_000 * 2)), "tip = min(2, 100 - 7) per gas");
        Assert.That(chain.State.GetBalance(chain.Key.Address), Is.EqualTo(before - new UInt256(1000 + (21_000 * 9))), "base 7 + tip 2 per gas");
        Assert.That(r.Receipt.Success, Is.True);
    }
}
