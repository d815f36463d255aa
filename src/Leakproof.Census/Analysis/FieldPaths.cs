using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Compiles a path of field reads (box, then its state machine, then an awaiter, then the awaiter's task) into one
/// delegate: reflection's <see cref="FieldInfo.GetValue"/> boxes every struct on the way and dominates a census of
/// 100k operations. When compilation is impossible the caller keeps the reflection path.
/// </summary>
internal static class FieldPaths
{
    /// <summary>Compiles a reader of an <see cref="int"/> at the end of <paramref name="path"/>.</summary>
    /// <param name="owner">The type of the object passed in.</param>
    /// <param name="path">The fields to follow; the last one is an <see cref="int"/>.</param>
    /// <returns>The reader, or <see langword="null"/> when it cannot be compiled.</returns>
    public static Func<object, int>? CompileInt(Type owner, IReadOnlyList<FieldInfo> path) => Compile<Func<object, int>>(owner, path, typeof(int));

    /// <summary>Compiles a reader of a reference at the end of <paramref name="path"/>.</summary>
    /// <param name="owner">The type of the object passed in.</param>
    /// <param name="path">The fields to follow; the last one is a reference type.</param>
    /// <returns>The reader, or <see langword="null"/> when it cannot be compiled.</returns>
    public static Func<object, object?>? CompileObject(Type owner, IReadOnlyList<FieldInfo> path) => Compile<Func<object, object?>>(owner, path, typeof(object));

    private static TDelegate? Compile<TDelegate>(Type owner, IReadOnlyList<FieldInfo> path, Type returnType)
        where TDelegate : Delegate
    {
        if (path.Count == 0 || owner.IsValueType || path[^1].FieldType.IsValueType != (returnType == typeof(int)))
        {
            return null;
        }

        try
        {
            var method = new DynamicMethod("Leakproof.Census.Read", returnType, [typeof(object)], typeof(FieldPaths).Module, skipVisibility: true);
            ILGenerator il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, owner);
            for (int i = 0; i < path.Count; i++)
            {
                FieldInfo field = path[i];
                bool last = i == path.Count - 1;

                // Structs on the way are addressed in place (ldflda), so nothing is copied or boxed.
                il.Emit(!last && field.FieldType.IsValueType ? OpCodes.Ldflda : OpCodes.Ldfld, field);
            }

            il.Emit(OpCodes.Ret);
            return (TDelegate)method.CreateDelegate(typeof(TDelegate));
        }
        catch (Exception ex) when (ex is InvalidProgramException or NotSupportedException or ArgumentException or MemberAccessException or TypeLoadException)
        {
            return null;
        }
    }
}
