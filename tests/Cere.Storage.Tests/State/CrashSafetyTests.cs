using System.Diagnostics;
using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Storage.Tests.State;

/// <summary>
/// Kills a process in the middle of its commit loop, at random instants, many times; each time the reopened database
/// must hold exactly a state the process committed (or was committing), whole: never a mix, never a missing node.
/// </summary>
[NonParallelizable]
public sealed class CrashSafetyTests
{
    [Test]
    public void KilledCommitLoopLeavesACommittedState() => KillRepeatedly(kills: 20, seed: 1);

    [Test]
    [Category("Heavy")]
    public void KilledCommitLoopLeavesACommittedStateManyTimes() => KillRepeatedly(kills: 200, seed: 2);

    private static void KillRepeatedly(int kills, int seed)
    {
        string dir = Path.Combine(Path.GetTempPath(), "cere-crash-" + Guid.NewGuid().ToString("N"));
        Random rng = new(seed);
        Dictionary<long, Hash256> committed = [];
        int killedMidCommit = 0, killedAfterPending = 0;
        try
        {
            for (int k = 0; k < kills; k++)
            {
                List<string> lines = RunAndKill(dir, rng.Next(30, 300));
                long lastCommitted = -1;
                (long Block, Hash256 Root)? pending = null;
                foreach (string line in lines)
                {
                    string[] parts = line.Split(' ');
                    if (parts[0] == "committed")
                    {
                        lastCommitted = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                        committed[lastCommitted] = Hash256.Parse(parts[2]);
                        pending = null;
                    }
                    else if (parts[0] == "pending")
                    {
                        pending = (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Hash256.Parse(parts[2]));
                    }
                }

                using RocksDbStore db = RocksDbStore.Open(dir);
                StateHead? head = StateHead.Read(db);
                if (head is null)
                {
                    Assert.That(committed, Is.Empty, "a committed state vanished");
                    continue;
                }

                // The head is a state the child reported: committed, or the one whose commit the kill interrupted.
                Hash256 root = head.Value.Root;
                bool isCommitted = committed.TryGetValue(head.Value.BlockNumber, out Hash256 c) && c == root;
                bool isPending = pending is { } p && p.Block == head.Value.BlockNumber && p.Root == root;
                Assert.That(isCommitted || isPending, Is.True, $"kill {k}: head {head.Value.BlockNumber} {root} is not a reported state");
                if (isPending)
                {
                    killedMidCommit++;
                    committed[head.Value.BlockNumber] = root;
                }
                else if (pending is not null)
                {
                    killedAfterPending++;
                }

                Assert.That(head.Value.BlockNumber, Is.GreaterThanOrEqualTo(Math.Max(lastCommitted, committed.Count == 0 ? 0 : committed.Keys.Max() - 1)), "a committed block was lost");

                // Every node and every code the head reaches is present and intact, and so are the retained older states.
                ReachableState.Collect(db, [root], checkCode: true);
                for (long b = Math.Max(1, head.Value.BlockNumber - 2); b < head.Value.BlockNumber; b++)
                {
                    Assert.That(StateHead.ReadRoot(db, b), Is.EqualTo(committed[b]), $"retained root of block {b}");
                    ReachableState.Collect(db, [committed[b]], checkCode: true);
                }
            }

            Assert.That(committed, Is.Not.Empty, "the child never committed: the test proved nothing");
            TestContext.Out.WriteLine($"{kills} kills, {committed.Count} blocks committed, {killedMidCommit} kills between 'pending' and the commit's return with the new head written, {killedAfterPending} with the old head kept");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Starts the child, lets it run <paramref name="runMs"/> ms after it opened the database, kills it, returns its output.</summary>
    private static List<string> RunAndKill(string dir, int runMs)
    {
        string child = Path.Combine(AppContext.BaseDirectory, "Cere.Storage.CrashChild.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        ProcessStartInfo psi = new(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(child);
        psi.ArgumentList.Add(dir);
        List<string> lines = [];
        using ManualResetEventSlim started = new();
        using Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data.StartsWith("start", StringComparison.Ordinal))
            {
                started.Set();
            }
        };
        p.BeginOutputReadLine();
        string? error = null;
        p.ErrorDataReceived += (_, e) => error ??= e.Data;
        p.BeginErrorReadLine();
        if (!started.Wait(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"the child did not start: {error}");
        }

        Thread.Sleep(runMs);
        Assert.That(p.HasExited, Is.False, $"the child exited on its own: {error}");
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        lock (lines)
        {
            return [.. lines];
        }
    }
}
