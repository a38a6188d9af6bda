using Cere.Consensus.Messages;
using Cere.Consensus.Wal;

namespace Cere.Consensus.Tests;

public class WalTests
{
    [Test]
    public void ReplayReturnsAppendedMessages()
    {
        MemoryWalStorage storage = new();
        ConsensusWal wal = new(storage);
        Vote a = Vote.Create(TestKeys.ChainId, 4, 0, VoteType.Prevote, TestKeys.BlockHash(1), TestKeys.Signer(0));
        Vote b = Vote.Create(TestKeys.ChainId, 4, 0, VoteType.Precommit, TestKeys.BlockHash(1), TestKeys.Signer(0));
        wal.AppendMessage(a);
        wal.AppendMessage(b);
        WalReplay r = new ConsensusWal(storage).Replay();
        Assert.That(r.Messages, Has.Count.EqualTo(2));
        Assert.That(r.TornTailDropped, Is.False);
    }
}
