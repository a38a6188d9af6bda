using System.CommandLine;
using Cere.Chain.Blocks;
using Cere.Core.Chainspec;
using Cere.Storage.Db;

namespace Cere.Chain.Cli;

/// <summary><c>cere-node init --genesis FILE --datadir DIR</c>: writes block 0 and prints its hash and state root.</summary>
public static class InitCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        Option<FileInfo> genesis = new("--genesis") { Description = "genesis JSON (geth's genesis.json shape plus a \"cere\" section)", Required = true };
        Option<DirectoryInfo> datadir = new("--datadir") { Description = "data directory to create the database in", Required = true };
        Option<FileInfo?> chainspec = new("--chainspec") { Description = "chainspec JSON (default: chain id from the genesis, standard fee rules)" };
        Command init = new("init", "Write block 0 from a genesis file into a data directory and print its hash and state root");
        init.Options.Add(genesis);
        init.Options.Add(datadir);
        init.Options.Add(chainspec);
        init.SetAction(parse => Run(parse.GetValue(genesis)!, parse.GetValue(datadir)!, parse.GetValue(chainspec)));
        return init;
    }

    private static int Run(FileInfo genesisFile, DirectoryInfo datadir, FileInfo? chainspecFile)
    {
        Genesis genesis;
        ChainSpec spec;
        try
        {
            genesis = Genesis.Parse(File.ReadAllText(genesisFile.FullName));
            spec = chainspecFile is null ? new ChainSpec { ChainId = genesis.ChainId } : ChainSpec.Parse(File.ReadAllText(chainspecFile.FullName));
        }
        catch (Exception e) when (e is IOException or ChainspecException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"init: {e.Message}");
            return 1;
        }

        try
        {
            using RocksDbStore db = RocksDbStore.Open(Path.Combine(datadir.FullName, "chaindata"));
            Blockchain chain = Blockchain.Open(db, genesis, spec);
            Console.WriteLine($"genesis hash={chain.Genesis.Hash} stateRoot={chain.Genesis.StateRoot} chainId={spec.ChainId} datadir={datadir.FullName}");
            return 0;
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"init: {e.Message}");
            return 1;
        }
    }
}
