using System.Diagnostics;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.E2e;

/// <summary><c>cere-node init</c> through the real binary: the same genesis file always gives the same block 0.</summary>
public class InitCommandTests
{
    [Test]
    public async Task SameGenesisFileGivesTheSameHashAndRootInTwoDataDirectories()
    {
        string genesis = VectorFiles.RepositoryFile("genesis", "dev.json");
        string a = Path.Combine(Path.GetTempPath(), "cere-init-" + Guid.NewGuid().ToString("N"));
        string b = Path.Combine(Path.GetTempPath(), "cere-init-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int codeA, string outA) = await RunAsync($"init --genesis \"{genesis}\" --datadir \"{a}\"");
            (int codeB, string outB) = await RunAsync($"init --genesis \"{genesis}\" --datadir \"{b}\"");
            (int codeAgain, string outAgain) = await RunAsync($"init --genesis \"{genesis}\" --datadir \"{a}\"");
            Assert.That((codeA, codeB, codeAgain), Is.EqualTo((0, 0, 0)), outA + outB + outAgain);

            // The same block 0 the in-process chain computes from the same file.
            string expected = $"genesis hash={DevChainFixture.Open().Genesis.Hash} stateRoot={DevChainFixture.Open().Genesis.StateRoot}";
            Assert.That(outA, Does.Contain(expected));
            Assert.That(outB, Does.Contain(expected));
            Assert.That(outAgain, Does.Contain(expected));
        }
        finally
        {
            foreach (string d in new[] { a, b })
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
        }
    }

    [Test]
    public async Task MissingGenesisFileIsAClearError()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cere-init-" + Guid.NewGuid().ToString("N"));
        (int code, string output) = await RunAsync($"init --genesis \"{dir}/none.json\" --datadir \"{dir}\"");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.StartWith("init: Could not find").And.Contain("none.json"));
        Assert.That(Directory.Exists(dir), Is.False, "nothing is created for a failed init");
    }

    private static async Task<(int Code, string Output)> RunAsync(string args)
    {
        ProcessStartInfo psi = new("dotnet", $"\"{typeof(Program).Assembly.Location}\" {args}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
