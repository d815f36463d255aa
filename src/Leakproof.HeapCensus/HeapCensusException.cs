using System;

namespace Leakproof.HeapCensus;

/// <summary>The exception thrown when a heap census cannot be taken; <see cref="Error"/> says why.</summary>
public sealed class HeapCensusException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HeapCensusException"/> class.</summary>
    public HeapCensusException()
        : this(HeapCensusError.CannotAttach, "The heap census failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HeapCensusException"/> class.</summary>
    /// <param name="message">The message.</param>
    public HeapCensusException(string message)
        : this(HeapCensusError.CannotAttach, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HeapCensusException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HeapCensusException(string message, Exception? innerException)
        : this(HeapCensusError.CannotAttach, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HeapCensusException"/> class.</summary>
    /// <param name="error">Why the census failed.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HeapCensusException(HeapCensusError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>Gets why the census failed.</summary>
    public HeapCensusError Error { get; }
}
