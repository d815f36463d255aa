using Leakproof.Testing.NUnit;
using NUnit.Framework;

[assembly: LeakGuardRun]
[assembly: Parallelizable(ParallelScope.Fixtures)]
