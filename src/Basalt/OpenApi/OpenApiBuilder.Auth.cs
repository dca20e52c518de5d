using System.Text.Json.Nodes;
using Basalt.Model;
using static Basalt.OpenApi.OpenApiJson;

namespace Basalt.OpenApi;

/// <summary>The sign-in and account routes of an auth collection (§7), each described with whether it is enabled.</summary>
internal sealed partial class OpenApiBuilder
{
    private void AddAuthRoutes(Collection collection, string key, string tag)
    {
        var name = collection.Name;
        var path = $"/api/collections/{name}";
        var options = collection.Options;
        var authRule = RuleWords.Describe(options["authRule"]?.GetValue<string>(), "auth");
        var mfa = Enabled(options, "mfa") ? " MFA is on: the first method answers 401 with `mfaId`; send it with a second, different method." : "";
        var authResponse = Object(
            [("token", Type("string")), ("record", Ref(key)), ("meta", Type("object", "OAuth2 only: the provider's user data."))],
            ["token", "record"]);
        _schemas[key + ".auth"] = authResponse;
        JsonObject SignedIn() => new()
        {
            ["200"] = Response("Signed in: the token and the record.", Ref(key + ".auth")),
            ["400"] = ResponseRef("BadRequest"),
            ["401"] = Response("MFA: a second method is needed.", Ref("MfaChallenge")),
            ["403"] = ResponseRef("Forbidden"),
        };

        AddOperation(path + "/auth-methods", "get", Operation(
            path + "/auth-methods", $"{name}.authMethods", tag, "List the sign-in methods",
            "Password, OTP, MFA and the OAuth2 providers with a fresh state and PKCE pair.",
            new JsonObject { ["200"] = Response("The methods.", Ref("AnyObject")), ["404"] = ResponseRef("NotFound") },
            secured: false));
        AddSignIn(path, "auth-with-password", $"{name}.authWithPassword", tag, "Sign in with a password",
            State(options, "passwordAuth") + authRule + mfa,
            Body(Object([("identity", Type("string", "The email (or another identity field).")), ("password", Type("string")), ("identityField", Type("string")), ("mfaId", Type("string"))], ["identity", "password"])),
            SignedIn());
        AddOperation(path + "/auth-refresh", "post", Operation(
            path + "/auth-refresh", $"{name}.authRefresh", tag, "Refresh the token",
            "A new token for the signed-in record of this collection (the same token when it is not refreshable).",
            new JsonObject { ["200"] = Response("The new token and the record.", Ref(key + ".auth")), ["401"] = ResponseRef("Unauthorized"), ["403"] = ResponseRef("Forbidden") },
            secured: true, query: RecordParameters()));
        AddSignIn(path, "request-otp", $"{name}.requestOtp", tag, "Email a one-time password",
            State(options, "otp") + "Answers an `otpId` even for an unknown email.",
            Body(Object([("email", Type("string"))], ["email"])),
            new JsonObject { ["200"] = Response("The OTP id.", Object([("otpId", Type("string"))], ["otpId"])), ["400"] = ResponseRef("BadRequest"), ["403"] = ResponseRef("Forbidden") },
            query: false);
        AddSignIn(path, "auth-with-otp", $"{name}.authWithOtp", tag, "Sign in with a one-time password",
            State(options, "otp") + authRule + mfa,
            Body(Object([("otpId", Type("string")), ("password", Type("string", "The emailed code.")), ("mfaId", Type("string"))], ["otpId", "password"])),
            SignedIn());
        AddSignIn(path, "auth-with-oauth2", $"{name}.authWithOAuth2", tag, "Sign in with an OAuth2 code",
            State(options, "oauth2") + "Exchanges the code from the provider's redirect; a new user gets a record (the createRule applies). " + authRule + mfa,
            Body(Object(
                [
                    ("provider", Type("string")), ("code", Type("string")), ("codeVerifier", Type("string")), ("redirectURL", Type("string")),
                    ("createData", Type("object", "Fields of the record created for a new user.")), ("mfaId", Type("string")),
                ],
                ["provider", "code", "codeVerifier", "redirectURL"])),
            SignedIn());
        AddEmailFlow(path, name, tag, "request-password-reset", "requestPasswordReset", "Email a password reset link", ["email"]);
        AddEmailFlow(path, name, tag, "confirm-password-reset", "confirmPasswordReset", "Set a new password with the emailed token", ["token", "password", "passwordConfirm"]);
        AddEmailFlow(path, name, tag, "request-verification", "requestVerification", "Email a verification link", ["email"]);
        AddEmailFlow(path, name, tag, "confirm-verification", "confirmVerification", "Verify the email with the emailed token", ["token"]);
        AddEmailFlow(path, name, tag, "request-email-change", "requestEmailChange", "Email a link to change the email (signed in)", ["newEmail"], secured: true);
        AddEmailFlow(path, name, tag, "confirm-email-change", "confirmEmailChange", "Change the email with the emailed token and the password", ["token", "password"]);
        if (_full)
        {
            var impersonate = path + "/impersonate/{id}";
            AddOperation(impersonate, "post", Operation(
                impersonate, $"{name}.impersonate", tag, "Impersonate a record (superusers)",
                "A non-refreshable token of the record, valid for `duration` seconds (0: the collection's token duration).",
                new JsonObject
                {
                    ["200"] = Response("The token and the record.", Ref(key + ".auth")),
                    ["400"] = ResponseRef("BadRequest"),
                    ["401"] = ResponseRef("Unauthorized"),
                    ["403"] = ResponseRef("Forbidden"),
                    ["404"] = ResponseRef("NotFound"),
                },
                secured: true, query: RecordParameters(), body: Body(Object([("duration", Type("integer"))]), required: false)));
        }
    }

    private void AddSignIn(string path, string action, string id, string tag, string summary, string description, JsonObject body, JsonObject responses, bool query = true) =>
        AddOperation(path + "/" + action, "post", Operation(
            path + "/" + action, id, tag, summary, description, responses, secured: false, query: query ? RecordParameters() : null, body: body));

    private void AddEmailFlow(string path, string name, string tag, string action, string id, string summary, string[] keys, bool secured = false) =>
        AddOperation(path + "/" + action, "post", Operation(
            path + "/" + action, $"{name}.{id}", tag, summary,
            "Answers 204 whether or not an account matched, so the answer tells nothing about who has an account.",
            secured
                ? new JsonObject { ["204"] = ResponseRef("NoContent"), ["400"] = ResponseRef("BadRequest"), ["401"] = ResponseRef("Unauthorized") }
                : new JsonObject { ["204"] = ResponseRef("NoContent"), ["400"] = ResponseRef("BadRequest") },
            secured, body: Body(Object(keys.Select(k => (k, (JsonNode)Type("string"))), keys))));

    private static bool Enabled(JsonObject options, string method) =>
        options[method] is JsonObject o && o["enabled"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    private static string State(JsonObject options, string method) =>
        Enabled(options, method) ? "" : "**Disabled** on this collection (403). ";
}
