using System;

namespace Leakproof.Census;

/// <summary>Configures what the census tracks once it is enabled. Tracking only widens: a later, wider call adds to it.</summary>
public sealed class CensusOptions
{
    /// <summary>Gets or sets a value indicating whether to capture a stack trace when each operation begins.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>Costs an event listener on the runtime's task events and a stack walk (several microseconds) per operation; for tests and investigations.</remarks>
    public bool CaptureCreationStacks { get; set; }

    /// <summary>Gets or sets a value indicating whether to report async methods collected while suspended.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>The runtime then allocates finalizable state machine boxes for async methods started afterwards.</remarks>
    public bool TrackAbandoned { get; set; }

    /// <summary>Gets or sets a value indicating whether to record the execution context that created operations
    /// with no context of their own (<c>Task.Delay</c>, <c>Task.WhenAny</c>), so their owner can be read.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>Costs an event listener on the runtime's task events.</remarks>
    public bool TrackCreationContext { get; set; }

    /// <summary>Gets or sets the clock for capture times and ages.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), $"{nameof(CensusOptions)}.{nameof(TimeProvider)} must not be null.");
        }
    }
}
