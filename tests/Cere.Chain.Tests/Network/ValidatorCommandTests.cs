using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Cere.Chain.ValidatorKeys;
using Cere.Core.Crypto;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// <c>cere-node --validator</c> through the real binary: a one-validator chain from a keystore finalises blocks, stops
/// cleanly on SIGTERM and resumes from its head with the same peer id; missing or wrong inputs are clear errors.
/// </summary>
[NonParallelizable]
public class ValidatorCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cere-validator-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDirectory()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    [Test]
    public async Task OneValidatorFinalisesStopsOnSigtermAndResumesFromItsHead()
    {
        string args = WriteChainFiles(DevChainFixture.Keys[0], "right") + $" --datadir \"{Path.Combine(_dir, "data")}\" --p2p.addr 127.0.0.1 --p2p.port 0 --rpc.port 0";
        (string first, int firstCode) = await RunUntilAsync(args, "finalized number=3 ");
        Assert.That(firstCode, Is.Zero, first);
        Assert.That(first, Does.Contain("shutting down"));
        Assert.That(first, Does.Contain($"validator {DevChainFixture.Keys[0].Address}"));
        string peer = PeerIdIn(first);

        (string second, int secondCode) = await RunUntilAsync(args, "finalized number=5 ");
        Assert.That(secondCode, Is.Zero, second);
        Assert.That(second, Does.Contain(" head 3 ").Or.Contain(" head 4 "), "the restart continues from the committed head");
        Assert.That(second, Does.Not.Contain("finalized number=1 "));
        Assert.That(PeerIdIn(second), Is.EqualTo(peer), "the p2p key in the data directory keeps the peer id");
    }

    [Test]
    public async Task MissingKeystoreIsAClearError()
    {
        string args = WriteChainFiles(DevChainFixture.Keys[0], "right");
        args = args[..args.IndexOf(" --keystore", StringComparison.Ordinal)];
        (int code, string output) = await RunToExitAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Does.Contain("--validator needs --keystore"));
    }

    [Test]
    public async Task WrongPasswordIsAClearErrorAndCreatesNoDatabase()
    {
        string args = WriteChainFiles(DevChainFixture.Keys[0], "right");
        File.WriteAllText(Path.Combine(_dir, "password.txt"), "wrong\n");
        string data = Path.Combine(_dir, "data");
        (int code, string output) = await RunToExitAsync(args + $" --datadir \"{data}\"");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Does.Contain("password").IgnoreCase);
        Assert.That(Directory.Exists(data), Is.False);
    }

    private static string PeerIdIn(string output)
    {
        int at = output.IndexOf("/p2p/", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), output);
        return output.Substring(at + 5, output.IndexOfAny([' ', '\n', '\r'], at) - at - 5);
    }

    /// <summary>A genesis whose only validator is <paramref name="key"/>, the dev chainspec, and a light keystore; returns the arguments.</summary>
    private string WriteChainFiles(PrivateKey key, string password)
    {
        JsonNode genesis = JsonNode.Parse(File.ReadAllText(VectorFiles.RepositoryFile("genesis", "dev.json")))!;
        genesis["cere"]!["validators"] = new JsonArray(new JsonObject { ["address"] = key.Address.ToString(), ["stake"] = "1000000000000000000000" });
        string genesisPath = Path.Combine(_dir, "genesis.json");
        File.WriteAllText(genesisPath, genesis.ToJsonString());
        string keystore = Path.Combine(_dir, "validator.json");
        File.WriteAllText(keystore, Keystore.Encrypt(key, password, ScryptParameters.Light));
        File.WriteAllText(Path.Combine(_dir, "password.txt"), password + "\n");
        return $"--validator --chainspec \"{VectorFiles.RepositoryFile("chainspec", "dev.json")}\" --genesis \"{genesisPath}\" --keystore \"{keystore}\" --password-file \"{Path.Combine(_dir, "password.txt")}\"";
    }

    private static ProcessStartInfo Start(string args) => new("dotnet", $"\"{typeof(Program).Assembly.Location}\" {args}")
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    /// <summary>Runs the node until a line contains <paramref name="marker"/>, then sends SIGTERM and waits for the exit.</summary>
    private static async Task<(string Output, int Code)> RunUntilAsync(string args, string marker)
    {
        using Process p = Process.Start(Start(args)) ?? throw new InvalidOperationException("cannot start dotnet");
        ConcurrentQueue<string> lines = new();
        TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lines.Enqueue(e.Data);
            if (e.Data.Contains(marker, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (Process kill = Process.Start("kill", $"-TERM {p.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            using CancellationTokenSource cts = new(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(cts.Token);
            p.WaitForExit(); // drains the redirected output
            return (string.Join('\n', lines), p.ExitCode);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"no \"{marker}\" or no exit in time:\n{string.Join('\n', lines)}");
            throw;
        }
    }

    private static async Task<(int Code, string Output)> RunToExitAsync(string args)
    {
        using Process p = Process.Start(Start(args)) ?? throw new InvalidOperationException("cannot start dotnet");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
