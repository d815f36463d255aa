namespace Leakproof.Census;

/// <summary>Describes the process a census was taken in.</summary>
public sealed class CensusProcessInfo
{
    /// <summary>Gets the process id.</summary>
    public int ProcessId { get; init; }

    /// <summary>Gets the process name.</summary>
    public string ProcessName { get; init; } = string.Empty;

    /// <summary>Gets the .NET runtime description, such as <c>.NET 10.0.0</c>.</summary>
    public string Runtime { get; init; } = string.Empty;

    /// <summary>Gets the operating system description.</summary>
    public string OperatingSystem { get; init; } = string.Empty;

    /// <summary>Gets the number of processors available to the process.</summary>
    public int ProcessorCount { get; init; }
}
