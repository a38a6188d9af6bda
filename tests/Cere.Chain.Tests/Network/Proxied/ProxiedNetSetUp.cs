using Cere.Chain.Tests.Network.Faults;

namespace Cere.Chain.Tests.Network.Proxied;

/// <summary>
/// Starts one <see cref="ProxiedLocalnet"/> (the four local validators and a <c>--full</c> node as processes, every link
/// through a fault proxy) for all the tests of this namespace, and stops it after them: one start-up (about 30 s on a
/// loaded 2-core machine) instead of one per fixture. Each test heals the mesh and waits for agreement before it begins.
/// </summary>
[SetUpFixture]
public sealed class ProxiedNetSetUp
{
    private static ProxiedLocalnet? s_net;

    /// <summary>The running network.</summary>
    public static ProxiedLocalnet Net => s_net ?? throw new InvalidOperationException("the proxied network is not running");

    /// <summary>Heals every link and waits until all nodes pass the highest head seen now, agreeing there.</summary>
    public static async Task HealAndAgreeAsync()
    {
        Net.Mesh.HealAll();
        ulong head = (await Net.HeadsAsync(Net.All)).Max();
        await Net.WaitForAgreementAsync(Net.All, TimeSpan.FromSeconds(120), above: head);
    }

    /// <summary>Prints every node's last lines when the current test failed.</summary>
    public static void PrintLogsOnFailure()
    {
        if (s_net is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine(s_net.Logs(40));
        }
    }

    [OneTimeSetUp]
    public async Task StartNet()
    {
        s_net = await ProxiedLocalnet.StartAsync(validators: 4, fullNodes: 1, TimeSpan.FromSeconds(120));
        await s_net.WaitForAgreementAsync(s_net.All, TimeSpan.FromSeconds(120), above: 1);
    }

    [OneTimeTearDown]
    public async Task StopNet()
    {
        if (s_net is not null)
        {
            await s_net.DisposeAsync();
            s_net = null;
        }
    }
}
