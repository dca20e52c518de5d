using System.Text.Json;
using Basalt.Api;

namespace Basalt.Tests.Api;

public sealed class RequestBodyReaderTests
{
    [Theory]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("false", JsonValueKind.False)]
    [InlineData("12", JsonValueKind.Number)]
    [InlineData("-1.5", JsonValueKind.Number)]
    [InlineData("1.50", JsonValueKind.String)]
    [InlineData("007", JsonValueKind.String)]
    [InlineData("1e3", JsonValueKind.String)]
    [InlineData("", JsonValueKind.String)]
    [InlineData("True", JsonValueKind.String)]
    [InlineData("abc", JsonValueKind.String)]
    public void Form_values_are_inferred_only_when_they_round_trip(string raw, JsonValueKind kind) =>
        Assert.Equal(kind, RequestBodyReader.Infer(raw).GetValueKind());
}
