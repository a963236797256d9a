// One Roslyn scripting session shared by all cells of a notebook, configured like .NET Interactive's C# kernel:
// same default imports, latest language version, plus Release optimization, debug info for line numbers in stack
// traces, host assemblies as references and #r/#load resolved relative to the notebook's folder.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace NotebookRunner.Execution;

public sealed record SubmissionResult(
    ImmutableArray<Diagnostic> CompileErrors,
    Exception? Exception,
    bool HasReturnValue,
    object? ReturnValue)
{
    public bool Succeeded => CompileErrors.IsEmpty && Exception is null;
}

public sealed class ScriptSession
{
    /// <summary>The imports .NET Interactive's C# kernel gives every notebook.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>The hidden first submission that makes display(), HTML() etc. available in every cell.</summary>
    public const string HelperImports = "using static NotebookRunner.Display.Kernel;";

    readonly ScriptOptions options;
    ScriptState<object>? state;

    ScriptSession(ScriptOptions options) => this.options = options;

    public static async Task<ScriptSession> StartAsync(string baseDirectory, HostEnvironment host, CancellationToken cancellationToken = default)
    {
        var options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithImports(DefaultImports)
            .WithReferences(host.References)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(baseDirectory));
        var session = new ScriptSession(options);
        var result = await session.RunAsync(HelperImports, Path.Combine(baseDirectory, "(runner setup)"), cancellationToken);
        if (!result.Succeeded)
            throw new InvalidOperationException("the runner's setup submission failed: " +
                string.Join("; ", result.CompileErrors.Select(d => d.ToString())) + result.Exception);
        return session;
    }

    /// <param name="filePath">Name the compiler and stack traces use for this code (notebook path plus cell).</param>
    public async Task<SubmissionResult> RunAsync(string code, string filePath, CancellationToken cancellationToken = default)
    {
        var cellOptions = options.WithFilePath(filePath);
        Script<object> script = state is null
            ? CSharpScript.Create(code, cellOptions)
            : state.Script.ContinueWith(code, cellOptions);

        var errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        if (!errors.IsEmpty) return new SubmissionResult(errors, null, false, null);

        bool hasValue = HasTrailingValue(script.GetCompilation(), cancellationToken);
        Exception? thrown = null;
        bool Catch(Exception e) { thrown = e; return true; }
        var next = state is null
            ? await script.RunAsync(globals: null, catchException: Catch, cancellationToken)
            : await script.RunFromAsync(state, Catch, cancellationToken);
        state = next;
        var exception = next.Exception ?? thrown;
        return new SubmissionResult([], exception, hasValue && exception is null, exception is null ? next.ReturnValue : null);
    }

    /// <summary>
    /// True when the submission ends in an expression without a semicolon whose type is not void — the value a
    /// notebook shows as the cell result. Decided from the syntax tree (and the expression's type), not by reflection.
    /// </summary>
    public static bool HasTrailingValue(Compilation compilation, CancellationToken cancellationToken = default)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot(cancellationToken) is not CompilationUnitSyntax root) return false;
        if (root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }) return false;
        if (!statement.SemicolonToken.IsMissing) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression, cancellationToken).Type;
        return type is null || type.SpecialType != SpecialType.System_Void;
    }
}
