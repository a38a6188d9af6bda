using Cere.Chain.Blocks;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Tests.TxPool;

/// <summary>Pool admission errors (geth's wording), replacement, pending vs queued, limits and re-validation.</summary>
public class TransactionPoolTests
{
    private static readonly Address To = Address.Parse("0x00000000000000000000000000000000000000aa");
    private Blockchain _chain = null!;
    private WorldState _head = null!;

    [SetUp]
    public void Open()
    {
        _chain = DevChainFixture.Open();
        _head = _chain.OpenState(_chain.Head.StateRoot);
    }

    private static PrivateKey Key(int i) => DevChainFixture.Keys[i];

    [Test]
    public void AcceptsAValidTransferAndKnowsItByHash()
    {
        TransactionPool pool = new(4242);
        Transaction tx = DevChainFixture.Transfer1559(Key(0), To, 0, 1);
        Assert.That(pool.Add(tx, _head), Is.EqualTo(tx.Hash));
        Assert.That(pool.Get(tx.Hash), Is.SameAs(tx));
    }

    [Test]
    public void SameTransactionTwiceIsAlreadyKnown()
    {
        TransactionPool pool = new(4242);
        Transaction tx = DevChainFixture.Transfer1559(Key(0), To, 0, 1);
        pool.Add(tx, _head);
        Assert.That(() => pool.Add(tx, _head), Throws.TypeOf<TxPoolException>().With.Message.EqualTo("already known"));
    }

