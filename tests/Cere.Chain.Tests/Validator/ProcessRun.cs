using System.Diagnostics;
using System.Text.Json;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary>Runs the real <c>cere-node</c> binary and the ethers.js reference script (tests/e2e/keystore-check.mjs) for the validator-key tests.</summary>
internal static class ProcessRun
{
    private static string E2eDir => VectorFiles.RepositoryFile("tests", "e2e");

    /// <summary>Runs <c>cere-node</c> with <paramref name="args"/>; returns its exit code, stdout and stderr.</summary>
    public static Task<(int Code, string Stdout, string Stderr)> NodeAsync(IEnumerable<string> args, string? stdin = null) =>
        RunAsync("dotnet", [typeof(Program).Assembly.Location, .. args], null, stdin, TimeSpan.FromSeconds(120));

    /// <summary>
    /// Sends <paramref name="request"/> to keystore-check.mjs (ethers.js 6, the pinned version in tests/e2e) and returns its answer.
    /// Node.js and the npm packages are required: CI installs both, so a missing one is a failure, not a skip.
    /// </summary>
    public static async Task<JsonElement> EthersAsync(object request)
    {
        Assert.That(Directory.Exists(Path.Combine(E2eDir, "node_modules", "ethers")), Is.True,
            $"ethers is not installed: run `npm ci` in {E2eDir}");
        (int code, string stdout, string stderr) = await RunAsync(
            "node", ["keystore-check.mjs"], E2eDir, JsonSerializer.Serialize(request), TimeSpan.FromSeconds(300));
        Assert.That(code, Is.Zero, $"keystore-check.mjs failed:\n{stdout}\n{stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] args, string? workingDirectory, string? stdin, TimeSpan timeout)
    {
        ProcessStartInfo psi = new(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
        }

        p.StandardInput.Close();
        using CancellationTokenSource cts = new(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} timed out after {timeout}:\n{await stdout}\n{await stderr}");
        }

        return (p.ExitCode, await stdout, await stderr);
    }
}
