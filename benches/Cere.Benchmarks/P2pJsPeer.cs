using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cere.Benchmarks;

/// <summary>A js-libp2p node (tests/e2e/libp2p-peer.mjs) driven over stdin/stdout, the reference in the P2P benchmarks.</summary>
public sealed class P2pJsPeer : IAsyncDisposable
{
    private readonly Process _process;
    private int _nextId;

    private P2pJsPeer(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Its listen address with <c>/p2p</c>.</summary>
    public string Address { get; }

    /// <summary>Starts the node; throws with the fix to apply if tests/e2e has no node_modules.</summary>
    public static async Task<P2pJsPeer> StartAsync()
    {
        string e2e = E2eDirectory();
        if (!Directory.Exists(Path.Combine(e2e, "node_modules", "libp2p")))
        {
            throw new InvalidOperationException($"js-libp2p missing in {e2e}: run `npm ci` there first");
        }

        ProcessStartInfo psi = new("node", "libp2p-peer.mjs")
        {
            WorkingDirectory = e2e,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        while (await p.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("event", out JsonElement e) && e.GetString() == "listening")
            {
                return new P2pJsPeer(p, doc.RootElement.GetProperty("addrs")[0].GetString()!);
            }
        }

        throw new InvalidOperationException("js peer exited before listening");
    }

    /// <summary>Sends <paramref name="bytes"/> to the sink at <paramref name="address"/> on one new stream; returns js's own timing.</summary>
    public async Task<double> SendAsync(string address, int bytes)
    {
        int id = ++_nextId;
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { id, cmd = "send", addr = address, bytes })).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            if (root.TryGetProperty("id", out JsonElement rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() == id)
            {
                if (!root.GetProperty("ok").GetBoolean())
                {
                    throw new InvalidOperationException($"js send failed: {root.GetProperty("error").GetString()}");
                }

                return root.GetProperty("ms").GetDouble();
            }
        }

        throw new InvalidOperationException("js peer exited");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string E2eDirectory([CallerFilePath] string source = "")
    {
        // BenchmarkDotNet runs a generated copy of this project elsewhere, so find the repository from the source path.
        foreach (string start in new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(source) ?? "." })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Cere.Chain.sln")))
                {
                    return Path.Combine(d.FullName, "tests", "e2e");
                }
            }
        }

        throw new DirectoryNotFoundException("repository root (Cere.Chain.sln) not found");
    }
}
