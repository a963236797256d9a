// Reads the defaults cell (tagged "parameters") with Roslyn: each top-level variable and the C# type an override
// must have — from an explicit type, or for `var` from the initializer (literal, `x ?? "lit"`, `c ? 1 : 2`, int.Parse(...)).
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookRunner.Parameters;

public enum ParameterType { Int, Long, Double, Float, Bool, String }

/// <param name="Type">Null when the runner cannot tell; such a parameter cannot be overridden.</param>
public sealed record ParameterDeclaration(string Name, ParameterType? Type, string DeclaredAs);

public static class ParameterDeclarations
{
    public static IReadOnlyList<ParameterDeclaration> Parse(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var declarations = new List<ParameterDeclaration>();
        foreach (var member in root.Members)
        {
            VariableDeclarationSyntax? variables = member switch
            {
                FieldDeclarationSyntax f => f.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax l } => l.Declaration,
                _ => null,
            };
            if (variables is null) continue;
            foreach (var v in variables.Variables)
            {
                var type = variables.Type.IsVar ? Infer(v.Initializer?.Value) : FromTypeSyntax(variables.Type);
                declarations.Add(new ParameterDeclaration(v.Identifier.ValueText, type, variables.Type.ToString()));
            }
        }
        return declarations;
    }

    static ParameterType? FromTypeSyntax(TypeSyntax type) => type switch
    {
        PredefinedTypeSyntax p => FromKeyword(p.Keyword.Kind()),
        QualifiedNameSyntax or IdentifierNameSyntax => type.ToString().Replace("System.", "") switch
        {
            "Int32" => ParameterType.Int,
            "Int64" => ParameterType.Long,
            "Double" => ParameterType.Double,
            "Single" => ParameterType.Float,
            "Boolean" => ParameterType.Bool,
            "String" => ParameterType.String,
            _ => null,
        },
        _ => null,
    };

    static ParameterType? FromKeyword(SyntaxKind kind) => kind switch
    {
        SyntaxKind.IntKeyword => ParameterType.Int,
        SyntaxKind.LongKeyword => ParameterType.Long,
        SyntaxKind.DoubleKeyword => ParameterType.Double,
        SyntaxKind.FloatKeyword => ParameterType.Float,
        SyntaxKind.BoolKeyword => ParameterType.Bool,
        SyntaxKind.StringKeyword => ParameterType.String,
        _ => null,
    };

    static ParameterType? Infer(ExpressionSyntax? e) => e switch
    {
        null => null,
        ParenthesizedExpressionSyntax p => Infer(p.Expression),
        PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression) || u.IsKind(SyntaxKind.UnaryPlusExpression) => Infer(u.Operand),
        LiteralExpressionSyntax l => l.Kind() switch
        {
            SyntaxKind.StringLiteralExpression => ParameterType.String,
            SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression => ParameterType.Bool,
            SyntaxKind.NumericLiteralExpression => l.Token.Value switch
            {
                int => ParameterType.Int,
                long => ParameterType.Long,
                double => ParameterType.Double,
                float => ParameterType.Float,
                _ => null,
            },
            _ => null,
        },
        InterpolatedStringExpressionSyntax => ParameterType.String,
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.CoalesceExpression) => Infer(b.Right),
        ConditionalExpressionSyntax c => Infer(c.WhenTrue) is { } t && Infer(c.WhenFalse) is { } f && t == f ? t : Infer(c.WhenTrue) ?? Infer(c.WhenFalse),
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Parse" } m } =>
            m.Expression switch
            {
                PredefinedTypeSyntax p => FromKeyword(p.Keyword.Kind()),
                TypeSyntax t => FromTypeSyntax(t),
                _ => null,
            },
        CastExpressionSyntax c => FromTypeSyntax(c.Type),
        _ => null,
    };
}
