namespace Cere.Vm;

/// <summary>Runs work on a thread with a stack deep enough for 1024 nested EVM call frames.</summary>
public static class EvmThread
{
    /// <summary>Stack size in bytes for EVM execution threads.</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Runs <paramref name="work"/> on a fresh big-stack thread and returns its result (exceptions are rethrown).</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        Exception? error = null;
        Thread t = new(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, StackBytes);
        t.Start();
        t.Join();
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }

        return result;
    }
}
