using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cere.Chain.Tests.E2e;

/// <summary>The real <c>cere-node</c> binary run as a child process on a free port; the URL is read from its banner.</summary>
public sealed partial class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process) => _process = process;

    /// <summary>Everything the node printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts <c>cere-node</c> with <paramref name="args"/> and waits until it prints its RPC URL.</summary>
    public static async Task<(NodeProcess Node, Uri Url)> StartAsync(string args, TimeSpan timeout)
    {
        string dll = typeof(Program).Assembly.Location;
        ProcessStartInfo psi = new("dotnet", $"\"{dll}\" {args}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        NodeProcess node = new(p);
        p.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Task finished = await Task.WhenAny(node._url.Task, Task.Delay(timeout), p.WaitForExitAsync());
        if (finished != node._url.Task)
        {
            string output = node.Output;
            node.Dispose();
            throw new TimeoutException($"cere-node did not print its RPC URL within {timeout}; output:\n{output}");
        }

        return (node, await node._url.Task);
    }

    /// <summary>Sends a signal (TERM, INT) and waits for the process to exit; returns its exit code, or null if it did not exit in time.</summary>
    public async Task<int?> SignalAsync(string signal, TimeSpan timeout)
    {
        using Process kill = Process.Start("kill", $"-{signal} {_process.Id}");
        await kill.WaitForExitAsync();
        using CancellationTokenSource cts = new(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Stops the node (SIGKILL: the database must survive an abrupt stop).</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
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

        Match m = ListeningLine().Match(line);
        if (m.Success)
        {
            _url.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"^Listening on (http://\S+) \(HTTP\)")]
    private static partial Regex ListeningLine();
}
