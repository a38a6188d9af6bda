using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>0x05 MODEXP (EIP-198) with EIP-2565 pricing.</summary>
internal static class ModExp
{
    public static long Gas(byte[] input)
    {
        BigInteger baseLen = Word(input, 0), expLen = Word(input, 32), modLen = Word(input, 64);
        BigInteger maxLen = BigInteger.Max(baseLen, modLen);
        BigInteger words = (maxLen + 7) / 8;
        BigInteger complexity = words * words;

        // EIP-2565 iteration count: from the exponent's bit length (only its first 32 bytes are read).
        BigInteger iterations;
        BigInteger expHead = ReadRange(input, 96 + baseLen, BigInteger.Min(expLen, 32));
        if (expLen <= 32)
        {
            iterations = expHead.IsZero ? 0 : (long)expHead.GetBitLength() - 1;
        }
        else
        {
            long bits = expHead.IsZero ? 0 : (long)expHead.GetBitLength() - 1;
            iterations = (8 * (expLen - 32)) + bits;
        }

        if (iterations < 1)
        {
            iterations = 1;
        }

        BigInteger gas = complexity * iterations / 3;
        if (gas < 200)
        {
            gas = 200;
        }

        return gas > long.MaxValue ? long.MaxValue : (long)gas;
    }

    public static byte[] Run(byte[] input)
    {
        if (Word(input, 64).IsZero)
        {
            return [];
        }

        // The gas charged before this call bounds every length to what gas can pay for.
        int baseLen = (int)Word(input, 0), expLen = (int)Word(input, 32), modLen = (int)Word(input, 64);

        BigInteger b = ReadRange(input, 96, baseLen);
        BigInteger e = ReadRange(input, 96 + baseLen, expLen);
        BigInteger m = ReadRange(input, 96 + (BigInteger)baseLen + expLen, modLen);
        byte[] output = new byte[modLen];
        if (m.IsZero)
        {
            return output;
        }

        BigInteger r = BigInteger.ModPow(b, e, m);
        byte[] rb = r.ToByteArray(isUnsigned: true, isBigEndian: true);
        rb.CopyTo(output, modLen - rb.Length);
        return output;
    }

    private static BigInteger Word(byte[] input, int offset) => ReadRange(input, offset, 32);

    /// <summary>Reads big-endian bytes [offset, offset+length) of the input, zero past its end.</summary>
    private static BigInteger ReadRange(byte[] input, BigInteger offset, BigInteger length)
    {
        if (length.IsZero || offset >= input.Length)
        {
            return BigInteger.Zero;
        }

        int off = (int)offset;
        int len = length > int.MaxValue ? int.MaxValue : (int)length;
        byte[] buf = new byte[len];
        int n = Math.Min(len, input.Length - off);
        input.AsSpan(off, n).CopyTo(buf);
        return new BigInteger(buf, isUnsigned: true, isBigEndian: true);
    }
}
