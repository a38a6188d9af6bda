using System.Text;
using Cere.Vm.StateTests;

namespace Cere.Vm.Tests;

/// <summary>Runs every state-test entry once and writes passed/total per folder (a report, not a gate: the per-entry cases are the gate).</summary>
[TestFixture]
[Category("Heavy")]
public sealed class StateTestSummary
{
    /// <summary>Writes the per-folder table to the test output and to $CERE_EVM_SUMMARY when set.</summary>
    [Test]
    public void PassedPerFolder()
    {
        SortedDictionary<string, (int Pass, int Total)> folders = new(StringComparer.Ordinal);
        StringBuilder failures = new();
        object gate = new();
        List<StateTestCase> all = new();
        string? filter = Environment.GetEnvironmentVariable("CERE_EVM_FILTER");
        foreach (string file in StateTestFixtures.Files())
        {
            if (filter is not null && !file.Contains(filter, StringComparison.Ordinal))
            {
                continue;
            }

            all.AddRange(StateTestFixtures.Load(file));
        }

        string? progress = Environment.GetEnvironmentVariable("CERE_EVM_PROGRESS");
        int done = 0;
        Parallel.ForEach(all, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            long started = Environment.TickCount64;
            StateTestOutcome o;
            try
            {
                o = StateTestRunner.Run(c);
            }
            catch (Exception e)
            {
                o = new StateTestOutcome(false, default, default, "crash: " + e.GetType().Name + ": " + e.Message);
            }

            string folder = c.File[..c.File.LastIndexOf('/')];
            lock (gate)
            {
                (int p, int t) = folders.GetValueOrDefault(folder);
                folders[folder] = (p + (o.Pass ? 1 : 0), t + 1);
                done++;
                long ms = Environment.TickCount64 - started;
                if (!o.Pass || ms > 2000)
                {
                    string line = $"{(o.Pass ? "SLOW" : "FAIL")} {c.DisplayName} ({ms} ms): {o.Error}";
                    failures.AppendLine(line);
                    if (progress is not null)
                    {
                        File.AppendAllText(progress, line + "\n");
                    }
                }

                if (progress is not null && done % 500 == 0)
                {
                    File.AppendAllText(progress, $"-- {done}/{all.Count}\n");
                }
            }
        });

        StringBuilder table = new();
        table.AppendLine("| folder | passed | total |");
        table.AppendLine("| --- | ---: | ---: |");
        int pass = 0, total = 0;
        foreach ((string folder, (int p, int t)) in folders)
        {
            table.AppendLine($"| {folder} | {p} | {t} |");
            pass += p;
            total += t;
        }

        table.AppendLine($"| **all** | **{pass}** | **{total}** |");
        string? path = Environment.GetEnvironmentVariable("CERE_EVM_SUMMARY");
        if (path is not null)
        {
            File.WriteAllText(path, table.ToString() + "\n" + failures);
        }

        TestContext.Out.WriteLine(table.ToString());
        Assert.That(total, Is.GreaterThan(0));
    }
}
