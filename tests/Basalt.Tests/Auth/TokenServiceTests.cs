using System.Text;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Auth;

public sealed class TokenServiceTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly TokenService _tokens;
    private readonly Record _record;

    public TokenServiceTests()
    {
        _tokens = new TokenService(_clock);
        _record = NewRecord(NewCollection("pbc_1", "_superusers", "secret-one-0123456789-0123456789-0123456789"), "abc123def456ghi", TokenKey('a'));
    }

    [Fact]
    public async Task Created_token_verifies_and_carries_PocketBase_claims()
    {
        var token = _tokens.CreateAuthToken(_record);

        var claims = await _tokens.VerifyAsync(token, _record, TokenService.AuthTokenOptions, TokenService.AuthType);

        Assert.NotNull(claims);
        var payload = Payload(token);
        Assert.Equal("abc123def456ghi", payload["id"]!.GetValue<string>());
        Assert.Equal("auth", payload["type"]!.GetValue<string>());
        Assert.Equal("pbc_1", payload["collectionId"]!.GetValue<string>());
        Assert.True(payload["refreshable"]!.GetValue<bool>());
        Assert.Equal(Start.AddSeconds(86400).ToUnixTimeSeconds(), payload["exp"]!.GetValue<long>());
        Assert.Equal("HS256", Header(token)["alg"]!.GetValue<string>());
    }

    [Fact]
    public void Duration_comes_from_the_collection_authToken_option()
    {
        var collection = NewCollection("pbc_2", "users", "s-0123456789-0123456789-0123456789");
        ((JsonObject)collection.Options["authToken"]!)["duration"] = 120;
        var token = _tokens.CreateAuthToken(NewRecord(collection, "user00000000001", TokenKey('u')));

        Assert.Equal(Start.AddSeconds(120).ToUnixTimeSeconds(), Payload(token)["exp"]!.GetValue<long>());
    }

    [Fact]
    public async Task Expired_token_is_rejected()
    {
        var token = _tokens.CreateAuthToken(_record, duration: TimeSpan.FromSeconds(60));
        _clock.Now = Start.AddSeconds(61);

        Assert.Null(await _tokens.VerifyAsync(token, _record, TokenService.AuthTokenOptions, TokenService.AuthType));
    }

    [Fact]
    public async Task Tampered_payload_is_rejected()
    {
        var token = _tokens.CreateAuthToken(_record, refreshable: false);
        var parts = token.Split('.');
        var payload = Payload(token);
        payload["refreshable"] = true;
        var tampered = parts[0] + "." + Base64Url(payload.ToJsonString()) + "." + parts[2];

        Assert.Null(await _tokens.VerifyAsync(tampered, _record, TokenService.AuthTokenOptions, TokenService.AuthType));
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_rejected()
    {
        var payload = Payload(_tokens.CreateAuthToken(_record));
        var none = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url(payload.ToJsonString()) + ".";

        Assert.Null(await _tokens.VerifyAsync(none, _record, TokenService.AuthTokenOptions, TokenService.AuthType));
    }

    [Fact]
    public async Task Token_signed_with_another_records_key_is_rejected()
    {
        var other = NewRecord(_record.Collection, _record.Id, TokenKey('b'));
        var token = _tokens.CreateAuthToken(other);

        Assert.Null(await _tokens.VerifyAsync(token, _record, TokenService.AuthTokenOptions, TokenService.AuthType));
    }

    [Fact]
    public async Task Rotating_the_collection_secret_invalidates_tokens()
    {
        var token = _tokens.CreateAuthToken(_record);
        var rotated = NewRecord(NewCollection("pbc_1", "_superusers", "another-secret-0123456789-0123456789"), _record.Id, _record.GetString("tokenKey"));

        Assert.Null(await _tokens.VerifyAsync(token, rotated, TokenService.AuthTokenOptions, TokenService.AuthType));
    }

    [Fact]
    public async Task Token_of_another_collection_or_type_is_rejected()
    {
        var wrongCollection = _tokens.Create(_record, TokenService.AuthTokenOptions, TimeSpan.FromHours(1), Claims("pbc_other", "auth"));
        var wrongType = _tokens.Create(_record, TokenService.AuthTokenOptions, TimeSpan.FromHours(1), Claims("pbc_1", "file"));

        Assert.Null(await _tokens.VerifyAsync(wrongCollection, _record, TokenService.AuthTokenOptions, TokenService.AuthType));
        Assert.Null(await _tokens.VerifyAsync(wrongType, _record, TokenService.AuthTokenOptions, TokenService.AuthType));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.")]
    public void Malformed_tokens_read_as_null(string token)
    {
        Assert.Null(TokenService.ReadUnverified(token));
    }

    private Dictionary<string, object> Claims(string collectionId, string type) => new()
    {
        ["id"] = _record.Id,
        ["type"] = type,
        ["collectionId"] = collectionId,
        ["refreshable"] = true,
    };

    private static string TokenKey(char c) => new(c, 50);

    private static Collection NewCollection(string id, string name, string secret) => new()
    {
        Id = id,
        Name = name,
        Type = CollectionType.Auth,
        Options = new JsonObject { ["authToken"] = new JsonObject { ["secret"] = secret } },
    };

    private static Record NewRecord(Collection collection, string id, string tokenKey)
    {
        var record = new Record(collection) { Id = id };
        record.Set("tokenKey", tokenKey);
        return record;
    }

    private static JsonObject Header(string token) => Decode(token.Split('.')[0]);

    private static JsonObject Payload(string token) => Decode(token.Split('.')[1]);

    private static JsonObject Decode(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(s))!.AsObject();
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
