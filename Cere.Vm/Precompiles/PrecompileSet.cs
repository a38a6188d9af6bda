using Cere.Core;

namespace Cere.Vm.Precompiles;

/// <summary>The Cancun precompiles 0x01–0x09 (0x0a point evaluation is absent: this chain carries no blobs).</summary>
public static class PrecompileSet
{
    /// <summary>
    /// The highest precompile address: 0x0a (EIP-4844 point evaluation) is kept as a precompile so that it is warm and
    /// callable as on Ethereum, but it always fails: this chain has no KZG setup and carries no blobs.
    /// </summary>
    public const int Count = 10;

    /// <summary>The precompile number (1–9) of an address, or 0 if it is not a precompile.</summary>
    public static int IdOf(in Address address)
    {
        ReadOnlySpan<byte> b = address.Bytes;
        if (b[19] == 0 || b[19] > Count || b[..19].IndexOfAnyExcept((byte)0) >= 0)
        {
            return 0;
        }

        return b[19];
    }

    /// <summary>The address of precompile <paramref name="id"/>.</summary>
    public static Address AddressOf(int id)
    {
        Span<byte> b = stackalloc byte[20];
        b.Clear();
        b[19] = (byte)id;
        return new Address(b);
    }

    /// <summary>Runs precompile <paramref name="id"/>: charges its gas and returns its output, or a failure that consumes all gas.</summary>
    public static CallResult Run(int id, byte[] input, long gas)
    {
        long cost = id switch
        {
            1 => 3000,
            2 => 60 + (12 * Words(input.Length)),
            3 => 600 + (120 * Words(input.Length)),
            4 => 15 + (3 * Words(input.Length)),
            5 => ModExp.Gas(input),
            6 => 150,   // EIP-1108
            7 => 6000,  // EIP-1108
            8 => 45000 + (34000 * (long)(input.Length / 192)), // EIP-1108
            9 => Blake2F.Gas(input),
            10 => 50000, // EIP-4844 price; the call then fails
            _ => long.MaxValue,
        };

        if (cost > gas)
        {
            return new CallResult(EvmStatus.OutOfGas, 0, []);
        }

        byte[]? output = id switch
        {
            1 => EcRecoverPrecompile.Run(input),
            2 => System.Security.Cryptography.SHA256.HashData(input),
            3 => Ripemd160Precompile.Run(input),
            4 => input,
            5 => ModExp.Run(input),
            6 => AltBn128.Add(input),
            7 => AltBn128.Mul(input),
            8 => AltBn128.Pairing(input),
            9 => Blake2F.Run(input),
            _ => null,
        };

        return output is null ? new CallResult(EvmStatus.PrecompileFailure, 0, []) : new CallResult(EvmStatus.Success, gas - cost, output);
    }

    private static long Words(int length) => (length + 31) / 32;
}
