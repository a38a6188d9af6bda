using System.CommandLine;
using System.Net;
using Cere.Chain.Dev;
using Cere.Chain.Node;
using System.Reflection;

namespace Cere.Chain.Cli;

/// <summary>Builds the <c>cere-node</c> command tree; each subcommand family lives in its own file.</summary>
public static class NodeCommandLine
{
    /// <summary>The node's version as shown by <c>--version</c> and <c>web3_clientVersion</c>.</summary>
    public static string Version =>
        typeof(NodeCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private static bool Given<T>(ParseResult parse, Option<T> option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Creates the root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        Option<bool> dev = new("--dev") { Description = "Run a one-validator development chain with ten funded test accounts (printed at start)" };
        Option<string?> datadir = new("--datadir") { Description = $"Data directory (default for --dev: {DevCommandRunner.DefaultDataDir})" };
        Option<string> rpcAddr = new("--rpc.addr") { Description = "Address JSON-RPC (HTTP and WebSocket) listens on", DefaultValueFactory = _ => "127.0.0.1" };
        Option<int> rpcPort = new("--rpc.port") { Description = "JSON-RPC port, HTTP and WebSocket on the same port (0 = any free port)", DefaultValueFactory = _ => 8545 };
        Option<string[]> cors = new("--rpc.corsdomain") { Description = "Browser origin allowed to call JSON-RPC (repeatable; * for any)", AllowMultipleArgumentsPerToken = false };
        Option<int> period = new("--dev.period") { Description = "Seconds between dev blocks (0 = one block as soon as transactions arrive)", DefaultValueFactory = _ => 1 };
        Option<string> mnemonic = new("--dev.mnemonic") { Description = "BIP-39 mnemonic of the ten dev accounts (m/44'/60'/0'/0/i)", DefaultValueFactory = _ => DevAccounts.TestMnemonic };
        Option<FileInfo?> config = new("--config") { Description = "JSON file with any of: datadir, rpc.addr, rpc.port, rpc.corsdomain, dev.period, dev.mnemonic (the command line wins)" };
        RootCommand root = new($"cere-node {Version}: a full node of the Cere network (BFT proof of stake, EVM, JSON-RPC).\nStart a local chain with: cere-node --dev");
        root.Options.Add(dev);
        root.Options.Add(datadir);
        root.Options.Add(rpcAddr);
        root.Options.Add(rpcPort);
        root.Options.Add(cors);
        root.Options.Add(period);
        root.Options.Add(mnemonic);
        root.Options.Add(config);
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(P2pCommands.Create());
        root.Subcommands.Add(EvmCommands.Create());
        root.Subcommands.Add(KeyCommands.Create());
        root.SetAction(async (parse, ct) =>
        {
            Console.WriteLine($"cere-node {Version}");
            if (!parse.GetValue(dev))
            {
                Console.WriteLine("Nothing to run: start a local chain with --dev, or see --help for the commands.");
                return 0;
            }

            NodeOptions options;
            try
            {
                NodeConfigFile file = parse.GetValue(config) is FileInfo f ? NodeConfigFile.Load(f.FullName) : NodeConfigFile.Empty;
                string addr = Given(parse, rpcAddr) ? parse.GetValue(rpcAddr)! : file.GetString("rpc.addr") ?? parse.GetValue(rpcAddr)!;
                if (!IPAddress.TryParse(addr, out IPAddress? ip))
                {
                    throw new InvalidDataException($"--rpc.addr: \"{addr}\" is not an IP address");
                }

                int port = Given(parse, rpcPort) ? parse.GetValue(rpcPort) : file.GetInt("rpc.port") ?? parse.GetValue(rpcPort);
                int seconds = Given(parse, period) ? parse.GetValue(period) : file.GetInt("dev.period") ?? parse.GetValue(period);
                if (port is < 0 or > 65535 || seconds < 0)
                {
                    throw new InvalidDataException("--rpc.port must be in [0, 65535] and --dev.period at least 0");
                }

                string[] origins = parse.GetValue(cors) is { Length: > 0 } o ? o : file.GetString("rpc.corsdomain") is string c ? [c] : [];
                options = new NodeOptions
                {
                    DataDir = parse.GetValue(datadir) ?? file.GetString("datadir") ?? DevCommandRunner.DefaultDataDir,
                    RpcAddress = ip,
                    RpcPort = port,
                    DevPeriodSeconds = seconds,
                    DevMnemonic = Given(parse, mnemonic) ? parse.GetValue(mnemonic)! : file.GetString("dev.mnemonic") ?? parse.GetValue(mnemonic)!,
                    CorsOrigins = origins,
                };
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            return await DevCommandRunner.RunAsync(options, ct).ConfigureAwait(false);
        });
        Consensus.ValidatorCommand.AddTo(root);
        return root;
    }
}
