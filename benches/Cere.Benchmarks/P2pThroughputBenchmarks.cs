using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;

namespace Cere.Benchmarks;

/// <summary>
/// Bulk transfer over one yamux stream inside Noise on loopback TCP: 32 MiB per operation on a new stream to a sink
/// that drains it, answers one byte and closes. Ours↔ours against js-libp2p↔js-libp2p (two node processes, the baseline) in the same
/// run, plus the mixed pairs. MB/s = 32 MiB / mean time.
/// </summary>
[Config(typeof(P2pThroughputConfig))]
public class P2pThroughputBenchmarks
{
    /// <summary>Bytes per operation.</summary>
    public const int Bytes = 32 * 1024 * 1024;

    private const string Sink = "/cere/bench/sink/1.0.0";

    private readonly byte[] _chunk = new byte[256 * 1024];
    private Host _sender = null!;
    private Host _receiver = null!;
    private Multiaddr _receiverAddress = null!;
    private Connection _toOurs = null!;
    private Connection _toJs = null!;
    private P2pJsPeer _jsSender = null!;
    private P2pJsPeer _jsReceiver = null!;

    /// <summary>Starts two of our hosts and two js nodes, connected in every pair used.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _sender = new Host(new HostOptions { Log = _ => { } });
        _receiver = new Host(new HostOptions { Log = _ => { } });
        _receiver.SetStreamHandler(Sink, DrainAsync);
        _receiverAddress = await _receiver.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        await _sender.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        _toOurs = await _sender.DialAsync(_receiverAddress);
        _jsSender = await P2pJsPeer.StartAsync();
        _jsReceiver = await P2pJsPeer.StartAsync();
        _toJs = await _sender.DialAsync(Multiaddr.Parse(_jsReceiver.Address));
        await _jsSender.SendAsync(_jsReceiver.Address, 1024);
        await _jsSender.SendAsync(_receiverAddress.ToString(), 1024);
    }

    /// <summary>Stops everything.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _jsSender.DisposeAsync();
        await _jsReceiver.DisposeAsync();
        await _sender.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    /// <summary>js-libp2p to js-libp2p (the reference).</summary>
    [Benchmark(Baseline = true)]
    public Task<double> JsToJs() => _jsSender.SendAsync(_jsReceiver.Address, Bytes);

    /// <summary>Our host to our host.</summary>
    [Benchmark]
    public Task OursToOurs() => SendAsync(_toOurs);

    /// <summary>Our host to js-libp2p.</summary>
    [Benchmark]
    public Task OursToJs() => SendAsync(_toJs);

    /// <summary>js-libp2p to our host.</summary>
    [Benchmark]
    public Task<double> JsToOurs() => _jsSender.SendAsync(_receiverAddress.ToString(), Bytes);

    private async Task SendAsync(Connection connection)
    {
        P2pStream stream = await connection.OpenStreamAsync(Sink, CancellationToken.None);
        await using (stream)
        {
            for (int sent = 0; sent < Bytes; sent += _chunk.Length)
            {
                await stream.WriteAsync(_chunk.AsMemory(0, Math.Min(_chunk.Length, Bytes - sent)));
            }

            await stream.CloseWriteAsync();
            // The sink answers one byte once it has drained everything, then closes: that ends the transfer.
            int answered = 0, n;
            while ((n = await stream.ReadAsync(_chunk)) > 0)
            {
                answered += n;
            }

            if (answered != 1)
            {
                throw new InvalidOperationException($"sink answered {answered} bytes, expected 1");
            }
        }
    }

    private static async Task DrainAsync(P2pStream stream, CancellationToken ct)
    {
        await using (stream)
        {
            byte[] buffer = new byte[256 * 1024];
            while (await stream.ReadAsync(buffer, ct) > 0)
            {
            }

            await stream.WriteAsync(new byte[] { 1 }, ct);
        }
    }
}

/// <summary>
/// In-process (the generated-project build of the whole solution times out on a loaded 2-core machine), one launch,
/// fixed iterations: each operation is a 32 MiB transfer, so a few suffice.
/// </summary>
public sealed class P2pThroughputConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public P2pThroughputConfig() => AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(8));
}
