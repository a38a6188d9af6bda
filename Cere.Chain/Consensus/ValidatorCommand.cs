using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net;
using System.Runtime.InteropServices;
using Cere.Chain.ValidatorKeys;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;

namespace Cere.Chain.Consensus;

/// <summary>
/// <c>cere-node --validator --chainspec F --genesis F --keystore F --password-file F [--datadir D] [--p2p.port N]
/// [--bootnodes A,B]</c>: runs a validator until Ctrl+C; <c>--full</c> with the same options minus the keystore and
/// password file runs a full node (follows the chain, serves JSON-RPC, never signs). Added to the root command beside
/// <c>--dev</c>.
/// </summary>
public static class ValidatorCommand
{
    /// <summary>The libp2p identity file in the data directory (a protobuf-encoded private key), created at first start so the peer id stays.</summary>
    public const string P2pKeyFileName = "p2p.key";

    /// <summary>Adds the validator options to <paramref name="root"/> and runs a validator when <c>--validator</c> is given, a full node when <c>--full</c> is; anything else goes to the root's own action.</summary>
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Option<bool> validator = new("--validator") { Description = "Run a validator of the chain given by --chainspec and --genesis, signing with --keystore" };
        Option<bool> full = new("--full") { Description = "Run a full node of the chain given by --chainspec and --genesis: follows the validators, serves JSON-RPC, never signs" };
        Option<FileInfo?> chainspec = new("--chainspec") { Description = "Chain-spec file (chain id, consensus timeouts, bootnodes)" };
        Option<FileInfo?> genesis = new("--genesis") { Description = "Genesis file (allocations and the cere.validators set)" };
        Option<FileInfo?> keystore = new("--keystore") { Description = "The validator key: a Web3 Secret Storage (v3) keystore file" };
        Option<FileInfo?> passwordFile = new("--password-file") { Description = "File holding the keystore password (one line)" };
        Option<int> p2pPort = new("--p2p.port") { Description = "libp2p TCP port", DefaultValueFactory = _ => 30333 };
        Option<string> p2pAddr = new("--p2p.addr") { Description = "Address libp2p listens on", DefaultValueFactory = _ => "0.0.0.0" };
        Option<string[]> bootnodes = new("--bootnodes") { Description = "Peers to dial, /ip4/…/tcp/…/p2p/<peer id> (comma-separated or repeated)", AllowMultipleArgumentsPerToken = true };
        Option<bool> noDiscovery = new("--p2p.no-discovery") { Description = "Dial only the --bootnodes at their given addresses, never addresses peers advertise (fixed topologies, as geth's --nodiscover)" };
        foreach (Option o in new Option[] { validator, full, chainspec, genesis, keystore, passwordFile, p2pPort, p2pAddr, bootnodes, noDiscovery })
        {
            root.Options.Add(o);
        }

