using Leakproof.Testing.XunitV3;
using Xunit;

[assembly: AssemblyFixture(typeof(LeakGuardRunFixture))]
