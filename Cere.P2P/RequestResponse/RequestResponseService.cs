using System.Collections.Concurrent;
using Cere.P2P.Crypto;
using Cere.P2P.Encoding;
using Cere.P2P.Hosting;
using Google.Protobuf;

namespace Cere.P2P.RequestResponse;

/// <summary>
/// Request/response over libp2p streams: one stream per request, one protocol id per message type. The requester
/// writes <c>varint(len) ‖ request</c> and half-closes; the responder writes <c>status ‖ varint(len) ‖ body</c> and
/// closes. Sizes are bounded on both sides, both sides have deadlines, and a failure is a status with a reason.
/// </summary>
public sealed class RequestResponseService
{
    private readonly Host _host;
    private readonly ConcurrentDictionary<string, Registration> _protocols = new(StringComparer.Ordinal);

    /// <summary>Creates the service on <paramref name="host"/>; protocols are added with <see cref="Register"/>.</summary>
    public RequestResponseService(Host host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
    }

    /// <summary>Answers requests of <paramref name="protocol"/> with <paramref name="handler"/>.</summary>
    public void Register(string protocol, RequestHandler handler, RequestResponseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new RequestResponseOptions();
        options.Validate();
        var registration = new Registration(protocol, handler, options);
        _protocols[protocol] = registration;
        _host.SetStreamHandler(protocol, (stream, ct) => RespondAsync(registration, stream, ct));
    }

    /// <summary>Stops answering <paramref name="protocol"/>.</summary>
    public void Unregister(string protocol)
    {
        if (_protocols.TryRemove(protocol, out _))
            _host.RemoveStreamHandler(protocol);
    }

    /// <summary>
    /// Sends <paramref name="request"/> to a connected <paramref name="peer"/> on <paramref name="protocol"/> and returns the body of a
    /// successful answer. Throws <see cref="RequestFailedException"/> for an error status or a malformed/oversized answer,
    /// <see cref="TimeoutException"/> past the deadline, <see cref="ProtocolNotSupportedException"/> if the peer does not serve it,
    /// and <see cref="ArgumentException"/> for a request over the size limit (nothing is sent then).
    /// </summary>
    public async Task<byte[]> RequestAsync(PeerId peer, string protocol, ReadOnlyMemory<byte> request, RequestResponseOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        options ??= _protocols.TryGetValue(protocol, out var known) ? known.Options : new RequestResponseOptions();
        if (request.Length > options.MaxRequestSize)
            throw new ArgumentException($"{protocol}: request of {request.Length} bytes exceeds the {options.MaxRequestSize}-byte limit", nameof(request));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.RequestTimeout);
        P2pStream? stream = null;
        try
        {
            stream = await _host.NewStreamAsync(peer, protocol, deadline.Token).ConfigureAwait(false);
            await LengthPrefixed.WriteAsync(stream, request, deadline.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);

            var status = new byte[1];
            if (await stream.ReadAsync(status, deadline.Token).ConfigureAwait(false) == 0)
                throw new RequestFailedException(protocol, ResponseStatus.ServerError, "stream closed before a response");
            if (status[0] > (byte)ResponseStatus.ResourceUnavailable)
                throw new RequestFailedException(protocol, ResponseStatus.ServerError, $"unknown response status {status[0]}");

            byte[] body;
            try
            {
                body = await LengthPrefixed.ReadAsync(stream, options.MaxResponseSize, deadline.Token).ConfigureAwait(false)
                    ?? throw new RequestFailedException(protocol, ResponseStatus.ServerError, "stream closed after the status byte");
            }
            catch (InvalidDataException e)
            {
                throw new RequestFailedException(protocol, ResponseStatus.ServerError, $"response: {e.Message}");
            }
            catch (EndOfStreamException)
            {
                throw new RequestFailedException(protocol, ResponseStatus.ServerError, "response truncated");
            }

            if ((ResponseStatus)status[0] != ResponseStatus.Success)
                throw new RequestFailedException(protocol, (ResponseStatus)status[0], System.Text.Encoding.UTF8.GetString(body));
            return body;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            stream?.Reset();
            throw new TimeoutException($"{protocol} request to {peer} timed out after {options.RequestTimeout.TotalSeconds:0.###} s");
        }
        finally
        {
            if (stream is not null)
                await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Typed form of <see cref="RequestAsync(PeerId, string, ReadOnlyMemory{byte}, RequestResponseOptions?, CancellationToken)"/> for protobuf messages.</summary>
    public async Task<TResponse> RequestAsync<TResponse>(PeerId peer, string protocol, IMessage request, MessageParser<TResponse> parser, RequestResponseOptions? options = null, CancellationToken ct = default)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        var body = await RequestAsync(peer, protocol, request.ToByteArray(), options, ct).ConfigureAwait(false);
        try
        {
            return parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RequestFailedException(protocol, ResponseStatus.ServerError, $"malformed response protobuf: {e.Message}");
        }
    }

