using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;
using CsCheck;

namespace Cere.Storage.Tests.State;

/// <summary>
/// Random sequences of state changes, snapshots, reverts, transaction ends and root computations against a plain
/// dictionary model; the final root must equal that of a state built directly from the model's accounts.
/// </summary>
public sealed class WorldStateModelTests
{
    private static readonly Address[] Addresses =
    [
        Address.Parse("0x00000000000000000000000000000000000000a1"),
        Address.Parse("0x00000000000000000000000000000000000000a2"),
        Address.Parse("0x00000000000000000000000000000000000000a3"),
        Address.Parse("0x00000000000000000000000000000000000000a4"),
    ];

    private sealed record ModelAccount(UInt256 Balance, ulong Nonce, byte[] Code, Dictionary<UInt256, UInt256> Storage)
    {
        public bool IsEmpty => Balance.IsZero && Nonce == 0 && Code.Length == 0;

        public ModelAccount Copy() => this with { Storage = new Dictionary<UInt256, UInt256>(Storage) };
    }

    private sealed class Model
    {
        public Dictionary<Address, ModelAccount> Accounts = [];
        public HashSet<Address> Touched = [];

        public Model Copy()
        {
            Model m = new() { Touched = [.. Touched] };
            foreach (KeyValuePair<Address, ModelAccount> kv in Accounts)
            {
                m.Accounts[kv.Key] = kv.Value.Copy();
            }

            return m;
        }

        public ModelAccount GetOrCreate(Address a)
        {
            if (!Accounts.TryGetValue(a, out ModelAccount? acc))
            {
                acc = new ModelAccount(UInt256.Zero, 0, [], []);
                Accounts[a] = acc;
            }

            Touched.Add(a);
            return acc;
        }
    }

    [Test]
    public void RandomHistoriesMatchTheModel()
    {
        Gen<(int, int, int, int)> op = Gen.Select(Gen.Int[0, 11], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3]);
        op.List[1, 80].Sample(ops =>
        {
            MemoryStore db = new();
            WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
            Model m = new();
            List<(int Id, Model Saved)> snapshots = [];
            long block = 0;
            foreach ((int kind, int ai, int slot, int value) in ops)
            {
                Address a = Addresses[ai];
                switch (kind)
                {
                    case 0:
                        s.AddBalance(a, (UInt256)value);
                        ModelAccount acc0 = m.GetOrCreate(a);
                        m.Accounts[a] = acc0 with { Balance = acc0.Balance + (UInt256)value };
                        break;
                    case 1:
                        UInt256 have = m.Accounts.TryGetValue(a, out ModelAccount? acc1) ? acc1.Balance : UInt256.Zero;
                        if (have < (UInt256)value)
                        {
                            Assert.Throws<InsufficientBalanceException>(() => s.SubtractBalance(a, (UInt256)value));
                        }
                        else
                        {
                            s.SubtractBalance(a, (UInt256)value);
                            ModelAccount acc = m.GetOrCreate(a);
                            m.Accounts[a] = acc with { Balance = acc.Balance - (UInt256)value };
                        }

                        break;
                    case 2:
                        s.SetNonce(a, (ulong)value);
                        m.Accounts[a] = m.GetOrCreate(a) with { Nonce = (ulong)value };
                        break;
                    case 3:
                        byte[] code = value == 0 ? [] : [(byte)value, 0x00];
                        s.SetCode(a, code);
                        m.Accounts[a] = m.GetOrCreate(a) with { Code = code };
                        break;
                    case 4:
                    case 5:
                        s.SetStorage(a, (UInt256)slot, (UInt256)value);
                        m.GetOrCreate(a).Storage[(UInt256)slot] = (UInt256)value;
                        break;
                    case 6:
                        s.CreateAccount(a);
                        UInt256 keep = m.Accounts.TryGetValue(a, out ModelAccount? old) ? old.Balance : UInt256.Zero;
                        m.GetOrCreate(a);
                        m.Accounts[a] = new ModelAccount(keep, 0, [], []);
                        break;
                    case 7:
                        s.DeleteAccount(a);
                        m.Accounts.Remove(a);
                        m.Touched.Add(a);
                        break;
                    case 8:
                        snapshots.Add((s.TakeSnapshot(), m.Copy()));
                        break;
                    case 9:
                        if (snapshots.Count > 0)
                        {
                            int pick = value % snapshots.Count;
                            s.RevertToSnapshot(snapshots[pick].Id);
                            m = snapshots[pick].Saved;
                            snapshots.RemoveRange(pick, snapshots.Count - pick);
                        }

                        break;
                    case 10:
                        s.FinalizeTransaction();
                        Finalize(m);
                        snapshots.Clear();
                        break;
                    default:
                        s.FinalizeTransaction();
                        Finalize(m);
                        snapshots.Clear();
                        if (value < 2)
                        {
                            Assert.That(s.ComputeStateRoot(), Is.EqualTo(RootOf(m)));
                        }
                        else
                        {
                            Assert.That(s.Commit(++block), Is.EqualTo(RootOf(m)));
                            s = WorldState.OpenHead(db);
                        }

                        break;
                }

                foreach (Address x in Addresses)
                {
                    bool exists = m.Accounts.TryGetValue(x, out ModelAccount? e);
                    Assert.That(s.AccountExists(x), Is.EqualTo(exists));
                    Assert.That(s.GetBalance(x), Is.EqualTo(exists ? e!.Balance : UInt256.Zero));
                    Assert.That(s.GetStorage(x, (UInt256)slot), Is.EqualTo(exists ? e!.Storage.GetValueOrDefault((UInt256)slot) : UInt256.Zero));
                }
            }

            s.FinalizeTransaction();
            Finalize(m);
            Assert.That(s.ComputeStateRoot(), Is.EqualTo(RootOf(m)));
        }, iter: 300);
    }

    private static void Finalize(Model m)
    {
        foreach (Address a in m.Touched)
        {
            if (m.Accounts.TryGetValue(a, out ModelAccount? acc) && acc.IsEmpty)
            {
                m.Accounts.Remove(a);
            }
        }

        m.Touched.Clear();
    }

    private static Hash256 RootOf(Model m)
    {
        WorldState fresh = WorldState.Open(new MemoryStore(), Hash256.EmptyTrieRoot);
        foreach (KeyValuePair<Address, ModelAccount> kv in m.Accounts)
        {
            fresh.CreateAccount(kv.Key);
            fresh.AddBalance(kv.Key, kv.Value.Balance);
            fresh.SetNonce(kv.Key, kv.Value.Nonce);
            fresh.SetCode(kv.Key, kv.Value.Code);
            foreach (KeyValuePair<UInt256, UInt256> slot in kv.Value.Storage)
            {
                fresh.SetStorage(kv.Key, slot.Key, slot.Value);
            }
        }

        return fresh.ComputeStateRoot();
    }
}
