using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Cere.Chain.Tests.Network.Faults;

/// <summary>
/// A <c>cere-node --validator</c> (or <c>--full</c>) child process; its output is kept, and its start banner
/// (<c>… peer /ip4/…/tcp/PORT/p2p/ID rpc URL</c>) gives its libp2p port and JSON-RPC URL.
/// </summary>
public sealed partial class ChainNodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Match> _banner = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChainNodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>A name for messages (e.g. <c>validator 2</c>).</summary>
    public string Name { get; }

    /// <summary>The libp2p listen endpoint (set once started).</summary>
    public IPEndPoint P2pEndpoint { get; private set; } = null!;

    /// <summary>The JSON-RPC client (set once started).</summary>
    public NodeRpc Rpc { get; private set; } = null!;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the node (<paramref name="args"/> after the DLL) and waits for its banner.</summary>
    public static async Task<ChainNodeProcess> StartAsync(string name, IReadOnlyList<string> args, TimeSpan timeout)
    {
        ProcessStartInfo psi = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        ChainNodeProcess node = new(name, p);
        p.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Task done = await Task.WhenAny(node._banner.Task, Task.Delay(timeout), p.WaitForExitAsync());
        if (done != node._banner.Task)
        {
            string output = node.Tail(40);
            node.Dispose();
            throw new TimeoutException($"{name} printed no banner within {timeout}:\n{output}");
        }

        Match m = await node._banner.Task;
        node.P2pEndpoint = new IPEndPoint(IPAddress.Parse(m.Groups["ip"].Value), int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        node.Rpc = new NodeRpc(new Uri(m.Groups["rpc"].Value));
        return node;
    }

    /// <summary>Output lines so far that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Lines(string text)
    {
        List<string> found = [];
        lock (_output)
        {
            foreach (string l in _output)
            {
                if (l.Contains(text, StringComparison.Ordinal))
                {
                    found.Add(l);
                }
            }
        }

        return found;
    }

    /// <summary>The last <paramref name="count"/> output lines, for failure messages.</summary>
    public string Tail(int count)
    {
        lock (_output)
        {
            return $"--- {Name} (last {Math.Min(count, _output.Count)} lines)\n" + string.Join('\n', _output.GetRange(Math.Max(0, _output.Count - count), Math.Min(count, _output.Count)));
        }
    }

    /// <summary>Kills the node (SIGKILL).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (!_banner.Task.IsCompleted && Banner().Match(line) is { Success: true } m)
        {
            _banner.TrySetResult(m);
        }
    }

    [GeneratedRegex(@" peer /ip4/(?<ip>[0-9.]+)/tcp/(?<port>\d+)/p2p/\S+ rpc (?<rpc>http://\S+)")]
    private static partial Regex Banner();
}
