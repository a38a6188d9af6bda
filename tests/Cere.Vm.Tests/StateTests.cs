using Cere.Vm.StateTests;

namespace Cere.Vm.Tests;

/// <summary>
/// GeneralStateTests (Cancun): every entry of every fixture is a test case checking the post-state root, the logs
/// hash and, for entries that expect one, that the transaction is rejected with the state unchanged.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class StateTests
{
    /// <summary>All entries of all fixture files (blob folders excluded by name).</summary>
    public static IEnumerable<TestCaseData> Entries()
    {
        foreach (string file in StateTestFixtures.Files())
        {
            foreach (StateTestCase c in StateTestFixtures.Load(file))
            {
                yield return new TestCaseData(c).SetName("state: " + c.DisplayName);
            }
        }
    }

    /// <summary>Runs one entry.</summary>
    [TestCaseSource(nameof(Entries))]
    public void Entry(StateTestCase c)
    {
        StateTestOutcome o = StateTestRunner.Run(c);
        Assert.That(o.Pass, Is.True, o.Error);
    }
}
