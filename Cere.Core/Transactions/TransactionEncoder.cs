using Cere.Core.Crypto;
using Cere.Core.Rlp;
using RlpLength = Cere.Core.Rlp.Rlp;

namespace Cere.Core.Transactions;

/// <summary>
/// Consensus encoding of transactions: legacy RLP lists and EIP-2718 typed envelopes
/// (type byte ‖ RLP list), and the payloads that are signed (EIP-155, EIP-2930, EIP-1559).
/// </summary>
public static class TransactionEncoder
{
    /// <summary>The canonical encoding: what <c>eth_sendRawTransaction</c> takes and what the hash covers.</summary>
    public static byte[] Encode(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return Write(tx, forSigning: false);
    }

    /// <summary>The length of <see cref="Encode"/>'s result without building it.</summary>
    public static int EncodedLength(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        int list = RlpLength.LengthOfList(PayloadLength(tx, forSigning: false));
        return tx.Type == TxType.Legacy ? list : list + 1;
    }

    /// <summary>
    /// How the transaction is written inside a block body: a legacy transaction as its list, a typed one
    /// as an RLP string holding the envelope (EIP-2718).
    /// </summary>
    public static int LengthInBlock(Transaction tx)
    {
        int len = EncodedLength(tx);
        return tx.Type == TxType.Legacy ? len : RlpLength.LengthOfBytes(len);
    }

    /// <summary>Writes the transaction as a block body carries it (see <see cref="LengthInBlock"/>).</summary>
    public static void WriteInBlock(ref RlpWriter writer, Transaction tx)
    {
        byte[] envelope = Encode(tx);
        if (tx.Type == TxType.Legacy)
        {
            writer.WriteEncoded(envelope);
        }
        else
        {
            writer.WriteBytes(envelope);
        }
    }

    /// <summary>The hash the sender signs.</summary>
    public static Hash256 ComputeSigningHash(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return Keccak256.Compute(Write(tx, forSigning: true));
    }

    private static byte[] Write(Transaction tx, bool forSigning)
    {
        int payload = PayloadLength(tx, forSigning);
        int prefix = tx.Type == TxType.Legacy ? 0 : 1;
        byte[] result = new byte[prefix + RlpLength.LengthOfList(payload)];
        if (prefix == 1)
        {
            result[0] = (byte)tx.Type;
        }

        RlpWriter w = new(result.AsSpan(prefix));
        w.WriteListHeader(payload);
        WriteFields(ref w, tx, forSigning);
        w.EnsureFilled();
        return result;
    }

    private static int PayloadLength(Transaction tx, bool forSigning)
    {
        int len = RlpLength.LengthOf(tx.Nonce) + RlpLength.LengthOf(tx.GasLimit) + RlpLength.LengthOfOptionalAddress(tx.To)
            + RlpLength.LengthOf(tx.Value) + RlpLength.LengthOfBytes(tx.Data);
        switch (tx.Type)
        {
            case TxType.Legacy:
                len += RlpLength.LengthOf(tx.GasPrice);
                if (forSigning)
                {
                    // EIP-155: a replay-protected signature also covers (chainId, 0, 0).
                    if (tx.ChainId is ulong chainId)
                    {
                        len += RlpLength.LengthOf(chainId) + 2;
                    }

                    return len;
                }

                return len + RlpLength.LengthOf(tx.V) + SignatureRsLength(tx);
            case TxType.AccessList:
                len += RlpLength.LengthOf(tx.ChainId ?? 0) + RlpLength.LengthOf(tx.GasPrice) + RlpLength.LengthOfList(AccessListPayloadLength(tx.AccessList));
                break;
            case TxType.DynamicFee:
                len += RlpLength.LengthOf(tx.ChainId ?? 0) + RlpLength.LengthOf(tx.MaxPriorityFeePerGas) + RlpLength.LengthOf(tx.MaxFeePerGas)
                    + RlpLength.LengthOfList(AccessListPayloadLength(tx.AccessList));
                break;
            default:
                throw new TransactionException(TxError.TypeNotSupported, $"transaction type {(byte)tx.Type} is not supported");
        }

        return forSigning ? len : len + RlpLength.LengthOf(tx.V) + SignatureRsLength(tx);
    }

    private static int SignatureRsLength(Transaction tx)
    {
        UInt256 r = tx.Signature.R, s = tx.Signature.S;
        return RlpLength.LengthOf(r) + RlpLength.LengthOf(s);
    }

    private static void WriteFields(ref RlpWriter w, Transaction tx, bool forSigning)
    {
        if (tx.Type != TxType.Legacy)
        {
            w.WriteUInt64(tx.ChainId ?? 0);
        }

        w.WriteUInt64(tx.Nonce);
        if (tx.Type == TxType.DynamicFee)
        {
            w.WriteUInt256(tx.MaxPriorityFeePerGas);
            w.WriteUInt256(tx.MaxFeePerGas);
        }
        else
        {
            w.WriteUInt256(tx.GasPrice);
        }

        w.WriteUInt64(tx.GasLimit);
        w.WriteOptionalAddress(tx.To);
        w.WriteUInt256(tx.Value);
        w.WriteBytes(tx.Data);
        if (tx.Type != TxType.Legacy)
        {
            WriteAccessList(ref w, tx.AccessList);
        }

        if (forSigning)
        {
            if (tx.Type == TxType.Legacy && tx.ChainId is ulong chainId)
            {
                w.WriteUInt64(chainId);
                w.WriteUInt64(0);
                w.WriteUInt64(0);
            }

            return;
        }

        w.WriteUInt256(tx.V);
        w.WriteUInt256(tx.Signature.R);
        w.WriteUInt256(tx.Signature.S);
    }

    /// <summary>The payload length of an access list <c>[[address, [keys…]], …]</c>.</summary>
    public static int AccessListPayloadLength(AccessListEntry[] list)
    {
        ArgumentNullException.ThrowIfNull(list);
        int len = 0;
        foreach (AccessListEntry e in list)
        {
            len += RlpLength.LengthOfList(EntryPayloadLength(e));
        }

        return len;
    }

    private static int EntryPayloadLength(AccessListEntry e) =>
        RlpLength.LengthOfAddress + RlpLength.LengthOfList(e.StorageKeys.Length * RlpLength.LengthOfHash);

    private static void WriteAccessList(ref RlpWriter w, AccessListEntry[] list)
    {
        w.WriteListHeader(AccessListPayloadLength(list));
        foreach (AccessListEntry e in list)
        {
            w.WriteListHeader(EntryPayloadLength(e));
            w.WriteAddress(e.Address);
            w.WriteListHeader(e.StorageKeys.Length * RlpLength.LengthOfHash);
            foreach (Hash256 k in e.StorageKeys)
            {
                w.WriteHash256(k);
            }
        }
    }
}
