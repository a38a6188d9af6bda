using System.Runtime.InteropServices;
using Cere.Chain.Node;
using Cere.Storage.Db;

namespace Cere.Chain.Cli;

/// <summary>Runs <c>cere-node --dev</c> until Ctrl+C or SIGTERM.</summary>
public static class DevCommandRunner
{
    /// <summary>The default data directory of the dev chain (~/.cere/dev).</summary>
    public static string DefaultDataDir =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cere", "dev");

    /// <summary>Opens the database, starts RPC and seals until cancelled; returns the exit code.</summary>
    public static async Task<int> RunAsync(NodeOptions options, CancellationToken ct)
    {
        RocksDbStore db;
        try
        {
            Directory.CreateDirectory(options.DataDir);
            db = RocksDbStore.Open(Path.Combine(options.DataDir, "chaindata"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"cannot open the data directory {options.DataDir}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        DevNode node;
        try
        {
            node = DevNode.Create(options, db, Console.Out);
        }
        catch (InvalidDataException e)
        {
            db.Dispose();
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }

        // SIGTERM and SIGINT stop the node cleanly: Kestrel's hosting takes SIGTERM over once RPC starts, so the
        // signals are handled here, before it, and turned into the cancellation the sealer and RPC already honour.
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using (node.ConfigureAwait(false))
        {
            try
            {
                await node.StartAsync(Console.Out, stop.Token).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"cannot listen on {options.RpcAddress}:{options.RpcPort}: {e.Message} (is another node running? try --rpc.port)").ConfigureAwait(false);
                return 1;
            }

            await node.RunSealerAsync(stop.Token).ConfigureAwait(false);
            Console.WriteLine("shutting down");
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
