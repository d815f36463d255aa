using System;
using System.Linq;
using Leakproof.Census.Analysis;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Census.Tests.Census;

public sealed class AwaitSiteResolverTests
{
    [Fact]
    public void Resolve_StateMachineWithPdb_MapsStateToAwaitLine()
    {
        Type machine = typeof(Shapes).GetNestedTypes(System.Reflection.BindingFlags.NonPublic)
            .Single(t => t.Name.StartsWith("<OuterAsync>", StringComparison.Ordinal));
        _ = Shapes.OuterAsync(System.Threading.Tasks.Task.CompletedTask); // Sets OuterLine.

        (string File, int Line)? site = AwaitSiteResolver.Shared.Resolve(machine, 0);

        Assert.Equal(Shapes.OuterLine, site!.Value.Line);
        Assert.EndsWith("Shapes.cs", site.Value.File, StringComparison.Ordinal);
        Assert.Null(AwaitSiteResolver.Shared.Resolve(machine, 5)); // No such await.
    }

    [Fact]
    public void Resolve_AssemblyWithoutPdb_ReturnsNullInsteadOfThrowing()
    {
        // The shared framework ships no PDB beside System.Private.CoreLib.
        Type machine = typeof(System.IO.Stream).Assembly.GetTypes().First(t => t.Name.StartsWith('<') && typeof(System.Runtime.CompilerServices.IAsyncStateMachine).IsAssignableFrom(t));

        Assert.False(AwaitSiteResolver.Shared.HasPdb(machine));
        Assert.Null(AwaitSiteResolver.Shared.Resolve(machine, 0));
    }

    [Theory]
    [InlineData("<RunAsync>d__5", "RunAsync")]
    [InlineData("<<Main>b__2_0>d", "Main.lambda")]
    [InlineData("<<<Main>$>g__Wait|0_2>d", "Main.Wait")]
    [InlineData("Plain", "Plain")]
    public void MemberName_GeneratedNames_AreReadable(string generated, string expected)
    {
        Assert.Equal(expected, StateMachineNames.MemberName(generated));
    }
}