    private async Task RespondAsync(Registration registration, P2pStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            var peer = stream.Connection.RemotePeer;
            var options = registration.Options;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.HandlerTimeout);
            if (!registration.Slots.Wait(0, CancellationToken.None))
            {
                await TryRespondAsync(stream, Response.Error(ResponseStatus.ResourceUnavailable, "too many concurrent requests"), deadline.Token).ConfigureAwait(false);
                return;
            }

            try
            {
                Response response;
                byte[]? request;
                try
                {
                    request = await LengthPrefixed.ReadAsync(stream, options.MaxRequestSize, deadline.Token).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    _host.Log($"request/response: {registration.Protocol} from {peer}: {e.Message}");
                    await TryRespondAsync(stream, Response.Error(ResponseStatus.InvalidRequest, e.Message), deadline.Token).ConfigureAwait(false);
                    return;
                }

                if (request is null)
                    return; // the requester closed without asking anything

                try
                {
                    response = await registration.Handler(peer, request, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    response = Response.Error(ResponseStatus.ServerError, "handler timed out");
                }
#pragma warning disable CA1031 // any handler bug becomes a ServerError answer; the node stays up
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    _host.Log($"request/response: {registration.Protocol} handler failed for {peer}: {e.GetType().Name}: {e.Message}");
                    response = Response.Error(ResponseStatus.ServerError, "internal error");
                }

                if (response.Status == ResponseStatus.Success && response.Body.Length > options.MaxResponseSize)
                {
                    _host.Log($"request/response: {registration.Protocol} answer of {response.Body.Length} bytes exceeds {options.MaxResponseSize}");
                    response = Response.Error(ResponseStatus.ServerError, "response too large");
                }

                await TryRespondAsync(stream, response, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException or ObjectDisposedException)
            {
                // The requester went away or the deadline passed while reading: nothing to answer.
                stream.Reset();
            }
            finally
            {
                registration.Slots.Release();
            }
        }
    }

    private static async Task TryRespondAsync(P2pStream stream, Response response, CancellationToken ct)
    {
        var body = response.Body;
        var prefix = Varint.SizeOf((ulong)body.Length);
        var frame = new byte[1 + prefix + body.Length];
        frame[0] = (byte)response.Status;
        Varint.Write((ulong)body.Length, frame.AsSpan(1));
        body.Span.CopyTo(frame.AsSpan(1 + prefix));
        await stream.WriteAsync(frame, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
        await stream.CloseWriteAsync(ct).ConfigureAwait(false);
    }

    private sealed class Registration(string protocol, RequestHandler handler, RequestResponseOptions options)
    {
        public string Protocol { get; } = protocol;

        public RequestHandler Handler { get; } = handler;

        public RequestResponseOptions Options { get; } = options;

        public SemaphoreSlim Slots { get; } = new(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
    }
}
