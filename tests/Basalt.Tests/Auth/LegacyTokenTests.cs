using System.Text;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;

namespace Basalt.Tests.Auth;

/// <summary>
/// PocketBase v0.22's token types: <c>authRecord</c> for every record token and <c>admin</c> (no collectionId) for
/// admins. An imported app keeps the secrets that signed them, so they read as refreshable auth tokens of the record's
/// collection or of <c>_superusers</c>; the signature is still checked against the auth secret (TokenAttackTests).
/// </summary>
public sealed class LegacyTokenTests
{
    [Fact]
    public void A_v022_record_token_reads_as_a_refreshable_auth_token_of_its_collection()
    {
        var claims = TokenService.ReadUnverified(Unsigned(new JsonObject { ["id"] = "abc", ["type"] = "authRecord", ["collectionId"] = "col1", ["exp"] = 4102444800 }));

        Assert.NotNull(claims);
        Assert.Equal(TokenService.AuthType, claims.Type);
        Assert.Equal("col1", claims.CollectionId);
        Assert.True(claims.Refreshable);
    }

    [Fact]
    public void A_v022_admin_token_reads_as_an_auth_token_of_superusers()
    {
        var claims = TokenService.ReadUnverified(Unsigned(new JsonObject { ["id"] = "adm", ["type"] = "admin", ["exp"] = 4102444800 }));

        Assert.NotNull(claims);
        Assert.Equal(TokenService.AuthType, claims.Type);
        Assert.Equal(SystemCollections.SuperusersId, claims.CollectionId);
    }

    [Fact]
    public void Other_tokens_still_need_a_collection_id()
    {
        Assert.Null(TokenService.ReadUnverified(Unsigned(new JsonObject { ["id"] = "abc", ["type"] = "auth", ["exp"] = 4102444800 })));
        Assert.Null(TokenService.ReadUnverified(Unsigned(new JsonObject { ["id"] = "abc", ["type"] = "file", ["exp"] = 4102444800 })));
    }

    private static string Unsigned(JsonObject payload) =>
        B64("""{"alg":"HS256","typ":"JWT"}""") + "." + B64(payload.ToJsonString()) + ".c2ln";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
