using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Leakproof.Analyzers.Rules;

/// <summary>LEAK1002 fix: dispose the registration with <c>using</c> (a local gets <c>using</c>; a dropped one becomes <c>using var registration = …</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UndisposedCancellationTokenRegistrationCodeFix))]
[Shared]
public sealed class UndisposedCancellationTokenRegistrationCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UndisposedCancellationTokenRegistration);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => UsingFix.SequentialFixAll;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        UsingFix.RegisterAsync(context, "Dispose the registration with 'using'", RuleIds.UndisposedCancellationTokenRegistration, "registration");
}
