using System;
using System.Threading.Tasks;

namespace Leakproof;

/// <summary>
/// Represents the options of a <see cref="BackgroundLoop"/>.
/// </summary>
/// <remarks>The loop copies and validates the options when it is constructed; later changes have no effect on it.</remarks>
public sealed class BackgroundLoopOptions
{
    /// <summary>The longest period a timer accepts, in milliseconds.</summary>
    private const double MaxPeriodMilliseconds = uint.MaxValue - 1;

    /// <summary>
    /// Gets or sets the loop's name, used in metrics, traces, error arguments and the census.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the loop is reported as <c>unnamed</c>.</value>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets the time between the starts of two ticks. A tick that runs longer than the period delays the next
    /// one; ticks never overlap.
    /// </summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>, which is invalid: a period must be set.</value>
    public TimeSpan Period { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the first tick runs as soon as the loop starts rather than one period later.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RunImmediately { get; set; }

    /// <summary>
    /// Gets or sets the clock that times the ticks.
    /// </summary>
    /// <value>The default value is <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the callback that receives the exception of a failed tick. The loop goes on with the next tick.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: failures are only counted in the
    /// <c>leakproof.loop.tick.completed</c> metric.</value>
    /// <remarks>The callback runs on the loop, between ticks, never under a lock. If the callback itself throws, the
    /// loop ends and its exception is rethrown by <see cref="BackgroundLoop.StopAsync"/> or
    /// <see cref="BackgroundLoop.DisposeAsync"/>.</remarks>
    public Func<OnBackgroundLoopErrorArguments, ValueTask>? OnError { get; set; }

    /// <summary>
    /// Throws if the options are invalid.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Period"/> is not positive or is longer than a timer allows.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        if (Period <= TimeSpan.Zero || Period.TotalMilliseconds > MaxPeriodMilliseconds)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Period),
                Period,
                $"{nameof(BackgroundLoopOptions)}.{nameof(Period)} must be positive and at most {TimeSpan.FromMilliseconds(MaxPeriodMilliseconds)}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), $"{nameof(BackgroundLoopOptions)}.{nameof(TimeProvider)} must not be null.");
        }
    }
}
