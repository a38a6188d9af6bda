using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Localnet;

/// <summary>What the local-net tests share: running <c>scripts/localnet</c> with the node this test project built, and JSON-RPC calls to its nodes.</summary>
internal static class LocalnetClient
{
    /// <summary>The chain id of chainspec/local.json.</summary>
    public const ulong ChainId = 4243;

    /// <summary>Validators 0..3 come first in the script's output; node 4 is the full node.</summary>
    public const int Validators = 4;

    /// <summary>Every node of the net.</summary>
    public const int Nodes = 5;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Runs <c>scripts/localnet</c> with the node this test project built (no second build); returns its exit code and stdout + stderr.</summary>
    public static async Task<(int Code, string Output)> RunScriptAsync(TimeSpan timeout, params string[] args)
    {
        ProcessStartInfo start = new(VectorFiles.RepositoryFile("scripts", "localnet"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["LOCALNET_NODE_DLL"] = typeof(Program).Assembly.Location;
        using Process p = Process.Start(start) ?? throw new InvalidOperationException("cannot start scripts/localnet");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using CancellationTokenSource cts = new(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: false);
            Assert.Fail($"scripts/localnet {string.Join(' ', args)} did not finish in {timeout}");
        }

        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>The URL lines of the script's output (anything else, such as a build warning, is not a URL).</summary>
    public static string[] Urls(string output)
    {
        List<string> urls = [];
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("http://", StringComparison.Ordinal))
            {
                urls.Add(line);
            }
        }

        return [.. urls];
    }

    /// <summary>A fresh temporary directory for one local net (<paramref name="prefix"/> names the test in the path).</summary>
    public static string CreateNetDirectory(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Runs <c>localnet down</c> on <paramref name="dir"/>, fails the test if any pid file is left (a node not stopped), and
    /// removes the directory.
    /// </summary>
    public static async Task DownAndRemoveAsync(string dir)
    {
        (int code, string output) = await RunScriptAsync(TimeSpan.FromSeconds(60), "down", dir);
        TestContext.Out.WriteLine($"localnet down: {code} {output}");
        foreach (string pidFile in Directory.EnumerateFiles(dir, "node.pid", SearchOption.AllDirectories))
        {
            Assert.Fail($"localnet down left {pidFile}");
        }

        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>Sends SIGKILL to node <paramref name="node"/> of <paramref name="dir"/> (its pid file stays, as after a crash).</summary>
    public static async Task SigkillAsync(string dir, int node)
    {
        int pid = int.Parse(File.ReadAllText(Path.Combine(dir, $"node-{node}", "node.pid")).Trim(), CultureInfo.InvariantCulture);
        using Process kill = Process.Start("kill", $"-KILL {pid}");
        await kill.WaitForExitAsync();
    }

    /// <summary>The last lines of every node log under <paramref name="dir"/>, for failure messages.</summary>
    public static string NodeLogs(string dir, int lines = 15)
    {
        List<string> parts = [];
        foreach (string log in Directory.EnumerateFiles(dir, "node.log", SearchOption.AllDirectories))
        {
            string[] all = File.ReadAllLines(log);
            parts.Add($"\n--- {log} (last lines)\n" + string.Join('\n', all[Math.Max(0, all.Length - lines)..]));
        }

        return string.Concat(parts);
    }

    /// <summary>One JSON-RPC call: its result and error (either may be null). Transport failures (a node that is down) throw.</summary>
    public static async Task<(JsonNode? Result, JsonNode? Error)> RpcAsync(string url, string method, params object[] parameters)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (body["result"], body["error"]);
    }

    /// <summary>A call that must succeed; its result may be null (no such block, no receipt yet).</summary>
    public static async Task<JsonNode?> TryCallAsync(string url, string method, params object[] parameters)
    {
        (JsonNode? result, JsonNode? error) = await RpcAsync(url, method, parameters);
        if (error is not null)
        {
            Assert.Fail($"{method} at {url}: {error.ToJsonString()}");
        }

        return result;
    }

    /// <summary>A call that must succeed with a result.</summary>
    public static async Task<JsonNode> CallAsync(string url, string method, params object[] parameters) =>
        await TryCallAsync(url, method, parameters) ?? throw new AssertionException($"{method} at {url} returned null");

    /// <summary>eth_blockNumber.</summary>
    public static async Task<ulong> HeadAsync(string url) => ParseQuantity((await CallAsync(url, "eth_blockNumber")).GetValue<string>());

    /// <summary>eth_getBlockByNumber (hashes only); a node whose head is at or above <paramref name="number"/> must have it.</summary>
    public static async Task<JsonNode> BlockAsync(string url, ulong number) =>
        await TryCallAsync(url, "eth_getBlockByNumber", Hex(number), false)
        ?? throw new AssertionException($"{url} has no block {number} though its head is at or above it");

    /// <summary>A JSON-RPC quantity.</summary>
    public static ulong ParseQuantity(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>A number as a JSON-RPC quantity.</summary>
    public static string Hex(ulong n) => "0x" + n.ToString("x", CultureInfo.InvariantCulture);
}