    [Test]
    public void WrongChainIdIsRefused()
    {
        TransactionPool pool = new(4242);
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, 1, chainId: 1), _head),
            Throws.TypeOf<TxPoolException>().With.Message.StartsWith("invalid chain id"));
        Assert.That(pool.Count, Is.Zero);
    }

    [Test]
    public void GasBelowIntrinsicIsRefused()
    {
        TransactionPool pool = new(4242);
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, 1, gas: 20_999), _head),
            Throws.TypeOf<TxPoolException>().With.Message.StartsWith("intrinsic gas too low"));
    }

    [Test]
    public void CostAboveBalanceIsInsufficientFunds()
    {
        TransactionPool pool = new(4242);
        UInt256 all = _head.GetBalance(Key(0).Address);
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, all), _head),
            Throws.TypeOf<TxPoolException>().With.Message.StartsWith("insufficient funds for gas * price + value"));
    }

    [Test]
    public void ValuePastTwoToThe256IsInsufficientFundsNotAWrappedCost()
    {
        // gas × fee fits 256 bits but adding the value does not; a wrapped sum would look affordable.
        TransactionPool pool = new(4242);
        Transaction tx = DevChainFixture.Transfer1559(Key(0), To, 0, UInt256.MaxValue);
        Assert.That(() => pool.Add(tx, _head), Throws.TypeOf<TxPoolException>().With.Message.StartsWith("insufficient funds for gas * price + value"));
        Assert.That(pool.Count, Is.Zero);
    }

    [Test]
    public void TransactionsThatTogetherOverdrawTheSenderAreRefused()
    {
        // geth's overdraft rule: each of the two is affordable alone, not both; a replacement counts in place of the old one.
        TransactionPool pool = new(4242);
        UInt256 balance = _head.GetBalance(Key(0).Address);
        UInt256 sixTenths = balance / new UInt256(10) * new UInt256(6);
        Transaction first = DevChainFixture.Transfer1559(Key(0), To, 0, sixTenths);
        pool.Add(first, _head);
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 1, sixTenths), _head),
            Throws.TypeOf<TxPoolException>().With.Message.StartsWith("insufficient funds for gas * price + value: balance"));
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 5, sixTenths), _head),
            Throws.TypeOf<TxPoolException>().With.Message.StartsWith("insufficient funds"), "queued transactions count too");
        Transaction replacement = DevChainFixture.Transfer1559(Key(0), To, 0, sixTenths, tipGwei: 2, maxFeeGwei: 6);
        pool.Add(replacement, _head);
        Transaction small = DevChainFixture.Transfer1559(Key(0), To, 1, 1);
        pool.Add(small, _head);
        Assert.That(pool.Count, Is.EqualTo(2));
        Assert.That(pool.Get(replacement.Hash), Is.SameAs(replacement));
        Assert.That(pool.Get(small.Hash), Is.SameAs(small));
    }

    [Test]
    public void GasAboveTheBlockGasLimitIsRefused()
    {
        TransactionPool pool = new(4242);
        ulong limit = _chain.Head.GasLimit;
        Transaction tx = DevChainFixture.Transfer1559(Key(0), To, 0, 1, gas: limit + 1);
        Assert.That(() => pool.Add(tx, _head, limit), Throws.TypeOf<TxPoolException>().With.Message.EqualTo("exceeds block gas limit"));
        Assert.That(pool.Count, Is.Zero);
        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, 1, gas: limit), _head, limit);
        Assert.That(pool.Count, Is.EqualTo(1));
    }

    [Test]
    public void UsedNonceIsTooLow()
    {
        TransactionPool pool = new(4242);
        _head.IncrementNonce(Key(0).Address);
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, 1), _head),
            Throws.TypeOf<TxPoolException>().With.Message.EqualTo("nonce too low"));
    }

    [Test]
    public void ReplacementNeedsATenPercentBumpOfBothFees()
    {
        TransactionPool pool = new(4242);
        Transaction original = DevChainFixture.Transfer1559(Key(0), To, 0, 1, tipGwei: 10, maxFeeGwei: 100);
        pool.Add(original, _head);
        Transaction tipOnly = DevChainFixture.Transfer1559(Key(0), To, 0, 2, tipGwei: 20, maxFeeGwei: 100);
        Transaction nine = DevChainFixture.Transfer1559(Key(0), To, 0, 3, tipGwei: 11, maxFeeGwei: 109);
        Assert.That(() => pool.Add(tipOnly, _head), Throws.TypeOf<TxPoolException>().With.Message.EqualTo("replacement transaction underpriced"));
        Assert.That(() => pool.Add(nine, _head), Throws.TypeOf<TxPoolException>().With.Message.EqualTo("replacement transaction underpriced"));

        Transaction bumped = DevChainFixture.Transfer1559(Key(0), To, 0, 4, tipGwei: 11, maxFeeGwei: 110);
        pool.Add(bumped, _head);
        Assert.That(pool.Count, Is.EqualTo(1));
        Assert.That(pool.Get(original.Hash), Is.Null);
        Assert.That(pool.Get(bumped.Hash), Is.SameAs(bumped));
    }

    [Test]
    public void GapMakesLaterNoncesQueuedUntilFilled()
    {
        TransactionPool pool = new(4242);
        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, 1), _head);
        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 2, 1), _head);
        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 3, 1), _head);
        Assert.That(pool.Counts(_head), Is.EqualTo((1, 2)));
        Assert.That(pool.PendingNonce(Key(0).Address, 0), Is.EqualTo(1UL));

        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 1, 1), _head);
        Assert.That(pool.Counts(_head), Is.EqualTo((4, 0)));
        Assert.That(pool.Pending(_head)[Key(0).Address].Select(t => t.Nonce), Is.EqualTo(new ulong[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void PerSenderLimitIsEnforced()
    {
        TransactionPool pool = new(4242, new TxPoolSettings { MaxPerSender = 2 });
        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 0, 1), _head);
        pool.Add(DevChainFixture.Transfer1559(Key(0), To, 1, 1), _head);
        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(0), To, 2, 1), _head),
            Throws.TypeOf<TxPoolException>().With.Message.StartsWith("account limit exceeded"));
        pool.Add(DevChainFixture.Transfer1559(Key(1), To, 0, 1), _head);
        Assert.That(pool.Count, Is.EqualTo(3));
    }

    [Test]
    public void FullPoolEvictsTheCheapestForABetterPayingTransaction()
    {
        TransactionPool pool = new(4242, new TxPoolSettings { MaxTotal = 2 });
        Transaction cheap = DevChainFixture.Transfer1559(Key(0), To, 0, 1, tipGwei: 1, maxFeeGwei: 2);
        Transaction mid = DevChainFixture.Transfer1559(Key(1), To, 0, 1, tipGwei: 1, maxFeeGwei: 5);
        pool.Add(cheap, _head);
        pool.Add(mid, _head);

        Assert.That(() => pool.Add(DevChainFixture.Transfer1559(Key(2), To, 0, 1, tipGwei: 1, maxFeeGwei: 2), _head),
            Throws.TypeOf<TxPoolException>().With.Message.EqualTo("txpool is full"));

        Transaction rich = DevChainFixture.Transfer1559(Key(2), To, 0, 1, tipGwei: 1, maxFeeGwei: 9);
        pool.Add(rich, _head);
        Assert.That(pool.Count, Is.EqualTo(2));
        Assert.That(pool.Get(cheap.Hash), Is.Null);
        Assert.That(pool.Get(rich.Hash), Is.Not.Null);
    }

    [Test]
    public void NewHeadDropsIncludedAndUnaffordableTransactions()
    {
        TransactionPool pool = new(4242);
        Transaction first = DevChainFixture.Transfer1559(Key(0), To, 0, 1);
        Transaction second = DevChainFixture.Transfer1559(Key(0), To, 1, 1);
        Transaction other = DevChainFixture.Transfer1559(Key(1), To, 0, UInt256.Parse("1000000000000000000"));
        pool.Add(first, _head);
        pool.Add(second, _head);
        pool.Add(other, _head);

        // The new head: sender 0's nonce 0 is used, sender 1 has spent almost everything elsewhere.
        _head.IncrementNonce(Key(0).Address);
        _head.SubtractBalance(Key(1).Address, _head.GetBalance(Key(1).Address) - new UInt256(1000));
        pool.OnNewHead(_head);

        Assert.That(pool.Get(first.Hash), Is.Null);
        Assert.That(pool.Get(second.Hash), Is.SameAs(second));
        Assert.That(pool.Get(other.Hash), Is.Null);
        Assert.That(pool.Count, Is.EqualTo(1));
    }
}
