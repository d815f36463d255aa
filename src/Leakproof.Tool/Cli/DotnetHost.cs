using System;
using System.IO;

namespace Leakproof.Tool.Cli;

/// <summary>Finds the <c>dotnet</c> host to start managed child processes with.</summary>
internal static class DotnetHost
{
    public static string Path
    {
        get
        {
            string? current = Environment.ProcessPath;
            if (current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet")
            {
                return current;
            }

            string? fromEnv = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
            {
                return fromEnv;
            }

            string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
            return !string.IsNullOrEmpty(root) && File.Exists(System.IO.Path.Combine(root, exe)) ? System.IO.Path.Combine(root, exe) : exe;
        }
    }
}
