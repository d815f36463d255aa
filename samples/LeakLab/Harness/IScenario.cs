namespace LeakLab.Harness;

/// <summary>One incident, runnable as the leaky code real services ship and as the Leakproof fix.</summary>
public interface IScenario
{
    /// <summary>Gets the short id used on the command line and in JSON.</summary>
    string Name { get; }

    /// <summary>Gets the incident this reproduces, in one line.</summary>
    string Incident { get; }

    /// <summary>Runs the leaky variant to the point where its caller has returned.</summary>
    Task RunLeakyAsync(LeakProbe probe);

    /// <summary>Runs the fixed variant to the point where its caller has returned.</summary>
    Task RunFixedAsync(LeakProbe probe);
}
