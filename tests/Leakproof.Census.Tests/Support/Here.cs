using System.Runtime.CompilerServices;

namespace Leakproof.Census.Tests.Support;

/// <summary>Returns the caller's line, so a test can name the line of an await written on the same line.</summary>
internal static class Here
{
    public static int Line([CallerLineNumber] int line = 0) => line;

    public static string File([CallerFilePath] string file = "") => file;
}