        Option<string?>? datadir = Find<string?>(root, "--datadir");
        Option<int>? rpcPort = Find<int>(root, "--rpc.port");
        Option<string>? rpcAddr = Find<string>(root, "--rpc.addr");
        CommandLineAction? previous = root.Action;
        root.SetAction(async (parse, ct) =>
        {
            bool isValidator = parse.GetValue(validator);
            bool isFull = parse.GetValue(full);
            if (!isValidator && !isFull)
            {
                return previous switch
                {
                    AsynchronousCommandLineAction a => await a.InvokeAsync(parse, ct).ConfigureAwait(false),
                    SynchronousCommandLineAction s => s.Invoke(parse),
                    _ => 0,
                };
            }

            ValidatorNodeOptions options;
            try
            {
                if (isValidator && isFull)
                {
                    throw new InvalidDataException("--validator and --full exclude each other: a node either signs or follows");
                }

                string mode = isValidator ? "--validator" : "--full";
                FileInfo spec = parse.GetValue(chainspec) ?? throw new InvalidDataException($"{mode} needs --chainspec");
                FileInfo gen = parse.GetValue(genesis) ?? throw new InvalidDataException($"{mode} needs --genesis");
                FileInfo? key = parse.GetValue(keystore);
                FileInfo? pass = parse.GetValue(passwordFile);
                if (isValidator)
                {
                    _ = key ?? throw new InvalidDataException("--validator needs --keystore");
                    _ = pass ?? throw new InvalidDataException("--validator needs --password-file");
                }
                else if (key is not null || pass is not null)
                {
                    throw new InvalidDataException("--full takes no --keystore or --password-file: a full node signs nothing");
                }

                string dir = (datadir is null ? null : parse.GetValue(datadir))
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cere", isValidator ? "validator" : "full");
                int port = parse.GetValue(p2pPort);
                if (port is < 0 or > 65535)
                {
                    throw new InvalidDataException($"--p2p.port {port} is not a TCP port");
                }

                if (!IPAddress.TryParse(parse.GetValue(p2pAddr), out IPAddress? listenIp))
                {
                    throw new InvalidDataException($"--p2p.addr: \"{parse.GetValue(p2pAddr)}\" is not an IP address");
                }

                IPAddress rpcIp = IPAddress.Loopback;
                if (rpcAddr is not null && !IPAddress.TryParse(parse.GetValue(rpcAddr), out rpcIp!))
                {
                    throw new InvalidDataException($"--rpc.addr: \"{parse.GetValue(rpcAddr)}\" is not an IP address");
                }

                List<Multiaddr> peers = [];
                foreach (string item in parse.GetValue(bootnodes) ?? [])
                {
                    foreach (string one in item.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        peers.Add(Multiaddr.TryParse(one, out Multiaddr? m) && m!.PeerId is not null
                            ? m
                            : throw new InvalidDataException($"--bootnodes: \"{one}\" is not a multiaddr with /p2p/<peer id>"));
                    }
                }

                PrivateKey? signing = key is null ? null : KeystoreFile.Read(key.FullName, KeystoreFile.ReadPassword(pass!.FullName));
                Directory.CreateDirectory(dir);
                options = new ValidatorNodeOptions
                {
                    Spec = ChainSpec.Parse(File.ReadAllText(spec.FullName)),
                    Genesis = Genesis.Parse(File.ReadAllText(gen.FullName)),
                    ValidatorKey = signing,
                    DataDir = dir,
                    P2pKey = LoadOrCreateP2pKey(Path.Combine(dir, P2pKeyFileName)),
                    ListenAddress = Multiaddr.FromEndPoint(new IPEndPoint(listenIp, port)),
                    Bootnodes = peers,
                    DialOnlyBootnodes = parse.GetValue(noDiscovery),
                    RpcAddress = rpcIp,
                    RpcPort = rpcPort is null ? null : parse.GetValue(rpcPort),
                    Log = Console.WriteLine,
                };
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or KeystoreException or ChainspecException or FormatException or PeerKeyException)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            return await RunAsync(options, ct).ConfigureAwait(false);
        });
    }

    /// <summary>Runs a validator (or a full node, without a validator key) until <paramref name="ct"/> is cancelled; returns the exit code.</summary>
    public static async Task<int> RunAsync(ValidatorNodeOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidatorNode node;
        try
        {
            node = await ValidatorNode.StartAsync(options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or DoubleSignGuardException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"cannot start the {(options.IsValidator ? "validator" : "full node")}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        // SIGTERM and SIGINT stop the node cleanly (the hosting of JSON-RPC takes SIGTERM over, so it is handled here).
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using (node.ConfigureAwait(false))
        {
            // scripts/localnet reads the peer address from this line (" peer /ip4/…/p2p/…").
            string role = options.ValidatorKey is { } k ? $"validator {k.Address}" : "full node";
            Console.WriteLine($"{role} peer {node.ListenAddress}" + (node.RpcUrl is { } url ? $" rpc {url}" : string.Empty));
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine("shutting down");
            return node.Consensus.Fault is null ? 0 : 1;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Reads the libp2p identity at <paramref name="path"/>, or creates an Ed25519 one there (owner-only) if absent.</summary>
    /// <exception cref="PeerKeyException">The file is not an encoded key.</exception>
    public static PeerPrivateKey LoadOrCreateP2pKey(string path)
    {
        if (File.Exists(path))
        {
            return PeerPrivateKey.Decode(File.ReadAllBytes(path));
        }

        PeerPrivateKey key = PeerPrivateKey.Generate();
        FileStreamOptions create = new() { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // a private key: owner-only
        }

        using (FileStream f = new(path, create))
        {
            f.Write(key.Encode());
            f.Flush(flushToDisk: true);
        }

        return key;
    }

    private static Option<T>? Find<T>(RootCommand root, string name)
    {
        foreach (Option o in root.Options)
        {
            if (o.Name == name && o is Option<T> typed)
            {
                return typed;
            }
        }

        return null;
    }
}
