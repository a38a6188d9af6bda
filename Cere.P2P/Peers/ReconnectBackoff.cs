namespace Cere.P2P.Peers;

/// <summary>Exponential reconnect backoff with a cap and ±20 % jitter (so peers that lost the same node do not redial in step).</summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, double multiplier = 2)
{
    /// <summary>First retry delay.</summary>
    public TimeSpan Initial { get; } = initial > TimeSpan.Zero ? initial : throw new ArgumentException("initial backoff must be positive");

    /// <summary>Largest delay.</summary>
    public TimeSpan Max { get; } = max >= initial ? max : throw new ArgumentException("max backoff must be at least the initial one");

    /// <summary>Growth per failure (≥ 1).</summary>
    public double Multiplier { get; } = multiplier >= 1 ? multiplier : throw new ArgumentException("backoff multiplier must be ≥ 1");

    /// <summary>The delay before the next attempt after <paramref name="failures"/> consecutive failures (≥ 1), without jitter.</summary>
    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Max(0, failures - 1);
        var ms = Initial.TotalMilliseconds * Math.Pow(Multiplier, Math.Min(exponent, 64));
        return TimeSpan.FromMilliseconds(Math.Min(ms, Max.TotalMilliseconds));
    }

    /// <summary>The delay with jitter drawn from <paramref name="random"/>.</summary>
    public TimeSpan DelayWithJitter(int failures, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var factor = 0.8 + (0.4 * random.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(Delay(failures).TotalMilliseconds * factor, Max.TotalMilliseconds));
    }
}
