using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Tests;

/// <summary>Fixed secp256k1 keys and validator sets for the unit tests.</summary>
internal static class TestKeys
{
    public const ulong ChainId = 0xCE1E;

    public static PrivateKey Key(int i)
    {
        byte[] k = new byte[32];
        k[31] = (byte)(i + 1);
        k[0] = 0x11;
        return new PrivateKey(k);
    }

    public static IConsensusSigner Signer(int i) => new Secp256k1ConsensusSigner(Key(i));

    public static ValidatorSet Set(params long[] powers)
    {
        Validator[] v = new Validator[powers.Length];
        for (int i = 0; i < powers.Length; i++)
        {
            v[i] = new Validator(Key(i).Address, powers[i]);
        }

        return ValidatorSet.Create(v);
    }

    /// <summary>The signer of the validator at <paramref name="index"/> in <paramref name="set"/> (sets are sorted by address).</summary>
    public static IConsensusSigner SignerAt(ValidatorSet set, int index)
    {
        Address a = set[index].Address;
        for (int i = 0; i < 64; i++)
        {
            if (Key(i).Address == a)
            {
                return Signer(i);
            }
        }

        throw new ArgumentException("not a test key");
    }

    public static Hash256 BlockHash(byte b) => Keccak256.Compute([b]);
}
