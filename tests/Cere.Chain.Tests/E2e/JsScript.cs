using System.Diagnostics;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.E2e;

/// <summary>Runs a Node.js script from tests/e2e (ethers.js, solc-js: clients we did not write) and collects its output.</summary>
public static class JsScript
{
    /// <summary>The tests/e2e folder (package.json, node_modules, the scripts).</summary>
    public static string E2eDir => VectorFiles.RepositoryFile("tests", "e2e");

    /// <summary>Fails the test with how to fix it when the pinned npm packages are not installed.</summary>
    public static void RequirePackages(params string[] packages)
    {
        foreach (string package in packages)
        {
            Assert.That(Directory.Exists(Path.Combine(E2eDir, "node_modules", package)), Is.True,
                $"{package} is not installed: run `npm ci` in {E2eDir} (the e2e tests need the pinned npm packages)");
        }
    }

    /// <summary>Runs <c>node <paramref name="arguments"/></c> in tests/e2e; stdout and stderr are kept apart.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string arguments, TimeSpan timeout, CancellationToken ct = default)
    {
        ProcessStartInfo psi = new("node", arguments)
        {
            WorkingDirectory = E2eDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start node (Node.js 20+ is needed for the e2e tests)");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(ct);
        Task<string> stderr = p.StandardError.ReadToEndAsync(ct);
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(CancellationToken.None);
            return (-1, await stdout, $"timed out after {timeout.TotalSeconds} s\n" + await stderr);
        }

        return (p.ExitCode, await stdout, await stderr);
    }
}
