using System.Net;

namespace Cere.Chain.Tests.Network.Faults;

/// <summary>
/// One <see cref="TcpFaultProxy"/> per ordered pair of nodes: node i reaches node j only through proxy (i→j), so a
/// partition is a set of cut proxies. Targets (the nodes' real listen ports) may be set after the proxies exist, so the
/// nodes can be started with the proxies' addresses as their bootnodes.
/// </summary>
public sealed class ProxyMesh : IAsyncDisposable
{
    private readonly TcpFaultProxy[,] _links;

    /// <summary>Creates the n·(n−1) proxies of <paramref name="nodes"/> nodes, listening at once, targets unknown.</summary>
    public ProxyMesh(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        Count = nodes;
        _links = new TcpFaultProxy[nodes, nodes];
        for (int i = 0; i < nodes; i++)
        {
            for (int j = 0; j < nodes; j++)
            {
                if (i != j)
                {
                    _links[i, j] = new TcpFaultProxy($"{i}→{j}");
                }
            }
        }
    }

    /// <summary>Number of nodes.</summary>
    public int Count { get; }

    /// <summary>The proxy node <paramref name="from"/> dials to reach node <paramref name="to"/>.</summary>
    public TcpFaultProxy Link(int from, int to) =>
        from == to ? throw new ArgumentException($"node {from} has no link to itself") : _links[from, to];

    /// <summary>Points every proxy towards node <paramref name="node"/> at its real listen address.</summary>
    public void SetTarget(int node, IPEndPoint endpoint)
    {
        for (int i = 0; i < Count; i++)
        {
            if (i != node)
            {
                _links[i, node].SetTarget(endpoint);
            }
        }
    }

    /// <summary>
    /// Splits the nodes into <paramref name="groups"/> (every node in exactly one): links inside a group are healed,
    /// links across groups (both directions) are cut. Returns the number of cut links.
    /// </summary>
    public int Partition(params int[][] groups) => Split(groups, silent: false);

    /// <summary>
    /// As <see cref="Partition"/>, but the cross links are paused (<see cref="TcpFaultProxy.Pause"/>): connections stay
    /// open and say nothing, as when a network drops packets; links inside a group are resumed. Returns the paused count.
    /// </summary>
    public int PartitionSilently(params int[][] groups) => Split(groups, silent: true);

    private int Split(int[][] groups, bool silent)
    {
        int[] side = new int[Count];
        Array.Fill(side, -1);
        for (int g = 0; g < groups.Length; g++)
        {
            foreach (int n in groups[g])
            {
                if (n < 0 || n >= Count || side[n] != -1)
                {
                    throw new ArgumentException($"node {n} is out of range or in two groups");
                }

                side[n] = g;
            }
        }

        if (Array.IndexOf(side, -1) is int missing and >= 0)
        {
            throw new ArgumentException($"node {missing} is in no group");
        }

        int cut = 0;
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                if (side[i] == side[j])
                {
                    _links[i, j].Heal();
                    _links[i, j].Resume();
                }
                else
                {
                    if (silent)
                    {
                        _links[i, j].Pause();
                    }
                    else
                    {
                        _links[i, j].Cut();
                    }

                    cut++;
                }
            }
        }

        return cut;
    }

    /// <summary>Sets <see cref="TcpFaultProxy.Delay"/> on every link.</summary>
    public void SetDelay(TimeSpan delay)
    {
        foreach (TcpFaultProxy p in _links)
        {
            if (p is not null)
            {
                p.Delay = delay;
            }
        }
    }

    /// <summary>Heals and resumes every link.</summary>
    public void HealAll()
    {
        foreach (TcpFaultProxy p in _links)
        {
            p?.Heal();
            p?.Resume();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (TcpFaultProxy p in _links)
        {
            if (p is not null)
            {
                await p.DisposeAsync();
            }
        }
    }
}
