using Cere.Chain.Blocks;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Tests.TxPool;

/// <summary>
/// What gossip does to a pool: one sender's transactions arriving out of nonce order wait as queued and become pending
/// when the gap closes; a peer's block reuses the pool's transaction objects (senders already recovered).
/// </summary>
public class TransactionPoolOrderingTests
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

    [Test]
    public void OutOfOrderArrivalsAreQueuedThenPromotedInNonceOrder()
    {
        TransactionPool pool = new(4242);
        PrivateKey key = DevChainFixture.Keys[0];
        Transaction[] txs = [.. Enumerable.Range(0, 5).Select(n => DevChainFixture.Transfer1559(key, To, (ulong)n, 1))];
        List<ulong> promoted = [];
        pool.PendingTransactionAdded += tx => promoted.Add(tx.Nonce);

        foreach (int n in new[] { 4, 2, 3, 1 })
        {
            pool.Add(txs[n], _head);
        }

        Assert.That(pool.Counts(_head), Is.EqualTo((0, 4)), "all wait behind the missing nonce 0");
        Assert.That(pool.Pending(_head), Is.Empty);
        Assert.That(promoted, Is.Empty);

        pool.Add(txs[0], _head);
        Assert.That(pool.Counts(_head), Is.EqualTo((5, 0)));
        Assert.That(pool.Pending(_head)[key.Address].Select(t => t.Nonce), Is.EqualTo(new ulong[] { 0, 1, 2, 3, 4 }));
        Assert.That(promoted, Is.EqualTo(new ulong[] { 0, 1, 2, 3, 4 }), "closing the gap promotes the whole run, in order");
    }

    [Test]
    public void ReusePooledSwapsInThePoolsObjectsAndLeavesUnknownOnes()
    {
        TransactionPool pool = new(4242);
        Transaction pooled = DevChainFixture.Transfer1559(DevChainFixture.Keys[0], To, 0, 1);
        pool.Add(pooled, _head);
        Transaction unknown = DevChainFixture.Transfer1559(DevChainFixture.Keys[1], To, 0, 1);

        // As a peer's block arrives: fresh objects decoded from bytes, senders not yet recovered.
        Transaction[] fromBlock =
        [
            TransactionDecoder.Decode(TransactionEncoder.Encode(unknown)),
            TransactionDecoder.Decode(TransactionEncoder.Encode(pooled)),
        ];
        Transaction decodedUnknown = fromBlock[0];

        Assert.That(pool.ReusePooled(fromBlock), Is.EqualTo(1));
        Assert.That(fromBlock[1], Is.SameAs(pooled));
        Assert.That(fromBlock[0], Is.SameAs(decodedUnknown));
        Assert.That(pool.ReusePooled(fromBlock), Is.Zero, "already the pool's objects");
    }

    [Test]
    public void ReusePooledOnAnEmptyPoolChangesNothing()
    {
        Transaction tx = DevChainFixture.Transfer1559(DevChainFixture.Keys[0], To, 0, 1);
        Transaction[] txs = [tx];
        Assert.That(new TransactionPool(4242).ReusePooled(txs), Is.Zero);
        Assert.That(txs[0], Is.SameAs(tx));
    }
}
