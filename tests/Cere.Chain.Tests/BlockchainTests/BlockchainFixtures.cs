using Cere.Tests.Shared;

namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>The official BlockchainTests (../shared/vectors/blockchain) this node runs, and the ones left out by name with the reason.</summary>
internal static class BlockchainFixtures
{
    private const string NoBlobs =
        "EIP-4844 blob transactions (type 3): this chain carries no blobs and does not decode them (../shared/vectors/README.md, \"Blob transactions\")";

    private const string CancunEvmOnly =
        "needs the Shanghai EVM before the fork (BLOBBASEFEE must be an invalid opcode); Cere.Vm runs Cancun rules only";

    /// <summary>Folders left out, with the reason.</summary>
    public static readonly (string Prefix, string Reason)[] ExcludedFolders =
    [
        ("blockchain/GeneralStateTests/Cancun/stEIP4844-blobtransactions/", NoBlobs),
        ("blockchain/ValidBlocks/bcEIP4844-blobtransactions/", NoBlobs),
    ];

    /// <summary>Networks left out, with the reason.</summary>
    public static readonly (string Network, string Reason)[] ExcludedNetworks =
    [
        ("Shanghai", "pre-Cancun fork: the EVM runs Cancun rules only (README: use the Cancun and ShanghaiToCancunAtTime15k entries)"),
    ];

    /// <summary>Single tests left out, with the reason.</summary>
    public static readonly (string Name, string Reason)[] ExcludedTests =
    [
        ("src/GeneralStateTestsFiller/Pyspecs/cancun/eip4788_beacon_root/test_beacon_root_contract.py::test_tx_to_beacon_root_contract[fork_Cancun-tx_type_3-blockchain_test-call_beacon_root_contract_True-auto_access_list_False]", NoBlobs),
        ("src/GeneralStateTestsFiller/Pyspecs/cancun/eip4788_beacon_root/test_beacon_root_contract.py::test_tx_to_beacon_root_contract[fork_Cancun-tx_type_3-blockchain_test-call_beacon_root_contract_True-auto_access_list_True]", NoBlobs),
        ("src/GeneralStateTestsFiller/Pyspecs/cancun/eip7516_blobgasfee/test_blobgasfee_opcode.py::test_blobbasefee_before_fork[fork_ShanghaiToCancunAtTime15k-blockchain_test]", CancunEvmOnly),
        ("src/GeneralStateTestsFiller/Pyspecs/cancun/eip7516_blobgasfee/test_blobgasfee_opcode.py::test_blobbasefee_during_fork[fork_ShanghaiToCancunAtTime15k-blockchain_test]", CancunEvmOnly),
    ];

    /// <summary>Every fixture file, relative to the vectors root.</summary>
    public static IEnumerable<string> Files() => VectorFiles.Enumerate("blockchain");

    /// <summary>Why <paramref name="c"/> is left out, or null when it runs.</summary>
    public static string? ExclusionOf(BlockchainTestCase c)
    {
        foreach ((string prefix, string reason) in ExcludedFolders)
        {
            if (c.File.StartsWith(prefix, StringComparison.Ordinal))
            {
                return reason;
            }
        }

        foreach ((string network, string reason) in ExcludedNetworks)
        {
            if (c.Network == network)
            {
                return reason;
            }
        }

        foreach ((string name, string reason) in ExcludedTests)
        {
            if (c.Name == name)
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>Every test that runs, in file order.</summary>
    public static IEnumerable<BlockchainTestCase> Cases(Func<string, bool>? takeFile = null)
    {
        foreach (string file in Files())
        {
            if (takeFile is not null && !takeFile(file))
            {
                continue;
            }

            foreach (BlockchainTestCase c in BlockchainTestLoader.Load(file))
            {
                if (ExclusionOf(c) is null)
                {
                    yield return c;
                }
            }
        }
    }
}
