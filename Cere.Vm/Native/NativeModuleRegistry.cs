using Cere.Core;

namespace Cere.Vm.Native;

/// <summary>The native modules by reserved address (Cere runtime modules: staking, DDC settlement, agents …).</summary>
public sealed class NativeModuleRegistry
{
    private readonly Dictionary<Address, INativeModule> _modules = new();

    /// <summary>Registers <paramref name="module"/> at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentException">The address is a precompile or already taken.</exception>
    public void Register(Address address, INativeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (Precompiles.PrecompileSet.IdOf(address) != 0)
        {
            throw new ArgumentException($"{address} is a precompile address", nameof(address));
        }

        if (!_modules.TryAdd(address, module))
        {
            throw new ArgumentException($"a native module is already registered at {address}", nameof(address));
        }
    }

    /// <summary>The module at <paramref name="address"/>, or null.</summary>
    public INativeModule? Find(in Address address) => _modules.Count == 0 ? null : _modules.GetValueOrDefault(address);

    /// <summary>The registered addresses (warm from the start of every transaction, like precompiles).</summary>
    public IEnumerable<Address> Addresses => _modules.Keys;
}
