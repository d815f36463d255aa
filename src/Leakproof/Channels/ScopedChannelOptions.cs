using System;
using System.Threading.Channels;

namespace Leakproof;

/// <summary>
/// Represents the options of a <see cref="ScopedChannel{T}"/>.
/// </summary>
/// <remarks>
/// Options are read when the channel is created; changing them afterwards has no effect on channels already created.
/// Invalid values are refused by the setters.
/// </remarks>
public sealed class ScopedChannelOptions
{
    /// <summary>The capacity, validated by its setter.</summary>
    private int _capacity = 1;

    /// <summary>The behaviour when the channel is full, validated by its setter.</summary>
    private BoundedChannelFullMode _fullMode = BoundedChannelFullMode.Wait;

    /// <summary>
    /// Gets or sets how many items the channel buffers before a write waits (or drops, see <see cref="FullMode"/>).
    /// </summary>
    /// <value>The default value is 1: a one-slot buffer, so a producer is never more than one item ahead.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    /// <remarks>There is no unbounded mode: a channel whose consumer died must not grow without limit.</remarks>
    public int Capacity
    {
        get => _capacity;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"{nameof(ScopedChannelOptions)}.{nameof(Capacity)} must be at least 1.");
            }

            _capacity = value;
        }
    }

    /// <summary>
    /// Gets or sets what a write does when the channel is full.
    /// </summary>
    /// <value>The default value is <see cref="BoundedChannelFullMode.Wait"/> (back-pressure).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="BoundedChannelFullMode"/>.</exception>
    /// <remarks>With a drop mode, a dropped item that is <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>
    /// is disposed.</remarks>
    public BoundedChannelFullMode FullMode
    {
        get => _fullMode;
        set
        {
            if (value is not (BoundedChannelFullMode.Wait or BoundedChannelFullMode.DropNewest
                or BoundedChannelFullMode.DropOldest or BoundedChannelFullMode.DropWrite))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"{nameof(ScopedChannelOptions)}.{nameof(FullMode)} must be a defined BoundedChannelFullMode.");
            }

            _fullMode = value;
        }
    }

    /// <summary>
    /// Gets or sets a value indicating whether at most one reader reads at a time, which allows a faster implementation.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SingleReader { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether at most one writer writes at a time, which allows a faster implementation.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SingleWriter { get; set; }
}
