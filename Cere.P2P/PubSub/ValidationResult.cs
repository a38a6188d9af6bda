namespace Cere.P2P.PubSub;

/// <summary>The outcome of application validation (gossipsub-v1.1.md "Extended Validators").</summary>
public enum ValidationResult
{
    /// <summary>Valid: deliver to the application and forward.</summary>
    Accept,

    /// <summary>Invalid: drop and penalise the sender (P4).</summary>
    Reject,

    /// <summary>Drop without delivering, forwarding or penalising.</summary>
    Ignore,
}
