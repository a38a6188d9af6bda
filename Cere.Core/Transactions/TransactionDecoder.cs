using Cere.Core.Crypto;
using Cere.Core.Rlp;

namespace Cere.Core.Transactions;

/// <summary>
/// Strict decoding of transaction envelopes. Every failure is a <see cref="TransactionException"/> naming
/// the rule and, where there is one, the field; nothing else escapes.
/// </summary>
public static class TransactionDecoder
{
    /// <summary>Decodes a raw transaction as <c>eth_sendRawTransaction</c> receives it (legacy list or typed envelope).</summary>
    /// <exception cref="TransactionException">The bytes are not one valid transaction.</exception>
    public static Transaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            throw new TransactionException(TxError.MalformedRlp, "empty transaction", "envelope", Rlp.RlpError.Truncated);
        }

        byte first = raw[0];
        Transaction tx;
        if (first >= 0xc0)
        {
            tx = DecodeFields(TxType.Legacy, raw);
        }
        else if (first is (byte)TxType.AccessList or (byte)TxType.DynamicFee)
        {
            tx = DecodeFields((TxType)first, raw[1..]);
        }
        else if (first >= 0x80)
        {
            // A broken string is reported as broken RLP; only a well-formed one is "not an envelope".
            try
            {
                RlpReader probe = new(raw);
                probe.ReadBytes();
            }
            catch (RlpException e)
            {
                throw new TransactionException(TxError.MalformedRlp, e.Message, "envelope", e.Error, e);
            }

            // EIP-2718: a raw transaction starts with a type byte (< 0x80) or a list prefix; an RLP string is neither.
            throw new TransactionException(TxError.TypeNotSupported, "an RLP string is not a transaction envelope (typed transactions are not wrapped in raw form)", "envelope");
        }
        else
        {
            throw new TransactionException(TxError.TypeNotSupported, $"transaction type {first} is not supported", "type");
        }

        tx.SetEncoded(raw.ToArray());
        return tx;
    }

    /// <summary>Decodes one transaction of a block body: a legacy list, or an RLP string holding a typed envelope.</summary>
    /// <exception cref="TransactionException">The item is not one valid transaction.</exception>
    public static Transaction DecodeFromBlock(ref RlpReader reader)
    {
        ReadOnlySpan<byte> item;
        bool isList;
        try
        {
            isList = reader.PeekIsList();
            item = isList ? reader.ReadEncodedItem() : reader.ReadBytes();
        }
        catch (RlpException e)
        {
            throw new TransactionException(TxError.MalformedRlp, e.Message, "envelope", e.Error, e);
        }

        if (!isList && (item.IsEmpty || item[0] >= 0x80))
        {
            throw new TransactionException(TxError.TypeNotSupported, "a typed transaction in a block body must be a type byte followed by a list", "envelope");
        }

        return Decode(item);
    }

    private static Transaction DecodeFields(TxType type, ReadOnlySpan<byte> rlp)
    {
        string field = "envelope";
        try
        {
            RlpReader r = new(rlp);
            int end = r.ReadListHeader();

            // The list must span the input exactly; checking it first reports a bad size as a size error,
            // not as whichever field the misaligned bytes happen to land in.
            if (end != rlp.Length)
            {
                throw new RlpException(RlpError.TrailingData, end, $"{rlp.Length - end} bytes after the transaction list");
            }
            ulong? chainId = null;
            if (type != TxType.Legacy)
            {
                field = "chainId";
                chainId = r.ReadUInt64();
            }

            field = "nonce";
            ulong nonce = r.ReadUInt64();
            UInt256 gasPrice = default, maxPriority = default, maxFee = default;
            if (type == TxType.DynamicFee)
            {
                field = "maxPriorityFeePerGas";
                maxPriority = r.ReadUInt256();
                field = "maxFeePerGas";
                maxFee = r.ReadUInt256();
                gasPrice = maxFee;
            }
            else
            {
                field = "gasPrice";
                gasPrice = r.ReadUInt256();
                maxPriority = gasPrice;
                maxFee = gasPrice;
            }

            field = "gasLimit";
            ulong gasLimit = r.ReadUInt64();
            field = "to";
            Address? to = r.ReadOptionalAddress();
            field = "value";
            UInt256 value = r.ReadUInt256();
            field = "data";
            byte[] data = r.ReadBytes().ToArray();
            AccessListEntry[] accessList = [];
            if (type != TxType.Legacy)
            {
                field = "accessList";
                accessList = ReadAccessList(ref r);
            }

            field = "v";
            UInt256 v = r.ReadUInt256();
            field = "r";
            UInt256 sigR = r.ReadUInt256();
            field = "s";
            UInt256 sigS = r.ReadUInt256();
            field = "envelope";
            r.EnsureAt(end);
            r.EnsureFinished();

            byte recoveryId;
            if (type == TxType.Legacy)
            {
                (chainId, recoveryId) = ParseLegacyV(v);
            }
            else
            {
                if (v > UInt256.One)
                {
                    throw new TransactionException(TxError.InvalidSignature, $"y-parity must be 0 or 1, got {v}", "v");
                }

                recoveryId = (byte)v.U0;
            }

            return new Transaction
            {
                Type = type,
                ChainId = chainId,
                Nonce = nonce,
                GasPrice = gasPrice,
                MaxPriorityFeePerGas = maxPriority,
                MaxFeePerGas = maxFee,
                GasLimit = gasLimit,
                To = to,
                Value = value,
                Data = data,
                AccessList = accessList,
                V = v,
                Signature = new EcdsaSignature(sigR, sigS, recoveryId),
            };
        }
        catch (RlpException e)
        {
            throw FromRlp(e, field);
        }
    }

    private static AccessListEntry[] ReadAccessList(ref RlpReader r)
    {
        int end = r.ReadListHeader();
        List<AccessListEntry> entries = [];
        while (r.HasItemsBefore(end))
        {
            int entryEnd = r.ReadListHeader();
            Address address = r.ReadAddress();
            int keysEnd = r.ReadListHeader();
            List<Hash256> keys = [];
            while (r.HasItemsBefore(keysEnd))
            {
                keys.Add(r.ReadHash256());
            }

            r.EnsureAt(keysEnd);
            r.EnsureAt(entryEnd);
            entries.Add(new AccessListEntry(address, [.. keys]));
        }

        r.EnsureAt(end);
        return [.. entries];
    }

    /// <summary>Splits a legacy v into the chain id (EIP-155) and the recovery id.</summary>
    /// <exception cref="TransactionException">v is neither 27/28 nor 35 + 2·chainId + {0,1} with a chain id that fits 64 bits.</exception>
    public static (ulong? ChainId, byte RecoveryId) ParseLegacyV(in UInt256 v)
    {
        if (v == 27 || v == 28)
        {
            return (null, (byte)(v.U0 - 27));
        }

        // 0 and 1 are typed-envelope y-parities: in a legacy envelope that is a malformed signature, not a chain.
        if (v < 2)
        {
            throw new TransactionException(TxError.InvalidSignature, $"v = {v} is not a legacy signature value (27/28 or EIP-155)", "v");
        }

        // EIP-155: v = chainId * 2 + 35 + recid.
        if (v.FitsInUInt64 && v.U0 >= 35 && v.U0 - 35 <= ulong.MaxValue - 1)
        {
            ulong x = v.U0 - 35;
            return (x / 2, (byte)(x % 2));
        }

        throw new TransactionException(TxError.InvalidChainId, $"v = {v} is neither 27/28 nor an EIP-155 value for a 64-bit chain id", "v");
    }

    private static TransactionException FromRlp(RlpException e, string field)
    {
        TxError error = e.Error switch
        {
            RlpError.IntegerTooLarge => field switch
            {
                "chainId" or "v" => TxError.InvalidChainId,
                "r" or "s" => TxError.InvalidSignature,
                _ => TxError.FieldOverflow,
            },
            RlpError.UnexpectedLength when field == "to" => TxError.InvalidAddressLength,
            RlpError.UnexpectedLength when field == "accessList" => TxError.InvalidAccessList,
            _ => TxError.MalformedRlp,
        };
        return new TransactionException(error, $"{field}: {e.Message}", field, e.Error, e);
    }
}
