using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Cere.Vm;

/// <summary>
/// Runs work on a thread whose stack is deep enough for 1024 nested EVM call frames. The threads are kept in a small
/// pool (created on demand, up to <see cref="MaxThreads"/>) because a JSON-RPC node runs an eth_call per request and a
/// fresh 256 MiB-stack thread per call costs a thread start and a stack mapping each time.
/// </summary>
public static class EvmThread
{
    /// <summary>Stack size in bytes for EVM execution threads (reserved address space; pages are committed on use).</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>The most EVM threads alive at once; callers beyond that wait for a free one.</summary>
    public static readonly int MaxThreads = Math.Max(4, Environment.ProcessorCount * 2);

    private static readonly BlockingCollection<IWorkItem> s_queue = new();
    private static int s_threads;
    private static int s_idle;

    [ThreadStatic]
    private static bool t_isEvmThread;

    /// <summary>True on an EVM thread (work started from one runs inline instead of queueing behind itself).</summary>
    public static bool IsCurrentThread => t_isEvmThread;

    /// <summary>Runs <paramref name="work"/> on a big-stack thread and returns its result (exceptions are rethrown).</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (t_isEvmThread)
        {
            return work();
        }

        using WorkItem<T> item = new(work);
        s_queue.Add(item);
        EnsureThread();
        item.Done.Wait();
        item.Error?.Throw();
        return item.Result;
    }

    // A new thread starts only when no thread is idle; one that finds nothing queued goes idle again.
    private static void EnsureThread()
    {
        if (Volatile.Read(ref s_idle) > 0)
        {
            return;
        }

        int count = Volatile.Read(ref s_threads);
        while (count < MaxThreads)
        {
            int seen = Interlocked.CompareExchange(ref s_threads, count + 1, count);
            if (seen == count)
            {
                Thread t = new(Work, StackBytes) { IsBackground = true, Name = "evm" };
                t.Start();
                return;
            }

            count = seen;
        }
    }

    private static void Work()
    {
        t_isEvmThread = true;
        while (true)
        {
            Interlocked.Increment(ref s_idle);
            IWorkItem item = s_queue.Take();
            Interlocked.Decrement(ref s_idle);
            item.Execute();
        }
    }

    private interface IWorkItem
    {
        void Execute();
    }

    private sealed class WorkItem<T>(Func<T> work) : IWorkItem, IDisposable
    {
        public ManualResetEventSlim Done { get; } = new();

        public T Result { get; private set; } = default!;

        public ExceptionDispatchInfo? Error { get; private set; }

        public void Execute()
        {
            try
            {
                Result = work();
            }
            catch (Exception e) // travels back to the caller's thread and is rethrown there
            {
                Error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                Done.Set();
            }
        }

        public void Dispose() => Done.Dispose();
    }
}
