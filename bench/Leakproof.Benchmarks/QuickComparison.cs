using System;

namespace Leakproof.Benchmarks;

/// <summary>One line of the quick report: a candidate benchmark measured against its class's baseline.</summary>
/// <param name="Name">The comparison's stable name, printed first (<c>feature.candidate_vs_baseline</c>).</param>
/// <param name="Benchmark">The benchmark class holding both methods.</param>
/// <param name="Candidate">The candidate method's name.</param>
internal sealed record QuickComparison(string Name, Type Benchmark, string Candidate);
