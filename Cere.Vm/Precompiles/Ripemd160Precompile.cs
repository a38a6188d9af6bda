using Org.BouncyCastle.Crypto.Digests;

namespace Cere.Vm.Precompiles;

/// <summary>0x03 RIPEMD-160, left-padded to 32 bytes (BouncyCastle's digest: .NET has none on Linux).</summary>
internal static class Ripemd160Precompile
{
    public static byte[] Run(byte[] input)
    {
        RipeMD160Digest d = new();
        d.BlockUpdate(input, 0, input.Length);
        byte[] output = new byte[32];
        d.DoFinal(output, 12);
        return output;
    }
}
