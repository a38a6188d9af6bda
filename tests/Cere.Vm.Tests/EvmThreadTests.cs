namespace Cere.Vm.Tests;

/// <summary>The pooled big-stack threads: results and exceptions come back, nesting runs inline, many callers all finish.</summary>
public class EvmThreadTests
{
    [Test]
    public void ResultComesBackFromAnEvmThread()
    {
        bool onEvm = EvmThread.Run(() => EvmThread.IsCurrentThread);
        Assert.That(onEvm, Is.True);
        Assert.That(EvmThread.IsCurrentThread, Is.False);
    }

    [Test]
    public void ExceptionIsRethrownOnTheCaller()
    {
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => EvmThread.Run<int>(() => throw new InvalidOperationException("boom")))!;
        Assert.That(e.Message, Is.EqualTo("boom"));
    }

    [Test]
    public void NestedRunExecutesInlineOnTheSameThread()
    {
        (int outer, int inner) = EvmThread.Run(() => (Environment.CurrentManagedThreadId, EvmThread.Run(() => Environment.CurrentManagedThreadId)));
        Assert.That(inner, Is.EqualTo(outer));
    }

    [Test]
    public void DeepRecursionFitsTheStack()
    {
        // Far deeper than a default 1 MiB (or 8 MiB) stack allows with these frames.
        int depth = EvmThread.Run(() => Recurse(200_000));
        Assert.That(depth, Is.EqualTo(200_000));
    }

    [Test]
    public async Task ManyMoreCallersThanThreadsAllFinish()
    {
        int callers = EvmThread.MaxThreads * 4;
        Task<int>[] tasks = new Task<int>[callers];
        for (int i = 0; i < callers; i++)
        {
            int k = i;
            tasks[i] = Task.Run(() => EvmThread.Run(() =>
            {
                Thread.Sleep(5);
                return k * 2;
            }));
        }

        int[] results = await Task.WhenAll(tasks);
        for (int i = 0; i < callers; i++)
        {
            Assert.That(results[i], Is.EqualTo(i * 2));
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int Recurse(int n)
    {
        Span<byte> pad = stackalloc byte[64];
        pad[0] = (byte)n;
        return n == 0 ? pad[0] : 1 + Recurse(n - 1);
    }
}
