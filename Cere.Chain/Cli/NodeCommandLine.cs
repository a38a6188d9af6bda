using System.CommandLine;
using System.Reflection;

namespace Cere.Chain.Cli;

/// <summary>Builds the <c>cere-node</c> command tree; each subcommand family lives in its own file.</summary>
public static class NodeCommandLine
{
    /// <summary>The node's version as shown by <c>--version</c> and <c>web3_clientVersion</c>.</summary>
    public static string Version =>
        typeof(NodeCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Creates the root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        Option<bool> dev = new("--dev") { Description = "Run a one-validator development chain with embedded defaults" };
        RootCommand root = new($"cere-node {Version}: a full node of the Cere network (BFT proof of stake, EVM, JSON-RPC)");
        root.Options.Add(dev);
        root.Subcommands.Add(P2pCommands.Create());
        root.SetAction(parse =>
        {
            Console.WriteLine($"cere-node {Version}");
            if (parse.GetValue(dev))
            {
                Console.Error.WriteLine("The dev chain is not built yet (see the issue 'A running node'). Use --help for what exists.");
                return 2;
            }

            Console.WriteLine("Usage: cere-node [--dev] [--help] [--version] [command]");
            return 0;
        });
        return root;
    }
}
