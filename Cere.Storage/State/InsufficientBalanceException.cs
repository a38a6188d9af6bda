using Cere.Core;

namespace Cere.Storage.State;

/// <summary>A balance would go below zero; the state is unchanged.</summary>
public sealed class InsufficientBalanceException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="address"/>, which holds <paramref name="balance"/> and was asked for <paramref name="amount"/>.</summary>
    public InsufficientBalanceException(Address address, UInt256 balance, UInt256 amount)
        : base($"insufficient balance: account {address} holds {balance} wei, {amount} wei requested")
    {
        Address = address;
        Balance = balance;
        Amount = amount;
    }

    /// <summary>The account.</summary>
    public Address Address { get; }

    /// <summary>Its balance.</summary>
    public UInt256 Balance { get; }

    /// <summary>The amount that was to be subtracted.</summary>
    public UInt256 Amount { get; }
}
