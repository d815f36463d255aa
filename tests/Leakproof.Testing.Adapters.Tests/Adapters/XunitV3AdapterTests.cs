using System.Threading.Tasks;
using Leakproof.Testing.Adapters.Tests.Support;

namespace Leakproof.Testing.Adapters.Tests.Adapters;

public sealed class XunitV3AdapterTests : AdapterContract
{
    protected override string Project => "XunitV3.Sample";

    protected override string? RunFailureMarker => "Assembly fixture type 'Leakproof.Testing.XunitV3.LeakGuardRunFixture' threw in DisposeAsync";

    private protected override Task<SampleRun> RunUnguardedOnlyAsync() =>
        SampleRun.StartAsync(Project, "--filter-class", "Samples.XunitV3.UnguardedTests");
}
