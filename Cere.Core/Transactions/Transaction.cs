using System.Runtime.CompilerServices;
using Cere.Core.Crypto;

namespace Cere.Core.Transactions;

/// <summary>
/// A signed transaction of any supported envelope (legacy, EIP-2930, EIP-1559). Immutable once built;
/// its hash and its sender are computed once, on first use, and cached.
/// </summary>
public sealed class Transaction
{
    // A reference, so that a hash computed on one thread is published whole to the others.
    private StrongBox<Hash256>? _hash;
    private byte[]? _encoded;
    private Address? _sender;
    private bool _senderTried;
    private readonly Lock _senderLock = new();

    /// <summary>The envelope type.</summary>
    public TxType Type { get; init; }

    /// <summary>The chain id: always set for typed transactions, set for EIP-155 legacy ones, null for pre-EIP-155 legacy ones.</summary>
    public ulong? ChainId { get; init; }

    /// <summary>The sender's nonce.</summary>
    public ulong Nonce { get; init; }

    /// <summary>Legacy and EIP-2930: the gas price. EIP-1559: equal to <see cref="MaxFeePerGas"/> for convenience.</summary>
    public UInt256 GasPrice { get; init; }

    /// <summary>EIP-1559: the most the sender pays the block's beneficiary per gas. Other types: the gas price.</summary>
    public UInt256 MaxPriorityFeePerGas { get; init; }

    /// <summary>EIP-1559: the most the sender pays per gas in all (base fee + tip). Other types: the gas price.</summary>
    public UInt256 MaxFeePerGas { get; init; }

    /// <summary>The gas limit.</summary>
    public ulong GasLimit { get; init; }

    /// <summary>The recipient, or null for a contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>The value transferred, in wei.</summary>
    public UInt256 Value { get; init; }

    /// <summary>Call data, or creation code.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The EIP-2930 access list (empty for legacy transactions).</summary>
    public AccessListEntry[] AccessList { get; init; } = [];

    /// <summary>The signature: r, s and the recovery id (0 or 1).</summary>
    public EcdsaSignature Signature { get; init; }

    /// <summary>v as it is encoded: 27/28 (pre-EIP-155), 35 + 2·chainId + recid (EIP-155), or the y-parity 0/1 (typed).</summary>
    public UInt256 V { get; init; }

    /// <summary>True when the transaction creates a contract.</summary>
    public bool IsContractCreation => To is null;

    /// <summary>
    /// The transaction hash: Keccak-256 of its consensus encoding, computed once on first use (from the exact
    /// bytes it was decoded from, when it was decoded).
    /// </summary>
    public Hash256 Hash => (_hash ??= new StrongBox<Hash256>(Keccak256.Compute(_encoded ?? TransactionEncoder.Encode(this)))).Value;

    /// <summary>The hash that was signed (EIP-155 for legacy with a chain id, EIP-2718 type byte for typed ones).</summary>
    public Hash256 ComputeSigningHash() => TransactionEncoder.ComputeSigningHash(this);

    /// <summary>
    /// The sender recovered from the signature, recovered at most once per object (thread-safe), or null
    /// when no public key recovers. Does not check the signature's range rules: see <see cref="TransactionValidator"/>.
    /// </summary>
    public Address? Sender
    {
        get
        {
            if (_senderTried)
            {
                return _sender;
            }

            lock (_senderLock)
            {
                if (!_senderTried)
                {
                    _sender = EcRecover.TryRecoverAddress(ComputeSigningHash(), Signature, out Address a) ? a : null;
                    _senderTried = true;
                }
            }

            return _sender;
        }
    }

    /// <summary>Keeps the exact bytes the transaction was decoded from, so its hash never needs a re-encoding.</summary>
    internal void SetEncoded(byte[] encoded) => _encoded = encoded;

    /// <summary>Stores a sender already known (a transaction this node signed), so it is never recovered.</summary>
    internal void SetSender(Address sender)
    {
        lock (_senderLock)
        {
            _sender = sender;
            _senderTried = true;
        }
    }
}
