using System.Text.Json.Nodes;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Localnet;

/// <summary>
/// A steady load of signed transfers through JSON-RPC: one every <c>interval</c>, senders and nodes taken round-robin,
/// whatever nodes are up. A node that is down refuses the connection and the nonce is tried again on the next node.
/// Like a wallet, it re-sends its unconfirmed transactions when a sender's nonce stops advancing (a node killed before it
/// gossiped one leaves a gap that holds back every later one), so in the end every transfer it signed is included.
/// </summary>
internal sealed class TransferLoad : IAsyncDisposable
{
    private static readonly TimeSpan RepairEvery = TimeSpan.FromSeconds(5);

    private readonly string[] _urls;
    private readonly string _watchUrl;
    private readonly PrivateKey[] _senders;
    private readonly Address _recipient;
    private readonly UInt256 _value;
    private readonly ulong[] _nonces;
    private readonly ulong[] _lastConfirmed;
    private readonly Dictionary<ulong, byte[]>[] _unconfirmed;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private readonly TimeSpan _interval;
    private Task? _sending;
    private long _accepted;
    private long _refused;
    private long _rejected;
    private long _resent;

    /// <summary>
    /// A load from <paramref name="senders"/> (funded, with no transactions of their own before) to
    /// <paramref name="recipient"/>, spread over <paramref name="urls"/>; unconfirmed transfers are checked against
    /// <paramref name="watchUrl"/>, a node that stays up.
    /// </summary>
    public TransferLoad(string[] urls, string watchUrl, PrivateKey[] senders, Address recipient, UInt256 value, TimeSpan interval)
    {
        _urls = urls;
        _watchUrl = watchUrl;
        _senders = senders;
        _recipient = recipient;
        _value = value;
        _interval = interval;
        _nonces = new ulong[senders.Length];
        _lastConfirmed = new ulong[senders.Length];
        _unconfirmed = new Dictionary<ulong, byte[]>[senders.Length];
        for (int i = 0; i < senders.Length; i++)
        {
            _unconfirmed[i] = [];
        }
    }

    /// <summary>Transfers a node took into its pool (or already had).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Sends that found the node down (connection refused or timed out).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Sends a running node answered with a JSON-RPC error.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Unconfirmed transfers sent again.</summary>
    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>The transfers signed so far (the sum of the senders' next nonces); each, once included, moved <c>value</c> to the recipient.</summary>
    public ulong Signed
    {
        get
        {
            ulong sum = 0;
            lock (_nonces)
            {
                foreach (ulong n in _nonces)
                {
                    sum += n;
                }
            }

            return sum;
        }
    }

    /// <summary>The first JSON-RPC errors, for the test output.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Starts sending.</summary>
    public void Start() => _sending = Task.Run(SendLoopAsync);

    /// <summary>Stops sending new transfers (unconfirmed ones are still repaired by <see cref="WaitAllIncludedAsync"/>).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_sending is not null)
        {
            await _sending;
        }
    }

    /// <summary>After <see cref="StopAsync"/>: re-sends what is unconfirmed until every signed transfer is included, or the timeout passes; returns whether all are.</summary>
    public async Task<bool> WaitAllIncludedAsync(TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (await RepairAsync(force: true))
            {
                return true;
            }

            await Task.Delay(2000);
        }

        return await RepairAsync(force: false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        long tick = 0;
        DateTime nextRepair = DateTime.UtcNow + RepairEvery;
        while (!_stop.IsCancellationRequested)
        {
            int sender = (int)(tick % _senders.Length);
            string url = _urls[(int)((tick / _senders.Length + tick) % _urls.Length)];
            tick++;
            await SendNextAsync(sender, url);
            if (DateTime.UtcNow >= nextRepair)
            {
                await RepairAsync(force: false);
                nextRepair = DateTime.UtcNow + RepairEvery;
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

    private async Task SendNextAsync(int sender, string url)
    {
        ulong nonce;
        lock (_nonces)
        {
            nonce = _nonces[sender];
        }

        Transaction tx = DevChainFixture.Transfer1559(_senders[sender], _recipient, nonce, _value, tipGwei: 1, maxFeeGwei: 3, chainId: LocalnetClient.ChainId);
        byte[] raw = TransactionEncoder.Encode(tx);
        JsonNode? error;
        try
        {
            (_, error) = await LocalnetClient.RpcAsync(url, "eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(raw));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _refused); // the node is down: the same nonce goes to the next node
            return;
        }

        string? message = error?["message"]?.GetValue<string>();
        if (error is null || message == "already known")
        {
            Interlocked.Increment(ref _accepted);
            lock (_nonces)
            {
                _unconfirmed[sender][nonce] = raw;
                _nonces[sender] = nonce + 1;
            }

            return;
        }

        Interlocked.Increment(ref _rejected);
        Note($"{url} nonce {nonce} of sender {sender}: {error!.ToJsonString()}");
        if (message == "nonce too low")
        {
            // A send that timed out here was taken after all and is included: go on from the chain's nonce.
            ulong included = nonce;
            try
            {
                included = await NonceAsync(url, sender) ?? nonce;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Gone meanwhile: the next "nonce too low" tries again.
            }
            lock (_nonces)
            {
                _nonces[sender] = Math.Max(_nonces[sender], included);
            }
        }
    }

    /// <summary>Re-sends the unconfirmed transfers of senders whose nonce did not move since the last check (all of them when <paramref name="force"/>); true when none is left.</summary>
    private async Task<bool> RepairAsync(bool force)
    {
        bool allIncluded = true;
        for (int s = 0; s < _senders.Length; s++)
        {
            ulong? confirmed;
            try
            {
                confirmed = await NonceAsync(_watchUrl, s);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }

            if (confirmed is not ulong c)
            {
                return false;
            }

            List<byte[]> resend = [];
            lock (_nonces)
            {
                foreach (ulong n in _unconfirmed[s].Keys.ToArray())
                {
                    if (n < c)
                    {
                        _unconfirmed[s].Remove(n);
                    }
                }

                // A send that timed out on our side may have been taken and included: it was signed all the same.
                _nonces[s] = Math.Max(_nonces[s], c);
                if (c < _nonces[s])
                {
                    allIncluded = false;
                    if (force || c == _lastConfirmed[s])
                    {
                        for (ulong n = c; n < _nonces[s]; n++)
                        {
                            if (_unconfirmed[s].TryGetValue(n, out byte[]? raw))
                            {
                                resend.Add(raw);
                            }
                        }
                    }
                }

                _lastConfirmed[s] = c;
            }

            foreach (byte[] raw in resend)
            {
                Interlocked.Increment(ref _resent);
                foreach (string url in _urls)
                {
                    try
                    {
                        await LocalnetClient.RpcAsync(url, "eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(raw)); // "already known" where it is
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // That node is down; the others have it.
                    }
                }
            }
        }

        return allIncluded;
    }

    private async Task<ulong?> NonceAsync(string url, int sender)
    {
        (JsonNode? result, _) = await LocalnetClient.RpcAsync(url, "eth_getTransactionCount", _senders[sender].Address.ToString(), "latest");
        return result is null ? null : LocalnetClient.ParseQuantity(result.GetValue<string>());
    }

    private void Note(string line)
    {
        lock (_errors)
        {
            if (_errors.Count < 20)
            {
                _errors.Add(line);
            }
        }
    }
}
