using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leap.Analyzers;

/// <summary>
/// Reports every temporary <c>TorchSharp.Scalar</c>: a number converted to a Scalar where it is used (<c>t * 0.5</c>,
/// <c>t.add_(g, alpha: 0.1)</c>) and a Scalar-returning call passed straight on (<c>t.add_(g, 0.1.ToScalar())</c>).
/// <para>
/// TorchSharp reads the Scalar's native handle and calls libtorch with it; nothing keeps the managed Scalar alive for
/// the call, so a garbage collection on another thread can run its finalizer, which frees the native Scalar while
/// libtorch still reads it. The symptom is "Expected false to be true" from c10::Scalar::toDouble, a wrong value, or a
/// crashed process, seldom and under load (many threads allocating: in-process ranks, the centre service). A Scalar
/// held in a <c>using</c> local stays alive until after the call.
/// </para>
/// <para>
/// TorchSharp's own members do the same inside (<c>a + b</c> is <c>a.add(b, 1)</c>; <c>t * 0.5</c> converts 0.5): a call
/// to one of them (<see cref="TorchSharpMembers"/>, read from TorchSharp's IL by tests/Leap.Analyzers.Tests) is
/// LEAP0003.
/// </para>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    public const string ConversionId = "LEAP0001";
    public const string PassedOnId = "LEAP0002";
    public const string HiddenId = "LEAP0003";
    public const string ListResource = "Leap.Analyzers.TorchSharpScalarTemporaries.txt";

    private static readonly DiagnosticDescriptor Conversion = new(
        ConversionId,
        "Temporary TorchSharp Scalar",
        "'{0}' becomes a temporary TorchSharp.Scalar that the finalizer may free while libtorch reads it; hold it in a using local ('using var s = ({0}).ToScalar();')",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp does not keep a Scalar alive during the native call it is passed to.");

    private static readonly DiagnosticDescriptor PassedOn = new(
        PassedOnId,
        "TorchSharp Scalar passed on without an owner",
        "The Scalar from '{0}' is passed on without an owner, so the finalizer may free it while libtorch reads it; hold it in a using local",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp does not keep a Scalar alive during the native call it is passed to.");

    private static readonly DiagnosticDescriptor Hidden = new(
        HiddenId,
        "TorchSharp member that makes a temporary Scalar",
        "TorchSharp's '{0}' makes a temporary Scalar inside that the finalizer may free while libtorch reads it; call the overload taking a Scalar with one held in a using local (a + b: a.add(b, one))",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp does not keep a Scalar alive during the native call it is passed to; these members create one and pass it on.");

    private static readonly Lazy<ImmutableHashSet<string>> Members = new(ReadMembers);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Conversion, PassedOn, Hidden);

    /// <summary>Documentation comment ids of TorchSharp's and TorchVision's public members that create a Scalar (or call one that does).</summary>
    public static ImmutableHashSet<string> TorchSharpMembers => Members.Value;

    private static ImmutableHashSet<string> ReadMembers()
    {
        using var stream = typeof(TemporaryScalarAnalyzer).Assembly.GetManifestResourceStream(ListResource)
            ?? throw new InvalidOperationException($"The analyzer lacks its resource {ListResource}.");
        using var reader = new StreamReader(stream);
        var ids = new List<string>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length > 0 && line[0] != '#')
            {
                ids.Add(line);
            }
        }
        return ids.ToImmutableHashSet(StringComparer.Ordinal);
    }

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, scalar), OperationKind.Invocation);
            start.RegisterOperationAction(AnalyzeMemberUse, OperationKind.Invocation, OperationKind.Binary, OperationKind.CompoundAssignment,
                OperationKind.Unary, OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.OperatorMethod is { } method && SymbolEqualityComparer.Default.Equals(method.ReturnType, scalar))
        {
            context.ReportDiagnostic(Diagnostic.Create(Conversion, conversion.Syntax.GetLocation(), conversion.Operand.Syntax.ToString()));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ReturnType, scalar))
        {
            return;
        }

        var parent = invocation.Parent;
        while (parent is IConversionOperation { Conversion.IsIdentity: true } or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IArgumentOperation or IBinaryOperation or IInvocationOperation or IPropertyReferenceOperation)
        {
            context.ReportDiagnostic(Diagnostic.Create(PassedOn, invocation.Syntax.GetLocation(), invocation.Syntax.ToString()));
        }
    }

    private static void AnalyzeMemberUse(OperationAnalysisContext context)
    {
        IMethodSymbol? method = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IBinaryOperation binary => binary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (method?.ContainingAssembly?.Name is not ("TorchSharp" or "TorchVision"))
        {
            return;
        }
        var definition = method.ReducedFrom ?? method;
        string? id = definition.OriginalDefinition.GetDocumentationCommentId();
        if (id is not null && TorchSharpMembers.Contains(id))
        {
            context.ReportDiagnostic(Diagnostic.Create(Hidden, context.Operation.Syntax.GetLocation(), definition.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
        }
    }
}
