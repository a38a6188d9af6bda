namespace Cere.Vm;

/// <summary>The Cancun gas schedule constants (yellow paper appendix G plus EIP-2929, EIP-3529, EIP-3860).</summary>
public static class GasCosts
{
    /// <summary>Cost of a warm account or slot access (EIP-2929).</summary>
    public const long WarmAccess = 100;

    /// <summary>Cost of a cold account access (EIP-2929).</summary>
    public const long ColdAccountAccess = 2600;

    /// <summary>Cost of a cold SLOAD (EIP-2929).</summary>
    public const long ColdSload = 2100;

    /// <summary>SSTORE setting a zero slot to non-zero.</summary>
    public const long SstoreSet = 20000;

    /// <summary>SSTORE changing a non-zero slot (EIP-2929: 5000 minus the cold slot cost).</summary>
    public const long SstoreReset = 2900;

    /// <summary>EIP-3529 refund for clearing a slot.</summary>
    public const long SstoreClearsRefund = 4800;

    /// <summary>EIP-2200: SSTORE fails when the gas left is at most the call stipend.</summary>
    public const long SstoreSentry = 2300;

    /// <summary>Value-bearing CALL surcharge.</summary>
    public const long CallValue = 9000;

    /// <summary>Stipend given to a value-bearing call.</summary>
    public const long CallStipend = 2300;

    /// <summary>CALL with value to an empty account, or SELFDESTRUCT funding one (EIP-161).</summary>
    public const long NewAccount = 25000;

    /// <summary>CREATE / CREATE2 base cost.</summary>
    public const long Create = 32000;

    /// <summary>Per byte of deployed code.</summary>
    public const long CodeDeposit = 200;

    /// <summary>EIP-3860 per 32-byte word of init code.</summary>
    public const long InitCodeWord = 2;

    /// <summary>SELFDESTRUCT base cost (EIP-150).</summary>
    public const long SelfDestruct = 5000;

    /// <summary>KECCAK256 base and per word.</summary>
    public const long Keccak = 30, KeccakWord = 6;

    /// <summary>Copy cost per word (CALLDATACOPY, CODECOPY, MCOPY …).</summary>
    public const long CopyWord = 3;

    /// <summary>LOG base, per topic, per data byte.</summary>
    public const long Log = 375, LogTopic = 375, LogData = 8;

    /// <summary>EXP per byte of exponent (EIP-160).</summary>
    public const long ExpByte = 50;

    /// <summary>EIP-170 deployed code size limit in bytes.</summary>
    public const int MaxCodeSize = 24576;

    /// <summary>EIP-3860 init code size limit in bytes.</summary>
    public const int MaxInitCodeSize = 49152;

    /// <summary>Maximum call depth.</summary>
    public const int MaxCallDepth = 1024;

    /// <summary>EIP-3529: the refund is capped at gas used / 5.</summary>
    public const long MaxRefundQuotient = 5;
}
