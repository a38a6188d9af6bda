using Cere.Vm.StateTests;

namespace Cere.Vm.Tests;

/// <summary>
/// GeneralStateTests (Cancun), default run: a representative sample, every folder's first
/// <see cref="FilesPerFolder"/> fixture files with all their entries. The whole set (7,621 entries, minutes) is
/// <see cref="StateTestsAll"/>, in the Heavy category.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class StateTests
{
    /// <summary>How many files of each folder the default run takes.</summary>
    public const int FilesPerFolder = 1;

    /// <summary>The sample's entries.</summary>
    public static IEnumerable<TestCaseData> Entries()
    {
        Dictionary<string, int> taken = new(StringComparer.Ordinal);
        foreach (string file in StateTestFixtures.Files())
        {
            string folder = StateTestFixtures.FolderOf(file);
            int n = taken.GetValueOrDefault(folder);
            if (n >= FilesPerFolder)
            {
                continue;
            }

            taken[folder] = n + 1;
            foreach (StateTestCase c in StateTestFixtures.Load(file))
            {
                yield return new TestCaseData(c).SetName("state: " + c.DisplayName);
            }
        }
    }

    /// <summary>Runs one entry: post-state root, logs hash, and rejection for entries that expect an exception.</summary>
    [TestCaseSource(nameof(Entries))]
    public void Entry(StateTestCase c)
    {
        StateTestOutcome o = StateTestRunner.Run(c);
        Assert.That(o.Pass, Is.True, o.Error);
    }
}

/// <summary>Every Cancun entry of every state-test fixture (blob folders excluded by name), one test case each.</summary>
[TestFixture]
[Category("Heavy")]
[Parallelizable(ParallelScope.Children)]
public sealed class StateTestsAll
{
    /// <summary>All entries.</summary>
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
