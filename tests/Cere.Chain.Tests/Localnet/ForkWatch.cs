using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Cere.Chain.Tests.Localnet;

/// <summary>
/// Samples every node's head block (height and hash) over JSON-RPC through a run and remembers the first hash seen at
/// each height: a node serving another hash at a height is a fork. Nodes that are down are skipped.
/// </summary>
internal sealed class ForkWatch : IAsyncDisposable
{
    private readonly string[] _urls;
    private readonly TimeSpan _interval;
    private readonly ConcurrentDictionary<ulong, (string Hash, string Url)> _seen = new();
    private readonly ConcurrentQueue<string> _forks = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _samples;

    /// <summary>A watch over <paramref name="urls"/>, sampling each every <paramref name="interval"/>.</summary>
    public ForkWatch(string[] urls, TimeSpan interval)
    {
        _urls = urls;
        _interval = interval;
    }

    /// <summary>Head blocks sampled.</summary>
    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>Distinct heights seen.</summary>
    public int Heights => _seen.Count;

    /// <summary>Every height at which two nodes served different blocks.</summary>
    public IReadOnlyCollection<string> Forks => [.. _forks];

    /// <summary>Starts sampling.</summary>
    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Checks one more block (a final comparison feeds its blocks through here too).</summary>
    public void Observe(string url, ulong height, string hash)
    {
        Interlocked.Increment(ref _samples);
        (string Hash, string Url) first = _seen.GetOrAdd(height, (hash, url));
        if (first.Hash != hash)
        {
            _forks.Enqueue($"height {height}: {first.Url} served {first.Hash}, {url} served {hash}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (string url in _urls)
            {
                try
                {
                    (JsonNode? block, _) = await LocalnetClient.RpcAsync(url, "eth_getBlockByNumber", "latest", false);
                    if (block is not null)
                    {
                        Observe(url, LocalnetClient.ParseQuantity(block["number"]!.GetValue<string>()), block["hash"]!.GetValue<string>());
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Down (stopped or killed by the test).
                }
            }

            try
            {
                await Task.Delay(_interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
