using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace Leap.Analyzers.Tests;

/// <summary>
/// Reads TorchSharp's (and TorchVision's) IL and lists, as documentation comment ids, every public method, operator and constructor that
/// creates a TorchSharp Scalar itself (a number converted to a Scalar, or ToScalar) or calls one that does: the members
/// whose native call can outlive the temporary Scalar they made. This is how src/Leap.Analyzers' list is produced.
/// </summary>
internal static class ScalarTemporaryScan
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
    private static readonly Dictionary<short, OpCode> OneByte = new();
    private static readonly Dictionary<short, OpCode> TwoByte = new();

    static ScalarTemporaryScan()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            (code.Size == 1 ? OneByte : TwoByte)[code.Value] = code;
        }
    }

    /// <param name="assemblies">TorchSharp and the assemblies built on it (TorchVision): calls between them are followed.</param>
    public static SortedSet<string> PublicMembers(params Assembly[] assemblies)
    {
        var bodies = new Dictionary<MethodBase, List<MethodBase>>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                bodies[method] = Callees(method);
            }
        }

        var makers = new HashSet<MethodBase>(bodies.Where(b => b.Value.Any(CreatesScalar)).Select(b => b.Key));
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (method, callees) in bodies)
            {
                if (!makers.Contains(method) && callees.Any(makers.Contains))
                {
                    makers.Add(method);
                    grew = true;
                }
            }
        }

        return new SortedSet<string>(makers.Where(IsPublic).Select(DocumentationId), StringComparer.Ordinal);
    }

    private static bool CreatesScalar(MethodBase callee) =>
        callee.DeclaringType?.FullName is "TorchSharp.Scalar" && callee.Name == "op_Implicit"
        || callee.DeclaringType?.FullName is "TorchSharp.ScalarExtensionMethods" && callee.Name.StartsWith("To", StringComparison.Ordinal) && callee.Name.EndsWith("Scalar", StringComparison.Ordinal);

    private static bool IsPublic(MethodBase method)
    {
        if (!method.IsPublic && !method.IsFamily && !method.IsFamilyOrAssembly)
        {
            return false;
        }
        for (var type = method.DeclaringType; type is not null; type = type.DeclaringType)
        {
            if (!(type.IsPublic || type.IsNestedPublic))
            {
                return false;
            }
        }
        return true;
    }

    private static List<MethodBase> Callees(MethodBase method)
    {
        var callees = new List<MethodBase>();
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (BadImageFormatException)
        {
            il = null;
        }
        if (il is null)
        {
            return callees;
        }

        for (int i = 0; i < il.Length;)
        {
            OpCode code = il[i] == 0xFE ? TwoByte[(short)(0xFE00 | il[i + 1])] : OneByte[il[i]];
            i += code.Size;
            if (code.OperandType == OperandType.InlineMethod)
            {
                int token = BitConverter.ToInt32(il, i);
                if (Resolve(method, token) is { } callee)
                {
                    callees.Add(callee);
                }
            }
            i += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }
        return callees;
    }

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            var callee = method.Module.ResolveMethod(token, typeArguments, methodArguments);
            return callee is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericMethodDefinition() : callee;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Roslyn's documentation comment id of a method (M:Namespace.Type.Name(Parameter,...)), as ISymbol.GetDocumentationCommentId writes it.</summary>
    public static string DocumentationId(MethodBase method)
    {
        var id = new StringBuilder("M:").Append(TypeName(method.DeclaringType!, definition: true)).Append('.');
        id.Append(method.IsConstructor ? (method.IsStatic ? "#cctor" : "#ctor") : method.Name);
        if (method.IsGenericMethod)
        {
            id.Append("``").Append(method.GetGenericArguments().Length);
        }
        var parameters = method.GetParameters();
        if (parameters.Length > 0)
        {
            id.Append('(').Append(string.Join(",", parameters.Select(p => TypeName(p.ParameterType, definition: false)))).Append(')');
        }
        if (method is MethodInfo { Name: "op_Implicit" or "op_Explicit" } conversion)
        {
            id.Append('~').Append(TypeName(conversion.ReturnType, definition: false));
        }
        return id.ToString();
    }

    private static string TypeName(Type type, bool definition)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!, definition) + "@";
        }
        if (type.IsPointer)
        {
            return TypeName(type.GetElementType()!, definition) + "*";
        }
        if (type.IsArray)
        {
            int rank = type.GetArrayRank();
            return TypeName(type.GetElementType()!, definition) + (rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }
        if (type.IsGenericParameter)
        {
            return type.DeclaringMethod is not null ? "``" + type.GenericParameterPosition : "`" + type.GenericParameterPosition;
        }

        var outer = type.DeclaringType is { } declaring ? TypeName(declaring, definition: true) : type.Namespace;
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }
        var prefix = string.IsNullOrEmpty(outer) ? name : outer + "." + name;
        if (!type.IsGenericType)
        {
            return prefix;
        }
        // Only the type's own arguments (those after its declaring type's).
        var all = type.GetGenericArguments();
        int inherited = type.DeclaringType?.GetGenericArguments().Length ?? 0;
        var own = all.Skip(inherited).ToArray();
        if (own.Length == 0)
        {
            return prefix;
        }
        if (definition && type.IsGenericTypeDefinition)
        {
            return prefix + "`" + own.Length;
        }
        return prefix + "{" + string.Join(",", own.Select(a => TypeName(a, definition: false))) + "}";
    }
}
