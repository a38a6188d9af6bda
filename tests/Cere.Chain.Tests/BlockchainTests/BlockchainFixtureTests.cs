using System.Text;

namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>
/// Every BlockchainTests (Cancun) fixture test this node runs, one case each (exclusions by name in
/// <see cref="BlockchainFixtures"/>). The whole set takes seconds, so the default run has all of it.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BlockchainFixtureTests
{
    /// <summary>All tests.</summary>
    public static IEnumerable<TestCaseData> Tests() => BlockchainFixtures.Cases().Select(c => new TestCaseData(c).SetName("blockchain: " + c));

    /// <summary>Genesis hash, each block accepted or rejected as the fixture says, the last block hash and the post-state.</summary>
    [TestCaseSource(nameof(Tests))]
    public void Fixture(BlockchainTestCase c) => Assert.That(BlockchainTestRunner.Run(c), Is.Null);
}

/// <summary>Runs every fixture test once and writes passed/total per folder (a report; the per-test cases are the gate).</summary>
[TestFixture]
[Category("Heavy")]
public sealed class BlockchainFixtureSummary
{
    /// <summary>Writes the table and the failures to the test output and to $CERE_BLOCKCHAIN_SUMMARY when set.</summary>
    [Test]
    public void PassedPerFolder()
    {
        SortedDictionary<string, (int Pass, int Total, int Excluded)> folders = new(StringComparer.Ordinal);
        StringBuilder failures = new();
        StringBuilder excluded = new();
        object gate = new();
        List<BlockchainTestCase> all = [];
        foreach (string file in BlockchainFixtures.Files())
        {
            all.AddRange(BlockchainTestLoader.Load(file));
        }

        Parallel.ForEach(all, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            string? reason = BlockchainFixtures.ExclusionOf(c);
            string? error = null;
            if (reason is null)
            {
                try
                {
                    error = BlockchainTestRunner.Run(c);
                }
                catch (Exception e)
                {
                    error = "crash: " + e.GetType().Name + ": " + e.Message;
                }
            }

            string folder = c.Folder["blockchain/".Length..];
            lock (gate)
            {
                (int p, int t, int x) = folders.GetValueOrDefault(folder);
                if (reason is not null)
                {
                    folders[folder] = (p, t, x + 1);
                    excluded.AppendLine($"- `{c}`: {reason}");
                }
                else
                {
                    folders[folder] = (p + (error is null ? 1 : 0), t + 1, x);
                    if (error is not null)
                    {
                        failures.AppendLine($"- `{c}`: {error}");
                    }
                }
            }
        });

        StringBuilder table = new();
        table.AppendLine("| folder | passed | run | excluded |");
        table.AppendLine("| --- | ---: | ---: | ---: |");
        int pass = 0, total = 0, ex = 0;
        foreach ((string folder, (int p, int t, int x)) in folders)
        {
            table.AppendLine($"| {folder} | {p} | {t} | {x} |");
            pass += p;
            total += t;
            ex += x;
        }

        table.AppendLine($"| **all** | **{pass}** | **{total}** | **{ex}** |");
        string report = table + "\nFailures:\n" + failures + "\nExcluded:\n" + excluded;
        TestContext.Out.WriteLine(report);
        if (Environment.GetEnvironmentVariable("CERE_BLOCKCHAIN_SUMMARY") is string path)
        {
            File.WriteAllText(path, report);
        }

        Assert.That(total, Is.GreaterThan(0));
    }
}
