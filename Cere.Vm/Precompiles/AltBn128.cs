namespace Cere.Vm.Precompiles;

/// <summary>
/// 0x06–0x08 alt_bn128 (EIP-196/197): G1 addition and scalar multiplication, and the optimal-ate pairing check, on
/// Montgomery-form field arithmetic (<see cref="Fp"/> … <see cref="Fp12"/>). Gas (EIP-1108) is priced by the caller.
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
        G1Affine.Add(a, b).Write(output);
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

    /// <summary>
    /// 0x08: 32-byte 1 if Π e(P_i, Q_i) = 1 over the 192-byte pairs (empty input included), 0 otherwise; null
    /// (failure) for a length that is not a multiple of 192 or any invalid point (EIP-197).
    /// </summary>
    public static byte[]? Pairing(byte[] input)
    {
        if (input.Length % 192 != 0)
        {
            return null;
        }

        int k = input.Length / 192;
        G1Affine[] ps = new G1Affine[k];
        G2Affine[] qs = new G2Affine[k];
        int n = 0;
        for (int i = 0; i < k; i++)
        {
            ReadOnlySpan<byte> pair = input.AsSpan(i * 192, 192);
            if (!G1Affine.TryRead(pair[..64], out G1Affine p) || !G2Affine.TryRead(pair[64..], out G2Affine q))
            {
                return null;
            }

            // e(O, Q) = e(P, O) = 1: such a pair leaves the product unchanged once both points are known valid.
            if (p.IsInfinity || q.IsInfinity)
            {
                continue;
            }

            ps[n] = p;
            qs[n] = q;
            n++;
        }

        Fp12 f = Bn254Pairing.MillerLoop(ps.AsSpan(0, n), qs.AsSpan(0, n));
        byte[] output = new byte[32];
        if (Bn254Pairing.FinalExponentiation(f).IsOne)
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
