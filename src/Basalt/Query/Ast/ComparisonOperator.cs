namespace Basalt.Query.Ast;

/// <summary>The comparison operators of the filter language, without their any-of marker.</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Like,
    NotLike,
}
