using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Records;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Api;

/// <summary>The batch's settings and input checks: request count, item validation, unreadable bodies, size, timeout, auth.</summary>
public abstract partial class BatchTests
{
    [Fact]
    public async Task More_requests_than_max_requests_is_a_validation_error()
    {
        await SetBatchAsync(maxRequests: 2);
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = Enumerable.Range(0, 3).Select(i => Create(name, new { title = "t" + i })).ToArray(),
        });

        AssertError(HttpStatusCode.BadRequest, (status, body), "requests", "validation_length_too_long");
        Assert.Equal("Invalid batch request data.", body!["message"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task Every_item_is_validated_before_anything_runs()
    {
        await SetBatchAsync(maxRequests: 100);

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                new { },
                new { method = "GET", url = "/valid" },
                new { method = "invalid", url = "/valid" },
                new { method = "POST", url = new string('a', 2001) },
            },
        });

        AssertError(HttpStatusCode.BadRequest, (status, body), "requests");
        var requests = body!["data"]!["requests"]!.AsObject();
        Assert.Equal(["0", "2", "3"], requests.Select(p => p.Key).Order());
        Assert.Equal("validation_required", requests["0"]!["method"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_required", requests["0"]!["url"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_in_invalid", requests["2"]!["method"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_length_too_long", requests["3"]!["url"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/json", "{\"requests\":")]
    [InlineData("application/json", "{\"requests\":{\"method\":\"POST\"}}")]
    [InlineData("application/json", "{\"requests\":[{\"method\":1,\"url\":\"/x\"}]}")]
    [InlineData("application/json", "{\"requests\":[{\"method\":\"POST\",\"url\":\"/x\",\"body\":[1]}]}")]
    [InlineData("text/plain", "{\"requests\":[]}")]
    public async Task An_unreadable_body_is_a_400(string contentType, string raw)
    {
        await SetBatchAsync();
        using var content = new StringContent(raw, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await Superuser.PostAsync("/api/batch", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        AssertError(HttpStatusCode.BadRequest, (response.StatusCode, body));
        Assert.Equal("Failed to read the submitted batch data.", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_batch_is_a_validation_error()
    {
        await SetBatchAsync();

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new { requests = Array.Empty<object>() });

        AssertError(HttpStatusCode.BadRequest, (status, body), "requests", "validation_required");
    }

    [Fact]
    public async Task A_body_over_max_body_size_is_a_413()
    {
        await SetBatchAsync(maxBodySize: 10);
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);

        var response = await Superuser.PostJsonAsync("/api/batch", new { requests = new[] { Create(name, new { title = "x" }) } });

        AssertError(HttpStatusCode.RequestEntityTooLarge, response);
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task A_batch_past_its_timeout_fails_and_applies_nothing()
    {
        await SetBatchAsync(timeout: 1);
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);
        var service = Server.Services.GetRequiredService<RecordBatchService>();

        // The second request waits for the batch's own deadline, so the first has been written when the timeout hits.
        service.BeforeOperation = static async (index, ct) =>
        {
            if (index == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
        };
        (HttpStatusCode Status, JsonNode? Body) response;
        try
        {
            response = await Superuser.PostJsonAsync("/api/batch", new
            {
                requests = new[] { Create(name, new { title = "one" }), Create(name, new { title = "two" }) },
            });
        }
        finally
        {
            service.BeforeOperation = null;
        }

        AssertError(HttpStatusCode.BadRequest, response);
        Assert.Equal("Batch transaction failed.", response.Body!["message"]!.GetValue<string>());
        Assert.Empty(response.Body["data"]!.AsObject());
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task The_callers_auth_applies_and_a_request_authorization_header_is_ignored()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField, """{"createRule":"@request.auth.id != '' && @request.context = 'batch'"}""");
        var superuserToken = Superuser.DefaultRequestHeaders.GetValues("Authorization").Single();
        var (_, _, user) = await CreateSignedInUserAsync();
        using (user)
        {
            var asGuest = await Guest.PostJsonAsync("/api/batch", new
            {
                requests = new[] { new { method = "POST", url = Records(name), headers = new { Authorization = superuserToken }, body = new { title = "guest" } } },
            });
            var asUser = await user.PostJsonAsync("/api/batch", new
            {
                requests = new[] { new { method = "POST", url = Records(name), headers = new { Authorization = "ignored" }, body = new { title = "user" } } },
            });
            var outsideBatch = await user.PostJsonAsync(Records(name), new { title = "not a batch" });

            AssertFailedAt(0, asGuest, 400);
            Assert.True(asUser.Status == HttpStatusCode.OK, asUser.Body?.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, outsideBatch.Status);
            Assert.Equal(1, await CountAsync(name));
        }
    }

    [Fact]
    public async Task Multipart_with_a_json_payload_is_read_and_a_file_for_a_field_that_takes_none_fails_its_request()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);
        var payload = new JsonObject
        {
            ["requests"] = new JsonArray(
                new JsonObject { ["method"] = "POST", ["url"] = Records(name), ["body"] = new JsonObject { ["title"] = "multipart" } },
                new JsonObject { ["method"] = "POST", ["url"] = Records(name), ["body"] = new JsonObject { ["title"] = "with file" } }),
        }.ToJsonString();

        using (var form = new MultipartFormDataContent { { new StringContent(payload), "@jsonPayload" } })
        {
            using var ok = await Superuser.PostAsync("/api/batch", form);
            Assert.True(ok.StatusCode == HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        }

        using var withFile = new MultipartFormDataContent { { new StringContent(payload), "@jsonPayload" } };
        withFile.Add(new ByteArrayContent("hello"u8.ToArray()), "requests[1].attachment", "hello.txt");
        using var refused = await Superuser.PostAsync("/api/batch", withFile);
        var failure = AssertFailedAt(1, (refused.StatusCode, JsonNode.Parse(await refused.Content.ReadAsStringAsync())), 400);
        Assert.Equal("validation_unknown_file_field", failure["data"]!["attachment"]!["code"]!.GetValue<string>());
        Assert.Equal(2, await CountAsync(name));
    }
}
