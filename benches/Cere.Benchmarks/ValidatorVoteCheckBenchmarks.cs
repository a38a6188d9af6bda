using BenchmarkDotNet.Attributes;
using Cere.Chain.Consensus;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Benchmarks;

/// <summary>
/// A validator checks every vote twice: the gossip validator (to reject forgeries before they spread) and the state
/// machine. <see cref="CachingSignatureVerifier"/> makes the second a lookup. Reference: the plain secp256k1 verifier
/// (one public-key recovery), which is what the second check would cost without the cache.
/// </summary>
[MemoryDiagnoser]
public class ValidatorVoteCheckBenchmarks
{
    private Vote _vote = null!;
    private byte[] _encoded = [];
    private CachingSignatureVerifier _cache = null!;

    /// <summary>A signed precommit, and a cache that has seen it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        byte[] secret = new byte[32];
        secret[31] = 7;
        Secp256k1ConsensusSigner signer = new(new PrivateKey(secret));
        _vote = Vote.Create(4242, 100, 0, VoteType.Precommit, Keccak256.Compute("block"u8), signer);
        _encoded = ConsensusCodec.Encode(_vote);
        _cache = new CachingSignatureVerifier(Secp256k1SignatureVerifier.Instance);
        if (!_vote.VerifySignature(_cache))
        {
            throw new InvalidOperationException("the vote does not verify");
        }
    }

    /// <summary>The reference: recover the signer's key and compare.</summary>
    [Benchmark(Baseline = true)]
    public bool RecoverAndCompare() => Secp256k1SignatureVerifier.Instance.Verify(_vote.SigningDigest, _vote.Signature, _vote.Validator);

    /// <summary>The machine's check after the gossip validator: a cache hit (hash of the signature + dictionary lookup).</summary>
    [Benchmark]
    public bool CachedCheck() => _cache.Verify(_vote.SigningDigest, _vote.Signature, _vote.Validator);

    /// <summary>What the delivery path pays per vote: decode the gossip bytes and check the signature through the cache.</summary>
    [Benchmark]
    public bool DecodeAndCachedCheck() => ((Vote)ConsensusCodec.Decode(_encoded)).VerifySignature(_cache);
}
