namespace Leakproof.Tool.Cli;

/// <summary>The tool's exit codes (documented in docs/tool.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int LeaksFound = 1;
    public const int Usage = 2;
    public const int CannotAttach = 3;
    public const int Unsupported = 4;
    public const int InternalError = 5;
}
