using System.Diagnostics;
using System.Reflection;

namespace Leakproof.Tests.TestSupport;

/// <summary>Checks a type's [DebuggerDisplay] the way the debugger would use it, and evaluates it.</summary>
public static class DebuggerDisplayReader
{
    public static string Read(object value)
    {
        DebuggerDisplayAttribute attribute = value.GetType().GetCustomAttribute<DebuggerDisplayAttribute>()
            ?? throw new Xunit.Sdk.XunitException($"{value.GetType()} has no [DebuggerDisplay].");
        Assert.Equal("{DebuggerDisplay,nq}", attribute.Value);
        PropertyInfo property = value.GetType().GetProperty("DebuggerDisplay", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new Xunit.Sdk.XunitException($"{value.GetType()} has no DebuggerDisplay property.");
        return Assert.IsType<string>(property.GetValue(value));
    }
}
