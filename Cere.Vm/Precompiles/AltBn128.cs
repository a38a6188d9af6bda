using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>
/// 0x06–0x08 alt_bn128 (EIP-196/197): G1 addition and scalar multiplication, and the optimal-ate pairing check.
/// A straightforward BigInteger implementation (affine G1, twist points in LegacyFp2, LegacyFp12 as polynomials mod
/// w^12 − 18w^6 + 82): correct first; the precompile is priced at 45,000 + 34,000·k gas.
/// </summary>
internal static class AltBn128
{
    /// <summary>0x06: the sum of two G1 points, or null (failure) for an invalid point.</summary>
    public static byte[]? Add(byte[] input)
    {
        Span<byte> data = stackalloc byte[128];
        Pad(input, data);
        if (!G1Affine.TryRead(data[..64], out G1Affine a) || !G1Affine.TryRead(data[64..], out G1Affine b))
        {
            return null;
        }

        byte[] output = new byte[64];
        G1Jacobian.AddAffine(G1Jacobian.FromAffine(a), b).ToAffine().Write(output);
        return output;
    }

    /// <summary>0x07: a G1 point times a 256-bit scalar, or null (failure) for an invalid point.</summary>
    public static byte[]? Mul(byte[] input)
    {
        Span<byte> data = stackalloc byte[96];
        Pad(input, data);
        if (!G1Affine.TryRead(data[..64], out G1Affine a))
        {
            return null;
        }

        byte[] output = new byte[64];
        G1Jacobian.Multiply(a, data.Slice(64, 32)).ToAffine().Write(output);
        return output;
    }

    public static byte[]? Pairing(byte[] input)
    {
        if (input.Length % 192 != 0)
        {
            return null;
        }

        LegacyFp12 product = LegacyFp12.One;
        for (int i = 0; i < input.Length; i += 192)
        {
            ReadOnlySpan<byte> pair = input.AsSpan(i, 192);
            if (!Bn254G1.TryRead(pair[..64], out Bn254G1 p) || !Bn254G2.TryRead(pair[64..], out Bn254G2 q))
            {
                return null;
            }

            if (p.IsInfinity || q.IsInfinity)
            {
                continue;
            }

            product *= Bn254Pairing.MillerLoop(q, p);
        }

        byte[] output = new byte[32];
        if (Bn254Pairing.FinalExponentiation(product).IsOne)
        {
            output[31] = 1;
        }

        return output;
    }

    private static void Pad(byte[] input, Span<byte> data)
    {
        data.Clear();
        input.AsSpan(0, Math.Min(input.Length, data.Length)).CopyTo(data);
    }
}
