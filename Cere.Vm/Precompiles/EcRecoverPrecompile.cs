using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Vm.Precompiles;

/// <summary>0x01 ECRECOVER: hash, v (27/28), r, s → the signer's address left-padded to 32 bytes, or empty output.</summary>
internal static class EcRecoverPrecompile
{
    private static readonly UInt256 CurveOrder = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    public static byte[] Run(byte[] input)
    {
        Span<byte> data = stackalloc byte[128];
        data.Clear();
        input.AsSpan(0, Math.Min(128, input.Length)).CopyTo(data);
        UInt256 v = new(data.Slice(32, 32));
        UInt256 r = new(data.Slice(64, 32));
        UInt256 s = new(data.Slice(96, 32));

        // The precompile accepts any s below n (no EIP-2 low-s rule), but v must be exactly 27 or 28.
        if (!v.FitsInUInt64 || (v.U0 != 27 && v.U0 != 28) || r.IsZero || s.IsZero || r >= CurveOrder || s >= CurveOrder)
        {
            return [];
        }

        Span<byte> pub = stackalloc byte[64];
        if (!EcRecover.TryRecoverPublicKey(data[..32], data.Slice(64, 64), (int)v.U0 - 27, pub))
        {
            return [];
        }

        byte[] output = new byte[32];
        Address.FromPublicKey(pub).CopyTo(output.AsSpan(12));
        return output;
    }
}
