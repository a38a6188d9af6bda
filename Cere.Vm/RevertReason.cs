using System.Text;
using Cere.Core;

namespace Cere.Vm;

/// <summary>
/// Reads Solidity's standard revert payloads as geth's abi.UnpackRevert does: Error(string) gives its message,
/// Panic(uint256) the meaning of its code; custom errors and malformed data give nothing.
/// </summary>
public static class RevertReason
{
    // Selectors: keccak256("Error(string)")[0..4] and keccak256("Panic(uint256)")[0..4].
    private static ReadOnlySpan<byte> ErrorSelector => [0x08, 0xc3, 0x79, 0xa0];

    private static ReadOnlySpan<byte> PanicSelector => [0x4e, 0x48, 0x7b, 0x71];

    /// <summary>The reason in <paramref name="revertData"/>, or null when it is not Error(string) or Panic(uint256).</summary>
    public static string? TryDecode(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4)
        {
            return null;
        }

        ReadOnlySpan<byte> args = revertData[4..];
        if (revertData[..4].SequenceEqual(ErrorSelector))
        {
            return DecodeString(args);
        }

        if (revertData[..4].SequenceEqual(PanicSelector) && args.Length >= 32)
        {
            return PanicText(new UInt256(args[..32]));
        }

        return null;
    }

    /// <summary>geth's message for a reverted call: "execution reverted" with ": reason" when one decodes.</summary>
    public static string Message(ReadOnlySpan<byte> revertData) =>
        TryDecode(revertData) is string reason ? $"execution reverted: {reason}" : "execution reverted";

    // ABI: a head word with the offset of the string, then at that offset its length and the bytes.
    private static string? DecodeString(ReadOnlySpan<byte> args)
    {
        if (args.Length < 64)
        {
            return null;
        }

        UInt256 offset = new(args[..32]);
        if (!offset.FitsInUInt64 || offset.U0 > (ulong)(args.Length - 32))
        {
            return null;
        }

        int at = (int)offset.U0;
        UInt256 length = new(args.Slice(at, 32));
        if (!length.FitsInUInt64 || length.U0 > (ulong)(args.Length - at - 32))
        {
            return null;
        }

        return Encoding.UTF8.GetString(args.Slice(at + 32, (int)length.U0));
    }

    // Solidity's panic codes (docs: "Panic via assert and Error via require"), worded as geth words them.
    private static string PanicText(in UInt256 code)
    {
        if (!code.FitsInUInt64)
        {
            return $"unknown panic code: {code.ToHexQuantity()}";
        }

        return code.U0 switch
        {
            0x00 => "generic panic",
            0x01 => "assert(false)",
            0x11 => "arithmetic underflow or overflow",
            0x12 => "division or modulo by zero",
            0x21 => "enum overflow",
            0x22 => "invalid encoded storage byte array accessed",
            0x31 => "out-of-bounds array access; popping on an empty array",
            0x32 => "out-of-bounds access of an array or bytesN",
            0x41 => "out of memory",
            0x51 => "uninitialized function",
            _ => $"unknown panic code: {code.ToHexQuantity()}",
        };
    }
}
