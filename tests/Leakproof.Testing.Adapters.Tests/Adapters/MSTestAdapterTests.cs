using System.Threading.Tasks;
using Leakproof.Testing.Adapters.Tests.Support;

namespace Leakproof.Testing.Adapters.Tests.Adapters;

public sealed class MSTestAdapterTests : AdapterContract
{
    protected override string Project => "MSTest.Sample";

    protected override string? RunFailureMarker => "Assembly Cleanup method RunGuard.VerifyAsync failed";

    private protected override Task<SampleRun> RunUnguardedOnlyAsync() =>
        SampleRun.StartAsync(Project, "--filter", "FullyQualifiedName~UnguardedTests");
}
