using Cere.Consensus.Validators;
using Cere.Core;

namespace Cere.Consensus.Tests;

public class ValidatorSetTests
{
    [TestCase(new long[] { 1, 2, 3, 4 })]
    [TestCase(new long[] { 1, 1, 1, 1 })]
    [TestCase(new long[] { 10, 1, 5 })]
    public void ProposerFrequencyFollowsStakeOverOneCycle(long[] powers)
    {
        // Weighted round robin: over TotalPower consecutive heights each validator proposes exactly its power times
        // (CometBFT proposer-selection.md, "fairness").
        ValidatorSet set = TestKeys.Set(powers);
        int[] counts = new int[set.Count];
        for (long h = 0; h < set.TotalPower; h++)
        {
            counts[set.ProposerIndex]++;
            set = set.NextHeight();
        }

        for (int i = 0; i < set.Count; i++)
        {
            Assert.That(counts[i], Is.EqualTo(set[i].Power), $"validator {i} with power {set[i].Power}");
        }
    }

    [Test]
    public void MatchesCometBftProposerSequence()
    {
        // The expected order of CometBFT's types/validator_set_test.go TestProposerSelection1 (foo 1000, bar 300, baz 330;
        // addresses compare as the bytes "foo", "bar", "baz", which our zero-padded 20-byte addresses preserve).
        const string expected =
            "foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz "
            + "foo foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo foo baz bar foo foo foo baz foo bar foo foo "
            + "baz foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo";
        static Address Named(string name)
        {
            byte[] a = new byte[Address.Size];
            System.Text.Encoding.ASCII.GetBytes(name).CopyTo(a, 0);
            return new Address(a);
        }

        ValidatorSet set = ValidatorSet.Create([new Validator(Named("foo"), 1000), new Validator(Named("bar"), 300), new Validator(Named("baz"), 330)]);
        List<string> names = [];
        for (int i = 0; i < 99; i++)
        {
            names.Add(System.Text.Encoding.ASCII.GetString(set[set.ProposerIndex].Address.Bytes[..3]));
            set = set.NextHeight();
        }

        Assert.That(string.Join(' ', names), Is.EqualTo(expected));
    }

    [Test]
    public void CometBftSpecTwoValidatorExample()
    {
        // proposer-selection.md's example: p1 with power 1 and p2 with power 3 share every 4 heights 1 : 3.
        ValidatorSet set = TestKeys.Set(1, 3);
        int strong = set[0].Power == 3 ? 0 : 1;
        int strongCount = 0;
        for (int h = 0; h < 4; h++)
        {
            if (set.ProposerIndex == strong)
            {
                strongCount++;
            }

            set = set.NextHeight();
        }

        Assert.That(strongCount, Is.EqualTo(3));
    }

    [Test]
    public void RoundProposerIsTheHeightProposerAdvanced()
    {
        ValidatorSet set = TestKeys.Set(1, 2, 3, 4);
        ValidatorSet next = set;
        for (int r = 0; r < 12; r++)
        {
            Assert.That(set.ProposerIndexForRound(r), Is.EqualTo(next.ProposerIndex), $"round {r}");
            next = next.NextHeight();
        }
    }

    [Test]
    public void NewcomerDoesNotProposeAtOnce()
    {
        ValidatorSet set = TestKeys.Set(5, 5, 5);
        List<Validator> powers = [set[0], set[1], set[2], new Validator(TestKeys.Key(9).Address, 100)];
        ValidatorSet changed = set.WithPowers(powers);
        int newcomer = changed.IndexOf(TestKeys.Key(9).Address);
        Assert.That(changed.ProposerIndex, Is.Not.EqualTo(newcomer), "joining with −1.125 × total priority must not make one proposer at once");
        Assert.That(changed.TotalPower, Is.EqualTo(115));
    }

    [Test]
    public void QuorumIsStrictlyMoreThanTwoThirds()
    {
        ValidatorSet set = TestKeys.Set(1, 1, 1);
        Assert.Multiple(() =>
        {
            Assert.That(set.IsQuorum(2), Is.False, "2 of 3 is exactly 2/3, not more");
            Assert.That(set.IsQuorum(3), Is.True);
            Assert.That(set.IsOneThirdPlus(1), Is.False);
            Assert.That(set.IsOneThirdPlus(2), Is.True);
        });
    }

    [Test]
    public void RejectsBadSets()
    {
        Address a = TestKeys.Key(0).Address;
        Assert.Multiple(() =>
        {
            Assert.That(() => ValidatorSet.Create([]), Throws.ArgumentException.With.Message.Contains("1 to"));
            Assert.That(() => ValidatorSet.Create([new Validator(a, 0)]), Throws.ArgumentException.With.Message.Contains("positive"));
            Assert.That(() => ValidatorSet.Create([new Validator(a, 1), new Validator(a, 2)]), Throws.ArgumentException.With.Message.Contains("twice"));
            Assert.That(() => ValidatorSet.Create([new Validator(a, ValidatorSet.MaxTotalPower + 1)]), Throws.ArgumentException.With.Message.Contains("total power"));
        });
    }
}
