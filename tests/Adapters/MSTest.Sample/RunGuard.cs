using System.Threading.Tasks;
using Leakproof.Testing;
using Leakproof.Testing.MSTest;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Scope = ExecutionScope.ClassLevel, Workers = 2)]

namespace Samples.MSTest;

[TestClass]
public static class RunGuard
{
    private static LeakGuard? s_run;

    [AssemblyInitialize]
    public static void Start(TestContext context) => s_run = LeakGuardRun.Start();

    [AssemblyCleanup]
    public static async Task VerifyAsync()
    {
        if (s_run is not null)
        {
            await LeakGuardRun.VerifyAsync(s_run);
        }
    }
}
