using BenchmarkDotNet.Attributes;
using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Consensus.Wal;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Benchmarks;

/// <summary>
/// Decisions per second of four validators in one process on a perfect network (FIFO delivery, no timeouts fire, blocks
/// built and validated at once, in-memory WAL): the cost of the algorithm with real secp256k1 signatures, against the
/// same network with free signatures (the reference: the state machine, tallies and WAL alone).
/// </summary>
[MemoryDiagnoser]
public class ConsensusNetworkBenchmarks
{
    private const int Heights = 20;

    /// <summary>Real secp256k1 (sign + recover) or free signatures.</summary>
    [Params(false, true)]
    public bool RealSignatures { get; set; }

    /// <summary>Decides <see cref="Heights"/> heights; decisions/s = Heights / time.</summary>
    [Benchmark(OperationsPerInvoke = Heights)]
    public int DecideHeights()
    {
        int decided = new InProcessNetwork(4, RealSignatures).Run(Heights);

        // Every validator decides every height on a perfect network; anything else means the benchmark measures a stall.
        return decided == 4 * Heights ? decided : throw new InvalidOperationException($"decided {decided} of {4 * Heights}");
    }

    private sealed class FreeSigner(Address address) : IConsensusSigner
    {
        public Address Address { get; } = address;

        public void Sign(in Hash256 digest, Span<byte> signature65)
        {
            digest.Bytes.CopyTo(signature65);
            signature65[64] = 0;
        }
    }

    private sealed class FreeVerifier : ISignatureVerifier
    {
        public bool Verify(in Hash256 digest, ReadOnlySpan<byte> signature65, in Address signer) => true;
    }

    private sealed class InProcessNetwork
    {
        private readonly ConsensusDriver[] _drivers;
        private readonly Queue<(int To, Action<ConsensusDriver> Input)> _queue = new();
        private readonly ValidatorSet _genesis;
        private int _decided;

        public InProcessNetwork(int n, bool real)
        {
            PrivateKey[] keys = new PrivateKey[n];
            Validator[] validators = new Validator[n];
            for (int i = 0; i < n; i++)
            {
                byte[] k = new byte[32];
                k[0] = 0x42;
                k[31] = (byte)(i + 1);
                keys[i] = new PrivateKey(k);
                validators[i] = new Validator(keys[i].Address, 1);
            }

            _genesis = ValidatorSet.Create(validators);
            ISignatureVerifier verifier = real ? Secp256k1SignatureVerifier.Instance : new FreeVerifier();
            _drivers = new ConsensusDriver[n];
            for (int i = 0; i < n; i++)
            {
                IConsensusSigner signer = real ? new Secp256k1ConsensusSigner(keys[i]) : new FreeSigner(keys[i].Address);
                TendermintMachine m = new(1, signer, verifier);
                _drivers[i] = new ConsensusDriver(m, new ConsensusWal(new MemoryWalStorage()), new Outbox(this, i));
            }
        }

        public int Run(int heights)
        {
            ValidatorSet set = _genesis;
            for (int h = 1; h <= heights; h++)
            {
                foreach (ConsensusDriver d in _drivers)
                {
                    d.StartHeight((ulong)h, set);
                }

                while (_queue.TryDequeue(out (int To, Action<ConsensusDriver> Input) item))
                {
                    item.Input(_drivers[item.To]);
                }

                set = set.NextHeight();
            }

            return _decided;
        }

        private void OnEffect(int from, ConsensusEffect e)
        {
            switch (e)
            {
                case SignedMessageEffect s:
                    for (int j = 0; j < _drivers.Length; j++)
                    {
                        if (j != from)
                        {
                            ConsensusMessage m = s.Message;
                            _queue.Enqueue((j, d => d.OnMessage(m)));
                        }
                    }

                    break;
                case BuildBlockEffect b:
                    byte[] block = new byte[64];
                    BitConverter.TryWriteBytes(block, b.Height);
                    Hash256 hash = Keccak256.Compute(block);
                    _queue.Enqueue((from, d => d.OnBlockBuilt(b.Height, b.Round, hash, block)));
                    break;
                case ValidateBlockEffect v:
                    _queue.Enqueue((from, d => d.OnBlockValidated(v.Height, v.BlockHash, Keccak256.Compute(v.Block) == v.BlockHash)));
                    break;
                case DecideEffect:
                    _decided++;
                    break;
            }
        }

        private sealed class Outbox(InProcessNetwork net, int index) : IConsensusOutbox
        {
            public void Emit(ConsensusEffect effect) => net.OnEffect(index, effect);
        }
    }
}

/// <summary>
/// Verifying a commit certificate signed by all of 100 equal validators, against the reference of 100 bare address
/// recoveries (the irreducible secp256k1 cost of the same signatures).
/// </summary>
public class CommitCertificateBenchmarks
{
    private const int Validators = 100;
    private ValidatorSet _set = null!;
    private CommitCertificate _certificate = null!;
    private Hash256 _digest;
    private EcdsaSignature[] _signatures = [];

    [GlobalSetup]
    public void Setup()
    {
        PrivateKey[] keys = new PrivateKey[Validators];
        Validator[] validators = new Validator[Validators];
        for (int i = 0; i < Validators; i++)
        {
            byte[] k = new byte[32];
            k[0] = 0x24;
            k[30] = (byte)(i >> 8);
            k[31] = (byte)(i + 1);
            keys[i] = new PrivateKey(k);
            validators[i] = new Validator(keys[i].Address, 1);
        }

        _set = ValidatorSet.Create(validators);
        Hash256 block = Keccak256.Compute([1, 2, 3]);
        _digest = ConsensusDigest.ForVote(1, 10, 0, VoteType.Precommit, block);
        List<CommitSignature> sigs = [];
        _signatures = new EcdsaSignature[Validators];
        for (int i = 0; i < Validators; i++)
        {
            PrivateKey key = keys.First(k => k.Address == _set[i].Address);
            _signatures[i] = key.Sign(_digest);
            sigs.Add(new CommitSignature(i, _signatures[i].ToCompact()));
        }

        _certificate = new CommitCertificate(1, 10, 0, block, sigs);
    }

    /// <summary>The reference: recover 100 addresses from the same signatures.</summary>
    [Benchmark(Baseline = true)]
    public int RecoverAddresses()
    {
        int ok = 0;
        for (int i = 0; i < Validators; i++)
        {
            if (EcRecover.TryRecoverAddress(_digest, _signatures[i], out Address a) && a == _set[i].Address)
            {
                ok++;
            }
        }

        return ok;
    }

    /// <summary>Full verification: structure, power, and each signature (low s, recovery, address match).</summary>
    [Benchmark]
    public CertificateError VerifyCertificate() => _certificate.Verify(1, 10, _set, Secp256k1SignatureVerifier.Instance);
}
