using System.Linq;

namespace LeakLab.Tests;

public sealed class LabTests(LabRunFixture lab) : IClassFixture<LabRunFixture>
{
    public static TheoryData<string> Scenarios => new(Lab.Scenarios.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void LeakyVariant_LeavesWorkBehind(string scenario)
    {
        var result = lab.Results.Single(r => r.Scenario == scenario && r.Variant == "leaky");

        Assert.Null(result.Error);
        Assert.True(result.Leaks > 0, $"{scenario}/leaky left nothing behind: {result}");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void FixedVariant_LeavesNothingBehind(string scenario)
    {
        var result = lab.Results.Single(r => r.Scenario == scenario && r.Variant == "fixed");

        Assert.Null(result.Error);
        Assert.Equal(0, result.Leaks);
    }

    [Fact]
    public void Results_AreOrderedLeakyThenFixedPerScenario()
    {
        Assert.Equal(Lab.Scenarios.Count * 2, lab.Results.Count);
        Assert.Equal(
            Lab.Scenarios.SelectMany(s => new[] { (s.Name, "leaky"), (s.Name, "fixed") }),
            lab.Results.Select(r => (r.Scenario, r.Variant)));
    }
}
