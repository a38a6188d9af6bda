using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Cere.P2P.Tests.Interop;

/// <summary>
/// A js-libp2p node (tests/e2e/libp2p-peer.mjs) in a child process: JSON commands on stdin, JSON results and events
/// on stdout. Fails the test with the fix to apply when tests/e2e/node_modules is missing.
/// </summary>
public sealed class JsLibp2pPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly Dictionary<int, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly List<string> _stderr = [];
    private readonly List<JsonElement> _seenEvents = [];
    private int _nextId;

    private JsLibp2pPeer(Process process) => _process = process;

    /// <summary>The js node's peer id.</summary>
    public string PeerId { get; private set; } = "";

    /// <summary>Its listen address with <c>/p2p</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Its public key as protobuf hex.</summary>
    public string PublicKeyHex { get; private set; } = "";

    /// <summary>The protocols it serves.</summary>
    public IReadOnlyList<string> Protocols { get; private set; } = [];

    /// <summary>The e2e folder (tests/e2e), found from the repository root.</summary>
    public static string E2eDirectory
    {
        get
        {
            for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Cere.Chain.sln")))
                {
                    return Path.Combine(d.FullName, "tests", "e2e");
                }
            }

            string? fromSource = FindFromSource();
            return fromSource ?? throw new DirectoryNotFoundException("could not find the repository root (Cere.Chain.sln) above the test binary");
        }
    }

    private static string? FindFromSource([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        for (DirectoryInfo? d = new(Path.GetDirectoryName(file) ?? "."); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Cere.Chain.sln")))
            {
                return Path.Combine(d.FullName, "tests", "e2e");
            }
        }

        return null;
    }

    /// <summary>Fails the current test unless the npm packages are installed.</summary>
    public static void RequireNodeModules()
    {
        string modules = Path.Combine(E2eDirectory, "node_modules", "libp2p");
        if (!Directory.Exists(modules))
        {
            Assert.Fail($"js-libp2p is not installed: {modules} is missing. Run `npm ci` in tests/e2e (CI's .ci/run does this).");
        }
    }

    /// <summary>Runs a one-shot script in tests/e2e with <paramref name="input"/> as JSON on stdin; returns its JSON output.</summary>
    public static async Task<JsonElement> RunScriptAsync(string script, object input)
    {
        RequireNodeModules();
        ProcessStartInfo psi = new("node")
        {
            WorkingDirectory = E2eDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        using Process process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input)).ConfigureAwait(false);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        string output = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"node {script} exited with {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Starts a script in tests/e2e and waits for its <c>listening</c> line.</summary>
    public static async Task<JsLibp2pPeer> StartAsync(string script = "libp2p-peer.mjs", params string[] args)
    {
        RequireNodeModules();
        ProcessStartInfo psi = new("node")
        {
            WorkingDirectory = E2eDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        JsLibp2pPeer peer = new(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _ = Task.Run(peer.ReadLoopAsync);
        JsonElement listening = await peer.WaitEventAsync("listening", _ => true, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        peer.PeerId = listening.GetProperty("peerId").GetString()!;
        peer.PublicKeyHex = listening.GetProperty("publicKey").GetString()!;
        peer.Address = listening.GetProperty("addrs")[0].GetString()!;
        List<string> protocols = [];
        foreach (JsonElement p in listening.GetProperty("protocols").EnumerateArray())
        {
            protocols.Add(p.GetString()!);
        }

        peer.Protocols = protocols;
        return peer;
    }

    private async Task ReadLoopAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                lock (_stderr)
                {
                    _stderr.Add("stdout (not JSON): " + line);
                }

                continue;
            }

            if (json.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number)
            {
                TaskCompletionSource<JsonElement>? tcs;
                lock (_pending)
                {
                    _pending.Remove(id.GetInt32(), out tcs);
                }

                tcs?.TrySetResult(json);
            }
            else
            {
                await _events.Writer.WriteAsync(json).ConfigureAwait(false);
            }
        }

        _events.Writer.TryComplete();
    }

    /// <summary>Sends a command and returns its result; fails the test with js's error message if it failed.</summary>
    public async Task<JsonElement> CommandAsync(string cmd, object? fields = null, TimeSpan? timeout = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        Dictionary<string, object?> message = new() { ["id"] = id, ["cmd"] = cmd };
        if (fields is not null)
        {
            foreach (System.Reflection.PropertyInfo p in fields.GetType().GetProperties())
            {
                message[p.Name] = p.GetValue(fields);
            }
        }

        TaskCompletionSource<JsonElement> tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = tcs;
        }

        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message)).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        JsonElement result;
        try
        {
            result = await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"js peer did not answer '{cmd}' in time. stderr:\n{StandardError}");
            throw;
        }

        if (!result.GetProperty("ok").GetBoolean())
        {
            Assert.Fail($"js peer failed '{cmd}': {result.GetProperty("error").GetString()}\nstderr:\n{StandardError}");
        }

        return result;
    }

    /// <summary>Waits for an event line of the given kind that matches; events seen earlier are kept and matched too.</summary>
    public async Task<JsonElement> WaitEventAsync(string kind, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        lock (_seenEvents)
        {
            foreach (JsonElement e in _seenEvents)
            {
                if (e.GetProperty("event").GetString() == kind && match(e))
                {
                    return e;
                }
            }
        }

        using CancellationTokenSource cts = new(timeout);
        try
        {
            while (true)
            {
                JsonElement e = await _events.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                lock (_seenEvents)
                {
                    _seenEvents.Add(e);
                }

                if (e.GetProperty("event").GetString() == kind && match(e))
                {
                    return e;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            Assert.Fail($"js peer: no '{kind}' event within {timeout.TotalSeconds} s. stderr:\n{StandardError}");
            throw;
        }
    }

    /// <summary>What the node printed on stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>Stops the node (gracefully, then by force).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using CancellationTokenSource cts = new(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
