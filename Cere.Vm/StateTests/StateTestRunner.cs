using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Vm.StateTests;

/// <summary>Runs one state-test entry: fresh in-memory pre-state, the transaction, then post-state root and logs hash.</summary>
public static class StateTestRunner
{
    /// <summary>
    /// Runs <paramref name="c"/> on a big-stack thread and compares with the fixture's expectations; with a
    /// <paramref name="tracer"/> the traced interpreter loop runs.
    /// </summary>
    public static StateTestOutcome Run(StateTestCase c, ITxTracer? tracer = null) => EvmThread.Run(() => RunHere(c, tracer));

    private static StateTestOutcome RunHere(StateTestCase c, ITxTracer? tracer)
    {
        using MemoryStore db = new();
        WorldState state = WorldState.Open(db, Hash256.EmptyTrieRoot);
        foreach (var a in c.Pre.Accounts)
        {
            state.CreateAccount(a.Address);
            state.SetNonce(a.Address, a.Nonce);
            state.AddBalance(a.Address, a.Balance);
            if (a.Code.Length > 0)
            {
                state.SetCode(a.Address, a.Code);
            }

            foreach ((UInt256 slot, UInt256 value) in a.Storage)
            {
                state.SetStorage(a.Address, slot, value);
            }
        }

        state.FinalizeTransaction();
        state.Commit(0);

        LogEntry[] logs = [];
        string? error = null;
        try
        {
            Transaction tx = TransactionDecoder.Decode(c.TxBytes);
            TransactionProcessor processor = new(state, c.Pre.Block) { Tracer = tracer };
            logs = processor.Execute(tx).Logs;
        }
        catch (TransactionException e)
        {
            error = e.Message;
        }
        catch (TxRejectedException e)
        {
            error = e.Message;
        }

        Hash256 root = state.ComputeStateRoot();
        Hash256 logsHash = LogsHash(logs);
        bool pass = root == c.ExpectedRoot && logsHash == c.ExpectedLogs && (error is null) == (c.ExpectException is null);
        string? message = pass ? null
            : c.ExpectException is not null && error is null ? $"expected exception {c.ExpectException} but the transaction was accepted"
            : c.ExpectException is null && error is not null ? $"unexpected rejection: {error}"
            : root != c.ExpectedRoot ? $"post state root mismatch: got {root}, want {c.ExpectedRoot}"
            : $"logs hash mismatch: got {logsHash}, want {c.ExpectedLogs}";
        return new StateTestOutcome(pass, root, logsHash, message ?? error);
    }

    /// <summary>Keccak-256 of the RLP list of logs (the state tests' "logs" field).</summary>
    public static Hash256 LogsHash(LogEntry[] logs)
    {
        int payload = 0;
        foreach (LogEntry l in logs)
        {
            payload += l.EncodedLength;
        }

        byte[] buf = new byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(buf);
        w.WriteListHeader(payload);
        foreach (LogEntry l in logs)
        {
            l.Encode(ref w);
        }

        return Keccak256.Compute(buf);
    }
}
